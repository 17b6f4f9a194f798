"""The customer engagement journey: friction points per stage and their digital answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import FrictionPoint, JourneyStage
from workbench.models.vocabulary import CHANNELS, STAGES
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.tenancy import system_access

EDITABLE_FIELDS = ("stage_key", "description", "severity", "channel", "digital_opportunity")


@dataclass(frozen=True)
class StageView:
    """A stage with its friction points and heat (the sum of their severities)."""

    key: str
    name: str
    description: str
    typical_friction: str
    typical_opportunity: str
    points: tuple[FrictionPoint, ...]
    heat: int
    worst: int


def stage_keys() -> set[str]:
    """Return the keys of the six stages."""
    return {key for key, _ in STAGES}


def _check(values: dict[str, Any]) -> None:
    if values.get("stage_key") not in stage_keys():
        raise ServiceError("Choose one of the six journey stages.", "stage_key")
    if values.get("channel") not in {key for key, _ in CHANNELS}:
        raise ServiceError("Choose a channel from the list.", "channel")


def add_friction(session: Session, values: dict[str, Any]) -> FrictionPoint:
    """Record a friction point at a stage."""
    _check(values)
    highest = session.scalar(
        select(func.max(FrictionPoint.position)).where(
            FrictionPoint.stage_key == values["stage_key"]
        )
    )
    point = FrictionPoint(
        **{name: values[name] for name in EDITABLE_FIELDS}, position=(highest or 0) + 1
    )
    session.add(point)
    session.flush()
    return point


def get_friction(session: Session, point_id: int) -> FrictionPoint:
    """Return a friction point of the session's workspace or raise NotFoundError."""
    point = session.get(FrictionPoint, point_id)
    if point is None:
        raise NotFoundError("That friction point no longer exists.")
    return point


def update_friction(
    session: Session, point_id: int, loaded_version: int | None, values: dict[str, Any]
) -> FrictionPoint:
    """Save a friction point unless it changed since the form was loaded."""
    _check(values)
    point = get_friction(session, point_id)
    changes = {name: values[name] for name in EDITABLE_FIELDS}
    apply_versioned_edit(point, loaded_version, changes, "This friction point")
    session.flush()
    return point


def delete_friction(session: Session, point_id: int) -> None:
    """Delete a friction point."""
    session.delete(get_friction(session, point_id))
    session.flush()


def journey(session: Session) -> list[StageView]:
    """Return the six stages in order with their friction points, worst first."""
    with system_access(session):
        seeded = {row.key: row for row in session.scalars(select(JourneyStage))}
    points = list(
        session.scalars(
            select(FrictionPoint).order_by(
                FrictionPoint.severity.desc(), FrictionPoint.position, FrictionPoint.id
            )
        )
    )
    views = []
    for key, name in STAGES:
        row = seeded.get(key)
        mine = tuple(p for p in points if p.stage_key == key)
        views.append(
            StageView(
                key=key,
                name=row.name if row else name,
                description=row.description if row else "",
                typical_friction=row.typical_friction if row else "",
                typical_opportunity=row.typical_opportunity if row else "",
                points=mine,
                heat=sum(p.severity for p in mine),
                worst=max((p.severity for p in mine), default=0),
            )
        )
    return views
