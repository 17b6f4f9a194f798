"""One programme cost: the active initiatives' budget beside the calculator's yearly cost."""

from __future__ import annotations

import pytest

from workbench.analysis.programme_cost import BudgetLine, reconcile


def test_dropped_work_is_left_out_of_the_investment() -> None:
    # The demo: 337,000 of budget of which one dropped initiative holds 30,000.
    lines = [
        BudgetLine(200_000.0, dropped=False),
        BudgetLine(107_000.0, dropped=False),
        BudgetLine(None, dropped=False),
        BudgetLine(30_000.0, dropped=True),
    ]
    costs = reconcile(lines, fixed_cost=140_000.0, handling_cost=116_640.0)
    assert costs.investment == pytest.approx(307_000)
    assert costs.active_initiatives == 3
    assert (costs.dropped_budget, costs.dropped_initiatives) == (pytest.approx(30_000), 1)
    assert costs.running_cost == pytest.approx(256_640)
    assert costs.first_year_cost == pytest.approx(307_000 + 256_640)
    assert costs.fixed_differs_from_budget


def test_a_fixed_cost_equal_to_the_budget_is_not_flagged() -> None:
    costs = reconcile([BudgetLine(50_000.0, dropped=False)], 50_000.2, 0.0)
    assert not costs.fixed_differs_from_budget
    assert not reconcile([], 0.0, 10.0).fixed_differs_from_budget


def test_no_initiatives_no_investment() -> None:
    costs = reconcile([BudgetLine(9_000.0, dropped=True)], 1_000.0, 500.0)
    assert costs.investment == 0.0
    assert costs.first_year_cost == pytest.approx(1_500)
    assert costs.dropped_budget == pytest.approx(9_000)
