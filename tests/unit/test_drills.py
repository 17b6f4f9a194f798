"""Recovery drill rules: verdicts against the scenario's targets, trends, gaps and overdue."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis import drills
from workbench.analysis.drills import DrillRecord, ScenarioTargets
from workbench.analysis.report_diff import diff_reports

TODAY = date(2026, 12, 4)
CALL = ScenarioTargets(1, "Missed callback", 10, 20.0, "GBP")
NO_TARGET = ScenarioTargets(2, "Wrong delivery", None, None, None)


def _drill(
    drill_id: int = 1,
    scenario_id: int = 1,
    on: date = date(2026, 11, 1),
    status: str = "done",
    detected: bool = True,
    contact: int | None = 8,
    escalated: bool = False,
    compensation: float | None = None,
) -> DrillRecord:
    return DrillRecord(
        drill_id, scenario_id, on, status, detected, 3, contact, escalated, compensation
    )


def test_a_drill_within_the_scenarios_own_target_is_met() -> None:
    result = drills.verdict(_drill(contact=10), CALL)
    assert result.met and result.outcome == drills.MET
    assert result.reasons == ()
    assert (result.target_minutes, result.target_is_default) == (10, False)


def test_a_slow_first_contact_misses_with_the_minutes_named() -> None:
    result = drills.verdict(_drill(contact=11), CALL)
    assert result.outcome == drills.MISSED
    assert result.reasons == (
        "The customer was reached after 11 minutes; the scenario's target is 10 minutes.",
    )


def test_without_a_scenario_target_the_fifteen_minute_bar_applies() -> None:
    assert drills.verdict(_drill(scenario_id=2, contact=15), NO_TARGET).met
    slow = drills.verdict(_drill(scenario_id=2, contact=16), NO_TARGET)
    assert not slow.met and slow.target_is_default and slow.target_minutes == 15
    assert "15-minute good-practice bar" in slow.reasons[0]


def test_every_reason_is_given_undetected_unrecorded_and_unescalated() -> None:
    result = drills.verdict(_drill(detected=False, contact=None, compensation=25.0), CALL)
    assert result.outcome == drills.MISSED
    assert result.reasons == (
        "The failure was not detected.",
        "No time to first contact was recorded.",
        "Compensation of GBP 25 is above the escalation limit of GBP 20 but was not escalated.",
    )


def test_compensation_above_the_limit_is_met_once_escalated_and_at_the_limit_needs_none() -> None:
    assert drills.verdict(_drill(compensation=25.0, escalated=True), CALL).met
    assert drills.verdict(_drill(compensation=20.0), CALL).met
    # A scenario without a limit sets no escalation rule.
    assert drills.verdict(_drill(scenario_id=2, compensation=500.0), NO_TARGET).met


def test_a_drill_not_done_has_no_verdict() -> None:
    for status in ("planned", "cancelled"):
        result = drills.verdict(_drill(status=status, detected=False, contact=None), CALL)
        assert result.outcome == drills.NOT_RUN and result.reasons == () and not result.met


def test_the_trend_lists_dated_times_in_order_and_compares_the_latest_with_the_one_before() -> None:
    rows = [
        _drill(3, on=date(2026, 9, 1), contact=9),
        _drill(1, on=date(2026, 3, 1), contact=30),
        _drill(2, on=date(2026, 6, 1), contact=12),
        _drill(4, on=date(2026, 10, 1), status="planned", contact=None),
        _drill(5, scenario_id=2, on=date(2026, 10, 1), contact=1),
    ]
    result = drills.trend(CALL, rows)
    assert [(p.on, p.minutes) for p in result.points] == [
        (date(2026, 3, 1), 30),
        (date(2026, 6, 1), 12),
        (date(2026, 9, 1), 9),
    ]
    assert result.direction == drills.IMPROVING and result.words == "improving"
    worse = drills.trend(CALL, [*rows, _drill(6, on=date(2026, 11, 1), contact=14)])
    assert worse.direction == drills.WORSENING
    same = drills.trend(CALL, [*rows, _drill(6, on=date(2026, 11, 1), contact=9)])
    assert same.direction == drills.STEADY
    assert drills.trend(CALL, rows[:1]).direction == drills.TOO_FEW
    assert drills.trend(NO_TARGET, []).points == ()


def test_gaps_name_scenarios_never_drilled_and_those_whose_last_drill_missed() -> None:
    third = ScenarioTargets(3, "Billing error", 30, None, None)
    rows = [
        # Scenario 1: missed in spring, met since: no gap.
        _drill(1, on=date(2026, 3, 1), contact=40),
        _drill(2, on=date(2026, 9, 1), contact=5),
        # Scenario 3: met first, missed last.
        _drill(3, scenario_id=3, on=date(2026, 2, 1), contact=10),
        _drill(4, scenario_id=3, on=date(2026, 8, 1), contact=45),
        # Scenario 2: only planned and cancelled drills, so never drilled; one is overdue.
        _drill(5, scenario_id=2, on=date(2026, 11, 30), status="planned", contact=None),
        _drill(6, scenario_id=2, on=date(2026, 5, 1), status="cancelled", contact=None),
        _drill(7, scenario_id=2, on=date(2026, 12, 20), status="planned", contact=None),
    ]
    result = drills.gaps([CALL, NO_TARGET, third], rows, TODAY)
    assert result.never_drilled == (2,)
    assert result.last_missed == (3,)
    assert result.overdue == (5,)
    assert result.count == 3


def test_a_drill_planned_for_today_is_not_yet_overdue() -> None:
    rows = [
        _drill(1, on=TODAY, status="planned"),
        _drill(2, on=date(2026, 12, 3), status="planned"),
    ]
    assert drills.overdue(rows, TODAY) == (2,)


def test_an_empty_playbook_has_no_gaps() -> None:
    assert drills.gaps([], [], TODAY).count == 0


@given(
    contact=st.one_of(st.none(), st.integers(0, 10080)),
    target=st.one_of(st.none(), st.integers(1, 10080)),
    detected=st.booleans(),
)
def test_a_verdict_is_met_exactly_when_detected_and_within_the_bar(
    contact: int | None, target: int | None, detected: bool
) -> None:
    targets = ScenarioTargets(1, "Any", target, None, None)
    result = drills.verdict(_drill(contact=contact, detected=detected), targets)
    bar = target or drills.DEFAULT_CONTACT_MINUTES
    assert result.met == (detected and contact is not None and contact <= bar)
    assert result.met == (result.reasons == ())


def test_comparing_storyboard_versions_names_drills_held_and_scenarios_first_drilled() -> None:
    def context(
        held: list[list[object]],
        never: list[str],
        names: tuple[str, ...] = ("Missed callback", "Wrong delivery"),
    ) -> dict[str, object]:
        scenarios = [{"name": name} for name in names]
        return {
            "operating": {
                "scenarios": scenarios,
                "drills": {"held": held, "never_drilled": never, "last_missed": [], "overdue": 0},
            }
        }

    met = ["Missed callback", "2026-03-02", "met", 7, 10, [], ""]
    missed = ["Wrong delivery", "2026-04-09", "missed", 40, 15, ["Slow."], ""]
    before = context([met], ["Wrong delivery"])
    after = context([met, missed], [])
    operating = next(d for d in diff_reports(before, after) if d.key == "operating")
    assert [change.text for change in operating.changes] == [
        "Drill of 'Wrong delivery' held on 2026-04-09: missed its targets",
        "'Wrong delivery' was drilled for the first time",
    ]
    # A scenario removed from the playbook is not said to have been drilled.
    gone = context([met], [], ("Missed callback",))
    operating = next(d for d in diff_reports(before, gone) if d.key == "operating")
    assert "drilled for the first time" not in " ".join(c.text for c in operating.changes)
