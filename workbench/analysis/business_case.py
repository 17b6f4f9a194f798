"""The business case over several years: the increment over today, year by year, discounted.

It builds on the one-year model in `economics` and keeps its counterfactual: only the
complaints recovered beyond today's recovery rate are the programme's doing. The rules,
exactly as computed:

* The horizon is `horizon_years` calendar years from `first_year`.
* The recovery rate climbs in a straight line from today's rate on `ramp_start` to the
  target rate on `ramp_end`, and stays at the target after it. A year's rate is the
  average of its daily rates, so a year in which the target is reached half-way counts
  the climb and the plateau in proportion.
* Each year: extra recovered = complaints x (that year's rate - today's rate);
  customers kept = extra recovered x (churn if not recovered - churn if recovered);
  value kept = customers kept x customer lifetime value. The value kept is a lifetime
  value: the whole future worth of the customers kept that year, booked in the year they
  are kept. It is never a yearly revenue, and the case never adds a customer's value
  twice.
* Each year's cost = the initiatives' budget phased into that year (`investment`, one-off)
  + the running cost (fixed programme cost + complaints x cost per recovery attempt)
  + the compensation the playbook expects to pay (remedy value x expected cases).
  Running cost and compensation start with the programme (`ramp_start`): a year the
  programme runs for part of pays the share of its days it runs.
  Budget that could not be phased for want of dates is put in the first year, which errs
  on the side of cost; budget phased after the horizon is reported apart and left out.
* Net = value kept - cost. Present value = net / (1 + discount rate) ^ n, where n counts
  whole years from the first year (the first year is not discounted).
* NPV = the sum of the present values; ROI = (total value - total cost) / total cost,
  undiscounted over the horizon (none when nothing is spent).
* Payback = the years from the start of the horizon until the cumulative net turns
  and stays non-negative, interpolated within the year it turns; none when it does not
  pay back within the horizon.
* The break-even rate is the target rate at which the NPV is zero. The value kept is
  proportional to (target - today's rate) with the same ramp, so it is today's rate +
  discounted cost / discounted value of one whole rate point; none when no rate up to
  100% pays back, today's rate when the programme costs nothing.

Nothing is rounded along the way; round only for display.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from workbench.analysis.economics import LABELS, EconomicsInputs

MIN_HORIZON = 3
MAX_HORIZON = 5
MAX_DISCOUNT_RATE = 0.5


@dataclass(frozen=True)
class CasePlan:
    """How the case is laid out in time and valued: horizon, ramp, discount and costs."""

    first_year: int
    horizon_years: int
    discount_rate: float
    current_rate: float
    ramp_start: date
    ramp_end: date
    investment_by_year: Mapping[int, float]
    undated_investment: float = 0.0
    compensation_per_year: float = 0.0


@dataclass(frozen=True)
class CaseYear:
    """One year of the case; every amount is for that year alone, costs and value unrounded."""

    year: int
    recovery_rate: float
    extra_recovered: float
    customers_kept: float
    value_kept: float
    investment: float
    running_cost: float
    compensation: float
    cost: float
    net: float
    present_value: float
    cumulative_net: float


@dataclass(frozen=True)
class BusinessCase:
    """The yearly rows and the figures a finance reader asks for."""

    years: tuple[CaseYear, ...]
    total_value: float
    total_cost: float
    npv: float
    roi: float | None
    payback_years: float | None
    break_even_rate: float | None
    investment_after_horizon: float


def validate_plan(plan: CasePlan) -> list[str]:
    """Return a message for every setting of the plan that cannot be used."""
    messages: list[str] = []
    if not MIN_HORIZON <= plan.horizon_years <= MAX_HORIZON:
        messages.append(
            f"The horizon must be {MIN_HORIZON} to {MAX_HORIZON} years, not {plan.horizon_years}."
        )
    if not 0.0 <= plan.discount_rate <= MAX_DISCOUNT_RATE:
        messages.append(
            f"The discount rate must lie between 0% and 50%, not {plan.discount_rate * 100:g}%."
        )
    if not 0.0 <= plan.current_rate <= 1.0:
        messages.append("Today's recovery rate must lie between 0% and 100%.")
    if plan.ramp_end < plan.ramp_start:
        messages.append("The target rate cannot be reached before the programme starts.")
    if plan.compensation_per_year < 0 or plan.undated_investment < 0:
        messages.append("Costs must be zero or more.")
    if any(amount < 0 for amount in plan.investment_by_year.values()):
        messages.append("Costs must be zero or more.")
    return messages


def ramp_shares(plan: CasePlan) -> tuple[float, ...]:
    """Return, per year of the horizon, the average share of the climb to the target reached."""
    span = (plan.ramp_end - plan.ramp_start).days
    shares: list[float] = []
    for year in range(plan.first_year, plan.first_year + plan.horizon_years):
        day, last = date(year, 1, 1), date(year, 12, 31)
        total = 0.0
        count = 0
        while day <= last:
            total += _climbed(day, plan.ramp_start, span)
            count += 1
            day += timedelta(days=1)
        shares.append(total / count)
    return tuple(shares)


def _climbed(day: date, start: date, span: int) -> float:
    """Share of the climb reached on a day: 0 before the start, 1 from the end on."""
    if day < start:
        return 0.0
    if span <= 0:
        return 1.0
    return min(1.0, (day - start).days / span)


def build(inputs: EconomicsInputs, plan: CasePlan) -> BusinessCase:
    """Work out the case year by year; raise ValueError if the plan cannot be used."""
    problems = validate_plan(plan)
    if problems:
        raise ValueError(" ".join(problems))
    return _build(inputs, plan, ramp_shares(plan))


def running_shares(plan: CasePlan) -> tuple[float, ...]:
    """Return, per year of the horizon, the share of its days on or after the programme starts."""
    shares: list[float] = []
    for year in range(plan.first_year, plan.first_year + plan.horizon_years):
        first, last = date(year, 1, 1), date(year, 12, 31)
        running = (last - max(first, plan.ramp_start)).days + 1
        shares.append(max(0, running) / ((last - first).days + 1))
    return tuple(shares)


def _build(inputs: EconomicsInputs, plan: CasePlan, shares: Sequence[float]) -> BusinessCase:
    complaints = float(inputs.customers) * inputs.failure_rate * inputs.complaint_rate
    churn_saved = inputs.churn_unrecovered - inputs.churn_recovered
    increment = inputs.recovery_success_rate - plan.current_rate
    running = inputs.programme_fixed_cost + complaints * inputs.cost_per_recovery
    last_year = plan.first_year + plan.horizon_years - 1
    rows: list[CaseYear] = []
    cumulative = 0.0
    runs = running_shares(plan)
    for index, share in enumerate(shares):
        year = plan.first_year + index
        extra = complaints * increment * share
        kept = extra * churn_saved
        value = kept * inputs.customer_lifetime_value
        investment = plan.investment_by_year.get(year, 0.0)
        if index == 0:
            # Earlier phased budget and undated budget are spent by the first year at the latest.
            investment += plan.undated_investment + sum(
                amount for y, amount in plan.investment_by_year.items() if y < year
            )
        cost = investment + (running + plan.compensation_per_year) * runs[index]
        net = value - cost
        cumulative += net
        rows.append(
            CaseYear(
                year=year,
                recovery_rate=plan.current_rate + increment * share,
                extra_recovered=extra,
                customers_kept=kept,
                value_kept=value,
                investment=investment,
                running_cost=running * runs[index],
                compensation=plan.compensation_per_year * runs[index],
                cost=cost,
                net=net,
                present_value=net / (1.0 + plan.discount_rate) ** index,
                cumulative_net=cumulative,
            )
        )
    total_value = sum(row.value_kept for row in rows)
    total_cost = sum(row.cost for row in rows)
    return BusinessCase(
        years=tuple(rows),
        total_value=total_value,
        total_cost=total_cost,
        npv=sum(row.present_value for row in rows),
        roi=(total_value - total_cost) / total_cost if total_cost > 0 else None,
        payback_years=_payback(rows),
        break_even_rate=_break_even(inputs, plan, shares, complaints * churn_saved, rows),
        investment_after_horizon=sum(
            amount for y, amount in plan.investment_by_year.items() if y > last_year
        ),
    )


def _payback(rows: Sequence[CaseYear]) -> float | None:
    """Years until the cumulative net turns non-negative for good, within the horizon."""
    if not rows or rows[-1].cumulative_net < 0:
        return None
    # The last year the cumulative net was negative; payback falls within the year after it.
    last_negative = max((i for i, row in enumerate(rows) if row.cumulative_net < 0), default=None)
    if last_negative is None:
        return 0.0
    turning = rows[last_negative + 1]
    before = rows[last_negative].cumulative_net
    return last_negative + 1 + (-before / turning.net if turning.net > 0 else 1.0)


def _break_even(
    inputs: EconomicsInputs,
    plan: CasePlan,
    shares: Sequence[float],
    kept_per_complaint_point: float,
    rows: Sequence[CaseYear],
) -> float | None:
    """The target rate at which the NPV is zero, if one up to 100% exists."""
    discount = [(1.0 + plan.discount_rate) ** i for i in range(len(rows))]
    pv_cost = sum(row.cost / d for row, d in zip(rows, discount, strict=True))
    if pv_cost == 0:
        return plan.current_rate
    pv_value_per_point = sum(
        kept_per_complaint_point * inputs.customer_lifetime_value * share / d
        for share, d in zip(shares, discount, strict=True)
    )
    if pv_value_per_point <= 0:
        return None
    rate = plan.current_rate + pv_cost / pv_value_per_point
    return rate if rate <= 1.0 else None


# --- Scenarios and sensitivity ---------------------------------------------------------

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
        at_low = _build(_with(inputs, {name: spread.low}), plan, shares).npv
        at_high = _build(_with(inputs, {name: spread.high}), plan, shares).npv
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
        low=_build(_with(inputs, worse), plan, shares),
        base=_build(inputs, plan, shares),
        high=_build(_with(inputs, better), plan, shares),
        worse=worse,
        better=better,
    )


# --- Benefits tracking -----------------------------------------------------------------


@dataclass(frozen=True)
class Tracking:
    """The value kept so far as measured, beside what the case planned for the same days.

    Both are lifetime values of the customers kept, like `CaseYear.value_kept`, counted
    over the same days: from the first reading on or after the programme's start to
    `today`. Each reading holds until the next one.
    """

    planned: float
    realised: float
    first_day: date | None
    last_reading: date | None
    days: int

    @property
    def share(self) -> float | None:
        """Realised as a share of planned; none when nothing was planned yet."""
        return self.realised / self.planned if self.planned > 0 else None


def track(
    inputs: EconomicsInputs,
    plan: CasePlan,
    readings: Sequence[tuple[date, float]],
    today: date,
) -> Tracking:
    """Compare the value the measured recovery rates kept with the value the case planned.

    `readings` are (day, recovery rate as a share) pairs in any order; readings before the
    programme's start set the rate on its first day, those after `today` are ignored.
    """
    ordered = sorted((day, rate) for day, rate in readings if day <= today)
    complaints = float(inputs.customers) * inputs.failure_rate * inputs.complaint_rate
    worth = complaints * (inputs.churn_unrecovered - inputs.churn_recovered)
    worth *= inputs.customer_lifetime_value
    increment = inputs.recovery_success_rate - plan.current_rate
    span = (plan.ramp_end - plan.ramp_start).days
    start = max(plan.ramp_start, ordered[0][0]) if ordered else None
    if start is None or start > today:
        return Tracking(0.0, 0.0, None, ordered[-1][0] if ordered else None, 0)
    planned = realised = 0.0
    index = 0
    rate = ordered[0][1]
    day = start
    while day <= today:
        while index < len(ordered) and ordered[index][0] <= day:
            rate = ordered[index][1]
            index += 1
        per_day = worth / (366 if isleap(day.year) else 365)
        planned += per_day * increment * _climbed(day, plan.ramp_start, span)
        realised += per_day * (rate - plan.current_rate)
        day += timedelta(days=1)
    return Tracking(planned, realised, start, ordered[-1][0], (today - start).days + 1)
