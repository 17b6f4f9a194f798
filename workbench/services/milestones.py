"""An initiative's milestones: add, change, mark done and delete, always within one initiative."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Milestone
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.initiatives import get_initiative

FIELDS = ("title", "due_date", "done_date", "owner")


def list_milestones(session: Session, initiative_id: int) -> list[Milestone]:
    """Return an initiative's milestones by due date."""
    get_initiative(session, initiative_id)
    return list(
        session.scalars(
            select(Milestone)
            .where(Milestone.initiative_id == initiative_id)
            .order_by(Milestone.due_date, Milestone.position, Milestone.id)
        )
    )


def get_milestone(session: Session, initiative_id: int, milestone_id: int) -> Milestone:
    """Return one of the initiative's milestones or raise NotFoundError."""
    milestone = session.get(Milestone, milestone_id)
    # A milestone of another initiative is as unknown here as one that never existed.
    if milestone is None or milestone.initiative_id != initiative_id:
        raise NotFoundError("That milestone no longer exists; someone may have deleted it.")
    return milestone


def _check(values: dict[str, Any], today: date) -> None:
    done = values.get("done_date")
    if done is not None and done > today:
        raise ServiceError(
            "A milestone cannot be done on a day still to come; leave it open until then.",
            "done_date",
        )


def create_milestone(
    session: Session, initiative_id: int, values: dict[str, Any], today: date
) -> Milestone:
    """Add a milestone to an initiative."""
    get_initiative(session, initiative_id)
    _check(values, today)
    highest = session.scalar(
        select(func.max(Milestone.position)).where(Milestone.initiative_id == initiative_id)
    )
    milestone = Milestone(
        initiative_id=initiative_id,
        title=values["title"],
        due_date=values["due_date"],
        done_date=values.get("done_date"),
        owner=values.get("owner") or "",
        position=(highest or 0) + 1,
    )
    session.add(milestone)
    session.flush()
    return milestone


def update_milestone(
    session: Session,
    initiative_id: int,
    milestone_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    today: date,
) -> Milestone:
    """Save a milestone's fields unless someone changed the same fields since it was loaded."""
    milestone = get_milestone(session, initiative_id, milestone_id)
    _check(values, today)
    changes = {name: values.get(name) for name in FIELDS}
    changes["owner"] = changes["owner"] or ""
    apply_versioned_edit(milestone, loaded_version, changes, f"The milestone “{milestone.title}”")
    session.flush()
    return milestone


def mark_done(
    session: Session,
    initiative_id: int,
    milestone_id: int,
    loaded_version: int | None,
    today: date,
) -> Milestone:
    """Record a milestone as done today (a done milestone keeps the day it was done)."""
    milestone = get_milestone(session, initiative_id, milestone_id)
    if milestone.done_date is None:
        apply_versioned_edit(
            milestone, loaded_version, {"done_date": today}, f"The milestone “{milestone.title}”"
        )
        session.flush()
    return milestone


def delete_milestone(session: Session, initiative_id: int, milestone_id: int) -> str:
    """Delete a milestone; return its title."""
    milestone = get_milestone(session, initiative_id, milestone_id)
    title = milestone.title
    session.delete(milestone)
    session.flush()
    return title
