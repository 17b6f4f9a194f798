"""Recovery drills' rows: planned, recorded, edited and deleted (the drills as people read
them, with verdicts, trends and gaps, are in services/drill_views.py; the rules in
workbench.analysis.drills)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.text import clean_text
from workbench.models import Drill, DrillStatus, FailureScenario
from workbench.models.catalogue.operating import DRILL_MINUTES_MAX, DRILLS
from workbench.models.fields import MONEY_MAX
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

PLAN_FIELDS = ("scenario_id", "planned_on", "site", "customer_role", "facilitator", "status")
RESULT_FIELDS = (
    "detected",
    "detected_by",
    "detection_minutes",
    "contact_minutes",
    "message_used",
    "remedy_given",
    "escalated",
    "escalated_to",
    "compensation_amount",
    "lessons",
)
FIELDS = PLAN_FIELDS + RESULT_FIELDS
TEXTS = (
    "site",
    "customer_role",
    "facilitator",
    "detected_by",
    "message_used",
    "remedy_given",
    "escalated_to",
    "lessons",
)
STATUS_LABELS = dict(DRILLS.field("status").choices)


def list_drills(session: Session) -> list[Drill]:
    """Return the workspace's drills by date, the earliest first."""
    return list(session.scalars(select(Drill).order_by(Drill.planned_on, Drill.id)))


def get_drill(session: Session, drill_id: int) -> Drill:
    """Return a drill of the session's workspace or raise NotFoundError."""
    row = session.get(Drill, drill_id)
    if row is None:
        raise NotFoundError("That drill no longer exists; someone may have deleted it.")
    return row


def _minutes(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= DRILL_MINUTES_MAX:
        label = DRILLS.field(name).label.lower()
        raise ServiceError(f"Give the {label} as whole minutes from 0 to 10,080.", name)
    return value


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if isinstance(value, bool) or not amount.is_finite() or not 0 <= amount <= MONEY_MAX:
        raise ServiceError(
            f"Give the compensation as an amount from 0 to {MONEY_MAX:,}.", "compensation_amount"
        )
    return amount.quantize(Decimal("0.01"))


def _checked(session: Session, values: dict[str, Any], today: date) -> dict[str, Any]:
    """The values a drill stores, refused with a message naming the field when wrong."""
    scenario_id = values.get("scenario_id")
    if (
        isinstance(scenario_id, bool)
        or not isinstance(scenario_id, int)
        or session.get(FailureScenario, scenario_id) is None
    ):
        raise ServiceError("Choose a scenario of the playbook to drill.", "scenario_id")
    planned_on = values.get("planned_on")
    if not isinstance(planned_on, date):
        raise ServiceError("Give the drill's date.", "planned_on")
    try:
        status = DrillStatus(values.get("status") or DrillStatus.PLANNED)
    except ValueError:
        raise ServiceError("Choose planned, done or cancelled.", "status") from None
    if status is DrillStatus.DONE and planned_on > today:
        raise ServiceError(
            "A drill dated in the future cannot be done yet: keep it planned, or give the day "
            "it was held.",
            "status",
        )
    checked: dict[str, Any] = {"scenario_id": scenario_id, "planned_on": planned_on}
    checked["status"] = status
    for name in TEXTS:
        text = clean_text(str(values.get(name) or ""))
        limit = DRILLS.field(name).max_length or 0
        if len(text) > limit:
            raise ServiceError(
                f"Keep the {DRILLS.field(name).label.lower()} to {limit} characters.", name
            )
        checked[name] = text
    for name in ("detected", "escalated"):
        checked[name] = bool(values.get(name))
    for name in ("detection_minutes", "contact_minutes"):
        checked[name] = _minutes(name, values.get(name))
    checked["compensation_amount"] = _money(values.get("compensation_amount"))
    return checked


def create_drill(session: Session, values: dict[str, Any], today: date) -> Drill:
    """Plan a drill (or record one already held) of a playbook scenario."""
    row = Drill(**_checked(session, values, today))
    session.add(row)
    session.flush()
    return row


def current_values(row: Drill) -> dict[str, Any]:
    """A stored drill's values, by field name."""
    return {name: getattr(row, name) for name in FIELDS}


def update_drill(
    session: Session,
    drill_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    today: date,
) -> Drill:
    """Save the given fields of a drill unless someone changed the same ones meanwhile."""
    row = get_drill(session, drill_id)
    checked = _checked(session, {**current_values(row), **values}, today)
    changes = {name: checked[name] for name in FIELDS if name in values}
    label = f"The drill of {row.planned_on.isoformat()}"
    apply_versioned_edit(row, loaded_version, changes, label)
    session.flush()
    return row


def record_result(
    session: Session,
    drill_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    today: date,
) -> Drill:
    """Record what happened in a drill; recording it marks it done."""
    result = {name: values.get(name) for name in RESULT_FIELDS}
    return update_drill(
        session, drill_id, loaded_version, {**result, "status": DrillStatus.DONE.value}, today
    )


def delete_drill(session: Session, drill_id: int) -> str:
    """Delete a drill; return how it is named."""
    row = get_drill(session, drill_id)
    scenario = session.get(FailureScenario, row.scenario_id)
    name = f"The drill of “{scenario.name if scenario else 'a scenario'}” on {row.planned_on}"
    session.delete(row)
    session.flush()
    return name
