"""Reading a published StratML strategic plan safely: goals and their objectives, nothing else.

The parser never loads a DTD, never resolves an entity, never touches the network and refuses
any document that declares a DOCTYPE, so external-entity and entity-expansion attacks fail
before anything is read. Pure: bytes in, dataclasses out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from workbench.analysis.text import clean_text
from workbench.exchange.xmltext import declares_doctype, one_line, safe_parser, xml_text
from workbench.models.catalogue.alignment import OBJECTIVES

PART1_NS = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NS = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
ROOTS = {
    f"{{{PART1_NS}}}StrategicPlan",
    f"{{{PART2_NS}}}PerformancePlanOrReport",
}
# Lines of OtherInformation the workbench writes and reads back.
KEY_PERSPECTIVE = "Perspective"
KEY_OWNER = "Owner"
KEY_DUE = "Due"
KEY_PARENT = "Sits under"
PERSPECTIVES = ("financial", "customer", "internal_process", "learning_growth")
# Placeholders the workbench writes that are not objectives of the organisation.
PLACEHOLDER_ID = "id-no-objectives"
INDICATORS_SUFFIX = "-indicators"


MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 2000
# An imported objective fits the objective form: the limits are the catalogue's.
TITLE_LIMIT = OBJECTIVES.field("title").max_length or 0
OWNER_LIMIT = OBJECTIVES.field("owner").max_length or 0
DESCRIPTION_LIMIT = OBJECTIVES.field("description").max_length or 0


class StratmlImportError(ValueError):
    """The file is not a StratML strategic plan the workbench can read; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedObjective:
    """An objective of a goal, as read from the file."""

    title: str
    description: str = ""
    identifier: str = ""
    perspective: str | None = None
    owner: str = ""
    due_date: date | None = None
    # The identifier of another objective of the same goal it sits under, if the file says so.
    parent_identifier: str = ""


@dataclass(frozen=True)
class ParsedGoal:
    """A goal of the plan with its objectives."""

    title: str
    description: str = ""
    identifier: str = ""
    perspective: str | None = None
    owner: str = ""
    due_date: date | None = None
    objectives: list[ParsedObjective] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedPlan:
    """A strategic plan's name, organisation and goals."""

    name: str
    organisation: str = ""
    goals: list[ParsedGoal] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)

    def objective_count(self) -> int:
        """Return the number of goals plus objectives."""
        return len(self.goals) + sum(len(goal.objectives) for goal in self.goals)


def _document(data: bytes) -> etree._Element:
    if not data or not data.strip():
        raise StratmlImportError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise StratmlImportError(
            f"The file is {len(data):,} bytes; the largest accepted is {MAX_BYTES:,} bytes."
        )
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise StratmlImportError(f"The file is not well-formed XML: {error.msg}.") from error
    except ValueError as error:
        raise StratmlImportError(f"The file is not usable XML: {error}.") from error
    if declares_doctype(root):
        raise StratmlImportError(
            "The file declares a DOCTYPE; StratML needs none, and entity declarations "
            "are refused for safety."
        )
    for _node in root.iter(etree.Entity):
        raise StratmlImportError("The file uses entity references, which are refused for safety.")
    if root.tag not in ROOTS:
        namespace = etree.QName(root).namespace or "no namespace"
        raise StratmlImportError(
            f"The root element is <{etree.QName(root).localname}> in {namespace}; expected a "
            f"StratML <StrategicPlan> in {PART1_NS} or <PerformancePlanOrReport> in {PART2_NS}."
        )
    return root


def _child(node: etree._Element, name: str) -> etree._Element | None:
    namespace = etree.QName(node).namespace
    return node.find(f"{{{namespace}}}{name}")


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    namespace = etree.QName(node).namespace
    found: list[etree._Element] = node.findall(f"{{{namespace}}}{name}")
    return found


def _text(node: etree._Element, name: str, limit: int | None = None) -> str:
    found = _child(node, name)
    if found is None:
        return ""
    # The same cleaning the web forms apply, after what XML itself cannot carry.
    return clean_text(xml_text("".join(found.itertext())))[:limit]


def _info(node: etree._Element) -> dict[str, str]:
    values = {}
    for line in _text(node, "OtherInformation").splitlines():
        key, _sep, value = line.partition(":")
        if key.strip() in {KEY_PERSPECTIVE, KEY_OWNER, KEY_DUE, KEY_PARENT}:
            values[key.strip()] = one_line(value)
    return values


def _perspective(info: dict[str, str]) -> str | None:
    value = info.get(KEY_PERSPECTIVE, "").lower().replace(" ", "_")
    return value if value in PERSPECTIVES else None


def _due(info: dict[str, str]) -> date | None:
    raw = info.get(KEY_DUE, "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _title(node: etree._Element, where: str, shortened: list[str]) -> tuple[str, str]:
    """Return (title, description): the name, else the description's first line."""
    name = one_line(_text(node, "Name"))
    description = _text(node, "Description")
    if not name:
        name = one_line(description.split("\n", 1)[0]) if description else ""
    if not name:
        raise StratmlImportError(f"{where} has neither a name nor a description.")
    if len(name) > TITLE_LIMIT:
        shortened.append(f"{where}: the name was shortened to {TITLE_LIMIT} characters")
        description = f"{name}\n\n{description}".strip()
        name = name[: TITLE_LIMIT - 1].rstrip() + "…"
    if len(description) > DESCRIPTION_LIMIT:
        shortened.append(
            f"{where}: the description was shortened to {DESCRIPTION_LIMIT:,} characters"
        )
        description = description[: DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return name, description


def _objective(node: etree._Element, where: str, shortened: list[str]) -> ParsedObjective:
    title, description = _title(node, where, shortened)
    info = _info(node)
    return ParsedObjective(
        title=title,
        description=description,
        identifier=one_line(_text(node, "Identifier")),
        perspective=_perspective(info),
        owner=info.get(KEY_OWNER, "")[:OWNER_LIMIT],
        due_date=_due(info),
        parent_identifier=info.get(KEY_PARENT, ""),
    )


def parse_strategic_plan(data: bytes) -> ParsedPlan:
    """Read the goals and objectives of a StratML plan; raise StratmlImportError if unusable."""
    root = _document(data)
    core = _child(root, "StrategicPlanCore")
    if core is None:
        raise StratmlImportError("The plan has no <StrategicPlanCore>, so it has no goals.")
    shortened: list[str] = []
    goals = []
    items = 0
    for number, node in enumerate(_children(core, "Goal"), start=1):
        identifier = one_line(_text(node, "Identifier"))
        if identifier == PLACEHOLDER_ID:
            continue
        title, description = _title(node, f"Goal {number}", shortened)
        info = _info(node)
        objectives = []
        for position, child in enumerate(_children(node, "Objective"), start=1):
            child_id = one_line(_text(child, "Identifier"))
            if child_id.endswith(INDICATORS_SUFFIX) and child_id.startswith("id-objective-"):
                continue
            objectives.append(_objective(child, f"Goal {number}, objective {position}", shortened))
        items += 1 + len(objectives)
        if items > MAX_ITEMS:
            raise StratmlImportError(
                f"The plan has more than {MAX_ITEMS} goals and objectives; split it first."
            )
        goals.append(
            ParsedGoal(
                title=title,
                description=description,
                identifier=identifier,
                perspective=_perspective(info),
                owner=info.get(KEY_OWNER, "")[:OWNER_LIMIT],
                due_date=_due(info),
                objectives=objectives,
            )
        )
    if not goals:
        raise StratmlImportError("The plan has no goals to import.")
    organisation = _child(core, "Organization")
    return ParsedPlan(
        name=one_line(_text(root, "Name", TITLE_LIMIT)),
        organisation=one_line(_text(organisation, "Name", TITLE_LIMIT))
        if organisation is not None
        else "",
        goals=goals,
        shortened=shortened,
    )
