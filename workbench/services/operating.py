"""Phase 3 stakeholders and canvas items, and the operating model canvas that gathers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import (
    CanvasItem,
    Factor,
    FactorCategory,
    Process,
    Stakeholder,
)
from workbench.models.vocabulary import CANVAS_KINDS, STAKEHOLDER_KINDS
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

STAKEHOLDER_FIELDS = ("name", "kind", "interest", "influence", "notes")
CANVAS_FIELDS = ("kind", "title", "description")
QUADRANTS = {
    (True, True): "Manage closely",
    (True, False): "Keep satisfied",
    (False, True): "Keep informed",
    (False, False): "Monitor",
}


def quadrant(interest: int, influence: int) -> str:
    """Name the quadrant of the interest/influence grid; 3 or more counts as high."""
    return QUADRANTS[(influence >= 3, interest >= 3)]


def list_stakeholders(session: Session) -> list[Stakeholder]:
    """Return the stakeholders by name."""
    return list(session.scalars(select(Stakeholder).order_by(func.lower(Stakeholder.name))))


def get_stakeholder(session: Session, stakeholder_id: int) -> Stakeholder:
    """Return a stakeholder or raise NotFoundError."""
    row = session.get(Stakeholder, stakeholder_id)
    if row is None:
        raise NotFoundError("That stakeholder no longer exists.")
    return row


def _check_stakeholder(values: dict[str, Any]) -> None:
    if values.get("kind") not in STAKEHOLDER_KINDS:
        raise ServiceError("Choose person, team, department or external party.", "kind")


def create_stakeholder(session: Session, values: dict[str, Any]) -> Stakeholder:
    """Add a stakeholder."""
    _check_stakeholder(values)
    row = Stakeholder(**{name: values.get(name) for name in STAKEHOLDER_FIELDS})
    row.notes = row.notes or ""
    session.add(row)
    session.flush()
    return row


def update_stakeholder(
    session: Session, stakeholder_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Stakeholder:
    """Save a stakeholder unless it changed since the form was loaded."""
    _check_stakeholder(values)
    row = get_stakeholder(session, stakeholder_id)
    changes = {name: values.get(name) for name in STAKEHOLDER_FIELDS}
    changes["notes"] = changes["notes"] or ""
    apply_versioned_edit(row, loaded_version, changes, f"The stakeholder “{row.name}”")
    session.flush()
    return row


def delete_stakeholder(session: Session, stakeholder_id: int) -> str:
    """Delete a stakeholder (and their RACI roles)."""
    row = get_stakeholder(session, stakeholder_id)
    name = row.name
    session.delete(row)
    session.flush()
    return name


def list_items(session: Session, kind: str) -> list[CanvasItem]:
    """Return the challenges or the opportunities in order."""
    return list(
        session.scalars(
            select(CanvasItem)
            .where(CanvasItem.kind == kind)
            .order_by(CanvasItem.position, CanvasItem.id)
        )
    )


def get_item(session: Session, item_id: int) -> CanvasItem:
    """Return a canvas item or raise NotFoundError."""
    row = session.get(CanvasItem, item_id)
    if row is None:
        raise NotFoundError("That canvas item no longer exists.")
    return row


def create_item(session: Session, values: dict[str, Any]) -> CanvasItem:
    """Add a challenge or an opportunity."""
    if values.get("kind") not in CANVAS_KINDS:
        raise ServiceError("A canvas item is a challenge or an opportunity.", "kind")
    highest = session.scalar(select(func.max(CanvasItem.position)))
    row = CanvasItem(
        **{name: values.get(name) or "" for name in CANVAS_FIELDS}, position=(highest or 0) + 1
    )
    session.add(row)
    session.flush()
    return row


def update_item(
    session: Session, item_id: int, loaded_version: int | None, values: dict[str, Any]
) -> CanvasItem:
    """Save a canvas item unless it changed since the form was loaded."""
    row = get_item(session, item_id)
    changes = {"title": values.get("title") or "", "description": values.get("description") or ""}
    apply_versioned_edit(row, loaded_version, changes, "This canvas item")
    session.flush()
    return row


def delete_item(session: Session, item_id: int) -> None:
    """Delete a canvas item."""
    session.delete(get_item(session, item_id))
    session.flush()


@dataclass(frozen=True)
class Canvas:
    """The operating model on one page."""

    needs: list[Factor]
    drivers: list[Factor]
    environment: list[Factor]
    challenges: list[CanvasItem]
    opportunities: list[CanvasItem]
    processes: list[Process]
    stakeholders: list[Stakeholder]


def canvas(session: Session) -> Canvas:
    """Gather the canvas: Phase 1 factors by kind plus the Phase 3 registers."""
    factors = list(session.scalars(select(Factor).order_by(Factor.importance.desc(), Factor.id)))
    drivers = {FactorCategory.ORGANISATIONAL_DRIVER, FactorCategory.TECHNOLOGY_DRIVER}
    return Canvas(
        needs=[f for f in factors if f.category == FactorCategory.BUSINESS_NEED],
        drivers=[f for f in factors if f.category in drivers],
        environment=[f for f in factors if f.category == FactorCategory.ENVIRONMENTAL_FACTOR],
        challenges=list_items(session, "challenge"),
        opportunities=list_items(session, "opportunity"),
        processes=list(session.scalars(select(Process).order_by(Process.id))),
        stakeholders=list_stakeholders(session),
    )
