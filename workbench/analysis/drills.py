"""Recovery drills judged against their scenario's own targets: verdicts, trends and gaps.

Pure rules: plain records in, frozen values out. A drill is met when the failure was
detected, the customer was reached within the scenario's target response time (or, when
the scenario sets none, within the 15 minutes good programmes reach), and any compensation
above the scenario's escalation limit went to a manager.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

# DOMAIN: good programmes reach the customer within 10 to 15 minutes of the alert; the
# upper end is the bar when a scenario names no target of its own.
DEFAULT_CONTACT_MINUTES = 15

PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
MET, MISSED, NOT_RUN = "met", "missed", "not_run"
IMPROVING, WORSENING, STEADY, TOO_FEW = "improving", "worsening", "steady", "too_few"
TREND_WORDS = {
    IMPROVING: "improving",
    WORSENING: "slower than the drill before",
    STEADY: "the same as the drill before",
    TOO_FEW: "one drill so far",
}


@dataclass(frozen=True)
class ScenarioTargets:
    """What a playbook scenario promises: the response target and the escalation limit."""

    scenario_id: int
    name: str
    target_response_minutes: int | None = None
    escalation_limit: float | None = None
    currency: str | None = None


@dataclass(frozen=True)
class DrillRecord:
    """A drill as the rules read it."""

    drill_id: int
    scenario_id: int
    planned_on: date
    status: str
    detected: bool = False
    detection_minutes: int | None = None
    contact_minutes: int | None = None
    escalated: bool = False
    compensation: float | None = None


@dataclass(frozen=True)
class Verdict:
    """A drill's verdict: met, missed (with every reason) or not run; and the bar it met."""

    drill_id: int
    outcome: str
    reasons: tuple[str, ...]
    target_minutes: int
    target_is_default: bool

    @property
    def met(self) -> bool:
        """Whether the drill met every target."""
        return self.outcome == MET


@dataclass(frozen=True)
class TrendPoint:
    """One done drill's time to first contact."""

    drill_id: int
    on: date
    minutes: int
    target_minutes: int


@dataclass(frozen=True)
class ScenarioTrend:
    """A scenario's response times over time and which way they are going."""

    scenario_id: int
    points: tuple[TrendPoint, ...]
    direction: str

    @property
    def words(self) -> str:
        """The direction as a reader says it."""
        return TREND_WORDS[self.direction]


@dataclass(frozen=True)
class DrillGaps:
    """Scenarios never drilled, scenarios whose last drill missed, drills overdue."""

    never_drilled: tuple[int, ...]
    last_missed: tuple[int, ...]
    overdue: tuple[int, ...]

    @property
    def count(self) -> int:
        """How many gaps there are in all."""
        return len(self.never_drilled) + len(self.last_missed) + len(self.overdue)


def target_minutes(targets: ScenarioTargets) -> tuple[int, bool]:
    """The minutes a drill must reach the customer within, and whether that is the default."""
    if targets.target_response_minutes:
        return targets.target_response_minutes, False
    return DEFAULT_CONTACT_MINUTES, True


def _amount(value: float, currency: str | None) -> str:
    shown = f"{value:,.2f}".removesuffix(".00")
    return f"{currency} {shown}" if currency else shown


def verdict(drill: DrillRecord, targets: ScenarioTargets) -> Verdict:
    """Judge one drill against its scenario's targets; a drill not done has no verdict."""
    bar, is_default = target_minutes(targets)
    if drill.status != DONE:
        return Verdict(drill.drill_id, NOT_RUN, (), bar, is_default)
    reasons: list[str] = []
    if not drill.detected:
        reasons.append("The failure was not detected.")
    whose = "the 15-minute good-practice bar" if is_default else "the scenario's target"
    if drill.contact_minutes is None:
        reasons.append("No time to first contact was recorded.")
    elif drill.contact_minutes > bar:
        reasons.append(
            f"The customer was reached after {drill.contact_minutes} minutes; "
            f"{whose} is {bar} minutes."
        )
    limit = targets.escalation_limit
    if (
        drill.compensation is not None
        and limit is not None
        and drill.compensation > limit
        and not drill.escalated
    ):
        reasons.append(
            f"Compensation of {_amount(drill.compensation, targets.currency)} is above the "
            f"escalation limit of {_amount(limit, targets.currency)} but was not escalated."
        )
    return Verdict(drill.drill_id, MISSED if reasons else MET, tuple(reasons), bar, is_default)


def _done_in_order(drills: Iterable[DrillRecord]) -> list[DrillRecord]:
    return sorted((d for d in drills if d.status == DONE), key=lambda d: (d.planned_on, d.drill_id))


def trend(targets: ScenarioTargets, drills: Iterable[DrillRecord]) -> ScenarioTrend:
    """A scenario's dated response times; the latest against the one before says the way."""
    bar, _default = target_minutes(targets)
    points = tuple(
        TrendPoint(d.drill_id, d.planned_on, d.contact_minutes, bar)
        for d in _done_in_order(drills)
        if d.scenario_id == targets.scenario_id and d.contact_minutes is not None
    )
    if len(points) < 2:
        direction = TOO_FEW
    elif points[-1].minutes < points[-2].minutes:
        direction = IMPROVING
    elif points[-1].minutes > points[-2].minutes:
        direction = WORSENING
    else:
        direction = STEADY
    return ScenarioTrend(targets.scenario_id, points, direction)


def overdue(drills: Iterable[DrillRecord], today: date) -> tuple[int, ...]:
    """Drills still planned for a day that has passed: held but not recorded, or slipped."""
    return tuple(
        d.drill_id
        for d in sorted(drills, key=lambda d: (d.planned_on, d.drill_id))
        if d.status == PLANNED and d.planned_on < today
    )


def gaps(
    scenarios: Sequence[ScenarioTargets], drills: Sequence[DrillRecord], today: date
) -> DrillGaps:
    """Scenarios never drilled (no done drill), scenarios whose latest drill missed, overdue."""
    latest: dict[int, DrillRecord] = {}
    for drill in _done_in_order(drills):
        latest[drill.scenario_id] = drill
    never = tuple(s.scenario_id for s in scenarios if s.scenario_id not in latest)
    missed = tuple(
        s.scenario_id
        for s in scenarios
        if s.scenario_id in latest and not verdict(latest[s.scenario_id], s).met
    )
    return DrillGaps(never, missed, overdue(drills, today))
