"""Recovery economics: arithmetic, break-even points, validation and cited defaults."""

from __future__ import annotations

import math
from dataclasses import fields, replace

import pytest

from workbench.analysis.economics import (
    BACKGROUND,
    DEFAULTS,
    SOURCES,
    EconomicsInputs,
    compute,
    input_names,
    validate_inputs,
)

# The arithmetic below is worked by hand on these inputs, against no recovery today, so
# every complaint the programme recovers counts; the increment over a current rate is
# tested further down.
NO_RECOVERY_TODAY = EconomicsInputs(
    customers=10_000,
    failure_rate=0.20,
    complaint_rate=0.25,
    recovery_success_rate=0.70,
    customer_lifetime_value=1_000.0,
    churn_unrecovered=0.50,
    churn_recovered=0.22,
    cost_per_recovery=25.0,
    programme_fixed_cost=50_000.0,
)


def test_inputs_worked_through_by_hand() -> None:
    # failures   = 10,000 x 0.20          = 2,000
    # complaints = 2,000 x 0.25           = 500
    # recovered  = 500 x 0.70             = 350
    # retained   = 350 x (0.50 - 0.22)    = 98
    # revenue    = 98 x 1,000             = 98,000
    # cost       = 50,000 + 500 x 25      = 62,500
    # net        = 98,000 - 62,500        = 35,500
    # ROI        = 35,500 / 62,500        = 0.568
    # cost per retained customer = 62,500 / 98 = 637.76
    # break-even rate = 62,500 / (500 x 0.28 x 1,000) = 62,500 / 140,000 = 0.4464
    # break-even customers = 62,500 / 1,000 = 62.5
    result = compute(NO_RECOVERY_TODAY)
    assert result.failures == pytest.approx(2_000)
    assert result.complaints == pytest.approx(500)
    assert result.recovered == pytest.approx(350)
    assert result.customers_retained == pytest.approx(98)
    assert result.lifetime_value_kept == pytest.approx(98_000)
    assert result.programme_cost == pytest.approx(62_500)
    assert result.net_benefit == pytest.approx(35_500)
    assert result.roi == pytest.approx(0.568)
    assert result.cost_per_customer_retained == pytest.approx(62_500 / 98)
    assert result.break_even_recovery_rate == pytest.approx(62_500 / 140_000)
    assert result.break_even_customers == pytest.approx(62.5)


def test_net_benefit_is_zero_at_the_break_even_rate() -> None:
    rate = compute(NO_RECOVERY_TODAY).break_even_recovery_rate
    assert rate is not None
    at_break_even = compute(replace(NO_RECOVERY_TODAY, recovery_success_rate=rate))
    assert at_break_even.net_benefit == pytest.approx(0.0, abs=1e-6)
    # And the customers kept there are exactly the break-even customers: 62.5.
    assert at_break_even.customers_retained == pytest.approx(62.5)


def test_failed_recovery_attempts_still_cost_money() -> None:
    # Recovery success 0: nothing retained, yet 500 complaints x 25 are still paid for.
    result = compute(replace(NO_RECOVERY_TODAY, recovery_success_rate=0.0))
    assert result.customers_retained == 0.0
    assert result.programme_cost == pytest.approx(62_500)
    assert result.net_benefit == pytest.approx(-62_500)
    assert result.roi == pytest.approx(-1.0)
    assert result.cost_per_customer_retained is None


def test_zero_cost_programme() -> None:
    # Cost 0: no ROI can be stated; break-even needs nothing; net = revenue = 98,000.
    result = compute(replace(NO_RECOVERY_TODAY, programme_fixed_cost=0.0, cost_per_recovery=0.0))
    assert result.programme_cost == 0.0
    assert result.roi is None
    assert result.net_benefit == pytest.approx(98_000)
    assert result.break_even_recovery_rate == 0.0
    assert result.break_even_customers == 0.0
    assert result.cost_per_customer_retained == 0.0


def test_zero_complaints() -> None:
    # No complaints: nothing to recover, only the fixed 50,000 is spent.
    result = compute(replace(NO_RECOVERY_TODAY, complaint_rate=0.0))
    assert (result.complaints, result.recovered, result.customers_retained) == (0.0, 0.0, 0.0)
    assert result.programme_cost == pytest.approx(50_000)
    assert result.net_benefit == pytest.approx(-50_000)
    assert result.roi == pytest.approx(-1.0)
    assert result.break_even_recovery_rate is None  # no rate can pay for it
    assert result.break_even_customers == pytest.approx(50.0)  # 50,000 / 1,000


def test_zero_customers() -> None:
    result = compute(replace(NO_RECOVERY_TODAY, customers=0))
    assert result.failures == 0.0
    assert result.programme_cost == pytest.approx(50_000)
    assert result.break_even_recovery_rate is None


@pytest.mark.parametrize(
    ("fixed", "expected_rate"),
    [
        (127_500.0, 1.0),  # cost 140,000 = 500 x 0.28 x 1,000: only a perfect record pays
        (127_500.01, None),  # a penny more and no rate up to 100% breaks even
        (200_000.0, None),  # 212,500 / 140,000 = 1.52
        (0.0, 12_500 / 140_000),  # cost 500 x 25 = 12,500 -> 0.0893
    ],
)
def test_break_even_rate_is_capped_at_100_percent(
    fixed: float, expected_rate: float | None
) -> None:
    rate = compute(replace(NO_RECOVERY_TODAY, programme_fixed_cost=fixed)).break_even_recovery_rate
    if expected_rate is None:
        assert rate is None
    else:
        assert rate == pytest.approx(expected_rate)


def test_recovery_that_loses_customers_has_no_break_even() -> None:
    # Recovered customers churn more (0.6) than unrecovered ones (0.5):
    # retained = 350 x (0.5 - 0.6) = -35, revenue = -35,000, net = -97,500.
    result = compute(replace(NO_RECOVERY_TODAY, churn_recovered=0.6))
    assert result.customers_retained == pytest.approx(-35)
    assert result.net_benefit == pytest.approx(-97_500)
    assert result.break_even_recovery_rate is None
    assert result.cost_per_customer_retained is None


def test_zero_lifetime_value_cannot_break_even() -> None:
    result = compute(replace(NO_RECOVERY_TODAY, customer_lifetime_value=0.0))
    assert result.lifetime_value_kept == 0.0
    assert result.break_even_customers is None
    assert result.break_even_recovery_rate is None


def test_results_are_unrounded_floats() -> None:
    # 7 customers x 1/3 = 2.333...; x 0.5 = 1.1666...; nothing is rounded.
    inputs = replace(NO_RECOVERY_TODAY, customers=7, failure_rate=1 / 3, complaint_rate=0.5)
    result = compute(inputs)
    assert result.failures == pytest.approx(7 / 3)
    assert result.complaints == pytest.approx(7 / 6)
    assert all(
        isinstance(getattr(result, field.name), float)
        for field in fields(result)
        if getattr(result, field.name) is not None
    )


# --- validation ---------------------------------------------------------------------


def test_defaults_are_valid() -> None:
    assert validate_inputs(DEFAULTS) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"customers": -1}, "Customers must be zero or more"),
        ({"customers": 2.5}, "Customers must be a whole number"),
        ({"customers": True}, "Customers must be a whole number"),
        ({"failure_rate": 1.5}, "Failure rate must lie between 0 and 1"),
        ({"complaint_rate": -0.1}, "Complaint rate must lie between 0 and 1"),
        ({"recovery_success_rate": math.nan}, "Target recovery rate must be a number"),
        ({"churn_unrecovered": 2.0}, "Churn after an unrecovered failure must lie between"),
        ({"churn_recovered": -0.5}, "Churn after a recovered failure must lie between"),
        ({"customer_lifetime_value": -10.0}, "Customer lifetime value must be zero or more"),
        ({"cost_per_recovery": math.inf}, "Cost per recovery attempt must be a number"),
        ({"programme_fixed_cost": -1.0}, "Fixed programme cost per year must be zero or more"),
        ({"current_recovery_rate": 1.2}, "Recovery rate today must lie between 0 and 1"),
        ({"current_recovery_rate": math.nan}, "Recovery rate today must be a number"),
        ({"failure_rate": "0.2"}, "Failure rate must be a number"),
    ],
)
def test_out_of_range_inputs_are_reported(change: dict[str, object], fragment: str) -> None:
    inputs = replace(DEFAULTS, **change)
    (message,) = validate_inputs(inputs)
    assert fragment in message
    with pytest.raises(ValueError, match=fragment.split(" must")[0]):
        compute(inputs)


def test_every_bad_input_gets_its_own_message() -> None:
    inputs = EconomicsInputs(-5, 2.0, 2.0, 2.0, -1.0, 2.0, 2.0, -1.0, -1.0, 2.0)
    assert len(validate_inputs(inputs)) == 10


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_rate_bounds_are_allowed(value: float) -> None:
    assert validate_inputs(replace(DEFAULTS, failure_rate=value, churn_recovered=value)) == []


# --- defaults and their sources -------------------------------------------------------


def test_every_default_has_a_source() -> None:
    assert set(SOURCES) == set(input_names())
    assert input_names()[0] == "customers"


def test_cited_defaults_name_their_source_and_assumptions_say_so() -> None:
    for name, source in SOURCES.items():
        if source.kind == "cited":
            assert source.citation, name
        else:
            assert source.kind == "assumption"
            assert source.citation is None
            assert source.note.startswith("Assumption"), name


def test_churn_after_a_recovery_is_an_assumption_not_the_78_percent_figure() -> None:
    # "78% do business again after a mistake if service is excellent" speaks of excellent
    # service only; read as "22% churn after any recovery" it would flatter the case.
    assert DEFAULTS.churn_recovered != pytest.approx(1 - 0.78)
    source = SOURCES["churn_recovered"]
    assert source.kind == "assumption" and source.citation is None
    assert "your own retention after a complaint" in source.note
    assert all("78" not in item.note for item in SOURCES.values())
    quoted = [item for item in BACKGROUND if item.figure.startswith("78% of consumers")]
    assert [item.citation for item in quoted] == ["Salesforce research"]
    assert "if its service is excellent" in quoted[0].figure


def test_background_figures_carry_citations() -> None:
    cited = {item.citation for item in BACKGROUND}
    assert {"Path Digital Solutions, 2022", "Khoros, 2021"} <= cited
    assert all(item.figure for item in BACKGROUND)


# --- the increment over today's recovery rate (the demo's figures) ----------------------

DEMO = EconomicsInputs(
    customers=180_000,
    failure_rate=0.12,
    complaint_rate=0.3,
    recovery_success_rate=0.65,
    customer_lifetime_value=640.0,
    churn_unrecovered=0.45,
    churn_recovered=0.20,
    cost_per_recovery=18.0,
    programme_fixed_cost=140_000.0,
)


def test_demo_measured_against_today_keeps_far_fewer_customers() -> None:
    # complaints = 180,000 x 0.12 x 0.3        = 6,480
    # extra      = 6,480 x (0.65 - 0.52)       = 842.4
    # kept       = 842.4 x (0.45 - 0.20)       = 210.6
    # value      = 210.6 x 640                 = 134,784 (lifetime value)
    # cost       = 140,000 + 6,480 x 18        = 256,640
    # net        = 134,784 - 256,640           = -121,856; ROI = -0.4748
    against_none = compute(DEMO)
    against_today = compute(DEMO, 0.52)
    assert against_none.customers_retained == pytest.approx(1_053)
    assert against_none.roi == pytest.approx(417_280 / 256_640)  # the 163% once reported
    assert against_today.current_recovery_rate == 0.52
    assert against_today.extra_recovered == pytest.approx(842.4)
    assert against_today.customers_retained == pytest.approx(210.6)
    assert against_today.lifetime_value_kept == pytest.approx(134_784)
    assert against_today.programme_cost == pytest.approx(256_640)
    assert (against_today.fixed_cost, against_today.handling_cost) == pytest.approx(
        (140_000, 116_640)
    )
    assert against_today.net_benefit == pytest.approx(-121_856)
    assert against_today.roi == pytest.approx(-121_856 / 256_640)
    assert against_today.lifetime_value_kept < against_none.lifetime_value_kept / 4


def test_demo_break_even_lies_above_todays_rate() -> None:
    # 256,640 / (6,480 x 0.25 x 640 = 1,036,800) = 0.2475 above today's 0.52 -> 0.7675.
    result = compute(DEMO, 0.52)
    assert result.break_even_recovery_rate == pytest.approx(0.52 + 256_640 / 1_036_800)
    assert result.break_even_recovery_rate is not None and result.break_even_recovery_rate > 0.52
    # Against no recovery the same cost seemed to break even at 25%, below today's rate.
    assert compute(DEMO).break_even_recovery_rate == pytest.approx(0.2475, abs=1e-4)
    # At the break-even target the net benefit is zero.
    at_break_even = compute(replace(DEMO, recovery_success_rate=0.52 + 256_640 / 1_036_800), 0.52)
    assert at_break_even.net_benefit == pytest.approx(0.0, abs=1e-6)


def test_break_even_is_not_reachable_when_today_is_already_high() -> None:
    # Today 80%: 0.80 + 0.2475 > 1, so no rate up to 100% pays for the running cost.
    assert compute(DEMO, 0.80).break_even_recovery_rate is None


def test_measured_rate_beats_the_entered_one() -> None:
    entered = replace(DEMO, current_recovery_rate=0.40)
    assert compute(entered).current_recovery_rate == 0.40
    assert compute(entered, 0.52).current_recovery_rate == 0.52
    assert compute(entered, 0.52).customers_retained == pytest.approx(210.6)


def test_target_equal_to_today_keeps_no_one() -> None:
    result = compute(DEMO, 0.65)
    assert result.extra_recovered == pytest.approx(0.0)
    assert result.customers_retained == pytest.approx(0.0)
    assert result.net_benefit == pytest.approx(-256_640)


def test_a_measured_rate_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="measured recovery rate"):
        compute(DEMO, 1.5)


def test_defaults_are_measured_against_an_assumed_rate_today() -> None:
    # 500 complaints x (0.70 - 0.50) = 100 extra; x (0.50 - 0.20) = 30 kept; x 1,000 = 30,000.
    result = compute(DEFAULTS)
    assert DEFAULTS.current_recovery_rate == 0.50
    assert result.customers_retained == pytest.approx(30)
    assert result.lifetime_value_kept == pytest.approx(30_000)
    assert result.break_even_recovery_rate == pytest.approx(0.5 + 62_500 / 150_000)
