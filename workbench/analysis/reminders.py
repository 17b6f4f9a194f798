"""Which reminders are owed today, to whom, and under which occurrence they are sent once.

The rules:

* a metric's owner hears when the next reading falls due (from its due day until the
  grace period ends) and once more when the data turns stale, by the cadence rule of
  `workbench.analysis.cadence`; both are keyed by the due day, so each period asks once;
* a goal's owner (its own when set, else its metric's owner) hears when the goal's status
  changes to at risk or to off track, keyed by the status and the day the change was first
  seen;
* an initiative's owner hears when its health changes to late, keyed the same way;
* an owner is a free text: it names a member when it equals, ignoring case and spacing,
  exactly one member's email address or display name. Anything else reaches nobody, and
  is listed for the facilitators to decide who should receive it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr
from enum import StrEnum

from workbench.analysis.cadence import Freshness, cadence
from workbench.analysis.dates import format_date


class Kind(StrEnum):
    """A kind of reminder; each can be turned off on its own."""

    METRIC_DUE = "metric_due"
    METRIC_OVERDUE = "metric_overdue"
    GOAL_STATUS = "goal_status"
    INITIATIVE_LATE = "initiative_late"


KIND_LABELS = {
    Kind.METRIC_DUE: "A metric I own is due for a new reading",
    Kind.METRIC_OVERDUE: "A metric I own has had no reading since it fell due",
    Kind.GOAL_STATUS: "A goal of a metric I own turns at risk or off track",
    Kind.INITIATIVE_LATE: "An initiative I own turns late",
}

# Goal statuses worth a message when a goal turns to them.
GOAL_ALERTS = ("at_risk", "off_track")
LATE = "late"


@dataclass(frozen=True)
class Member:
    """A person who can receive reminders in a workspace."""

    user_id: int
    email: str
    name: str


@dataclass(frozen=True)
class Resolution:
    """Whom an owner text names, or why it names nobody."""

    member: Member | None
    reason: str


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_owner(owner: str, members: Sequence[Member]) -> Resolution:
    """Find the one member an owner text names, by email address or by display name."""
    wanted = _normal(owner)
    if not wanted:
        return Resolution(None, "No owner is recorded.")
    # "Ana Analyst <ana@example.org>" names the address inside the brackets.
    _display, address = parseaddr(owner.strip())
    for candidate in {wanted, _normal(address)} - {""}:
        by_email = [m for m in members if _normal(m.email) == candidate]
        if len(by_email) == 1:
            return Resolution(by_email[0], "")
    by_name = [m for m in members if _normal(m.name) == wanted]
    if not by_name and "," in owner:
        # "Dana Demo, group operations director": a name, then the role after a comma.
        named = _normal(owner.split(",", 1)[0])
        by_name = [m for m in members if named and _normal(m.name) == named]
    if len(by_name) == 1:
        return Resolution(by_name[0], "")
    if by_name:
        return Resolution(
            None, f"{len(by_name)} members are called this; write the email address instead."
        )
    return Resolution(None, "No member of the workspace has this name or email address.")


@dataclass(frozen=True)
class MetricFacts:
    """What the due rule needs of a metric."""

    id: int
    name: str
    owner: str
    frequency: str
    latest: date | None


@dataclass(frozen=True)
class Owed:
    """One reminder owed today: its kind, occurrence, subject and the sentence it carries."""

    kind: Kind
    occurrence: str
    subject_id: int
    title: str
    owner: str
    detail: str


def metric_reminder(metric: MetricFacts, today: date) -> Owed | None:
    """The reminder a metric's owner is owed today, if any (due, or overdue once stale)."""
    judged = cadence(metric.latest, metric.frequency, today)
    due_on = judged.due_on
    if due_on is None or metric.latest is None:
        return None
    if judged.freshness is Freshness.DUE:
        return Owed(
            Kind.METRIC_DUE,
            f"metric-due:{metric.id}:{due_on.isoformat()}",
            metric.id,
            metric.name,
            metric.owner,
            f"The next reading of this {metric.frequency} metric is due on "
            f"{format_date(due_on)}; the latest is from {format_date(metric.latest)}.",
        )
    if judged.freshness is Freshness.STALE:
        return Owed(
            Kind.METRIC_OVERDUE,
            f"metric-overdue:{metric.id}:{due_on.isoformat()}",
            metric.id,
            metric.name,
            metric.owner,
            f"A reading was due on {format_date(due_on)} and none has been recorded since "
            f"{format_date(metric.latest)}, so its data now counts as out of date.",
        )
    return None


@dataclass(frozen=True)
class Seen:
    """A status as reminders last recorded it, and the day it was first seen."""

    status: str
    since: date


def observe(previous: Seen | None, status: str, today: date) -> Seen:
    """The status to record today: unchanged keeps its day, a change starts from today."""
    if previous is not None and previous.status == status:
        return previous
    return Seen(status, today)


def goal_owner(own: str, metric_owner: str) -> str:
    """The owner a goal's reminders go to: the goal's own when set, else its metric's."""
    return own.strip() or metric_owner


def goal_reminder(
    goal_id: int, metric_name: str, owner: str, seen: Seen, reason: str
) -> Owed | None:
    """The reminder owed for a goal whose status is `seen`, if that status is an alert."""
    if seen.status not in GOAL_ALERTS:
        return None
    words = "at risk" if seen.status == "at_risk" else "off track"
    return Owed(
        Kind.GOAL_STATUS,
        f"goal-status:{goal_id}:{seen.status}:{seen.since.isoformat()}",
        goal_id,
        metric_name,
        owner,
        f"The goal has been {words} since {format_date(seen.since)}. {reason}".strip(),
    )


def initiative_reminder(
    initiative_id: int, name: str, owner: str, seen: Seen, reason: str
) -> Owed | None:
    """The reminder owed for an initiative whose health is `seen`, if it is late."""
    if seen.status != LATE:
        return None
    return Owed(
        Kind.INITIATIVE_LATE,
        f"initiative-late:{initiative_id}:{seen.since.isoformat()}",
        initiative_id,
        name,
        owner,
        f"The initiative has been late since {format_date(seen.since)}. {reason}".strip(),
    )
