"""Bring a StratML strategic plan's goals and objectives into a workspace as nested objectives.

Goals become top-level objectives and their objectives sit beneath them. A goal or objective
whose title is already present at the same place is reported and left alone, so importing the
same file twice adds nothing the second time. The whole file is read and checked before the
first write; the caller commits or rolls back once, so a refused file leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from workbench.exchange.stratml import (
    ParsedGoal,
    ParsedObjective,
    ParsedPlan,
    StratmlImportError,
    parse_strategic_plan,
)
from workbench.models import Objective, Perspective
from workbench.services import objectives
from workbench.services.errors import ServiceError

DEFAULT_PERSPECTIVE = Perspective.CUSTOMER


class StratmlRefusedError(ServiceError):
    """The file was refused; nothing was imported."""


@dataclass
class ImportReport:
    """What an import added and what it found already present."""

    plan_name: str
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _values(item: ParsedGoal | ParsedObjective, parent_id: int | None) -> dict[str, object]:
    return {
        "title": item.title,
        "description": item.description,
        "perspective": Perspective(item.perspective) if item.perspective else DEFAULT_PERSPECTIVE,
        "parent_id": parent_id,
        "owner": item.owner,
        "due_date": item.due_date,
    }


class _Importer:
    def __init__(self, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self.existing: dict[tuple[int | None, str], int] = {
            (o.parent_id, _key(o.title)): o.id for o in objectives.list_objectives(session)
        }

    def place(self, item: ParsedGoal | ParsedObjective, parent_id: int | None, label: str) -> int:
        """Return the id of the objective for item under parent, creating it when new."""
        key = (parent_id, _key(item.title))
        if key in self.existing:
            self.report.duplicates.append(label)
            return self.existing[key]
        created: Objective = objectives.create_objective(self.session, _values(item, parent_id))
        self.existing[key] = created.id
        self.report.added.append(label)
        return created.id


def import_plan(session: Session, plan: ParsedPlan) -> ImportReport:
    """Write a parsed plan's goals and objectives into the session's workspace."""
    report = ImportReport(plan.name or plan.organisation, notes=list(plan.shortened))
    importer = _Importer(session, report)
    for goal in plan.goals:
        goal_id = importer.place(goal, None, f"goal “{goal.title}”")
        by_identifier: dict[str, int] = {}
        # Objectives that name an earlier sibling as their parent (files the workbench wrote)
        # go back under that sibling; the rest sit directly under the goal.
        for objective in goal.objectives:
            parent_id = by_identifier.get(objective.parent_identifier, goal_id)
            created = importer.place(objective, parent_id, f"objective “{objective.title}”")
            if objective.identifier:
                by_identifier[objective.identifier] = created
    return report


def import_file(session: Session, data: bytes) -> ImportReport:
    """Parse a StratML file and import it; raise StratmlRefusedError with the reason if unusable."""
    try:
        plan = parse_strategic_plan(data)
    except StratmlImportError as error:
        raise StratmlRefusedError(error.message) from error
    return import_plan(session, plan)
