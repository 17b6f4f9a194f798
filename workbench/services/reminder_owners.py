"""Owners that name nobody: the metrics, goals and initiatives whose reminders reach no one.

An owner is free text; reminders go to the member it names (see
`workbench.analysis.reminders.resolve_owner`). The facilitators see every owner that names
nobody, with what it owns and why, so someone decides who should receive those reminders
instead of their being dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.reminders import resolve_owner
from workbench.models import Goal, Initiative, InitiativeStatus, Metric
from workbench.services.reminder_plan import members

# Finished and dropped work is owed no reminder, so its owner needs no decision.
CLOSED = (InitiativeStatus.DONE, InitiativeStatus.DROPPED)


@dataclass(frozen=True)
class Owned:
    """A metric (with its goal unless the goal names its own owner), a goal or an initiative
    an owner text stands for."""

    kind: str  # metric, goal or initiative
    id: int  # a goal is known by its metric's id, the page it is set on
    title: str


@dataclass(frozen=True)
class OwnerGap:
    """An owner text that names no member: why, and what it owns."""

    owner: str
    reason: str
    items: tuple[Owned, ...]


def owner_gaps(session: Session) -> list[OwnerGap]:
    """Every owner in the session's workspace that names nobody, blank owners first."""
    people = members(session)
    owned: dict[str, list[Owned]] = {}
    shown: dict[str, str] = {}

    def add(owner: str, item: Owned) -> None:
        key = " ".join(owner.split()).casefold()
        shown.setdefault(key, owner.strip())
        owned.setdefault(key, []).append(item)

    metrics = session.execute(select(Metric.id, Metric.name, Metric.owner).order_by(Metric.name))
    for metric_id, name, owner in metrics:
        add(owner, Owned("metric", metric_id, name))
    # A goal with an owner of its own; an empty one is its metric's, listed above.
    goals = session.execute(
        select(Goal.metric_id, Metric.name, Goal.owner)
        .join(Metric, Metric.id == Goal.metric_id)
        .where(func.trim(Goal.owner) != "")
        .order_by(Metric.name)
    )
    for metric_id, name, owner in goals:
        add(owner, Owned("goal", metric_id, name))
    work = session.execute(
        select(Initiative.id, Initiative.title, Initiative.owner)
        .where(Initiative.status.not_in(CLOSED))
        .order_by(Initiative.title)
    )
    for initiative_id, title, owner in work:
        add(owner, Owned("initiative", initiative_id, title))
    gaps = []
    for key, items in owned.items():
        resolution = resolve_owner(shown[key], people)
        if resolution.member is None:
            gaps.append(OwnerGap(shown[key], resolution.reason, tuple(items)))
    return sorted(gaps, key=lambda gap: (gap.owner != "", gap.owner.casefold()))
