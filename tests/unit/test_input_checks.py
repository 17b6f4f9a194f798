"""The business case's inputs against the team's measurements of the same things."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.test_business_case import DEMO
from workbench.analysis.input_checks import (
    Measured,
    check_lifetime_value,
    check_retention,
    implied_retention,
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
