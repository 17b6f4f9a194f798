"""The business case over years: worked examples by hand, break-even, payback and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis.business_case import CasePlan, build, ramp_shares, track, validate_plan
from workbench.analysis.business_case_sensitivity import (
    Range,
    default_range,
    ranges_for,
    scenarios,
    sensitivity,
)
from workbench.analysis.economics import EconomicsInputs

# The demo hotel group: 180,000 customers, 12% meet a failure, 30% of those complain,
# so 6,480 complaints a year; today's recovery rate is 52% and the target 65%.
DEMO = EconomicsInputs(
    customers=180_000,
    failure_rate=0.12,
    complaint_rate=0.3,
    recovery_success_rate=0.65,
    customer_lifetime_value=640.0,
    churn_unrecovered=0.45,
    churn_recovered=0.2,
    cost_per_recovery=18.0,
    programme_fixed_cost=140_000.0,
    current_recovery_rate=0.52,
)

AT_ONCE = CasePlan(
    first_year=2027,
    horizon_years=3,
    discount_rate=0.10,
    current_rate=0.52,
    ramp_start=date(2027, 1, 1),
    ramp_end=date(2027, 1, 1),
    investment_by_year={2027: 100_000.0},
)


def test_demo_case_worked_by_hand() -> None:
    # extra recovered = 6,480 x (0.65 - 0.52) = 842.4 a year
    # customers kept  = 842.4 x (0.45 - 0.20) = 210.6 a year
    # value kept      = 210.6 x 640           = 134,784 (lifetime value, each year)
    # running cost    = 140,000 + 6,480 x 18  = 256,640 a year
    # 2027 cost = 100,000 + 256,640 = 356,640; net = -221,856
    # 2028 and 2029 cost 256,640; net = -121,856
    case = build(DEMO, AT_ONCE)
    assert [row.year for row in case.years] == [2027, 2028, 2029]
    first, second, third = case.years
    assert first.extra_recovered == pytest.approx(842.4)
    assert first.customers_kept == pytest.approx(210.6)
    assert first.value_kept == pytest.approx(134_784)
    assert first.running_cost == pytest.approx(256_640)
    assert first.cost == pytest.approx(356_640)
    assert first.net == pytest.approx(-221_856)
    assert second.net == pytest.approx(-121_856)
    assert second.present_value == pytest.approx(-121_856 / 1.1)
    assert third.present_value == pytest.approx(-121_856 / 1.21)
    assert third.cumulative_net == pytest.approx(-221_856 - 2 * 121_856)
    assert case.npv == pytest.approx(-221_856 - 121_856 / 1.1 - 121_856 / 1.21)
    assert case.total_value == pytest.approx(3 * 134_784)
    assert case.total_cost == pytest.approx(356_640 + 2 * 256_640)
    assert case.roi == pytest.approx((3 * 134_784 - 869_920) / 869_920)
    assert case.payback_years is None
    # Break-even: discounted cost / discounted value of one whole rate point.
    pv_cost = 356_640 + 256_640 / 1.1 + 256_640 / 1.21
    per_point = 6_480 * 0.25 * 640 * (1 + 1 / 1.1 + 1 / 1.21)
    assert case.break_even_rate == pytest.approx(0.52 + pv_cost / per_point)


def test_the_break_even_rate_gives_a_zero_npv() -> None:
    cheap = replace(DEMO, programme_fixed_cost=20_000.0, cost_per_recovery=2.0)
    rate = build(cheap, AT_ONCE).break_even_rate
    assert rate is not None and 0.52 < rate < 1.0
    assert build(replace(cheap, recovery_success_rate=rate), AT_ONCE).npv == pytest.approx(
        0, abs=1e-6
    )


def test_no_break_even_when_no_rate_pays() -> None:
    assert build(replace(DEMO, programme_fixed_cost=5_000_000.0), AT_ONCE).break_even_rate is None


def test_payback_interpolated_within_the_year_it_turns() -> None:
    # No running cost: 2027 net = 134,784 - 200,000 = -65,216; 2028 net = 134,784.
    free_to_run = replace(DEMO, programme_fixed_cost=0.0, cost_per_recovery=0.0)
    case = build(free_to_run, replace(AT_ONCE, investment_by_year={2027: 200_000.0}))
    assert case.payback_years == pytest.approx(1 + 65_216 / 134_784)


def test_ramp_averages_the_daily_climb() -> None:
    # 2027 climbs a day at a time over 365 days: the average of 0/365 ... 364/365 = 182/365.
    plan = replace(AT_ONCE, ramp_end=date(2028, 1, 1))
    assert ramp_shares(plan) == pytest.approx((182 / 365, 1.0, 1.0))
    # Reached at once on 1 July: 184 of 2027's 365 days at the target.
    plan = replace(AT_ONCE, ramp_start=date(2027, 7, 1), ramp_end=date(2027, 7, 1))
    assert ramp_shares(plan) == pytest.approx((184 / 365, 1.0, 1.0))
    case = build(DEMO, replace(plan, compensation_per_year=36_500.0))
    assert case.years[0].recovery_rate == pytest.approx(0.52 + 0.13 * 184 / 365)
    # Running cost and compensation start with the programme: 184 of 365 days in 2027.
    assert case.years[0].running_cost == pytest.approx(256_640 * 184 / 365)
    assert case.years[0].compensation == pytest.approx(36_500 * 184 / 365)
    assert case.years[1].running_cost == pytest.approx(256_640)


def test_budget_outside_the_horizon() -> None:
    plan = replace(
        AT_ONCE,
        first_year=2028,
        investment_by_year={2027: 10_000.0, 2028: 20_000.0, 2031: 40_000.0},
        undated_investment=5_000.0,
    )
    case = build(DEMO, plan)
    # Earlier and undated budget lands in the first year; later budget is reported apart.
    assert case.years[0].investment == pytest.approx(35_000)
    assert case.investment_after_horizon == pytest.approx(40_000)


def test_compensation_counts_every_year() -> None:
    case = build(DEMO, replace(AT_ONCE, compensation_per_year=12_000.0))
    assert all(row.compensation == 12_000.0 for row in case.years)
    assert case.years[1].cost == pytest.approx(256_640 + 12_000)


def test_plan_validation_messages() -> None:
    bad = replace(
        AT_ONCE,
        horizon_years=7,
        discount_rate=0.9,
        ramp_end=date(2026, 1, 1),
        compensation_per_year=-1.0,
    )
    messages = validate_plan(bad)
    assert len(messages) == 4
    assert "3 to 5 years" in messages[0]
    with pytest.raises(ValueError, match="horizon"):
        build(DEMO, bad)


def test_scenarios_order_and_tornado() -> None:
    ranges = ranges_for(DEMO, {"customer_lifetime_value": Range(400.0, 900.0, entered=True)})
    assert ranges["customer_lifetime_value"] == Range(400.0, 900.0, entered=True)
    assert ranges["churn_recovered"] == pytest.approx(default_range("churn_recovered", 0.2))
    three = scenarios(DEMO, AT_ONCE, ranges)
    assert three.low.npv < three.base.npv < three.high.npv
    assert three.base == build(DEMO, AT_ONCE)
    swings = sensitivity(DEMO, AT_ONCE, ranges)
    assert [swing.width for swing in swings] == sorted(
        (swing.width for swing in swings), reverse=True
    )
    by_name = {swing.name: swing for swing in swings}
    # Less churn after a recovery keeps more customers: its low value is the better one.
    assert by_name["churn_recovered"].npv_at_low > by_name["churn_recovered"].npv_at_high
    assert (
        by_name["customer_lifetime_value"].npv_at_high
        > by_name["customer_lifetime_value"].npv_at_low
    )


def test_default_range_keeps_shares_within_one() -> None:
    assert default_range("churn_unrecovered", 0.9).high == 1.0
    assert default_range("customer_lifetime_value", 1_000.0) == Range(750.0, 1_250.0)


def test_tracking_on_plan_and_flat() -> None:
    today = date(2027, 6, 30)
    on_target = track(DEMO, AT_ONCE, [(date(2026, 12, 1), 0.65)], today)
    assert on_target.first_day == date(2027, 1, 1)
    assert on_target.days == 181
    assert on_target.realised == pytest.approx(on_target.planned)
    assert on_target.planned == pytest.approx(134_784 * 181 / 365)
    flat = track(DEMO, AT_ONCE, [(date(2027, 1, 1), 0.52), (date(2027, 8, 1), 0.9)], today)
    assert flat.realised == pytest.approx(0.0)
    assert flat.last_reading == date(2027, 1, 1)
    assert flat.share == pytest.approx(0.0)


def test_tracking_follows_each_reading_until_the_next() -> None:
    # Half the increment for 31 days of January, then the whole of it for 28 of February.
    readings = [(date(2027, 1, 1), 0.585), (date(2027, 2, 1), 0.65)]
    result = track(DEMO, AT_ONCE, readings, date(2027, 2, 28))
    assert result.realised == pytest.approx(134_784 * (31 * 0.5 + 28) / 365)
    assert track(DEMO, AT_ONCE, [], date(2027, 2, 28)).first_day is None


rates = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(current=rates)
def test_no_benefit_when_the_target_is_today(current: float) -> None:
    inputs = replace(DEMO, recovery_success_rate=current)
    case = build(inputs, replace(AT_ONCE, current_rate=current))
    assert all(row.value_kept == pytest.approx(0.0, abs=1e-6) for row in case.years)


@settings(max_examples=40, deadline=None)
@given(lower=rates, higher=rates)
def test_value_rises_with_the_target_rate(lower: float, higher: float) -> None:
    lower, higher = sorted((lower, higher))
    plan = replace(AT_ONCE, ramp_end=date(2028, 3, 1))
    low = build(replace(DEMO, recovery_success_rate=lower), plan)
    high = build(replace(DEMO, recovery_success_rate=higher), plan)
    assert high.total_value >= low.total_value - 1e-6
    assert high.npv >= low.npv - 1e-6


@settings(max_examples=40, deadline=None)
@given(target=rates, investment=st.floats(min_value=0, max_value=1e7))
def test_npv_at_zero_discount_is_the_plain_sum(target: float, investment: float) -> None:
    plan = replace(AT_ONCE, discount_rate=0.0, investment_by_year={2028: investment})
    case = build(replace(DEMO, recovery_success_rate=target), plan)
    assert case.npv == pytest.approx(sum(row.net for row in case.years))
    assert case.npv == pytest.approx(case.years[-1].cumulative_net)
