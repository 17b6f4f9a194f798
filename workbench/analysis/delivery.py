"""Delivery health of initiatives as of a day: what is late, what has not started, what
is scheduled against its prerequisites, and the waves of the work still to do.

The rules, each a flag with its reason:

* late: the end date has passed and the initiative is not done;
* not started: the start date has passed and the initiative is still proposed or approved;
* before a prerequisite: it starts before an initiative it depends on ends;
* done too early: it is done while an initiative it depends on is not;
* on dropped work: it depends on an initiative that was dropped;
* overspent: spend exceeds budget;
* milestone overdue: a milestone's due date has passed and it is not done (one flag per
  milestone, naming it).

Dropped initiatives carry no flags and take no part in the waves. Done initiatives are
delivered: they satisfy the dependencies of others and sit in no wave, so a wave always
means work still to come. Wave 1 holds the remaining work whose prerequisites are all
delivered (or dropped, which the flags report); each later wave waits on an earlier one.
Dependency loops are refused when they are saved (see roadmap.py); one that arrives
anyway leaves the waves empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import networkx as nx

from workbench.analysis.alignment_records import (
    DROPPED,
    Dependency,
    InitiativeRecord,
    MilestoneRecord,
)
from workbench.analysis.dates import format_date

DONE = "done"
NOT_YET_STARTED = ("proposed", "approved")

LATE = "late"
NOT_STARTED = "not_started"
BEFORE_PREREQUISITE = "before_prerequisite"
DONE_TOO_EARLY = "done_too_early"
ON_DROPPED_WORK = "on_dropped_work"
OVERSPENT = "overspent"
MILESTONE_OVERDUE = "milestone_overdue"

FLAG_LABELS = {
    LATE: "Late",
    NOT_STARTED: "Not started",
    BEFORE_PREREQUISITE: "Starts before a prerequisite ends",
    DONE_TOO_EARLY: "Done before a prerequisite",
    ON_DROPPED_WORK: "Depends on dropped work",
    OVERSPENT: "Over budget",
    MILESTONE_OVERDUE: "Milestone overdue",
}


@dataclass(frozen=True)
class DeliveryFlag:
    """One thing wrong with an initiative's delivery, with a sentence saying why."""

    kind: str
    initiative_id: int
    reason: str

    @property
    def label(self) -> str:
        """A short name for the flag, for a table cell."""
        return FLAG_LABELS[self.kind]


@dataclass(frozen=True)
class DeliveryPlan:
    """The flags of every initiative and the waves of the work still to do."""

    flags: dict[int, tuple[DeliveryFlag, ...]]
    delivered: tuple[int, ...]
    waves: tuple[tuple[int, ...], ...]

    def count(self, kind: str) -> int:
        """How many initiatives carry a flag of this kind."""
        return sum(1 for flags in self.flags.values() if any(f.kind == kind for f in flags))

    @property
    def flagged(self) -> int:
        """How many initiatives carry any flag."""
        return sum(1 for flags in self.flags.values() if flags)


def _days(first: date, second: date) -> int:
    return abs((second - first).days)


def _own_flags(record: InitiativeRecord, today: date, currency: str) -> list[DeliveryFlag]:
    flags = []
    if record.end and record.end < today and record.status != DONE:
        flags.append(
            DeliveryFlag(
                LATE,
                record.id,
                f"Was due to end on {format_date(record.end)}, {_days(record.end, today)} days "
                f"ago, and is still {record.status.replace('_', ' ')}.",
            )
        )
    if record.start and record.start < today and record.status in NOT_YET_STARTED:
        spent = " with nothing spent" if not record.spend else ""
        flags.append(
            DeliveryFlag(
                NOT_STARTED,
                record.id,
                f"Was due to start on {format_date(record.start)}, {_days(record.start, today)} "
                f"days ago, and is still {record.status}{spent}.",
            )
        )
    if record.budget is not None and record.spend is not None and record.spend > record.budget:
        flags.append(
            DeliveryFlag(
                OVERSPENT,
                record.id,
                f"Has spent {currency} {record.spend:,.0f} of a budget of "
                f"{currency} {record.budget:,.0f}.",
            )
        )
    return flags


def _milestone_flags(
    record: InitiativeRecord, milestones: Sequence[MilestoneRecord], today: date
) -> list[DeliveryFlag]:
    # Done work has delivered what its milestones stood for, even if nobody ticked them.
    if record.status == DONE:
        return []
    return [
        DeliveryFlag(
            MILESTONE_OVERDUE,
            record.id,
            f"The milestone “{milestone.title}” was due on {format_date(milestone.due)}, "
            f"{_days(milestone.due, today)} days ago, and is not done.",
        )
        for milestone in sorted(milestones, key=lambda m: (m.due, m.id))
        if milestone.done is None and milestone.due < today
    ]


def _dependency_flags(
    record: InitiativeRecord, prerequisite: InitiativeRecord
) -> list[DeliveryFlag]:
    if prerequisite.status == DROPPED:
        return [
            DeliveryFlag(
                ON_DROPPED_WORK,
                record.id,
                f"Depends on “{prerequisite.title}”, which was dropped.",
            )
        ]
    flags = []
    if record.status == DONE and prerequisite.status != DONE:
        flags.append(
            DeliveryFlag(
                DONE_TOO_EARLY,
                record.id,
                f"Is done although it depends on “{prerequisite.title}”, which is "
                f"{prerequisite.status.replace('_', ' ')}.",
            )
        )
    elif record.start and prerequisite.end and record.start < prerequisite.end:
        flags.append(
            DeliveryFlag(
                BEFORE_PREREQUISITE,
                record.id,
                f"Starts on {format_date(record.start)}, before “{prerequisite.title}”, which it "
                f"depends on, ends on {format_date(prerequisite.end)}.",
            )
        )
    return flags


def plan_delivery(
    initiatives: Sequence[InitiativeRecord],
    dependencies: Sequence[Dependency],
    today: date,
    currency: str,
    milestones: Sequence[MilestoneRecord] = (),
) -> DeliveryPlan:
    """Flag every initiative's delivery as of `today` and group the remaining work in waves."""
    by_id = {record.id: record for record in initiatives}
    steps: dict[int, list[MilestoneRecord]] = {}
    for milestone in milestones:
        steps.setdefault(milestone.initiative_id, []).append(milestone)
    flags: dict[int, list[DeliveryFlag]] = {
        record.id: _own_flags(record, today, currency)
        + _milestone_flags(record, steps.get(record.id, ()), today)
        for record in initiatives
        if record.status != DROPPED
    }
    for link in sorted(dependencies, key=lambda d: (d.initiative_id, d.depends_on_id)):
        record, prerequisite = by_id.get(link.initiative_id), by_id.get(link.depends_on_id)
        if record is None or prerequisite is None or record.status == DROPPED:
            continue
        flags[record.id].extend(_dependency_flags(record, prerequisite))
    remaining = [r.id for r in initiatives if r.status not in (DONE, DROPPED)]
    graph = nx.DiGraph()
    graph.add_nodes_from(remaining)
    graph.add_edges_from(
        (link.depends_on_id, link.initiative_id)
        for link in dependencies
        if link.depends_on_id in graph and link.initiative_id in graph
    )
    order = {record.id: index for index, record in enumerate(initiatives)}
    try:
        waves = tuple(
            tuple(sorted(wave, key=lambda i: (by_id[i].start or date.max, order[i])))
            for wave in nx.topological_generations(graph)
        )
    except nx.NetworkXUnfeasible:
        # A loop that reached the database from outside the forms: the pages name it (see
        # roadmap.py), and the flags still hold, so there are no waves rather than an error.
        waves = ()
    return DeliveryPlan(
        flags={key: tuple(value) for key, value in flags.items()},
        delivered=tuple(r.id for r in initiatives if r.status == DONE),
        waves=waves,
    )
