"""The business case's inputs against the team's measurements of the same things."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.unit.test_business_case import DEMO
from workbench.analysis.input_checks import (
    Measured,
    check_complaints,
    check_lifetime_value,
    check_retention,
    implied_retention,
    measured_year,
)

ON = date(2026, 11, 30)


def test_the_demo_inputs_imply_a_retention_far_above_the_measured_one() -> None:
    # Today 52% recovered: lost = 0.52 x 0.20 + 0.48 x 0.45 = 0.104 + 0.216 = 0.32.
    assert implied_retention(DEMO, 0.52) == pytest.approx(0.68)
    check = check_retention(DEMO, 0.52, Measured(0.207, ON, "Retention after complaint", "COO"))
    assert check.differs and check.used == pytest.approx(0.68)
    near = check_retention(DEMO, 0.52, Measured(0.64, ON, "Retention after complaint", "COO"))
    assert not near.differs


def test_lifetime_value_within_a_tenth_agrees() -> None:
    assert not check_lifetime_value(DEMO, Measured(600.0, ON, "CLV", "")).differs
    assert check_lifetime_value(DEMO, Measured(500.0, ON, "CLV", "")).differs
    assert check_lifetime_value(DEMO, Measured(0.0, ON, "CLV", "")).differs


def test_complaints_a_year_from_the_readings_of_a_year() -> None:
    weekly = [(date(2026, 1, 5) + timedelta(weeks=n), 120.0) for n in range(52)]
    total, latest = measured_year(weekly) or (0.0, None)
    # 52 weekly counts of 120 = 6,240 in the year to the last reading.
    assert total == pytest.approx(6_240) and latest == date(2026, 12, 28)
    # The demo's inputs give 6,480 a year: within a quarter, so they agree.
    check = check_complaints(DEMO, Measured(total, date(2026, 12, 28), "Complaint volume", ""))
    assert check.used == pytest.approx(6_480) and not check.differs
    assert check_complaints(DEMO, Measured(3_000, ON, "Complaint volume", "")).differs
    # Readings older than a year are left out; fewer than 300 days of them say nothing yet.
    assert measured_year([(date(2024, 1, 1), 9_999.0), *weekly])[0] == pytest.approx(6_240)
    assert measured_year(weekly[:40]) is None
    assert measured_year([]) is None
