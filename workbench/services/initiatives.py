"""Phase 2 initiatives and their links to factors and each other.

The links to objectives and principles are the cells of the alignment matrices; `matrix`
writes them, whichever page or API call changes one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import (
    Factor,
    Initiative,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeStatus,
)
from workbench.services.alignment import refuse_cycle
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.departments import resolve
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = (
    "title",
    "description",
    "owner",
    "department",
    "status",
    "priority",
    "budget",
    "spend",
    "start_date",
    "end_date",
    "approach",
    "percent_complete",
)
# From these statuses on, the planned dates are a commitment: the first are kept as baseline.
COMMITTED = (InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE)


def list_initiatives(session: Session) -> list[Initiative]:
    """Return the workspace's initiatives in their order."""
    return list(session.scalars(select(Initiative).order_by(Initiative.position, Initiative.id)))


def get_initiative(session: Session, initiative_id: int) -> Initiative:
    """Return an initiative of the session's workspace or raise NotFoundError."""
    initiative = session.get(Initiative, initiative_id)
    if initiative is None:
        raise NotFoundError("That initiative no longer exists; someone may have deleted it.")
    return initiative


def _check(values: dict[str, Any]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ServiceError("The end date is before the start date.", "end_date")


def keep_baseline(initiative: Initiative) -> None:
    """Keep the planned dates as the baseline the first time committed work has any."""
    if initiative.baseline_start is not None or initiative.baseline_end is not None:
        return  # later changes to the plan leave the baseline alone, so the slip shows
    if initiative.status not in COMMITTED:
        return
    if initiative.start_date is None and initiative.end_date is None:
        return
    initiative.baseline_start = initiative.start_date
    initiative.baseline_end = initiative.end_date


def create_initiative(session: Session, values: dict[str, Any]) -> Initiative:
    """Add an initiative at the end of the list."""
    _check(values)
    highest = session.scalar(select(func.max(Initiative.position)))
    initiative = Initiative(**{name: values.get(name) for name in FIELDS})
    for name in ("description", "owner"):
        setattr(initiative, name, getattr(initiative, name) or "")
    initiative.department = resolve(session, values.get("department"))
    initiative.position = (highest or 0) + 1
    keep_baseline(initiative)
    session.add(initiative)
    session.flush()
    return initiative


def update_initiative(
    session: Session, initiative_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Initiative:
    """Save an initiative's fields unless it changed since the form was loaded."""
    _check(values)
    initiative = get_initiative(session, initiative_id)
    changes = {name: values.get(name) for name in FIELDS}
    for name in ("description", "owner"):
        changes[name] = changes[name] or ""
    changes["department"] = resolve(session, changes["department"])
    apply_versioned_edit(
        initiative, loaded_version, changes, f"The initiative “{initiative.title}”"
    )
    keep_baseline(initiative)
    session.flush()
    return initiative


def delete_initiative(session: Session, initiative_id: int) -> str:
    """Delete an initiative and its links."""
    initiative = get_initiative(session, initiative_id)
    title = initiative.title
    session.delete(initiative)
    session.flush()
    return title


def set_factors(session: Session, initiative_id: int, factor_ids: set[int]) -> None:
    """Replace the set of Phase 1 factors an initiative addresses."""
    get_initiative(session, initiative_id)
    known = set(session.scalars(select(Factor.id).where(Factor.id.in_(factor_ids))))
    unknown = factor_ids - known
    if unknown:
        raise ServiceError("Some chosen factors no longer exist; reload and choose again.")
    current = {
        link.factor_id: link
        for link in session.scalars(
            select(InitiativeFactor).where(InitiativeFactor.initiative_id == initiative_id)
        )
    }
    for factor_id in factor_ids - current.keys():
        session.add(InitiativeFactor(initiative_id=initiative_id, factor_id=factor_id))
    for factor_id in current.keys() - factor_ids:
        session.delete(current[factor_id])
    session.flush()


def dependency_pairs(session: Session) -> list[tuple[int, int]]:
    """Return every (initiative, depends on) pair of the workspace."""
    return [
        (row.initiative_id, row.depends_on_id)
        for row in session.scalars(select(InitiativeDependency))
    ]


def add_dependency(session: Session, initiative_id: int, depends_on_id: int) -> None:
    """Record that one initiative depends on another; refuse a cycle, naming it."""
    initiative = get_initiative(session, initiative_id)
    get_initiative(session, depends_on_id)
    if initiative_id == depends_on_id:
        raise ServiceError(f"“{initiative.title}” cannot depend on itself.", "depends_on")
    existing = session.scalar(
        select(InitiativeDependency).where(
            InitiativeDependency.initiative_id == initiative_id,
            InitiativeDependency.depends_on_id == depends_on_id,
        )
    )
    if existing is not None:
        return
    refuse_cycle(session, initiative_id, depends_on_id)
    session.add(InitiativeDependency(initiative_id=initiative_id, depends_on_id=depends_on_id))
    session.flush()


def remove_dependency(session: Session, initiative_id: int, depends_on_id: int) -> None:
    """Remove a dependency if it exists (row by row, so the audit trail records it)."""
    for row in session.scalars(
        select(InitiativeDependency).where(
            InitiativeDependency.initiative_id == initiative_id,
            InitiativeDependency.depends_on_id == depends_on_id,
        )
    ):
        session.delete(row)
    session.flush()
