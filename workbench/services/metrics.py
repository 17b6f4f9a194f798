"""Phase 4 metrics: adopt from the library or define, link to objectives, set goals, record."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import sites as site_rules
from workbench.analysis.measurement_import import (
    ImportResult,
    clean_note,
    parse_measurements,
    reading_problem,
)
from workbench.models import (
    Direction,
    Goal,
    Measurement,
    Metric,
    MetricObjective,
    MetricTemplate,
    Objective,
    Rollup,
    Site,
)
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.departments import resolve
from workbench.services.errors import NotFoundError, ServiceError, StaleEditError
from workbench.services.tenancy import system_access

FIELDS = (
    "name",
    "definition",
    "unit",
    "direction",
    "min_value",
    "max_value",
    "frequency",
    "owner",
    "department",
)
GOAL_FIELDS = ("baseline", "baseline_date", "target", "target_date", "rationale", "owner")


def library(session: Session) -> list[MetricTemplate]:
    """Return the metric library from the seeds, by name."""
    with system_access(session):
        return list(session.scalars(select(MetricTemplate).order_by(MetricTemplate.name)))


def list_metrics(session: Session) -> list[Metric]:
    """Return the workspace's metrics by department, then position."""
    return list(
        session.scalars(select(Metric).order_by(Metric.department, Metric.position, Metric.id))
    )


def get_metric(session: Session, metric_id: int) -> Metric:
    """Return a metric of the session's workspace or raise NotFoundError."""
    metric = session.get(Metric, metric_id)
    if metric is None:
        raise NotFoundError("That metric no longer exists; someone may have deleted it.")
    return metric


def _check(values: dict[str, Any]) -> None:
    low, high = values.get("min_value"), values.get("max_value")
    if low is not None and high is not None and low >= high:
        raise ServiceError("The lowest possible value must be below the highest.", "max_value")


def _rollup(
    session: Session, values: dict[str, Any], metric_id: int | None
) -> dict[str, Any] | None:
    """The roll-up rule and volume metric to store, or None when the values name neither."""
    if "rollup" not in values and "rollup_weight_metric_id" not in values:
        return None
    raw = values.get("rollup") or site_rules.default_rule(str(values.get("unit") or ""))
    try:
        rule = Rollup(raw)
    except ValueError:
        raise ServiceError("Choose how the sites' values add up.", "rollup") from None
    weight = values.get("rollup_weight_metric_id")
    if rule is not Rollup.WEIGHTED_MEAN:
        return {"rollup": rule, "rollup_weight_metric_id": None}
    if weight is None or isinstance(weight, bool) or not isinstance(weight, int):
        raise ServiceError(
            "Choose the volume metric that weighs each site (guests, calls, orders).",
            "rollup_weight_metric_id",
        )
    if weight == metric_id or session.get(Metric, weight) is None:
        raise ServiceError(
            "Choose another metric of this workspace as the volume metric.",
            "rollup_weight_metric_id",
        )
    return {"rollup": rule, "rollup_weight_metric_id": weight}


def create_metric(session: Session, values: dict[str, Any]) -> Metric:
    """Define a custom metric."""
    _check(values)
    highest = session.scalar(select(func.max(Metric.position)))
    metric = Metric(**{name: values.get(name) for name in FIELDS}, position=(highest or 0) + 1)
    for name in ("definition", "unit", "owner"):
        setattr(metric, name, getattr(metric, name) or "")
    metric.department = resolve(session, values.get("department"))
    metric.template_key = values.get("template_key")
    rollup = _rollup(session, values, None) or {
        "rollup": Rollup(site_rules.default_rule(metric.unit)),
        "rollup_weight_metric_id": None,
    }
    metric.rollup = rollup["rollup"]
    metric.rollup_weight_metric_id = rollup["rollup_weight_metric_id"]
    session.add(metric)
    session.flush()
    return metric


def adopt_template(session: Session, template_key: str, department: str) -> Metric:
    """Add a metric from the library for a department."""
    template = next((t for t in library(session) if t.key == template_key), None)
    if template is None:
        raise NotFoundError("That metric is not in the library.")
    return create_metric(
        session,
        {
            "name": template.name,
            "definition": template.definition,
            "unit": template.unit,
            "direction": Direction(template.direction),
            "min_value": template.min_value,
            "max_value": template.max_value,
            "frequency": template.frequency,
            "department": department.strip() or template.typical_department,
            "template_key": template.key,
        },
    )


def update_metric(
    session: Session, metric_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Metric:
    """Save a metric unless it changed since the form was loaded."""
    _check(values)
    metric = get_metric(session, metric_id)
    changes = {name: values.get(name) for name in FIELDS}
    for name in ("definition", "unit", "owner"):
        changes[name] = changes[name] or ""
    changes["department"] = resolve(session, changes["department"])
    changes |= _rollup(session, values, metric_id) or {}
    apply_versioned_edit(metric, loaded_version, changes, f"The metric “{metric.name}”")
    session.flush()
    return metric


def delete_metric(session: Session, metric_id: int) -> str:
    """Delete a metric with its goal, measurements and links."""
    metric = get_metric(session, metric_id)
    name = metric.name
    # Metrics it weighed fall back to a plain mean (SQLite has no constraint to do this).
    for weighed in session.scalars(
        select(Metric).where(Metric.rollup_weight_metric_id == metric_id)
    ):
        weighed.rollup_weight_metric_id = None
        weighed.rollup = Rollup.MEAN
    session.delete(metric)
    session.flush()
    return name


def objective_ids(session: Session, metric_id: int) -> set[int]:
    """Return the objectives a metric evidences."""
    return set(
        session.scalars(
            select(MetricObjective.objective_id).where(MetricObjective.metric_id == metric_id)
        )
    )


def objectives_token(ids: set[int]) -> str:
    """Fingerprint of a metric's objective links, to detect concurrent changes."""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]


def set_objectives(session: Session, metric_id: int, loaded_token: str, wanted: set[int]) -> None:
    """Replace the objectives a metric evidences, unless they changed meanwhile."""
    get_metric(session, metric_id)
    current = objective_ids(session, metric_id)
    if loaded_token != objectives_token(current):
        raise StaleEditError(
            "The objectives of this metric",
            {"objectives": len(current)},
            {"objectives": len(wanted)},
            0,
        )
    known = set(session.scalars(select(Objective.id).where(Objective.id.in_(wanted))))
    if wanted - known:
        raise ServiceError("Some chosen objectives no longer exist; reload and choose again.")
    links = {
        link.objective_id: link
        for link in session.scalars(
            select(MetricObjective).where(MetricObjective.metric_id == metric_id)
        )
    }
    for objective_id in wanted - current:
        session.add(MetricObjective(metric_id=metric_id, objective_id=objective_id))
    for objective_id in current - wanted:
        session.delete(links[objective_id])
    session.flush()


def goal_of(session: Session, metric_id: int) -> Goal | None:
    """Return a metric's goal, if set."""
    return session.scalar(select(Goal).where(Goal.metric_id == metric_id))


def _goal_changes(values: dict[str, Any]) -> dict[str, Any]:
    changes = {name: values.get(name) for name in GOAL_FIELDS}
    # Text left out (an older caller, an empty field) is stored empty, never NULL.
    changes["rationale"] = changes["rationale"] or ""
    changes["owner"] = (changes["owner"] or "").strip()
    return changes


def save_goal(
    session: Session, metric_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Goal:
    """Create or update a metric's goal (version 0 means it had none when loaded)."""
    metric = get_metric(session, metric_id)
    for name in ("baseline", "target"):
        value = values.get(name)
        if value is not None and (
            (metric.min_value is not None and value < metric.min_value)
            or (metric.max_value is not None and value > metric.max_value)
        ):
            low = "no minimum" if metric.min_value is None else f"{metric.min_value:g}"
            high = "no maximum" if metric.max_value is None else f"{metric.max_value:g}"
            raise ServiceError(
                f"The {name} must lie within the metric's range ({low} to {high}).", name
            )
    goal = goal_of(session, metric_id)
    if goal is None:
        if loaded_version != 0:
            raise StaleEditError("The goal", {"goal": "deleted"}, dict(values), 0)
        goal = Goal(metric_id=metric_id, **_goal_changes(values))
        session.add(goal)
    else:
        apply_versioned_edit(goal, loaded_version, _goal_changes(values), "The goal")
    session.flush()
    return goal


def delete_goal(session: Session, metric_id: int) -> None:
    """Remove a metric's goal; the metric and its measurements stay."""
    get_metric(session, metric_id)
    goal = goal_of(session, metric_id)
    if goal is None:
        raise NotFoundError("This metric has no goal.")
    session.delete(goal)
    session.flush()


def measurements_of(session: Session, metric_id: int) -> list[Measurement]:
    """Return a metric's measurements, oldest first."""
    return list(
        session.scalars(
            select(Measurement)
            .where(Measurement.metric_id == metric_id)
            .order_by(Measurement.measured_on, Measurement.site_id.is_not(None), Measurement.id)
        )
    )


def preview_import(session: Session, metric_id: int, text: str) -> ImportResult:
    """Parse measurements for a metric without saving them (a `site` column names sites)."""
    metric = get_metric(session, metric_id)
    rows = measurements_of(session, metric_id)
    return parse_measurements(
        text,
        metric.unit,
        metric.min_value,
        metric.max_value,
        [m.measured_on for m in rows if m.site_id is None],
        today=date.today(),
        sites={name.casefold(): i for i, name in session.execute(select(Site.id, Site.name))},
        existing_site_dates=[(m.measured_on, m.site_id) for m in rows if m.site_id is not None],
    )


def record_measurement(
    session: Session,
    metric_id: int,
    measured_on: date | None,
    value: float | None,
    note: str | None = "",
    today: date | None = None,
    site_id: int | None = None,
) -> Measurement:
    """Record one reading of a metric (of one site if given), checked as an imported line is."""
    metric = get_metric(session, metric_id)
    if site_id is not None and (
        isinstance(site_id, bool) or not isinstance(site_id, int) or not session.get(Site, site_id)
    ):
        raise ServiceError("That site no longer exists; choose another.", "site_id")
    if measured_on is None:
        raise ServiceError("Enter the date of the measurement.", "measured_on")
    # A bool is an int to Python but no reading; anything else not a number is refused too.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ServiceError("Enter a plain number such as 42 or -3.5.", "value")
    cleaned = clean_note(note or "")
    taken = session.scalars(
        select(Measurement.measured_on).where(
            Measurement.metric_id == metric_id,
            Measurement.measured_on == measured_on,
            Measurement.site_id.is_(None) if site_id is None else Measurement.site_id == site_id,
        )
    ).all()
    problem = reading_problem(
        measured_on,
        float(value),
        cleaned,
        metric.min_value,
        metric.max_value,
        today or date.today(),
        taken,
    )
    if problem is not None:
        field, text = problem
        raise ServiceError(text[:1].upper() + text[1:], field)
    row = _add(session, metric_id, measured_on, float(value), cleaned, site_id)
    session.flush()
    return row


def _add(
    session: Session, metric_id: int, on: date, value: float, note: str, site: int | None
) -> Measurement:
    # The one place a reading is written, after `reading_problem` has passed it; the caller
    # flushes (once for a whole import).
    row = Measurement(metric_id=metric_id, measured_on=on, value=value, note=note, site_id=site)
    session.add(row)
    return row


def import_measurements(session: Session, metric_id: int, text: str) -> int:
    """Record every measurement in the text, or none if any line is wrong."""
    result = preview_import(session, metric_id, text)
    if not result.ok:
        raise ImportRefusedError(result.errors)
    # Every row passed `reading_problem` in the parse, against the dates already recorded
    # and each other; checking each again would cost a query per line for nothing.
    for row in result.rows:
        _add(session, metric_id, row.on, row.value, row.note, row.site)
    session.flush()
    return len(result.rows)


def delete_measurement(session: Session, metric_id: int, measurement_id: int) -> date:
    """Delete one measurement of a metric; return its date."""
    row = session.get(Measurement, measurement_id)
    if row is None or row.metric_id != metric_id:
        raise NotFoundError("That measurement no longer exists.")
    on = row.measured_on
    session.delete(row)
    session.flush()
    return on


class ImportRefusedError(ServiceError):
    """Some lines of an import are wrong; nothing was imported."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(f"Nothing was imported: {len(problems)} line(s) need fixing.")
        self.problems = problems
