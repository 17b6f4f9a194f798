"""The official StratML and ArchiMate schemas, read from ../shared/schemas (never copied here)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree


def _schemas_folder() -> Path:
    """The shared schemas beside the checkout (../shared/schemas), wherever it was cloned.

    WORKBENCH_SCHEMAS_DIR wins; otherwise the nearest `shared/schemas` above the checkout,
    then the workplace's own copy. A missing folder makes the schema tests fail, not skip.
    """
    if os.environ.get("WORKBENCH_SCHEMAS_DIR"):
        return Path(os.environ["WORKBENCH_SCHEMAS_DIR"])
    checkout = Path(__file__).resolve().parent.parent
    for folder in [*checkout.parents, Path("/work")]:
        candidate = folder / "shared" / "schemas"
        if (candidate / "stratml").is_dir():
            return candidate
    return checkout.parent / "shared" / "schemas"


SCHEMAS = _schemas_folder()
STRATML_PART1 = SCHEMAS / "stratml" / "StrategicPlanISOVersion20140401.xsd"
STRATML_PART2 = SCHEMAS / "stratml" / "PerformancePlanOrReport20160216.xsd"
ARCHIMATE = SCHEMAS / "archimate" / "archimate3_Diagram.xsd"

# The (source, relationship, target) triples the model uses, each permitted by the ArchiMate 3.1
# relationship table, so modelling tools that check the table accept every one.
ALLOWED_RELATIONSHIPS = {
    ("Assessment", "Association", "Driver"),
    ("Assessment", "Influence", "Goal"),
    ("Assessment", "Influence", "Outcome"),
    ("WorkPackage", "Realization", "Goal"),
    ("WorkPackage", "Realization", "Outcome"),
    ("Outcome", "Realization", "Goal"),
    ("Outcome", "Aggregation", "Outcome"),
    ("WorkPackage", "Association", "Assessment"),
    ("WorkPackage", "Association", "Principle"),
    ("WorkPackage", "Triggering", "WorkPackage"),
    ("Stakeholder", "Association", "BusinessProcess"),
}


class _LocalXmlXsd(etree.Resolver):
    """Answers the ArchiMate schema's import of the W3C xml.xsd with the local copy."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "archimate" / "xml.xsd"), context)
        return None


@cache
def schema(path: Path) -> etree.XMLSchema:
    """Load one schema offline."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(document: bytes, path: Path) -> etree._Element:
    """Parse the document, assert it is valid against the schema, and return its root."""
    root = etree.fromstring(document)
    validator = schema(path)
    assert validator.validate(root), "\n".join(str(e) for e in validator.error_log)
    return root
