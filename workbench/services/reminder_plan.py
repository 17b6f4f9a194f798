"""What reminders are owed today in each workspace, read the way the workspace's pages read.

The list of workspaces is read across workspaces on purpose (the scheduler serves them
all); each workspace is then read under its own scope, so nothing of one workspace can
reach another's reminders.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import reminders as rules
from workbench.analysis.reminders import Member, Owed, Resolution, Seen
from workbench.models import Membership, ReminderState, User, Workspace
from workbench.models.vocabulary import DEFAULT_CURRENCY
from workbench.services import scorecards
from workbench.services.alignment import gather
from workbench.services.delivery_views import delivery
from workbench.services.tenancy import scope_session, system_access
from workbench.services.workshop_join import GUEST_EMAIL_DOMAIN

GOAL, INITIATIVE = "goal", "initiative"


class Links(Protocol):
    """Where a reminder's links point (built by the caller, which knows the site's address)."""

    def metric(self, workspace_id: int, metric_id: int) -> str:
        """The page of a metric."""
        ...

    def goal(self, workspace_id: int, metric_id: int) -> str:
        """The goal on its metric's page."""
        ...

    def initiative(self, workspace_id: int, initiative_id: int) -> str:
        """The page of an initiative."""
        ...

    def unsubscribe(self, token: str) -> str:
        """The one-click unsubscribe page of a token."""
        ...

    def preferences(self) -> str:
        """The account's reminder settings."""
        ...


@dataclass(frozen=True)
class Due:
    """A reminder owed in a workspace, with whom its owner names and the page it links to."""

    workspace_id: int
    workspace: str
    owed: Owed
    resolution: Resolution
    link: str


@dataclass(frozen=True)
class StateChange:
    """A goal's status or an initiative's health that differs from what was last stored."""

    workspace_id: int
    subject: str
    subject_id: int
    previous: Seen | None
    seen: Seen


def members(session: Session) -> list[Member]:
    """The people of the session's workspace who can receive mail (no guests, no closed
    or unconfirmed accounts)."""
    rows = session.execute(
        select(User.id, User.email, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(User.is_active_account.is_(True), User.email_confirmed.is_(True))
        .order_by(User.id)
    )
    return [
        Member(user_id, email, name)
        for user_id, email, name in rows
        if not email.endswith("@" + GUEST_EMAIL_DOMAIN)
    ]


def _states(session: Session) -> dict[tuple[str, int], Seen]:
    rows = session.scalars(select(ReminderState))
    return {(row.subject, row.subject_id): Seen(row.status, row.since) for row in rows}


def plan_workspace(
    session: Session, workspace_id: int, name: str, today: date, links: Links
) -> tuple[list[Due], list[StateChange]]:
    """The reminders owed today in the session's workspace, and the statuses that changed."""
    people = members(session)
    seen_before = _states(session)
    due: list[Due] = []
    changes: list[StateChange] = []

    def add(owed: Owed | None, link: str) -> None:
        if owed is not None:
            resolution = rules.resolve_owner(owed.owner, people)
            due.append(Due(workspace_id, name, owed, resolution, link))

    def observe(subject: str, subject_id: int, status: str) -> Seen:
        previous = seen_before.get((subject, subject_id))
        seen = rules.observe(previous, status, today)
        if seen != previous:
            changes.append(StateChange(workspace_id, subject, subject_id, previous, seen))
        return seen

    for card in scorecards.cards(session, today):
        metric = card.metric
        latest = max((row.measured_on for row in card.measurements), default=None)
        facts = rules.MetricFacts(metric.id, metric.name, metric.owner, metric.frequency, latest)
        add(rules.metric_reminder(facts, today), links.metric(workspace_id, metric.id))
        if card.goal is not None:
            seen = observe(GOAL, card.goal.id, card.status_key)
            reason = card.status.reason if card.status is not None else ""
            owner = rules.goal_owner(card.goal.owner, metric.owner)
            owed = rules.goal_reminder(card.goal.id, metric.name, owner, seen, reason)
            add(owed, links.goal(workspace_id, metric.id))
    data = gather(session)
    health = delivery(data, today, DEFAULT_CURRENCY)
    for record in data.initiatives:
        judged = health[record.id].health
        seen = observe(INITIATIVE, record.id, judged.health or "none")
        owed = rules.initiative_reminder(record.id, record.title, record.owner, seen, judged.reason)
        add(owed, links.initiative(workspace_id, record.id))
    return due, changes


@contextmanager
def scope_kept(session: Session) -> Iterator[None]:
    """Run a block that changes the session's scope, and put the scope back after it."""
    saved = dict(session.info)
    try:
        yield
    finally:
        session.info.clear()
        session.info.update(saved)


def plan_all(session: Session, today: date, links: Links) -> tuple[list[Due], list[StateChange]]:
    """Every workspace's reminders owed today, each read under its own workspace's scope."""
    due: list[Due] = []
    changes: list[StateChange] = []
    with scope_kept(session):
        with system_access(session):
            spaces = session.execute(select(Workspace.id, Workspace.name).order_by(Workspace.id))
            listed = [(row.id, row.name) for row in spaces]
        for workspace_id, name in listed:
            scope_session(session, workspace_id)
            found, changed = plan_workspace(session, workspace_id, name, today, links)
            due += found
            changes += changed
    return due, changes
