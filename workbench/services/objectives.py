"""Phase 2 objectives: drawn from the corporate strategy, optionally nested under a parent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.goal_match import already_an_objective
from workbench.models import Objective
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = ("title", "description", "perspective", "parent_id", "owner", "due_date")


def list_objectives(session: Session) -> list[Objective]:
    """Return the workspace's objectives in their order."""
    return list(session.scalars(select(Objective).order_by(Objective.position, Objective.id)))


def get_objective(session: Session, objective_id: int) -> Objective:
    """Return an objective of the session's workspace or raise NotFoundError."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFoundError("That objective no longer exists; someone may have deleted it.")
    return objective


def _check_parent(session: Session, objective_id: int | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    if parent_id == objective_id:
        raise ServiceError("An objective cannot be its own parent.", "parent_id")
    parent = session.get(Objective, parent_id)
    if parent is None:
        raise ServiceError("The chosen parent objective does not exist.", "parent_id")
    # Walk up from the parent: meeting this objective again would make a loop.
    seen = set()
    while parent is not None and parent.id not in seen:
        if parent.id == objective_id:
            raise ServiceError(
                "That parent sits beneath this objective; choose one above it.", "parent_id"
            )
        seen.add(parent.id)
        parent = session.get(Objective, parent.parent_id) if parent.parent_id else None


def create_objective(session: Session, values: dict[str, Any]) -> Objective:
    """Add an objective at the end of the list."""
    _check_parent(session, None, values.get("parent_id"))
    highest = session.scalar(select(func.max(Objective.position)))
    objective = Objective(**{name: values.get(name) for name in FIELDS})
    objective.description = objective.description or ""
    objective.owner = objective.owner or ""
    objective.position = (highest or 0) + 1
    session.add(objective)
    session.flush()
    return objective


def update_objective(
    session: Session, objective_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Objective:
    """Save an objective unless it changed since the form was loaded."""
    objective = get_objective(session, objective_id)
    _check_parent(session, objective_id, values.get("parent_id"))
    changes = {name: values.get(name) for name in FIELDS}
    changes["description"] = changes["description"] or ""
    changes["owner"] = changes["owner"] or ""
    apply_versioned_edit(objective, loaded_version, changes, f"The objective “{objective.title}”")
    session.flush()
    return objective


def delete_objective(session: Session, objective_id: int) -> str:
    """Delete an objective (its links go with it; children lose their parent)."""
    objective = get_objective(session, objective_id)
    title = objective.title
    for child in session.scalars(select(Objective).where(Objective.parent_id == objective_id)):
        child.parent_id = None
    session.delete(objective)
    session.flush()
    return title


def goal_lines(corporate_goals: str) -> list[str]:
    """Return the corporate goals, one per line, as candidate objective titles."""
    return [line.strip(" -*•\t") for line in corporate_goals.splitlines() if line.strip(" -*•\t")]


def goals_not_yet_objectives(corporate_goals: str, titles: list[str]) -> list[str]:
    """The corporate goals no objective says yet, even reworded, as candidate titles."""
    return [
        line
        for line in goal_lines(corporate_goals)
        if len(line) <= 200 and not already_an_objective(line, titles)
    ]
