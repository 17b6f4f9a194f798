"""Progress towards a goal, a straight-line forecast, and an on-track status.

**Progress** is the share of the way from the baseline to the target that the latest
value has covered: 0% at the baseline, 100% at the target. It can fall below 0% (the
metric has moved the wrong way) or rise above 100% (the target has been beaten). It
works the same whether higher or lower is better, because it is measured along the
line from baseline to target. When several measurements share the latest date, their
average is the latest value.

**Forecast.** With measurements on at least two different dates, a straight line is
fitted through them by least squares (days since the first measurement against the
value), and extended to the target date. The slope is quoted per 30 days.

**Status**, checked in this order:

1. *No data* - no measurements have been recorded, or the goal cannot be judged
   because its target is not on the better side of its baseline (for a metric where
   higher is better, a target at or below the baseline): no progress is given either.
2. *On track* - the latest value already meets or beats the target.
3. *Off track* - the target date has passed and the target was not met.
4. With measurements on two or more dates, the forecast value at the target date is
   turned into progress. *On track* if that projected progress is at least 100%,
   *at risk* if it is at least 80%, *off track* otherwise.
5. With measurements on a single date, that reading is compared with the progress a
   steady pace from the baseline date to the target date would have reached by the
   day it was taken. *On track* if actual progress is at least the expected
   progress, *at risk* if it is at least 80% of it, *off track* otherwise. (This is
   the same as drawing a line from the baseline through that reading.) Without a
   baseline date the pace cannot be judged, and the status stays *no data*.
6. Without a target date, a goal that has not been met stays *no data*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from workbench.analysis.dates import format_date
from workbench.analysis.measures import format_measure

Status = Literal["on_track", "at_risk", "off_track", "no_data"]

ON_TRACK_PROGRESS = 1.0
"""Projected progress at the target date needed to count as on track (100%)."""
AT_RISK_PROGRESS = 0.8
"""Projected progress at the target date needed to count as at risk (80%)."""
DAYS_PER_SLOPE_PERIOD = 30
TOLERANCE = 1e-9
"""Slack allowed when comparing progress with a threshold, to absorb rounding error."""


@dataclass(frozen=True)
class Measurement:
    """One reading of a metric on a given day."""

    on: date
    value: float


@dataclass(frozen=True)
class Forecast:
    """A least-squares straight line through the measurements, extended to a date."""

    start: date
    intercept: float
    slope_per_day: float
    target_date: date
    projected: float
    points: int
    r_squared: float

    @property
    def slope_per_30_days(self) -> float:
        """Return the change the line predicts over 30 days."""
        return self.slope_per_day * DAYS_PER_SLOPE_PERIOD

    def value_on(self, day: date) -> float:
        """Return the value the line predicts on the given day."""
        return self.intercept + self.slope_per_day * (day - self.start).days


@dataclass(frozen=True)
class StatusReport:
    """Where a goal stands: its status, the figures behind it and a reason in words."""

    status: Status
    progress: float | None
    projected: float | None
    reason: str
    current: float | None = None
    projected_progress: float | None = None


def progress(baseline: float, target: float, current: float, direction: str | None = None) -> float:
    """Return the share of the way from baseline to target that current has covered.

    When baseline equals target there is no distance to cover: the result is 1.0 if
    current equals the target or (given a direction) lies on its better side, else 0.0.
    """
    if baseline == target:
        if current == target:
            return 1.0
        if direction == "higher":
            return 1.0 if current > target else 0.0
        if direction == "lower":
            return 1.0 if current < target else 0.0
        return 0.0
    return (current - baseline) / (target - baseline)


def forecast(measurements: Sequence[Measurement], target_date: date) -> Forecast | None:
    """Fit a least-squares line through the measurements and extend it to target_date.

    Return None unless there are at least two measurements on at least two dates.
    """
    if len(measurements) < 2 or len({m.on for m in measurements}) < 2:
        return None
    start = min(m.on for m in measurements)
    xs = [float((m.on - start).days) for m in measurements]
    ys = [float(m.value) for m in measurements]
    count = len(xs)
    mean_x = math.fsum(xs) / count
    mean_y = math.fsum(ys) / count
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    ss_total = math.fsum((y - mean_y) ** 2 for y in ys)
    ss_residual = math.fsum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    r_squared = 1.0 if ss_total == 0 else max(0.0, 1.0 - ss_residual / ss_total)
    projected = intercept + slope * (target_date - start).days
    return Forecast(
        start=start,
        intercept=intercept,
        slope_per_day=slope,
        target_date=target_date,
        projected=projected,
        points=count,
        r_squared=r_squared,
    )


def latest_value(measurements: Sequence[Measurement]) -> float | None:
    """Return the latest reading, averaging readings that share the latest date."""
    if not measurements:
        return None
    last_day = max(m.on for m in measurements)
    values = [m.value for m in measurements if m.on == last_day]
    return math.fsum(values) / len(values)


def target_met(direction: str, target: float, value: float) -> bool:
    """Return whether a value meets or beats the target for the metric's direction."""
    _check_direction(direction)
    return value >= target if direction == "higher" else value <= target


def status(
    metric_direction: str,
    baseline: float,
    target: float,
    target_date: date | None,
    measurements: Sequence[Measurement],
    today: date,
    baseline_date: date | None = None,
    unit: str = "",
    currency: str = "",
) -> StatusReport:
    """Judge whether a goal is on track, at risk or off track (see the module notes).

    `unit` and `currency` only shape the reason's wording: "would reach 52.4%".
    """
    _check_direction(metric_direction)

    def _fmt(value: float) -> str:
        # A projection is an estimate: whole numbers from 100 up, two decimals below.
        return format_measure(round(value, 2 if abs(value) < 100 else 0), unit, currency)

    current = latest_value(measurements)
    if current is None:
        return StatusReport("no_data", None, None, "No measurements have been recorded yet.")
    if target == baseline or (metric_direction == "higher") != (target > baseline):
        better = "higher" if metric_direction == "higher" else "lower"
        wanted = "above" if metric_direction == "higher" else "below"
        return StatusReport(
            "no_data",
            None,
            None,
            f"The goal cannot be judged: {better} is better, but the target ({_fmt(target)}) "
            f"is not {wanted} the baseline ({_fmt(baseline)}).",
            current=current,
        )
    done = progress(baseline, target, current, metric_direction)
    if target_met(metric_direction, target, current):
        return StatusReport(
            "on_track",
            done,
            None,
            f"The latest value ({_fmt(current)}) already meets the target ({_fmt(target)}).",
            current=current,
        )
    if target_date is None:
        return StatusReport(
            "no_data",
            done,
            None,
            "The goal has no target date, so progress cannot be judged against time.",
            current=current,
        )
    if today > target_date:
        return StatusReport(
            "off_track",
            done,
            None,
            f"The target date ({format_date(target_date)}) has passed and the latest value "
            f"({_fmt(current)}) falls short of the target ({_fmt(target)}).",
            current=current,
        )
    line = forecast(measurements, target_date)
    if line is not None:
        ahead = progress(baseline, target, line.projected, metric_direction)
        verdict = _verdict(ahead, 1.0)
        reason = (
            f"On the current trend the metric would reach {_fmt(line.projected)} by "
            f"{format_date(target_date)}, {_pct(ahead)} of the way from the baseline to the "
            f"target ({_describe(verdict)})."
        )
        return StatusReport(verdict, done, line.projected, reason, current, ahead)
    return _single_reading(done, current, target_date, measurements, baseline_date)


def _single_reading(
    done: float,
    current: float,
    target_date: date,
    measurements: Sequence[Measurement],
    baseline_date: date | None,
) -> StatusReport:
    if baseline_date is None:
        return StatusReport(
            "no_data",
            done,
            None,
            "A single measurement shows no trend. Record a baseline date or a second "
            "measurement on another day so the pace can be judged.",
            current=current,
        )
    taken = measurements[0].on
    span = (target_date - baseline_date).days
    # A target date on or before the baseline date means the whole way is due already.
    elapsed = (taken - baseline_date).days
    expected = 1.0 if span <= 0 else min(1.0, max(0.0, elapsed / span))
    verdict = _verdict(done, expected)
    reason = (
        f"Only one measurement so far: it is {_pct(done)} of the way to the target, "
        f"against {_pct(expected)} expected at a steady pace by {format_date(taken)} "
        f"({_describe(verdict)})."
    )
    return StatusReport(verdict, done, None, reason, current=current)


def _verdict(actual: float, expected: float) -> Status:
    if actual >= expected * ON_TRACK_PROGRESS - TOLERANCE:
        return "on_track"
    if actual >= expected * AT_RISK_PROGRESS - TOLERANCE:
        return "at_risk"
    return "off_track"


def _describe(verdict: Status) -> str:
    return {
        "on_track": "on track",
        "at_risk": "at risk: at least 80% of what is needed, but short of all of it",
        "off_track": "off track: under 80% of what is needed",
        "no_data": "no data",
    }[verdict]


def _check_direction(direction: str) -> None:
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")


def _pct(share: float) -> str:
    return f"{share:.0%}"
