"""Funding by year adds up to the budget, in proportion to the days in each year."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.analysis.alignment_records import InitiativeRecord
from workbench.analysis.phasing import phase_budgets


def test_a_budget_is_split_between_years_by_days_and_undated_work_is_kept_apart():
    records = [
        InitiativeRecord(1, "A", budget=365.0 + 31, start=date(2026, 1, 1), end=date(2027, 1, 31)),
        InitiativeRecord(2, "B", budget=1000.0),
        InitiativeRecord(3, "C", budget=None, start=date(2026, 1, 1), end=date(2026, 2, 1)),
        InitiativeRecord(4, "D", budget=50.0, start=date(2026, 5, 1), end=date(2026, 4, 1)),
    ]
    phasing = phase_budgets(records)
    assert phasing.by_year == ((2026, pytest.approx(365.0)), (2027, pytest.approx(31.0)))
    assert phasing.undated == 1050.0
    assert phasing.total == pytest.approx(365 + 31 + 1050)


def test_nothing_to_phase_gives_no_years():
    assert phase_budgets([]).by_year == ()
    assert phase_budgets([]).total == 0
