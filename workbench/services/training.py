"""Service training plans: each department's sessions, the scenarios they prepare staff for,
and the plan as people read it (states, gaps, the empowerment limits taught).

The rules (done, overdue, planned; which scenarios are gaps) are in workbench.analysis.training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import training as rules
from workbench.analysis.text import clean_text
from workbench.models import FailureScenario, TrainingItem, TrainingScenario
from workbench.models.catalogue.stories import TRAINING
from workbench.services import departments
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

TEXTS = ("topic", "audience", "notes")
STATE_LABELS = {
    "done": "Done",
    "overdue": "Overdue",
    "planned": "Planned",
    "unscheduled": "No date yet",
}


def list_items(session: Session) -> list[TrainingItem]:
    """Return every training session, by planned date (undated last), then topic."""
    rows = session.scalars(select(TrainingItem).order_by(TrainingItem.id))
    return sorted(rows, key=lambda r: (r.planned_on or date.max, r.topic.casefold(), r.id))


def get_item(session: Session, item_id: int) -> TrainingItem:
    """Return a training session of the session's workspace or raise NotFoundError."""
    row = session.get(TrainingItem, item_id)
    if row is None:
        raise NotFoundError("That training session no longer exists; someone may have deleted it.")
    return row


def _checked(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The values a session stores, refused with a message naming the field when wrong."""
    checked: dict[str, Any] = {}
    for name in TEXTS:
        value = clean_text(str(values.get(name) or ""))
        spec = TRAINING.field(name)
        if len(value) > (spec.max_length or 0):
            raise ServiceError(
                f"Keep the {spec.label.lower()} to {spec.max_length:,} characters.", name
            )
        checked[name] = value
    if not checked["topic"]:
        raise ServiceError("Say what the session teaches.", "topic")
    if not clean_text(str(values.get("department") or "")):
        raise ServiceError("Choose the department whose plan it belongs to.", "department")
    head_count = values.get("head_count")
    high = int(TRAINING.field("head_count").maximum or 0)
    if head_count is not None and (
        isinstance(head_count, bool)
        or not isinstance(head_count, int)
        or not 1 <= head_count <= high
    ):
        raise ServiceError(
            f"Give a head count from 1 to {high:,}, or leave it empty.", "head_count"
        )
    checked["head_count"] = head_count
    for field in ("planned_on", "done_on"):
        day = values.get(field)
        if day is not None and not isinstance(day, date):
            raise ServiceError("Give the date as a date.", field)
        checked[field] = day
    checked["empowerment"] = bool(values.get("empowerment"))
    checked["department"] = departments.resolve(session, values.get("department"))
    return checked


def _set_scenarios(session: Session, item_id: int, scenario_ids: set[int]) -> None:
    known = set(
        session.scalars(select(FailureScenario.id).where(FailureScenario.id.in_(scenario_ids)))
    )
    if scenario_ids - known:
        raise ServiceError(
            "Some chosen scenarios no longer exist; reload and choose again.", "scenarios"
        )
    links = {
        link.scenario_id: link
        for link in session.scalars(
            select(TrainingScenario).where(TrainingScenario.training_id == item_id)
        )
    }
    for scenario_id in sorted(scenario_ids - links.keys()):
        session.add(TrainingScenario(training_id=item_id, scenario_id=scenario_id))
    for scenario_id in links.keys() - scenario_ids:
        session.delete(links[scenario_id])
    session.flush()


def create_item(session: Session, values: dict[str, Any], scenario_ids: set[int]) -> TrainingItem:
    """Add a session to a department's plan, with the scenarios it prepares staff for."""
    row = TrainingItem(**_checked(session, values))
    session.add(row)
    session.flush()
    _set_scenarios(session, row.id, scenario_ids)
    return row


def update_item(
    session: Session,
    item_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    scenario_ids: set[int],
) -> TrainingItem:
    """Save a session unless someone changed the same fields since the form was loaded."""
    row = get_item(session, item_id)
    checked = _checked(session, values)
    apply_versioned_edit(row, loaded_version, checked, f"The training session “{row.topic}”")
    _set_scenarios(session, item_id, scenario_ids)
    session.flush()
    return row


def delete_item(session: Session, item_id: int) -> str:
    """Delete a session (its scenario links go with it); return its topic."""
    row = get_item(session, item_id)
    topic = row.topic
    session.delete(row)
    session.flush()
    return topic


def scenario_ids(session: Session, item_id: int) -> set[int]:
    """Return the ids of the scenarios a session prepares staff for."""
    return set(
        session.scalars(
            select(TrainingScenario.scenario_id).where(TrainingScenario.training_id == item_id)
        )
    )


@dataclass(frozen=True)
class ItemLine:
    """A session as the plan page shows it."""

    item: TrainingItem
    state: str
    state_label: str
    scenarios: tuple[FailureScenario, ...]


@dataclass(frozen=True)
class PlanView:
    """The plans by department with their sessions, and the summary of the rules."""

    summary: rules.TrainingSummary
    lines: dict[str, tuple[ItemLine, ...]]  # by department key


def records(items: list[TrainingItem], links: dict[int, set[int]]) -> list[rules.TrainingRecord]:
    """The sessions as the rules read them."""
    return [
        rules.TrainingRecord(
            row.id,
            row.department,
            row.topic,
            row.planned_on,
            row.done_on,
            frozenset(links.get(row.id, set())),
            row.empowerment,
            row.head_count,
        )
        for row in items
    ]


def scenario_records(scenarios: list[FailureScenario]) -> list[rules.ScenarioRecord]:
    """The playbook as the rules read it."""
    return [rules.ScenarioRecord(s.id, s.name, s.responder, s.escalation_limit) for s in scenarios]


def items_with_links(session: Session) -> tuple[list[TrainingItem], dict[int, set[int]]]:
    """Return every session in plan order and the scenario ids of each (one query)."""
    rows = session.execute(
        select(TrainingItem, TrainingScenario.scenario_id).outerjoin(
            TrainingScenario, TrainingScenario.training_id == TrainingItem.id
        )
    )
    items: dict[int, TrainingItem] = {}
    links: dict[int, set[int]] = {}
    for item, scenario_id in rows:
        items[item.id] = item
        if scenario_id is not None:
            links.setdefault(item.id, set()).add(scenario_id)
    ordered = sorted(
        items.values(), key=lambda r: (r.planned_on or date.max, r.topic.casefold(), r.id)
    )
    return ordered, links


def plan_view(session: Session, today: date) -> PlanView:
    """Return every department's plan, its sessions with their states, and the gaps."""
    items, links = items_with_links(session)
    scenarios = list(session.scalars(select(FailureScenario).order_by(FailureScenario.id)))
    by_id = {s.id: s for s in scenarios}
    known = departments.names(session)
    summary = rules.summarise(scenario_records(scenarios), records(items, links), known, today)
    lines: dict[str, list[ItemLine]] = {}
    for row, record in zip(items, records(items, links), strict=True):
        state = rules.state(record, today)
        lines.setdefault(row.department, []).append(
            ItemLine(
                row,
                state,
                STATE_LABELS[state],
                tuple(
                    sorted(
                        (by_id[i] for i in record.scenario_ids if i in by_id),
                        key=lambda s: s.name.casefold(),
                    )
                ),
            )
        )
    return PlanView(summary, {key: tuple(value) for key, value in lines.items()})
