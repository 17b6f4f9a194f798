"""The recovery economics as the storyboard reports them: rounded figures and sentences.

The sentences are written for a board member. While the team has not saved its own
figures every sentence opens by saying the figures are illustrative, so no reader takes
the defaults for a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from workbench.analysis.business_case import CaseYear
from workbench.analysis.dates import format_date
from workbench.services import business_case, economics
from workbench.services.report_values_economics import (
    BusinessCaseSummary,
    CaseYearRow,
    CheckRow,
    Economics,
    Swing,
)

ILLUSTRATIVE = "Illustrative only: the team has not yet entered its own figures. "


def _money(currency: str, amount: float) -> str:
    return f"{currency} {amount:,.0f}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _percent(share: float) -> int:
    return round(share * 100)


def finding(view: economics.EconomicsView) -> str:
    """Say what the programme keeps and returns, on the increment over today's rate."""
    r, currency = view.result, view.currency
    target = _percent(view.inputs.recovery_success_rate)
    kept = round(r.customers_retained)
    if r.current_recovery_rate is None:
        opening = (
            "No recovery rate for today is known, so these figures are measured against "
            "no recovery at all and overstate what the programme adds. "
            f"Recovering {target}% of complaints"
        )
    elif r.extra_recovered <= 0:
        current = _percent(r.current_recovery_rate)
        return (ILLUSTRATIVE if not view.saved else "") + (
            f"The target recovery rate of {target}% is not above today's {current}%, so the "
            "programme keeps no more customers than today's handling does."
        )
    else:
        current = _percent(r.current_recovery_rate)
        opening = f"Raising the recovery rate from {current}% today to {target}%"
    if r.roi is None:
        verdict = "the programme costs nothing to run"
    elif r.roi >= 0:
        verdict = f"a return of {round(r.roi * 100)}% on the running cost"
    else:
        verdict = (
            f"at this target the programme does not pay for itself (a return of "
            f"{round(r.roi * 100)}%)"
        )
    text = (
        f"{opening} recovers about {round(r.extra_recovered):,} more complaints a year and "
        f"keeps about {_plural(kept, 'customer')} a year who would otherwise leave. Their "
        f"lifetime value is {_money(currency, r.lifetime_value_kept)}, against a running cost "
        f"of {_money(currency, r.programme_cost)} a year: {verdict}."
    )
    return (ILLUSTRATIVE if not view.saved else "") + text


def break_even_statement(view: economics.EconomicsView) -> str:
    """Say which recovery rate pays for the running cost, relative to today's."""
    r = view.result
    prefix = ILLUSTRATIVE if not view.saved else ""
    if r.break_even_recovery_rate is None:
        return prefix + (
            "No recovery rate up to 100% pays for the running cost on these figures: "
            "the cost must fall or the value of a kept customer must be higher."
        )
    rate = _percent(r.break_even_recovery_rate)
    if r.current_recovery_rate is None:
        return (
            prefix
            + f"The programme pays for its running cost once {rate}% of complaints are recovered."
        )
    current = _percent(r.current_recovery_rate)
    gap = rate - current
    where = (
        f"{_plural(gap, 'point')} above today's {current}%"
        if gap > 0
        else f"which is today's rate of {current}%"
    )
    return prefix + (
        f"The programme pays for its running cost once {rate}% of complaints are recovered, "
        f"{where}."
    )


def cost_statement(view: economics.EconomicsView, compensation: float = 0.0) -> str:
    """State the programme's costs as the business case counts them: the one-off budget
    spread over the initiatives' dates, the yearly running cost and the compensation."""
    c, currency = view.costs, view.currency
    running = (
        f"{_money(currency, c.running_cost)} a year to run ({_money(currency, c.fixed_cost)} "
        f"fixed and {_money(currency, c.handling_cost)} for handling "
        f"{round(view.result.complaints):,} complaints)"
    )
    if c.investment > 0:
        text = (
            f"The programme costs {_money(currency, c.investment)} once, the budget of its "
            f"{_plural(c.active_initiatives, 'active initiative')} spread over their dates, "
            f"and {running} from the day it starts."
        )
    else:
        text = f"No initiative carries a budget yet; the programme costs {running}."
    if c.dropped_initiatives:
        text += (
            f" The {_money(currency, c.dropped_budget)} of "
            f"{_plural(c.dropped_initiatives, 'dropped initiative')} is not counted."
        )
    if compensation > 0:
        text += (
            f" The playbook's remedies add {_money(currency, compensation)} a year of compensation."
        )
    return (ILLUSTRATIVE if not view.saved else "") + text


def _years(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded:g} year" + ("" if rounded == 1 else "s")


def case_statement(case: business_case.CaseView, saved: bool, rows: Sequence[CaseYearRow]) -> str:
    """Say what the business case over years comes to: NPV, payback, return and break-even.

    The totals are those of the rounded yearly `rows`, so they match the printed table."""
    c, p, currency = case.case, case.plan, case.economics.currency
    total_value = sum(row.value_kept for row in rows)
    total_cost = sum(row.investment + row.running_cost + row.compensation for row in rows)
    span = f"{c.years[0].year} to {c.years[-1].year}"
    text = (
        f"Over {p.horizon_years} years ({span}), the programme keeps customers with a "
        f"lifetime value of {_money(currency, total_value)} for a cost of "
        f"{_money(currency, total_cost)}: a net present value of "
        f"{_money(currency, c.npv)} at {p.discount_rate * 100:g}% a year. "
    )
    if c.payback_years is not None:
        text += f"It pays back after {_years(c.payback_years)}."
    else:
        text += f"It does not pay back within {p.horizon_years} years."
    if c.break_even_rate is not None:
        text += (
            f" It breaks even at a target recovery rate of {_percent(c.break_even_rate)}%, "
            f"against today's {_percent(p.current_rate)}%."
        )
    else:
        text += " No target recovery rate up to 100% makes it break even."
    low, high = case.scenarios.low.npv, case.scenarios.high.npv
    text += (
        f" With the uncertain inputs at their worse and better values the net present value "
        f"ranges from {_money(currency, low)} to {_money(currency, high)}."
    )
    return (ILLUSTRATIVE if not saved else "") + text


def case_assumptions(case: business_case.CaseView, saved: bool) -> tuple[str, ...]:
    """Name every part of the case the team did not enter itself."""
    notes: list[str] = []
    if not saved:
        notes.append(
            f"The horizon of {case.plan.horizon_years} years and the discount rate of "
            f"{case.plan.discount_rate * 100:g}% are assumptions."
        )
    if not case.ramp_from_goal:
        notes.append(
            "No Recovery rate goal has a target date: the target is assumed reached a year "
            "after the programme starts."
        )
    assumed = [case.labels[name] for name, r in case.ranges.items() if not r.entered]
    if assumed:
        notes.append(
            "The low and high values of "
            + _listed([label.lower() for label in assumed])
            + " are assumed a quarter either side of the base value."
        )
    if not case.compensation_scenarios:
        notes.append(
            "Compensation is not counted: no playbook scenario has both a remedy value and "
            "the cases expected a year."
        )
    return tuple(notes)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def tracking_statement(case: business_case.CaseView) -> str:
    """Say whether the benefit is coming true, from the measured recovery rate."""
    t, currency = case.tracking, case.economics.currency
    if t.first_day is None or t.last_reading is None:
        return (
            "No recovery rate has been measured since the programme started, so whether "
            "the benefit is coming true cannot be said yet."
        )
    text = (
        f"From {format_date(t.first_day)} to {format_date(t.last_reading)}, the measured "
        f"recovery rate kept customers with a lifetime value of "
        f"{_money(currency, t.realised)}, against {_money(currency, t.planned)} planned "
        "for the same days"
    )
    if t.share is not None:
        text += f" ({round(t.share * 100)}% of plan)"
    return text + "."


def _rounded_years(years: Sequence[CaseYear]) -> tuple[CaseYearRow, ...]:
    """The yearly rows in whole units, net and cumulative taken from the rounded parts so
    every row and the column totals add up exactly as printed."""
    rows: list[CaseYearRow] = []
    cumulative = 0
    for row in years:
        value, investment = round(row.value_kept), round(row.investment)
        running, compensation = round(row.running_cost), round(row.compensation)
        net = value - investment - running - compensation
        cumulative += net
        rows.append(
            CaseYearRow(
                row.year,
                round(row.recovery_rate * 100, 1),
                value,
                investment,
                running,
                compensation,
                net,
                cumulative,
            )
        )
    return tuple(rows)


def check_rows(case: business_case.CaseView) -> tuple[CheckRow, ...]:
    """The inputs beside the team's measurements of the same things, with their units."""
    currency = case.economics.currency
    rows = []
    for check in case.checks:
        if check.subject == "retention":
            subject = "retention after a complaint"
            used, measured = f"{check.used * 100:.0f}%", f"{check.measured.value * 100:.1f}%"
        elif check.subject == "complaints":
            subject = "number of complaints a year"
            used, measured = f"{check.used:,.0f}", f"{check.measured.value:,.0f} over its last year"
        else:
            subject = "customer lifetime value"
            used, measured = _money(currency, check.used), _money(currency, check.measured.value)
        rows.append(
            CheckRow(
                subject,
                used,
                measured,
                check.measured.metric,
                check.measured.on.isoformat(),
                check.measured.owner,
                check.differs,
            )
        )
    return tuple(rows)


def _case_summary(case: business_case.CaseView, saved: bool) -> BusinessCaseSummary:
    c, p = case.case, case.plan
    rows = _rounded_years(c.years)
    return BusinessCaseSummary(
        first_year=c.years[0].year,
        last_year=c.years[-1].year,
        horizon_years=p.horizon_years,
        discount_rate=round(p.discount_rate * 100, 2),
        years=rows,
        npv=round(c.npv),
        total_value=sum(row.value_kept for row in rows),
        total_cost=sum(row.investment + row.running_cost + row.compensation for row in rows),
        roi=None if c.roi is None else round(c.roi * 100),
        payback_years=None if c.payback_years is None else round(c.payback_years, 1),
        break_even_rate=None if c.break_even_rate is None else _percent(c.break_even_rate),
        scenario_npvs=(
            round(case.scenarios.low.npv),
            round(c.npv),
            round(case.scenarios.high.npv),
        ),
        swings=tuple(
            Swing(case.labels[s.name], round(s.npv_at_low), round(s.npv_at_high))
            for s in case.swings
        ),
        compensation_per_year=round(p.compensation_per_year),
        target_dated=case.ramp_from_goal,
        statement=case_statement(case, saved, rows),
        assumptions=case_assumptions(case, saved),
        tracking_statement=tracking_statement(case),
        checks=check_rows(case),
    )


def report_value(session: Session, today: date) -> Economics:
    """Build the storyboard's economics value from the workspace's figures, as of `today`."""
    case = business_case.build_view(session, today)
    view = case.economics
    r, c = view.result, view.costs
    lifetime = round(r.lifetime_value_kept)
    return Economics(
        saved=view.saved,
        currency=view.currency,
        inputs={name: getattr(view.inputs, name) for name in economics.INPUTS},
        complaints=round(r.complaints),
        current_rate=(
            None if r.current_recovery_rate is None else _percent(r.current_recovery_rate)
        ),
        current_rate_source=view.current.describe(),
        current_rate_measured=view.current.measured,
        target_rate=_percent(view.inputs.recovery_success_rate),
        extra_recovered=round(r.extra_recovered),
        customers_retained=round(r.customers_retained),
        lifetime_value_kept=lifetime,
        revenue_retained=lifetime,
        fixed_cost=round(r.fixed_cost),
        handling_cost=round(r.handling_cost),
        programme_cost=round(r.programme_cost),
        net_benefit=round(r.net_benefit),
        roi=None if r.roi is None else round(r.roi * 100),
        break_even_rate=(
            None if r.break_even_recovery_rate is None else _percent(r.break_even_recovery_rate)
        ),
        investment=round(c.investment),
        active_initiatives=c.active_initiatives,
        dropped_budget=round(c.dropped_budget),
        dropped_initiatives=c.dropped_initiatives,
        first_year_cost=round(c.first_year_cost),
        fixed_differs_from_budget=c.fixed_differs_from_budget,
        finding=finding(view),
        break_even_statement=break_even_statement(view),
        cost_statement=cost_statement(view, case.plan.compensation_per_year),
        case=_case_summary(case, view.saved),
    )
