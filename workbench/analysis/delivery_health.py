"""How far each initiative has gone, when it will end at the rate so far, and its health.

The rules, each giving a sentence that says why:

* percentage complete: the share of its milestones done when it has milestones, otherwise
  the figure the team entered, otherwise unknown;
* forecast end: for running work with progress, the rate so far projected (the days since
  the start, divided by the share done); otherwise the planned end, or today when the
  planned end has already passed; no planned end and no rate give no forecast;
* slip: the current start and end against the baseline, in days (later is positive);
* health: late when the delivery flags call it late; at risk when the forecast end falls
  after the planned or baseline end, a milestone is overdue, it has not started when due,
  it is over budget, it is planned to start before a prerequisite ends or it depends on
  dropped work (either way its dates cannot hold); on track otherwise. Done and dropped
  work have no health.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.analysis.alignment_records import DROPPED, InitiativeRecord, MilestoneRecord
from workbench.analysis.dates import format_date
from workbench.analysis.delivery import (
    BEFORE_PREREQUISITE,
    DONE,
    LATE,
    MILESTONE_OVERDUE,
    NOT_STARTED,
    ON_DROPPED_WORK,
    OVERSPENT,
    DeliveryFlag,
)

IN_PROGRESS = "in_progress"

ON_TRACK = "on_track"
AT_RISK = "at_risk"
HEALTH_LABELS = {ON_TRACK: "On track", AT_RISK: "At risk", LATE: "Late"}

# Where a percentage complete comes from.
FROM_MILESTONES = "milestones"
ENTERED = "entered"
UNKNOWN = "unknown"

# The flags that put work at risk, in the order their reasons are given.
RISK_FLAGS = (MILESTONE_OVERDUE, NOT_STARTED, OVERSPENT, BEFORE_PREREQUISITE, ON_DROPPED_WORK)


@dataclass(frozen=True)
class Completion:
    """How much of the work is done, where the figure comes from, and a sentence saying so."""

    percent: int | None
    source: str  # milestones, entered or unknown
    reason: str


@dataclass(frozen=True)
class Forecast:
    """The day the work is expected to end (None when nothing supports a forecast), and why."""

    end: date | None
    reason: str


@dataclass(frozen=True)
class DeliveryHealth:
    """An initiative's progress, forecast end, slip against its baseline, and health."""

    initiative_id: int
    completion: Completion
    forecast: Forecast
    start_slip: int | None  # days the start moved since the baseline; later is positive
    end_slip: int | None
    health: str | None  # on_track, at_risk or late; None for done and dropped work
    reason: str
    # The sentence on a forecast running past the planned or baseline end ("" when it does
    # not): the one reason for risk that no delivery flag gives.
    forecast_risk: str = ""
    # The kinds of the delivery flags whose reasons `reason` already gives.
    explained: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The health as a table cell shows it ("" for done and dropped work)."""
        return HEALTH_LABELS.get(self.health or "", "")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def completion(record: InitiativeRecord, milestones: Sequence[MilestoneRecord]) -> Completion:
    """The share of the work done: milestones decide when there are any, else the entered figure."""
    if milestones:
        done = sum(1 for m in milestones if m.done is not None)
        percent = round(done * 100 / len(milestones))
        return Completion(
            percent,
            FROM_MILESTONES,
            f"{done} of {_plural(len(milestones), 'milestone', 'milestones')} done.",
        )
    if record.percent_complete is not None:
        percent = round(record.percent_complete)
        return Completion(percent, ENTERED, f"{percent}% as entered for the initiative.")
    return Completion(None, UNKNOWN, "Not known: no milestones and no percentage entered.")


def forecast(record: InitiativeRecord, done: Completion, today: date) -> Forecast:
    """When the work will end: the rate so far for running work, else the planned end."""
    if record.status == DONE:
        return Forecast(None, "Done: nothing left to forecast.")
    if record.status == DROPPED:
        return Forecast(None, "Dropped: nothing left to forecast.")
    percent = done.percent
    running = record.status == IN_PROGRESS and record.start is not None and record.start < today
    if running and percent is not None and percent > 0 and record.start is not None:
        elapsed = (today - record.start).days
        if percent >= 100:
            return Forecast(today, "All its work is recorded as complete, so it can end today.")
        end = record.start + timedelta(days=math.ceil(elapsed * 100 / percent))
        return Forecast(
            end,
            f"{percent}% done in the {_plural(elapsed, 'day', 'days')} since it started on "
            f"{format_date(record.start)}; at that rate it ends on {format_date(end)}.",
        )
    if record.end is None:
        return Forecast(None, "No planned end and no rate of progress to project.")
    if record.end < today:
        return Forecast(
            today,
            f"The planned end, {format_date(record.end)}, has passed with the work unfinished, "
            "so today is the earliest it can end.",
        )
    if record.status == IN_PROGRESS:
        why = "no progress recorded yet to project"
    else:
        why = "it has not started, so there is no rate of progress yet"
    return Forecast(record.end, f"The planned end, {format_date(record.end)}: {why}.")


def _slip(planned: date | None, baseline: date | None) -> int | None:
    if planned is None or baseline is None:
        return None
    return (planned - baseline).days


def _after(forecast_end: date, limit: date, what: str) -> str:
    days = (forecast_end - limit).days
    return (
        f"Forecast to end on {format_date(forecast_end)}, {_plural(days, 'day', 'days')} after "
        f"the {what} of {format_date(limit)}."
    )


def _forecast_risk(record: InitiativeRecord, expected: Forecast) -> str:
    end = expected.end
    if record.status in (DONE, DROPPED) or end is None:
        return ""
    if record.end is not None and end > record.end:
        return _after(end, record.end, "planned end")
    if record.baseline_end is not None and end > record.baseline_end:
        return _after(end, record.baseline_end, "baseline end")
    return ""


def _judge(
    record: InitiativeRecord, flags: Sequence[DeliveryFlag], expected: Forecast, risk: str
) -> tuple[str | None, str, tuple[str, ...]]:
    """The health, its reason, and the kinds of the flags whose reasons that sentence gives."""
    if record.status == DONE:
        return None, "Done: delivered work has no health to judge.", ()
    if record.status == DROPPED:
        return None, "Dropped: no longer part of the programme.", ()
    late = [flag.reason for flag in flags if flag.kind == LATE]
    if late:
        return LATE, " ".join(late), (LATE,)
    end = expected.end
    reasons = [risk] if risk else []
    explained = tuple(kind for kind in RISK_FLAGS if any(flag.kind == kind for flag in flags))
    for kind in explained:
        reasons += [flag.reason for flag in flags if flag.kind == kind]
    if reasons:
        return AT_RISK, " ".join(reasons), explained
    if end is not None:
        return (
            ON_TRACK,
            (
                f"Nothing overdue, over budget or planned against its dependencies, and forecast "
                f"to end on {format_date(end)}, within its planned end."
            ),
            (),
        )
    return ON_TRACK, "Nothing overdue, over budget or planned against its dependencies.", ()


def assess(
    record: InitiativeRecord,
    milestones: Sequence[MilestoneRecord],
    flags: Sequence[DeliveryFlag],
    today: date,
) -> DeliveryHealth:
    """One initiative's progress, forecast, slip and health, given its delivery flags."""
    done = completion(record, milestones)
    expected = forecast(record, done, today)
    risk = _forecast_risk(record, expected)
    health, reason, explained = _judge(record, flags, expected, risk)
    return DeliveryHealth(
        initiative_id=record.id,
        completion=done,
        forecast=expected,
        start_slip=_slip(record.start, record.baseline_start),
        end_slip=_slip(record.end, record.baseline_end),
        health=health,
        reason=reason,
        forecast_risk=risk if health == AT_RISK else "",
        explained=explained,
    )


def assess_all(
    initiatives: Sequence[InitiativeRecord],
    milestones: Sequence[MilestoneRecord],
    flags: Mapping[int, Sequence[DeliveryFlag]],
    today: date,
) -> dict[int, DeliveryHealth]:
    """Every initiative's delivery health, by id; `flags` are plan_delivery's flags."""
    steps: dict[int, list[MilestoneRecord]] = {}
    for milestone in milestones:
        steps.setdefault(milestone.initiative_id, []).append(milestone)
    return {
        record.id: assess(record, steps.get(record.id, []), flags.get(record.id, ()), today)
        for record in initiatives
    }
