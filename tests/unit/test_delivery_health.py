"""Percentage complete, forecast end, slip against the baseline and health, as of a fixed day."""

from __future__ import annotations

from datetime import date, timedelta

from workbench.analysis.alignment_records import Dependency, InitiativeRecord, MilestoneRecord
from workbench.analysis.delivery import plan_delivery
from workbench.analysis.delivery_health import (
    AT_RISK,
    ENTERED,
    FROM_MILESTONES,
    LATE,
    ON_TRACK,
    UNKNOWN,
    assess_all,
)

TODAY = date(2026, 12, 4)


def days(n: int) -> date:
    """A day relative to TODAY: negative in the past."""
    return TODAY + timedelta(days=n)


def health(record: InitiativeRecord, milestones: tuple[MilestoneRecord, ...] = ()):
    plan = plan_delivery([record], [], TODAY, "GBP", milestones)
    return assess_all([record], milestones, plan.flags, TODAY)[record.id]


def step(number: int, due: int, done: int | None = None) -> MilestoneRecord:
    return MilestoneRecord(
        number, 1, f"Step {number}", days(due), None if done is None else days(done)
    )


# --------------------------------------------------------------------------- percentage complete


def test_milestones_decide_the_percentage_and_the_entered_figure_is_ignored():
    record = InitiativeRecord(1, "Log", status="in_progress", percent_complete=90)
    result = health(record, (step(1, -30, -31), step(2, 30), step(3, 60), step(4, 90)))
    assert result.completion.percent == 25
    assert result.completion.source == FROM_MILESTONES
    assert result.completion.reason == "1 of 4 milestones done."


def test_without_milestones_the_entered_figure_counts_and_says_so():
    result = health(InitiativeRecord(1, "Log", status="approved", percent_complete=40))
    assert (result.completion.percent, result.completion.source) == (40, ENTERED)
    assert "as entered" in result.completion.reason


def test_with_neither_the_percentage_is_unknown():
    result = health(InitiativeRecord(1, "Log"))
    assert (result.completion.percent, result.completion.source) == (None, UNKNOWN)
    assert "no milestones and no percentage" in result.completion.reason


# --------------------------------------------------------------------------- forecast end


def test_running_work_projects_its_rate_so_far():
    # Started 100 days ago and 40% done: 250 days in all, 150 from today.
    record = InitiativeRecord(
        1, "Log", status="in_progress", start=days(-100), end=days(200), percent_complete=40
    )
    result = health(record)
    assert result.forecast.end == days(150)
    assert "40% done in the 100 days" in result.forecast.reason
    assert result.health == ON_TRACK


def test_a_projection_past_the_planned_end_puts_the_work_at_risk_with_the_days():
    record = InitiativeRecord(
        1, "Log", status="in_progress", start=days(-100), end=days(100), percent_complete=40
    )
    result = health(record)
    assert result.forecast.end == days(150)
    assert result.health == AT_RISK
    assert "50 days after the planned end" in result.reason
    # The one reason for risk no delivery flag gives is kept apart for the storyboard.
    assert result.forecast_risk.startswith("Forecast to end on")


def test_a_projection_past_only_the_baseline_end_puts_the_work_at_risk():
    record = InitiativeRecord(
        1,
        "Log",
        status="in_progress",
        start=days(-100),
        end=days(200),
        percent_complete=40,
        baseline_start=days(-100),
        baseline_end=days(120),
    )
    result = health(record)
    assert result.health == AT_RISK
    assert "30 days after the baseline end" in result.reason
    assert result.end_slip == 80
    assert result.start_slip == 0


def test_work_not_yet_running_is_forecast_to_end_on_its_planned_end():
    record = InitiativeRecord(1, "Log", status="approved", start=days(10), end=days(100))
    result = health(record)
    assert result.forecast.end == days(100)
    assert "has not started" in result.forecast.reason
    assert result.health == ON_TRACK


def test_running_work_at_0_percent_has_no_rate_and_keeps_its_planned_end():
    record = InitiativeRecord(
        1, "Log", status="in_progress", start=days(-10), end=days(100), percent_complete=0
    )
    result = health(record)
    assert result.forecast.end == days(100)
    assert "no progress recorded" in result.forecast.reason


def test_running_work_at_100_percent_can_end_today():
    record = InitiativeRecord(
        1, "Log", status="in_progress", start=days(-10), end=days(100), percent_complete=100
    )
    result = health(record)
    assert result.forecast.end == TODAY
    assert result.health == ON_TRACK


def test_a_planned_end_already_past_gives_today_and_the_work_is_late():
    record = InitiativeRecord(1, "Log", status="in_progress", start=days(-100), end=days(-7))
    result = health(record)
    assert result.forecast.end == TODAY
    assert "has passed" in result.forecast.reason
    assert result.health == LATE
    assert "7 days ago" in result.reason
    assert result.forecast_risk == ""
    assert result.label == "Late"


def test_no_dates_and_no_progress_give_no_forecast_and_no_slip():
    result = health(InitiativeRecord(1, "Log", status="in_progress"))
    assert result.forecast.end is None
    assert "No planned end" in result.forecast.reason
    assert (result.start_slip, result.end_slip) == (None, None)
    assert result.health == ON_TRACK
    assert result.reason == "Nothing overdue, over budget or planned against its dependencies."


# --------------------------------------------------------------------------- health


def test_an_overdue_milestone_puts_the_work_at_risk_naming_it():
    record = InitiativeRecord(1, "Log", status="in_progress", start=days(-50), end=days(300))
    result = health(record, (step(1, -3), step(2, 40)))
    assert result.health == AT_RISK
    assert "“Step 1”" in result.reason
    assert result.label == "At risk"


def test_not_started_when_due_puts_the_work_at_risk():
    record = InitiativeRecord(1, "Log", status="approved", start=days(-5), end=days(300))
    result = health(record)
    assert result.health == AT_RISK
    assert "Was due to start" in result.reason


def test_over_budget_puts_the_work_at_risk():
    record = InitiativeRecord(1, "Log", status="in_progress", budget=1000, spend=1500)
    result = health(record)
    assert result.health == AT_RISK
    assert "GBP 1,500" in result.reason


def test_done_and_dropped_work_have_no_health():
    for status in ("done", "dropped"):
        result = health(InitiativeRecord(1, "Log", status=status, end=days(-30)))
        assert result.health is None
        assert result.label == ""
        assert result.forecast.end is None


def test_the_slip_counts_days_later_than_the_baseline_and_earlier_as_negative():
    record = InitiativeRecord(
        1,
        "Log",
        status="approved",
        start=days(20),
        end=days(80),
        baseline_start=days(30),
        baseline_end=days(60),
    )
    result = health(record)
    assert (result.start_slip, result.end_slip) == (-10, 20)
    # The forecast is the planned end, 20 days after the baseline end.
    assert result.health == AT_RISK
    assert "20 days after the baseline end" in result.reason


def test_work_planned_to_start_before_a_prerequisite_ends_is_at_risk_not_on_track():
    first = InitiativeRecord(1, "Case system", status="approved", start=days(30), end=days(200))
    second = InitiativeRecord(
        2, "Monthly review", status="proposed", start=days(100), end=days(300)
    )
    links = [Dependency(2, 1)]
    plan = plan_delivery([first, second], links, TODAY, "GBP")
    result = assess_all([first, second], (), plan.flags, TODAY)
    assert result[1].health == ON_TRACK
    assert result[2].health == AT_RISK
    assert "before “Case system”, which it depends on, ends" in result[2].reason


def test_work_depending_on_dropped_work_is_at_risk():
    dropped = InitiativeRecord(1, "Chatbot", status="dropped")
    waiting = InitiativeRecord(2, "Chat transcripts", status="approved", end=days(90))
    plan = plan_delivery([dropped, waiting], [Dependency(2, 1)], TODAY, "GBP")
    result = assess_all([dropped, waiting], (), plan.flags, TODAY)[2]
    assert result.health == AT_RISK and "which was dropped" in result.reason
