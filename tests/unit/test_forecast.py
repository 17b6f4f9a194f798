"""Progress, straight-line forecasts and goal status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workbench.analysis.forecast import (
    Measurement,
    forecast,
    latest_value,
    progress,
    status,
    target_met,
)

START = date(2025, 1, 1)
TARGET_DATE = date(2025, 4, 11)  # 1 January + 100 days


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def readings(*pairs: tuple[int, float]) -> list[Measurement]:
    return [Measurement(day(offset), value) for offset, value in pairs]


# --- progress ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (10.0, 20.0, 15.0, 0.5),  # (15 - 10) / (20 - 10)
        (10.0, 20.0, 10.0, 0.0),
        (10.0, 20.0, 20.0, 1.0),
        (10.0, 20.0, 25.0, 1.5),  # beyond the target
        (10.0, 20.0, 5.0, -0.5),  # the wrong way
        (48.0, 24.0, 36.0, 0.5),  # lower is better: (36 - 48) / (24 - 48) = -12 / -24
        (48.0, 24.0, 54.0, -0.25),  # (54 - 48) / -24
        (-85.0, 22.0, -31.5, 0.5),  # NPS: (-31.5 + 85) / 107 = 53.5 / 107
    ],
)
def test_progress_is_the_share_of_the_way(
    baseline: float, target: float, current: float, expected: float
) -> None:
    assert progress(baseline, target, current) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("current", "direction", "expected"),
    [
        (5.0, None, 1.0),
        (6.0, None, 0.0),
        (6.0, "higher", 1.0),
        (4.0, "higher", 0.0),
        (4.0, "lower", 1.0),
        (6.0, "lower", 0.0),
    ],
)
def test_progress_when_baseline_equals_target(
    current: float, direction: str | None, expected: float
) -> None:
    assert progress(5.0, 5.0, current, direction) == expected


# --- forecast ---------------------------------------------------------------------


def test_forecast_fits_least_squares_line() -> None:
    # x = 0, 10, 20; y = 10, 12, 17. Means: x 10, y 13.
    # Sxx = 100 + 0 + 100 = 200; Sxy = (-10)(-3) + 0 + (10)(4) = 70; slope = 0.35 / day.
    # Intercept = 13 - 0.35 * 10 = 9.5; at day 100: 9.5 + 35 = 44.5.
    # Fitted 9.5, 13, 16.5 -> residuals 0.5, -1, 0.5 -> SSres 1.5; SStot 9 + 1 + 16 = 26.
    line = forecast(readings((0, 10.0), (10, 12.0), (20, 17.0)), TARGET_DATE)
    assert line is not None
    assert line.slope_per_day == pytest.approx(0.35)
    assert line.slope_per_30_days == pytest.approx(10.5)
    assert line.intercept == pytest.approx(9.5)
    assert line.projected == pytest.approx(44.5)
    assert line.r_squared == pytest.approx(1 - 1.5 / 26)
    assert line.points == 3
    assert line.start == START
    assert line.value_on(day(40)) == pytest.approx(23.5)  # 9.5 + 0.35 * 40


def test_forecast_ignores_input_order() -> None:
    ordered = readings((0, 10.0), (10, 12.0), (20, 17.0))
    shuffled = [ordered[2], ordered[0], ordered[1]]
    assert forecast(shuffled, TARGET_DATE) == forecast(ordered, TARGET_DATE)


def test_forecast_handles_a_falling_metric() -> None:
    # 48, 45, 42 over days 0, 10, 20: slope -0.3 / day; at day 100: 48 - 30 = 18.
    line = forecast(readings((0, 48.0), (10, 45.0), (20, 42.0)), TARGET_DATE)
    assert line is not None
    assert line.slope_per_30_days == pytest.approx(-9.0)
    assert line.projected == pytest.approx(18.0)


def test_forecast_with_readings_sharing_a_day() -> None:
    # x = 0, 0, 10; y = 10, 14, 15. Means: x 10/3, y 13.
    # Sxx = 2 * (10/3)^2 + (20/3)^2 = 600/9; Sxy = (-10/3)(-3) + (-10/3)(1) + (20/3)(2) = 20.
    # Slope = 20 / (600/9) = 0.3; intercept = 13 - 0.3 * 10/3 = 12 (the same-day mean).
    line = forecast(readings((0, 10.0), (0, 14.0), (10, 15.0)), TARGET_DATE)
    assert line is not None
    assert line.slope_per_day == pytest.approx(0.3)
    assert line.intercept == pytest.approx(12.0)
    assert line.projected == pytest.approx(42.0)  # 12 + 0.3 * 100


@pytest.mark.parametrize(
    "measurements",
    [
        [],
        readings((0, 10.0)),
        readings((5, 10.0), (5, 12.0)),  # two readings, one date
        readings((5, 10.0), (5, 12.0), (5, 11.0)),
    ],
)
def test_forecast_needs_two_dates(measurements: list[Measurement]) -> None:
    assert forecast(measurements, TARGET_DATE) is None


def test_flat_series_fits_perfectly() -> None:
    line = forecast(readings((0, 7.0), (30, 7.0)), TARGET_DATE)
    assert line is not None
    assert (line.slope_per_day, line.projected, line.r_squared) == (0.0, 7.0, 1.0)


def test_forecast_to_a_date_before_the_first_reading() -> None:
    # Slope 0.1 / day from (0, 10): ten days earlier the line reads 9.
    line = forecast(readings((0, 10.0), (10, 11.0)), day(-10))
    assert line is not None
    assert line.projected == pytest.approx(9.0)


# --- latest value and target met ------------------------------------------------


def test_latest_value_averages_readings_on_the_latest_day() -> None:
    assert latest_value([]) is None
    assert latest_value(readings((0, 1.0), (9, 4.0), (9, 6.0), (3, 100.0))) == 5.0


@pytest.mark.parametrize(
    ("direction", "value", "met"),
    [
        ("higher", 80.0, True),
        ("higher", 79.9, False),
        ("lower", 24.0, True),
        ("lower", 24.1, False),
    ],
)
def test_target_met_respects_direction(direction: str, value: float, met: bool) -> None:
    target = 80.0 if direction == "higher" else 24.0
    assert target_met(direction, target, value) is met


# --- status with a trend ----------------------------------------------------------

TODAY = day(20)


@pytest.mark.parametrize(
    ("values", "projected", "projected_progress", "expected"),
    [
        # Baseline 50, target 80 by day 100; readings on days 0, 10 and 20.
        ((50.0, 53.0, 56.0), 80.0, 1.0, "on_track"),  # slope 0.3: 50 + 30 = 80 -> 30/30
        ((50.0, 52.5, 55.0), 75.0, 25 / 30, "at_risk"),  # slope 0.25: 75 -> 25/30 = 0.83
        ((50.0, 52.4, 54.8), 74.0, 0.8, "at_risk"),  # slope 0.24: 74 -> 24/30, the boundary
        ((50.0, 52.0, 54.0), 70.0, 20 / 30, "off_track"),  # slope 0.2: 70 -> 0.67
        ((50.0, 49.0, 48.0), 40.0, -10 / 30, "off_track"),  # going backwards
    ],
)
def test_status_from_the_trend_higher_is_better(
    values: tuple[float, float, float],
    projected: float,
    projected_progress: float,
    expected: str,
) -> None:
    measurements = readings(*zip((0, 10, 20), values, strict=True))
    report = status("higher", 50.0, 80.0, TARGET_DATE, measurements, TODAY)
    assert report.status == expected
    assert report.projected == pytest.approx(projected)
    assert report.projected_progress == pytest.approx(projected_progress)
    assert report.current == values[-1]
    assert report.progress == pytest.approx((values[-1] - 50.0) / 30.0)
    assert "11 April 2025" in report.reason


@pytest.mark.parametrize(
    ("values", "projected", "expected"),
    [
        # Time to resolution: baseline 48 h, target 24 h by day 100.
        ((48.0, 45.0, 42.0), 18.0, "on_track"),  # (18 - 48) / (24 - 48) = 1.25
        ((48.0, 46.0, 44.0), 28.0, "at_risk"),  # -20 / -24 = 0.83
        ((48.0, 47.0, 46.0), 38.0, "off_track"),  # -10 / -24 = 0.42
        ((48.0, 49.0, 50.0), 58.0, "off_track"),  # getting slower: 10 / -24 = -0.42
    ],
)
def test_status_from_the_trend_lower_is_better(
    values: tuple[float, float, float], projected: float, expected: str
) -> None:
    measurements = readings(*zip((0, 10, 20), values, strict=True))
    report = status("lower", 48.0, 24.0, TARGET_DATE, measurements, TODAY)
    assert report.status == expected
    assert report.projected == pytest.approx(projected)


def test_status_without_measurements_is_no_data() -> None:
    report = status("higher", 50.0, 80.0, TARGET_DATE, [], TODAY)
    assert (report.status, report.progress, report.projected) == ("no_data", None, None)


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "latest"),
    [("higher", 50.0, 80.0, 81.0), ("higher", 50.0, 80.0, 80.0), ("lower", 48.0, 24.0, 20.0)],
)
def test_target_already_met_is_on_track_even_after_the_date(
    direction: str, baseline: float, target: float, latest: float
) -> None:
    measurements = readings((0, baseline), (10, latest))
    for today in (TODAY, day(500)):
        report = status(direction, baseline, target, TARGET_DATE, measurements, today)
        assert report.status == "on_track"
        assert report.projected is None
        assert "already meets" in report.reason
    # Progress: (81 - 50) / 30 = 1.03; (80 - 50) / 30 = 1; (20 - 48) / -24 = 1.17.
    assert report.progress == pytest.approx((latest - baseline) / (target - baseline))


def test_missed_target_date_is_off_track_whatever_the_trend() -> None:
    measurements = readings((0, 50.0), (10, 60.0), (20, 70.0))
    report = status("higher", 50.0, 80.0, TARGET_DATE, measurements, TARGET_DATE + timedelta(1))
    assert report.status == "off_track"
    assert "has passed" in report.reason
    # On the target date itself the trend still decides: 50 + 1 * 100 = 150 -> on track.
    assert status("higher", 50.0, 80.0, TARGET_DATE, measurements, TARGET_DATE).status == (
        "on_track"
    )


def test_no_target_date_leaves_an_unmet_goal_without_a_verdict() -> None:
    measurements = readings((0, 50.0), (10, 60.0))
    report = status("higher", 50.0, 80.0, None, measurements, TODAY)
    assert report.status == "no_data"
    assert report.progress == pytest.approx(10 / 30)
    assert status("higher", 50.0, 80.0, None, readings((0, 90.0)), TODAY).status == "on_track"


# --- status from a single reading -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Baseline 50 on day 0, target 80 on day 100, reading on day 50:
        # expected progress 50 / 100 = 0.5.
        (65.0, "on_track"),  # (65 - 50) / 30 = 0.5 >= 0.5
        (70.0, "on_track"),  # 0.67
        (62.0, "at_risk"),  # 12 / 30 = 0.4 = 0.8 * 0.5, the boundary
        (63.0, "at_risk"),  # 0.43
        (61.0, "off_track"),  # 11 / 30 = 0.37 < 0.4
        (45.0, "off_track"),  # went backwards
    ],
)
def test_single_reading_is_judged_against_a_steady_pace(value: float, expected: str) -> None:
    report = status(
        "higher", 50.0, 80.0, TARGET_DATE, readings((50, value)), day(60), baseline_date=START
    )
    assert report.status == expected
    assert report.projected is None
    assert report.progress == pytest.approx((value - 50.0) / 30.0)
    assert "50%" in report.reason  # the expected progress, shown to the user


def test_single_reading_for_a_lower_is_better_metric() -> None:
    # Baseline 48 h, target 24 h; on day 25 a steady pace expects 25%: 48 - 6 = 42 h.
    # 43 h is (43 - 48) / -24 = 0.21 >= 0.8 * 0.25 = 0.2 -> at risk.
    on_pace = status("lower", 48.0, 24.0, TARGET_DATE, readings((25, 42.0)), TODAY, START)
    behind = status("lower", 48.0, 24.0, TARGET_DATE, readings((25, 43.0)), TODAY, START)
    far_behind = status("lower", 48.0, 24.0, TARGET_DATE, readings((25, 44.0)), TODAY, START)
    assert (on_pace.status, behind.status, far_behind.status) == (
        "on_track",
        "at_risk",
        "off_track",  # (44 - 48) / -24 = 0.17 < 0.2
    )


def test_readings_sharing_one_day_count_as_a_single_reading() -> None:
    # Day 50 readings 64 and 66 average 65: half-way on the half-way day -> on track.
    measurements = readings((50, 64.0), (50, 66.0))
    report = status("higher", 50.0, 80.0, TARGET_DATE, measurements, day(50), START)
    assert report.status == "on_track"
    assert report.current == 65.0


def test_single_reading_on_the_baseline_day_expects_no_progress_yet() -> None:
    assert status("higher", 50.0, 80.0, TARGET_DATE, readings((0, 50.0)), TODAY, START).status == (
        "on_track"
    )
    assert status("higher", 50.0, 80.0, TARGET_DATE, readings((0, 49.0)), TODAY, START).status == (
        "off_track"
    )


def test_single_reading_without_a_baseline_date_has_no_verdict() -> None:
    report = status("higher", 50.0, 80.0, TARGET_DATE, readings((50, 65.0)), TODAY)
    assert report.status == "no_data"
    assert report.progress == pytest.approx(0.5)
    assert "baseline date" in report.reason


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        status("up", 1.0, 2.0, TARGET_DATE, readings((0, 1.0)), TODAY)
    with pytest.raises(ValueError, match="direction"):
        target_met("sideways", 1.0, 2.0)


def test_single_reading_when_target_date_is_not_after_baseline_date() -> None:
    # No time allowed between the dates, so the whole way is expected: 100%.
    # 77 is (77 - 50) / 30 = 0.9 -> at risk; 70 is 0.67 -> off track.
    late_baseline = TARGET_DATE
    at_risk = status("higher", 50.0, 80.0, TARGET_DATE, readings((50, 77.0)), TODAY, late_baseline)
    off = status("higher", 50.0, 80.0, TARGET_DATE, readings((50, 70.0)), TODAY, late_baseline)
    assert (at_risk.status, off.status) == ("at_risk", "off_track")


def test_a_target_on_the_wrong_side_of_the_baseline_is_never_on_track():
    report = status(
        "higher",
        baseline=50,
        target=40,
        target_date=date(2026, 1, 1),
        measurements=[Measurement(date(2026, 6, 1), 60)],
        today=date(2026, 12, 4),
    )
    assert report.status == "no_data"
    assert report.progress is None
    assert "cannot be judged" in report.reason and "not above the baseline (50)" in report.reason


def test_reasons_carry_the_unit_and_at_most_two_decimals():
    report = status(
        "higher",
        baseline=1.0,
        target=2.0,
        target_date=date(2027, 1, 1),
        measurements=[Measurement(date(2026, 1, 1), 1.1), Measurement(date(2026, 6, 1), 1.3)],
        today=date(2026, 12, 4),
        unit="stars",
    )
    assert "would reach 1.58 stars by 1 January 2027" in report.reason
    money = status(
        "lower",
        baseline=30_000,
        target=10_000,
        target_date=date(2027, 1, 1),
        measurements=[Measurement(date(2026, 1, 1), 25_000), Measurement(date(2026, 6, 1), 22_000)],
        today=date(2026, 12, 4),
        unit="currency",
        currency="GBP",
    )
    assert "would reach GBP 1" in money.reason and "." not in money.reason.split("GBP ")[1][:8]
