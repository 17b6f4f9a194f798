"""The business case's uncertainty: ranges of the uncertain inputs, the swings and the scenarios.

The inputs a team rarely knows precisely (churn with and without a recovery, the share of
failures reported, the customer lifetime value) each get a low and a high value: the team's
own where entered, else a quarter either side of the base. The sensitivity (the tornado)
moves one input at a time, the others at base; the scenarios move them all at once to the
end that gives the lower or the higher NPV. The cases are worked out by `business_case`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from workbench.analysis.business_case import (
    BusinessCase,
    CasePlan,
    build_for_shares,
    ramp_shares,
    validate_plan,
)
from workbench.analysis.economics import LABELS, EconomicsInputs

UNCERTAIN_INPUTS = (
    "churn_unrecovered",
    "churn_recovered",
    "complaint_rate",
    "customer_lifetime_value",
)
"""The inputs a team rarely knows precisely, varied in the scenarios and the tornado."""

RANGE_FIELDS = tuple(f"{name}_{end}" for name in UNCERTAIN_INPUTS for end in ("low", "high"))
"""Where the team's own low and high values of the uncertain inputs are kept."""

DEFAULT_SPREAD = 0.25
"""Without the team's own low and high values, each uncertain input varies by a quarter."""


@dataclass(frozen=True)
class Range:
    """The low and high value of one uncertain input, around the base value in the inputs."""

    low: float
    high: float
    entered: bool = False


@dataclass(frozen=True)
class Scenarios:
    """The case with every uncertain input at its worse, base and better value."""

    low: BusinessCase
    base: BusinessCase
    high: BusinessCase
    worse: Mapping[str, float]
    better: Mapping[str, float]


@dataclass(frozen=True)
class Swing:
    """How far the NPV moves when one input goes from its low to its high value."""

    name: str
    low_value: float
    high_value: float
    npv_at_low: float
    npv_at_high: float

    @property
    def width(self) -> float:
        """The distance between the two NPVs, whatever their order."""
        return abs(self.npv_at_high - self.npv_at_low)


def validate_ranges(base: EconomicsInputs, values: Mapping[str, float | None]) -> list[str]:
    """Return a message for every range that is half entered or does not hold the base value."""
    messages: list[str] = []
    for name in UNCERTAIN_INPUTS:
        low, high = values.get(f"{name}_low"), values.get(f"{name}_high")
        label = LABELS[name]
        if low is None and high is None:
            continue
        if low is None or high is None:
            messages.append(f"{label}: enter both a low and a high value, or neither.")
            continue
        middle = float(getattr(base, name))
        if not low <= middle <= high:
            messages.append(
                f"{label}: the low value must not exceed the base value of {middle:g} and "
                "the high value must not be below it."
            )
    return messages


def entered_ranges(values: Mapping[str, float | None]) -> dict[str, Range]:
    """The ranges the team entered, from stored low and high values; half-entered ones skipped."""
    ranges: dict[str, Range] = {}
    for name in UNCERTAIN_INPUTS:
        low, high = values.get(f"{name}_low"), values.get(f"{name}_high")
        if low is not None and high is not None:
            ranges[name] = Range(float(low), float(high), entered=True)
    return ranges


def default_range(name: str, base: float) -> Range:
    """A quarter either side of the base value; shares are kept between 0 and 1."""
    low, high = base * (1 - DEFAULT_SPREAD), base * (1 + DEFAULT_SPREAD)
    if name != "customer_lifetime_value":
        high = min(high, 1.0)
    return Range(low, high)


def ranges_for(inputs: EconomicsInputs, entered: Mapping[str, Range]) -> dict[str, Range]:
    """The team's ranges where entered, the default spread for the other uncertain inputs."""
    return {
        name: entered.get(name) or default_range(name, float(getattr(inputs, name)))
        for name in UNCERTAIN_INPUTS
    }


def _with(inputs: EconomicsInputs, values: Mapping[str, float]) -> EconomicsInputs:
    """The inputs with some uncertain values replaced (all of them are floats)."""
    changes: dict[str, Any] = dict(values)
    return replace(inputs, **changes)


def sensitivity(
    inputs: EconomicsInputs, plan: CasePlan, ranges: Mapping[str, Range]
) -> tuple[Swing, ...]:
    """The NPV at each input's low and high value, the others at base; widest swing first."""
    shares = ramp_shares(plan)
    swings = []
    for name, spread in ranges.items():
        at_low = build_for_shares(_with(inputs, {name: spread.low}), plan, shares).npv
        at_high = build_for_shares(_with(inputs, {name: spread.high}), plan, shares).npv
        swings.append(Swing(name, spread.low, spread.high, at_low, at_high))
    return tuple(sorted(swings, key=lambda swing: swing.width, reverse=True))


def scenarios(
    inputs: EconomicsInputs,
    plan: CasePlan,
    ranges: Mapping[str, Range],
    swings: Sequence[Swing] | None = None,
) -> Scenarios:
    """Three cases: every uncertain input at the value that gives the lower, base, higher NPV.

    Which end of a range is the worse one is read from the sensitivity (a higher churn
    after a recovery is worse, a higher lifetime value better), so the low case is the
    pessimistic one whatever the direction of each input. `swings`, when the caller has
    worked out the sensitivity already, saves working it out again.
    """
    problems = validate_plan(plan)
    if problems:
        raise ValueError(" ".join(problems))
    shares = ramp_shares(plan)
    worse: dict[str, float] = {}
    better: dict[str, float] = {}
    for swing in swings if swings is not None else sensitivity(inputs, plan, ranges):
        low_is_worse = swing.npv_at_low <= swing.npv_at_high
        worse[swing.name] = swing.low_value if low_is_worse else swing.high_value
        better[swing.name] = swing.high_value if low_is_worse else swing.low_value
    return Scenarios(
        low=build_for_shares(_with(inputs, worse), plan, shares),
        base=build_for_shares(inputs, plan, shares),
        high=build_for_shares(_with(inputs, better), plan, shares),
        worse=worse,
        better=better,
    )
