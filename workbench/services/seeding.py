"""Loading the reference catalogues from seeds/ (idempotent) and building the demo workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import (
    STRATEGY_FIELDS,
    FactorCategoryInfo,
    JourneyStage,
    MetricTemplate,
    ScenarioTemplate,
    TqmPrinciple,
    User,
    Workspace,
)
from workbench.services import (
    accounts,
    demo,
    demo_applications,
    demo_branding,
    demo_commentary,
    demo_drills,
    demo_feed,
    demo_operating,
    demo_risks,
    demo_sites,
    demo_stories,
    workspaces,
)
from workbench.services.errors import ServiceError
from workbench.services.tenancy import system_access

# file name, top-level key, model, the fields copied from each entry
CATALOGUES: tuple[tuple[str, str, type[Any], tuple[str, ...]], ...] = (
    (
        "tqm_principles.yaml",
        "principles",
        TqmPrinciple,
        ("position", "name", "description", "example"),
    ),
    (
        "factor_categories.yaml",
        "categories",
        FactorCategoryInfo,
        ("position", "name", "description", "prompts"),
    ),
    (
        "journey_stages.yaml",
        "stages",
        JourneyStage,
        ("position", "name", "description", "typical_friction", "typical_opportunity"),
    ),
    (
        "metric_library.yaml",
        "metrics",
        MetricTemplate,
        (
            "name",
            "definition",
            "unit",
            "direction",
            "min_value",
            "max_value",
            "typical_department",
            "frequency",
        ),
    ),
    (
        "failure_scenarios.yaml",
        "scenarios",
        ScenarioTemplate,
        (
            "industry",
            "name",
            "description",
            "severity",
            "foreseeable",
            "detection_channels",
            "responder",
            "customer_message",
            "response_channels",
            "compensation_type",
            "compensation_amount",
            "currency",
            "escalation_limit",
            "target_response_minutes",
            "prevention_note",
        ),
    ),
)

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = demo.DEMO_PASSWORD
DEMO_NAME = "Dana Demo"


@dataclass(frozen=True)
class SeedReport:
    """How many catalogue rows were added and updated, per file."""

    added: dict[str, int]
    updated: dict[str, int]


def _read_entries(path: Path, top_key: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ServiceError(f"{path.name}: cannot be read ({error})") from error
    entries = document.get(top_key) if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ServiceError(f"{path.name}: expected a non-empty list under '{top_key}'")
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"{path.name}: {top_key}[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ServiceError(f"{where}: each entry needs a text 'key'")
        if entry["key"] in seen:
            raise ServiceError(f"{where}: key '{entry['key']}' appears twice")
        seen.add(entry["key"])
        missing = [name for name in fields if name not in entry]
        if missing:
            raise ServiceError(f"{where} ({entry['key']}): missing {', '.join(missing)}")
    return entries


def load_catalogues(session: Session, seeds_dir: Path) -> SeedReport:
    """Insert or update every catalogue entry by key; running it twice changes nothing."""
    added: dict[str, int] = {}
    updated: dict[str, int] = {}
    with system_access(session):
        for file_name, top_key, model, fields in CATALOGUES:
            entries = _read_entries(seeds_dir / file_name, top_key, fields)
            existing = {row.key: row for row in session.scalars(select(model))}
            added[file_name] = updated[file_name] = 0
            for entry in entries:
                values = {name: entry[name] for name in fields}
                row = existing.get(entry["key"])
                if row is None:
                    session.add(model(key=entry["key"], **values))
                    added[file_name] += 1
                elif any(getattr(row, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(row, name, value)
                    updated[file_name] += 1
        session.flush()
    return SeedReport(added, updated)


def create_demo(
    session: Session,
    seeds_dir: Path,
    assessments_dir: Path | None = None,
    today: date | None = None,
) -> tuple[User, Workspace, bool]:
    """Create the demo login and the demo organisation's workspace, then fill empty phases.

    Dates that must stay recent are set from `today` (the load day by default): the
    readings and goals move by whole months, drills, risks and the rest by days.
    """
    today = today or date.today()
    months = demo.reading_shift(seeds_dir, today)
    user, workspace, created = _demo_workspace(session, seeds_dir)
    demo.fill_phase1(
        session, workspace, seeds_dir, assessments_dir or seeds_dir.parent / "assessments"
    )
    demo.fill_phase2(session, workspace, seeds_dir)
    demo_operating.fill_phase3(session, workspace, seeds_dir)
    demo.fill_phase4(session, workspace, seeds_dir, months)
    demo_risks.fill_risks(session, workspace, seeds_dir, today)
    demo_applications.fill_applications(session, workspace, seeds_dir, today)
    demo_stories.fill_stories(session, workspace, seeds_dir, today)
    demo_drills.fill_drills(session, workspace, seeds_dir, today)
    demo_sites.fill_sites(session, workspace, seeds_dir, months)
    demo_feed.fill_feed(session, workspace, seeds_dir, today)
    demo_branding.fill_branding(session, workspace, seeds_dir)
    demo_commentary.fill_commentary(session, workspace, seeds_dir)
    return user, workspace, created


def _demo_workspace(session: Session, seeds_dir: Path) -> tuple[User, Workspace, bool]:
    path = seeds_dir / "demo_workspace.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not document.get("name"):
        raise ServiceError(f"{path.name}: expected a mapping with a 'name'")
    user = accounts.find_user_by_email(session, DEMO_EMAIL)
    if user is None:
        user = accounts.register(session, DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD)
    for summary in workspaces.list_workspaces_for(session, user):
        if summary.name == document["name"]:
            with system_access(session):
                return user, session.get_one(Workspace, summary.id), False
    workspace = workspaces.create_workspace(
        session, user, str(document["name"]), str(document.get("industry", ""))
    )
    values = {name: str(document.get(name) or "") for name in STRATEGY_FIELDS}
    workspaces.update_strategy(session, workspace, workspace.version, values)
    return user, workspace, True
