"""Check a metric's goal against the SMART criteria.

A goal passes when it has no problem of severity ``error``. Each problem names the
SMART letter it falls under and says what to change:

* **S - specific**: the metric has a named owner, and the target is an improvement on
  the baseline in the direction the metric counts as better.
* **M - measurable**: the goal has a baseline and a target, the metric has a unit, and
  both values lie inside the range the metric allows. A metric measured in percent
  with no range of its own is taken to run from 0 to 100.
* **A - achievable**: two warnings, which never fail the goal: a jump that covers more
  than half the metric's whole range (or, with no range, that moves the value by more
  than its own size, such as doubling it or taking it to zero), and a goal with no
  rationale explaining why the target is within reach.
* **R - relevant**: the metric is linked to at least one corporate objective.
* **T - time-bound**: the goal has a baseline date and a target date, the target date
  comes after the baseline date, and the target date is not already in the past.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

Direction = Literal["higher", "lower"]
Letter = Literal["S", "M", "A", "R", "T"]
Severity = Literal["error", "warning"]

PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage", "pct"})
AMBITION_SHARE_OF_RANGE = 0.5
"""A jump wider than this share of the metric's whole range earns a warning."""
AMBITION_RELATIVE_CHANGE = 1.0
"""Without a range, a jump of at least this multiple of the baseline earns a warning."""


@dataclass(frozen=True)
class MetricFacts:
    """What the SMART check needs to know about a metric."""

    name: str
    unit: str | None
    direction: Direction
    min_value: float | None
    max_value: float | None
    owner: str | None
    linked_objectives: int


@dataclass(frozen=True)
class GoalFacts:
    """What the SMART check needs to know about a goal set for a metric."""

    baseline: float | None
    baseline_date: date | None
    target: float | None
    target_date: date | None
    rationale: str


@dataclass(frozen=True)
class SmartProblem:
    """One shortcoming of a goal, under the SMART letter it offends."""

    code: str
    letter: Letter
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class SmartReport:
    """The outcome of a SMART check: whether the goal passed and what to fix."""

    passed: bool
    problems: tuple[SmartProblem, ...]

    @property
    def errors(self) -> tuple[SmartProblem, ...]:
        """Return the problems that stop the goal passing."""
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[SmartProblem, ...]:
        """Return the advisory problems that do not stop the goal passing."""
        return tuple(problem for problem in self.problems if problem.severity == "warning")

    def letter_passed(self, letter: Letter) -> bool:
        """Return whether no error falls under the given SMART letter."""
        return all(problem.letter != letter for problem in self.errors)


def check_goal(metric: MetricFacts, goal: GoalFacts, today: date) -> SmartReport:
    """Check a goal against the SMART criteria and list every problem found."""
    if metric.direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {metric.direction!r}")
    problems = [
        *_specific(metric, goal),
        *_measurable(metric, goal),
        *_achievable(metric, goal),
        *_relevant(metric),
        *_time_bound(goal, today),
    ]
    passed = all(problem.severity != "error" for problem in problems)
    return SmartReport(passed=passed, problems=tuple(problems))


def metric_range(metric: MetricFacts) -> tuple[float | None, float | None]:
    """Return the range a metric's values must lie in, inferring 0-100 for bare percentages."""
    if metric.min_value is None and metric.max_value is None and _is_percent(metric.unit):
        return 0.0, 100.0
    return metric.min_value, metric.max_value


def _specific(metric: MetricFacts, goal: GoalFacts) -> list[SmartProblem]:
    problems: list[SmartProblem] = []
    if not _filled(metric.owner):
        problems.append(
            SmartProblem(
                "no_owner",
                "S",
                f"Name the person or team who owns '{metric.name}', so someone answers "
                "for the goal.",
            )
        )
    if goal.baseline is None or goal.target is None:
        return problems
    baseline, target = goal.baseline, goal.target
    if target == baseline:
        problems.append(
            SmartProblem(
                "target_equals_baseline",
                "S",
                f"The target ({_fmt(target)}) is the same as the baseline, so the goal asks "
                "for no improvement. Set a target that moves the metric the right way.",
            )
        )
    elif (metric.direction == "higher") != (target > baseline):
        wanted = "above" if metric.direction == "higher" else "below"
        better = "higher" if metric.direction == "higher" else "lower"
        problems.append(
            SmartProblem(
                "target_wrong_direction",
                "S",
                f"For '{metric.name}' {better} is better, so the target ({_fmt(target)}) "
                f"should be {wanted} the baseline ({_fmt(baseline)}).",
            )
        )
    return problems


def _measurable(metric: MetricFacts, goal: GoalFacts) -> list[SmartProblem]:
    problems: list[SmartProblem] = []
    if goal.baseline is None:
        problems.append(
            SmartProblem(
                "no_baseline",
                "M",
                "Record a baseline: the value the metric has today, measured the same way "
                "as future readings.",
            )
        )
    if goal.target is None:
        problems.append(
            SmartProblem("no_target", "M", "Set a target: the value you mean to reach.")
        )
    if not _filled(metric.unit):
        problems.append(
            SmartProblem(
                "no_unit",
                "M",
                f"Give '{metric.name}' a unit (for example percent, minutes or score), so "
                "everyone reads the numbers the same way.",
            )
        )
    low, high = metric_range(metric)
    for code, label, value in (
        ("baseline_out_of_range", "baseline", goal.baseline),
        ("target_out_of_range", "target", goal.target),
    ):
        if value is None:
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append(
                SmartProblem(
                    code,
                    "M",
                    f"The {label} ({_fmt(value)}) lies outside the values '{metric.name}' "
                    f"can take ({_describe_range(low, high)}). Correct it.",
                )
            )
    return problems


def _achievable(metric: MetricFacts, goal: GoalFacts) -> list[SmartProblem]:
    problems: list[SmartProblem] = []
    jump = _ambitious_jump(metric, goal)
    if jump is not None:
        problems.append(jump)
    if not _filled(goal.rationale):
        problems.append(
            SmartProblem(
                "no_rationale",
                "A",
                "Add a rationale: why this target is within reach and what will move it.",
                "warning",
            )
        )
    return problems


def _ambitious_jump(metric: MetricFacts, goal: GoalFacts) -> SmartProblem | None:
    """Warn about a jump that looks too big; values out of range are left to the M check."""
    baseline, target = goal.baseline, goal.target
    if baseline is None or target is None:
        return None
    jump = abs(target - baseline)
    low, high = metric_range(metric)
    advice = "Check that it can be done in the time, and say how in the rationale."
    if low is not None and high is not None and high > low:
        if not (low <= baseline <= high and low <= target <= high):
            return None
        share = jump / (high - low)
        if share <= AMBITION_SHARE_OF_RANGE:
            return None
        scale = f"crosses {share:.0%} of the metric's whole range"
    elif baseline != 0 and jump / abs(baseline) >= AMBITION_RELATIVE_CHANGE:
        scale = "changes the metric by at least its own size"
    else:
        return None
    return SmartProblem(
        "ambitious_jump",
        "A",
        f"Moving from {_fmt(baseline)} to {_fmt(target)} {scale}. {advice}",
        "warning",
    )


def _relevant(metric: MetricFacts) -> list[SmartProblem]:
    if metric.linked_objectives > 0:
        return []
    return [
        SmartProblem(
            "no_objective",
            "R",
            f"Link '{metric.name}' to at least one corporate objective, so the goal shows "
            "what it does for the business.",
        )
    ]


def _time_bound(goal: GoalFacts, today: date) -> list[SmartProblem]:
    problems: list[SmartProblem] = []
    if goal.baseline_date is None:
        problems.append(
            SmartProblem(
                "no_baseline_date",
                "T",
                "Record the date the baseline was measured.",
            )
        )
    if goal.target_date is None:
        problems.append(
            SmartProblem(
                "no_target_date",
                "T",
                "Set a target date: the day by which the target should be reached.",
            )
        )
        return problems
    if goal.baseline_date is not None and goal.target_date <= goal.baseline_date:
        problems.append(
            SmartProblem(
                "target_date_not_after_baseline",
                "T",
                f"The target date ({goal.target_date.isoformat()}) must come after the "
                f"baseline date ({goal.baseline_date.isoformat()}).",
            )
        )
    if goal.target_date < today:
        problems.append(
            SmartProblem(
                "target_date_past",
                "T",
                f"The target date ({goal.target_date.isoformat()}) has already passed. "
                "Set a new date, or record the outcome and start a fresh goal.",
            )
        )
    return problems


def _filled(text: str | None) -> bool:
    return text is not None and text.strip() != ""


def _is_percent(unit: str | None) -> bool:
    return unit is not None and unit.strip().lower() in PERCENT_UNITS


def _describe_range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"from {_fmt(low)} to {_fmt(high)}"
    if low is not None:
        return f"at least {_fmt(low)}"
    return f"at most {_fmt(high if high is not None else math.inf)}"


def _fmt(value: float) -> str:
    """Format a number for a message: no trailing zeros, at most four decimals."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
