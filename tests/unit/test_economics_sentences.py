"""The sentences the storyboard quotes about the economics, on hand-made cases."""

from __future__ import annotations

from dataclasses import replace

from workbench.analysis.economics import EconomicsInputs, compute
from workbench.analysis.programme_cost import BudgetLine, reconcile
from workbench.services.economics import CurrentRate, EconomicsView
from workbench.services.economics_report import break_even_statement, cost_statement, finding

DEMO = EconomicsInputs(180_000, 0.12, 0.3, 0.65, 640.0, 0.45, 0.20, 18.0, 140_000.0)


def _view(
    inputs: EconomicsInputs, current: CurrentRate, version: int = 1, lines: tuple = ()
) -> EconomicsView:
    result = compute(inputs, current.rate if current.measured else None)
    costs = reconcile(list(lines), result.fixed_cost, result.handling_cost)
    return EconomicsView(inputs, current, result, costs, version, "GBP")


def test_a_target_not_above_today_keeps_no_one() -> None:
    view = _view(DEMO, CurrentRate(0.70, "reading", "Recovery rate", "1 November 2026"))
    assert finding(view) == (
        "The target recovery rate of 65% is not above today's 70%, so the programme keeps "
        "no more customers than today's handling does."
    )
    # 70% + 256,640 / 1,036,800 = 94.75%: reachable, but well above the target.
    assert "once 95% of complaints are recovered, 25 points above today's 70%" in (
        break_even_statement(view)
    )
    higher = _view(DEMO, CurrentRate(0.80, "reading", "Recovery rate", "1 November 2026"))
    assert "No recovery rate up to 100%" in break_even_statement(higher)


def test_an_unknown_rate_today_is_said_to_overstate() -> None:
    view = _view(DEMO, CurrentRate(None, "unknown"))
    text = finding(view)
    assert text.startswith("No recovery rate for today is known")
    assert "overstate" in text and "a return of 163%" in text
    assert "today's" not in break_even_statement(view)


def test_a_paying_programme_states_its_return_and_nothing_illustrative_once_saved() -> None:
    cheap = replace(DEMO, programme_fixed_cost=0.0, cost_per_recovery=1.0)
    view = _view(cheap, CurrentRate(0.52, "baseline", "Recovery rate", "30 November 2025"))
    # kept 210.6 x 640 = 134,784 against 6,480 of handling: (134,784 - 6,480) / 6,480 = 1,980%.
    assert "a return of 1980% on the running cost" in finding(view)
    assert not finding(view).startswith("Illustrative")
    # 52% + 6,480 / 1,036,800 = 52.6%: one point above today, in the singular.
    assert "53% of complaints are recovered, 1 point above today's 52%" in (
        break_even_statement(view)
    )


def test_unsaved_figures_say_so_first() -> None:
    view = _view(DEMO, CurrentRate(0.5, "assumed"), version=0)
    for text in (finding(view), break_even_statement(view), cost_statement(view)):
        assert text.startswith("Illustrative only")


def test_the_cost_statement_reconciles_budget_and_running_cost() -> None:
    lines = (BudgetLine(307_000.0, dropped=False), BudgetLine(30_000.0, dropped=True))
    view = _view(DEMO, CurrentRate(0.52, "baseline", "Recovery rate", "30 November 2025"), 1, lines)
    assert cost_statement(view, 63_000.0) == (
        "The programme costs GBP 307,000 once, the budget of its 1 active initiative spread "
        "over their dates, and GBP 256,640 a year to run (GBP 140,000 fixed and GBP 116,640 "
        "for handling 6,480 complaints) from the day it starts. The GBP 30,000 of 1 dropped "
        "initiative is not counted. The playbook's remedies add GBP 63,000 a year of "
        "compensation."
    )
