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

Nothing is rounded along the way; round only for display. The ranges of the uncertain
inputs, the sensitivity and the three scenarios are in `business_case_sensitivity`.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.analysis.economics import EconomicsInputs

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
    return build_for_shares(inputs, plan, ramp_shares(plan))


def running_shares(plan: CasePlan) -> tuple[float, ...]:
    """Return, per year of the horizon, the share of its days on or after the programme starts."""
    shares: list[float] = []
    for year in range(plan.first_year, plan.first_year + plan.horizon_years):
        first, last = date(year, 1, 1), date(year, 12, 31)
        running = (last - max(first, plan.ramp_start)).days + 1
        shares.append(max(0, running) / ((last - first).days + 1))
    return tuple(shares)


def build_for_shares(
    inputs: EconomicsInputs, plan: CasePlan, shares: Sequence[float]
) -> BusinessCase:
    """Work out the case on a checked plan whose climb (`ramp_shares`) is already laid out."""
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
