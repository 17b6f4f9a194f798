"""The storyboard's recovery economics and business case as typed, frozen values.

Part of the report context (report_values.py): sections are frozen dataclasses, rows shown
as table lines are NamedTuples, so they serialise to the same plain JSON and fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class CaseYearRow(NamedTuple):
    """One year of the business case, rounded to whole units of the currency."""

    year: int
    recovery_rate: float  # average over the year, percent with one decimal
    value_kept: int  # lifetime value of the customers kept that year
    investment: int
    running_cost: int
    compensation: int
    net: int
    cumulative_net: int


class CheckRow(NamedTuple):
    """An input of the case beside the team's measurement of it, as the reader reads both."""

    subject: str  # "retention after a complaint" or "customer lifetime value"
    used: str  # with its unit, e.g. "68%" or "GBP 640"
    measured: str  # with its unit
    metric: str
    on: str  # ISO date of the reading
    owner: str  # the metric's owner
    differs: bool


class Swing(NamedTuple):
    """The NPV at one uncertain input's low and high value, the others at base."""

    label: str
    npv_at_low: int
    npv_at_high: int


@dataclass(frozen=True)
class BusinessCaseSummary:
    """The business case over years as the storyboard quotes it; money in the currency."""

    first_year: int
    last_year: int
    horizon_years: int
    discount_rate: float  # percent a year
    years: tuple[CaseYearRow, ...]
    npv: int
    total_value: int  # lifetime value kept over the horizon, undiscounted
    total_cost: int  # undiscounted
    roi: int | None  # over the horizon, percent
    payback_years: float | None  # one decimal; None: not within the horizon
    break_even_rate: int | None  # target rate with an NPV of zero; None: unreachable
    scenario_npvs: tuple[int, int, int]  # worse, base, better
    swings: tuple[Swing, ...]
    compensation_per_year: int
    target_dated: bool  # the climb ends on the Recovery rate goal's date, not an assumed one
    statement: str  # the case in two or three sentences, for the summary and the chapter
    assumptions: tuple[str, ...]  # what the team did not enter, named
    tracking_statement: str  # benefits to date against plan, or why none can be said
    checks: tuple[CheckRow, ...] = ()  # inputs beside the measurements of the same things


@dataclass(frozen=True)
class Economics:
    """The recovery economics on the increment over today's recovery rate, rounded.

    Money is in `currency`; rates are whole percentages. `saved` is False while the
    figures are the illustrative starting inputs: show the return as a finding only
    when it is True. The sentences (`finding`, `break_even_statement`, `cost_statement`)
    are written for the reader and already carry the illustrative warning when needed.
    """

    saved: bool
    currency: str
    inputs: dict[str, float | None]
    complaints: int  # complaints a year
    current_rate: int | None  # today's recovery rate, None when unknown
    current_rate_source: str  # where today's rate comes from, one sentence
    current_rate_measured: bool  # from the Recovery rate metric rather than typed in
    target_rate: int  # the recovery rate the programme aims for
    extra_recovered: int  # complaints a year recovered beyond today's rate
    customers_retained: int  # extra customers kept a year thanks to the programme
    lifetime_value_kept: int  # lifetime value of one year's kept customers (not yearly)
    revenue_retained: int  # the same as lifetime_value_kept, under its former name
    fixed_cost: int  # yearly
    handling_cost: int  # yearly: complaints x cost per recovery attempt
    programme_cost: int  # yearly running cost = fixed_cost + handling_cost
    net_benefit: int  # lifetime_value_kept - programme_cost
    roi: int | None  # net_benefit / programme_cost, percent
    break_even_rate: int | None  # recovery rate that pays the running cost; None: unreachable
    investment: int  # one-off: the budget of the active (not dropped) initiatives
    active_initiatives: int
    dropped_budget: int  # left out of the investment
    dropped_initiatives: int
    first_year_cost: int  # investment + programme_cost
    fixed_differs_from_budget: bool  # the calculator's fixed cost is not the budget
    finding: str
    break_even_statement: str
    cost_statement: str
    case: BusinessCaseSummary
