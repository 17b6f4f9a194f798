"""Phase 4 communication plans: how each department hears about its metrics and goals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import CommunicationMetric, CommunicationPlan, Metric
from workbench.models.base import utcnow
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.departments import display_name, names, resolve
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = ("department", "audience", "channel", "cadence", "owner", "notes")


def list_plans(session: Session) -> list[CommunicationPlan]:
    """Return the plans by their department's display name."""
    known = names(session)
    plans = session.scalars(select(CommunicationPlan).order_by(CommunicationPlan.id))
    return sorted(plans, key=lambda plan: display_name(known, plan.department).casefold())


def get_plan(session: Session, plan_id: int) -> CommunicationPlan:
    """Return a plan of the session's workspace or raise NotFoundError."""
    plan = session.get(CommunicationPlan, plan_id)
    if plan is None:
        raise NotFoundError("That communication plan no longer exists.")
    return plan


def metric_ids(session: Session, plan_id: int) -> set[int]:
    """Return the metrics a plan carries."""
    return set(
        session.scalars(
            select(CommunicationMetric.metric_id).where(CommunicationMetric.plan_id == plan_id)
        )
    )


def _set_metrics(session: Session, plan_id: int, wanted: set[int]) -> None:
    known = set(session.scalars(select(Metric.id).where(Metric.id.in_(wanted))))
    if wanted - known:
        raise ServiceError("Some chosen metrics no longer exist; reload and choose again.")
    rows = {
        row.metric_id: row
        for row in session.scalars(
            select(CommunicationMetric).where(CommunicationMetric.plan_id == plan_id)
        )
    }
    for metric_id in wanted - rows.keys():
        session.add(CommunicationMetric(plan_id=plan_id, metric_id=metric_id))
    for metric_id in rows.keys() - wanted:
        session.delete(rows[metric_id])


def create_plan(session: Session, values: dict[str, Any], metrics: set[int]) -> CommunicationPlan:
    """Add a communication plan with the metrics it carries."""
    plan = CommunicationPlan(**{name: values.get(name) or "" for name in FIELDS})
    plan.department = resolve(session, plan.department)
    session.add(plan)
    session.flush()
    _set_metrics(session, plan.id, metrics)
    session.flush()
    return plan


def update_plan(
    session: Session,
    plan_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    metrics: set[int],
) -> CommunicationPlan:
    """Save a plan unless it changed since the form was loaded; the metric list bumps it too."""
    plan = get_plan(session, plan_id)
    changes = {name: values.get(name) or "" for name in FIELDS}
    changes["department"] = resolve(session, changes["department"])
    changed = apply_versioned_edit(plan, loaded_version, changes, "This communication plan")
    before = metric_ids(session, plan_id)
    _set_metrics(session, plan_id, metrics)
    if before != metrics and not changed:
        # A change of metrics alone still raises the plan's version, for stale checks.
        plan.updated_at = utcnow()
    session.flush()
    return plan


def delete_plan(session: Session, plan_id: int) -> None:
    """Delete a plan."""
    session.delete(get_plan(session, plan_id))
    session.flush()
