"""The recovery economics as the storyboard reports them: rounded figures and sentences.

The sentences are written for a board member. While the team has not saved its own
figures every sentence opens by saying the figures are illustrative, so no reader takes
the defaults for a finding.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.services import economics
from workbench.services.report_values import Economics

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


def cost_statement(view: economics.EconomicsView) -> str:
    """State the one programme cost: the one-off investment and the yearly running cost."""
    c, currency = view.costs, view.currency
    running = (
        f"{_money(currency, c.running_cost)} a year to run ({_money(currency, c.fixed_cost)} "
        f"fixed and {_money(currency, c.handling_cost)} for handling "
        f"{round(view.result.complaints):,} complaints)"
    )
    if c.investment > 0:
        text = (
            f"The programme costs {_money(currency, c.investment)} once, the budget of its "
            f"{_plural(c.active_initiatives, 'active initiative')}, and {running}; the first "
            f"year costs {_money(currency, c.first_year_cost)}."
        )
    else:
        text = f"No initiative carries a budget yet; the programme costs {running}."
    if c.dropped_initiatives:
        text += (
            f" The {_money(currency, c.dropped_budget)} of "
            f"{_plural(c.dropped_initiatives, 'dropped initiative')} is not counted."
        )
    if c.investment > 0 and c.fixed_differs_from_budget:
        text += (
            " The return is measured on the running cost; the one-off investment comes "
            "on top of it."
        )
    return (ILLUSTRATIVE if not view.saved else "") + text


def report_value(session: Session) -> Economics:
    """Build the storyboard's economics value from the workspace's figures."""
    view = economics.view(session)
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
        cost_statement=cost_statement(view),
    )
