"""The board's recommendation, decisions settled on owners and dates, a written perspective."""

from __future__ import annotations

from datetime import date

from workbench.analysis.board import (
    NOT_READY,
    Owned,
    business_case_points,
    gap_points,
    recommendation,
    settle,
)
from workbench.analysis.decisions import OpenPoint
from workbench.analysis.perspective import PerspectiveFacts, written_perspective

TODAY = date(2026, 12, 4)


def test_the_recommendation_follows_the_verdict_and_asks_for_evidence_without_one():
    assert recommendation("viable") == "Approve the programme as planned."
    assert "conditions" in recommendation("viable with conditions")
    assert recommendation("not assessed") == NOT_READY
    assert recommendation("not enough evidence") == NOT_READY


def test_a_point_nobody_owns_falls_to_the_lead_thirty_days_out_and_areas_keep_their_order():
    points = [
        OpenPoint("playbook", "Room not ready", "Name who responds.", "", None),
        OpenPoint("assessment", "Log", "Agree how it is lowered.", "Ann Lee", "2027-02-01"),
    ]
    decisions = settle(points, "Dana Demo", TODAY)
    assert [d.area for d in decisions] == ["assessment", "playbook"]
    assert decisions[0].owner == "Ann Lee" and decisions[0].owner_named
    assert decisions[1].owner == "Dana Demo" and not decisions[1].owner_named
    assert decisions[1].due == "2027-01-03"


def test_a_past_date_is_not_a_deadline_for_a_decision():
    points = gap_points(
        [Owned("Kiosks", "Sam", date(2026, 1, 1))],
        [Owned("Grow bookings", "Head of sales", date(2028, 12, 31))],
        ["Budget squeeze"],
        ["Integrated processes"],
        TODAY,
    )
    assert points[0].due is None and points[0].owner == "Sam"
    assert points[1].due == "2028-12-31"
    assert "integrated processes" in points[3].decision


def test_the_written_perspective_agrees_in_number_and_says_what_is_off_track():
    facts = PerspectiveFacts(
        verdict="viable with conditions",
        index=52.4,
        factor_score=66.0,
        readiness_score=37.0,
        weakest=[("Reporting and learning", 12.0)],
        heavy_barriers=["No central log"],
        initiatives=1,
        objectives=1,
        unserved=0,
        goals={"off_track": 1, "at_risk": 3},
        flagged_initiatives=1,
    )
    text = written_perspective(facts)
    assert "viability index of 52 out of 100" in text
    assert "1 active initiative; 1 of 1 objective is served." in text
    assert "1 goal is off track and 3 at risk" in text
    assert "1 initiative needs re-planning" in text
    assert "reporting and learning (12)" in text


def test_a_loss_making_business_case_qualifies_an_approval_but_not_a_refusal():
    assert "does not yet pay" in recommendation("viable with conditions", pays=False)
    assert "does not yet pay" not in recommendation("viable with conditions", pays=None)
    assert "does not yet pay" not in recommendation("not yet viable", pays=False)
    assert recommendation("viable", pays=True) == "Approve the programme as planned."


def test_coverage_reads_well_for_one_and_for_many():
    from workbench.analysis.perspective import coverage

    assert coverage(1, 1, 1, 1) == (
        "The one active initiative serves an objective, and the one objective is served."
    )
    assert coverage(16, 14, 8, 7) == (
        "14 of the 16 active initiatives serve at least one objective, and 7 of the 8 "
        "objectives are served by at least one initiative."
    )
    assert coverage(0, 0, 0, 0) == "No initiative or objective has been written yet."


def test_many_unapplied_principles_make_one_decision():
    points = gap_points([], [], [], ["A", "B", "C"], TODAY)
    assert len(points) == 1 and "3 TQM principles none applies yet: a, b, c" in points[0].decision


def test_a_due_date_already_past_gives_way_to_the_default():
    points = [OpenPoint("playbook", "Lost property", "Agree the message.", "Sam", "2026-06-01")]
    assert settle(points, "Dana Demo", TODAY)[0].due == "2027-01-03"


def test_business_case_points_name_what_the_case_lacks() -> None:
    unsaved = business_case_points(False, False, False)
    assert [p.subject for p in unsaved] == ["Business case"]
    assert business_case_points(True, True, True) == []
    missing = business_case_points(True, False, False)
    assert [p.subject for p in missing] == ["Compensation budget", "Recovery rate target date"]
    assert all(p.area == "business_case" for p in missing)
    assert "cases a year" in missing[0].decision and "assumes a year" in missing[1].decision
