"""Delivery flags and the waves of remaining work."""

from __future__ import annotations

from datetime import date

from workbench.analysis.alignment_records import Dependency, InitiativeRecord, MilestoneRecord
from workbench.analysis.delivery import (
    BEFORE_PREREQUISITE,
    DONE_TOO_EARLY,
    LATE,
    MILESTONE_OVERDUE,
    NOT_STARTED,
    ON_DROPPED_WORK,
    OVERSPENT,
    plan_delivery,
)

TODAY = date(2026, 12, 4)


def kinds(plan, initiative_id):
    return [flag.kind for flag in plan.flags[initiative_id]]


def test_an_initiative_past_its_end_and_not_done_is_late_with_its_reason():
    record = InitiativeRecord(1, "Log", status="in_progress", end=date(2026, 11, 27))
    plan = plan_delivery([record], [], TODAY, "GBP")
    assert kinds(plan, 1) == [LATE]
    assert "27 November 2026, 7 days ago" in plan.flags[1][0].reason
    assert plan.count(LATE) == 1


def test_done_work_past_its_end_is_not_late():
    record = InitiativeRecord(1, "Log", status="done", end=date(2026, 1, 1))
    assert kinds(plan_delivery([record], [], TODAY, "GBP"), 1) == []


def test_approved_work_past_its_start_has_not_started_and_says_nothing_was_spent():
    record = InitiativeRecord(1, "Log", status="approved", start=date(2026, 9, 1), spend=0)
    plan = plan_delivery([record], [], TODAY, "GBP")
    assert kinds(plan, 1) == [NOT_STARTED]
    assert "with nothing spent" in plan.flags[1][0].reason


def test_spend_above_budget_is_flagged_in_the_currency():
    record = InitiativeRecord(1, "Log", budget=10_000, spend=12_500)
    plan = plan_delivery([record], [], TODAY, "EUR")
    assert kinds(plan, 1) == [OVERSPENT]
    assert "EUR 12,500 of a budget of EUR 10,000" in plan.flags[1][0].reason


def test_starting_before_a_prerequisite_ends_is_flagged():
    first = InitiativeRecord(1, "Platform", end=date(2027, 6, 30))
    second = InitiativeRecord(2, "Training", start=date(2027, 3, 1))
    plan = plan_delivery([first, second], [Dependency(2, 1)], TODAY, "GBP")
    assert kinds(plan, 2) == [BEFORE_PREREQUISITE]
    assert kinds(plan, 1) == []


def test_done_work_depending_on_open_work_is_flagged_and_sits_in_no_wave():
    first = InitiativeRecord(1, "Platform", status="proposed", start=date(2027, 12, 1))
    second = InitiativeRecord(2, "Training", status="done")
    plan = plan_delivery([first, second], [Dependency(2, 1)], TODAY, "GBP")
    assert kinds(plan, 2) == [DONE_TOO_EARLY]
    assert plan.delivered == (2,)
    assert plan.waves == ((1,),)


def test_dropped_work_takes_no_part_and_its_dependants_are_told():
    dropped = InitiativeRecord(1, "Kiosk", status="dropped", end=date(2020, 1, 1))
    dependant = InitiativeRecord(2, "Kiosk training")
    plan = plan_delivery([dropped, dependant], [Dependency(2, 1)], TODAY, "GBP")
    assert 1 not in plan.flags
    assert kinds(plan, 2) == [ON_DROPPED_WORK]
    assert plan.waves == ((2,),)


def test_waves_follow_dependencies_of_remaining_work_ordered_by_start():
    records = [
        InitiativeRecord(1, "A", status="done"),
        InitiativeRecord(2, "B", start=date(2027, 5, 1)),
        InitiativeRecord(3, "C", start=date(2027, 2, 1)),
        InitiativeRecord(4, "D", start=date(2027, 9, 1)),
    ]
    links = [Dependency(2, 1), Dependency(4, 2)]
    plan = plan_delivery(records, links, TODAY, "GBP")
    assert plan.waves == ((3, 2), (4,))
    assert plan.flagged == 0


def test_a_dependency_loop_from_outside_the_forms_leaves_no_waves_but_keeps_the_flags():
    first = InitiativeRecord(1, "Platform", status="in_progress", end=date(2026, 11, 27))
    second = InitiativeRecord(2, "Training")
    plan = plan_delivery([first, second], [Dependency(2, 1), Dependency(1, 2)], TODAY, "GBP")
    assert plan.waves == ()
    assert kinds(plan, 1) == [LATE]


def test_a_milestone_past_its_due_date_and_not_done_is_flagged_by_name():
    record = InitiativeRecord(1, "Log", status="in_progress", end=date(2027, 6, 30))
    milestones = [
        MilestoneRecord(1, 1, "Pilot in two hotels", date(2026, 11, 20)),
        MilestoneRecord(2, 1, "Design signed off", date(2026, 10, 1), done=date(2026, 10, 3)),
        MilestoneRecord(3, 1, "Roll out", date(2027, 3, 1)),
    ]
    plan = plan_delivery([record], [], TODAY, "GBP", milestones)
    assert kinds(plan, 1) == [MILESTONE_OVERDUE]
    reason = plan.flags[1][0].reason
    assert "“Pilot in two hotels”" in reason
    assert "20 November 2026, 14 days ago" in reason
    assert plan.flags[1][0].label == "Milestone overdue"


def test_overdue_milestones_of_done_or_dropped_work_are_not_flagged_and_callers_may_omit_them():
    done = InitiativeRecord(1, "Log", status="done")
    dropped = InitiativeRecord(2, "Kiosk", status="dropped")
    milestones = [
        MilestoneRecord(1, 1, "Pilot", date(2026, 1, 1)),
        MilestoneRecord(2, 2, "Pilot", date(2026, 1, 1)),
    ]
    assert plan_delivery([done, dropped], [], TODAY, "GBP", milestones).flags == {1: ()}
    # The existing callers pass no milestones and keep their flags.
    assert plan_delivery([done], [], TODAY, "GBP").flags == {1: ()}
