"""SMART checks on a metric's goal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workbench.analysis.smart import (
    GoalFacts,
    MetricFacts,
    SmartReport,
    check_goal,
    metric_range,
)

TODAY = date(2025, 3, 1)

CSAT = MetricFacts(
    name="CSAT",
    unit="percent",
    direction="higher",
    min_value=0.0,
    max_value=100.0,
    owner="Head of Service",
    linked_objectives=2,
)
GOOD_GOAL = GoalFacts(
    baseline=72.0,
    baseline_date=date(2025, 1, 1),
    target=80.0,
    target_date=date(2025, 12, 31),
    rationale="A call-back team for unhappy customers should lift scores by a few points.",
)
TIME_TO_RESOLUTION = MetricFacts(
    name="Time to resolution",
    unit="hours",
    direction="lower",
    min_value=0.0,
    max_value=None,
    owner="Service desk lead",
    linked_objectives=1,
)
NPS = MetricFacts(
    name="NPS",
    unit="score",
    direction="higher",
    min_value=-100.0,
    max_value=100.0,
    owner="CX director",
    linked_objectives=1,
)


def codes(report: SmartReport) -> set[str]:
    return {problem.code for problem in report.problems}


def test_a_sound_goal_passes_with_no_problems() -> None:
    report = check_goal(CSAT, GOOD_GOAL, TODAY)
    assert report.passed
    assert report.problems == ()
    assert all(report.letter_passed(letter) for letter in "SMART")


def test_lower_is_better_goal_passes_when_target_is_below_baseline() -> None:
    # 48 h -> 30 h is a 37.5% cut: no range width (max is open), 18 / 48 = 0.375 < 1.
    goal = replace(GOOD_GOAL, baseline=48.0, target=30.0)
    assert check_goal(TIME_TO_RESOLUTION, goal, TODAY).problems == ()


def test_missing_baseline_and_target_fail_measurable() -> None:
    goal = replace(GOOD_GOAL, baseline=None, target=None)
    report = check_goal(CSAT, goal, TODAY)
    assert not report.passed
    assert {"no_baseline", "no_target"} <= codes(report)
    assert not report.letter_passed("M")
    # Without both values no direction or ambition check can run.
    assert "target_wrong_direction" not in codes(report)
    assert "ambitious_jump" not in codes(report)


@pytest.mark.parametrize(
    ("metric", "baseline", "target", "code"),
    [
        (CSAT, 72.0, 70.0, "target_wrong_direction"),
        (CSAT, 72.0, 72.0, "target_equals_baseline"),
        (TIME_TO_RESOLUTION, 48.0, 50.0, "target_wrong_direction"),
        (TIME_TO_RESOLUTION, 48.0, 48.0, "target_equals_baseline"),
    ],
)
def test_target_must_improve_on_baseline(
    metric: MetricFacts, baseline: float, target: float, code: str
) -> None:
    report = check_goal(metric, replace(GOOD_GOAL, baseline=baseline, target=target), TODAY)
    assert not report.passed
    problem = next(p for p in report.problems if p.code == code)
    assert problem.letter == "S"
    assert problem.severity == "error"


def test_wrong_direction_message_says_which_side() -> None:
    report = check_goal(TIME_TO_RESOLUTION, replace(GOOD_GOAL, baseline=48.0, target=50.0), TODAY)
    (problem,) = [p for p in report.problems if p.code == "target_wrong_direction"]
    assert "lower is better" in problem.message
    assert "below the baseline (48)" in problem.message


@pytest.mark.parametrize(
    ("baseline", "target", "expected"),
    [
        (-85.0, 120.0, {"target_out_of_range"}),
        (-120.0, 10.0, {"baseline_out_of_range"}),
        (-150.0, 150.0, {"baseline_out_of_range", "target_out_of_range"}),
        (-100.0, 100.0, set()),  # the bounds themselves are allowed
    ],
)
def test_nps_values_must_lie_between_minus_100_and_100(
    baseline: float, target: float, expected: set[str]
) -> None:
    report = check_goal(NPS, replace(GOOD_GOAL, baseline=baseline, target=target), TODAY)
    found = codes(report) & {"baseline_out_of_range", "target_out_of_range"}
    assert found == expected
    for problem in report.problems:
        if problem.code.endswith("out_of_range"):
            assert "from -100 to 100" in problem.message
            assert problem.letter == "M"


def test_bare_percentage_is_taken_to_run_from_0_to_100() -> None:
    custom = replace(CSAT, min_value=None, max_value=None, unit="%")
    assert metric_range(custom) == (0.0, 100.0)
    report = check_goal(custom, replace(GOOD_GOAL, target=105.0), TODAY)
    (problem,) = [p for p in report.problems if p.code == "target_out_of_range"]
    assert "from 0 to 100" in problem.message


def test_one_sided_range_is_named_in_the_message() -> None:
    report = check_goal(TIME_TO_RESOLUTION, replace(GOOD_GOAL, baseline=-2.0, target=-4.0), TODAY)
    (problem,) = [p for p in report.problems if p.code == "baseline_out_of_range"]
    assert "at least 0" in problem.message
    capped = replace(TIME_TO_RESOLUTION, min_value=None, max_value=10.0)
    report = check_goal(capped, replace(GOOD_GOAL, baseline=12.0, target=8.0), TODAY)
    (problem,) = [p for p in report.problems if p.code == "baseline_out_of_range"]
    assert "at most 10" in problem.message


def test_unbounded_metric_has_no_range_problem() -> None:
    free = replace(CSAT, unit="count", min_value=None, max_value=None)
    assert metric_range(free) == (None, None)
    report = check_goal(free, replace(GOOD_GOAL, baseline=1e6, target=1.2e6), TODAY)
    assert report.problems == ()


@pytest.mark.parametrize(
    ("change", "code", "letter"),
    [
        ({"unit": None}, "no_unit", "M"),
        ({"unit": "  "}, "no_unit", "M"),
        ({"owner": None}, "no_owner", "S"),
        ({"owner": ""}, "no_owner", "S"),
        ({"linked_objectives": 0}, "no_objective", "R"),
    ],
)
def test_metric_gaps_fail_the_goal(change: dict[str, object], code: str, letter: str) -> None:
    report = check_goal(replace(CSAT, **change), GOOD_GOAL, TODAY)
    assert not report.passed
    (problem,) = report.problems
    assert (problem.code, problem.letter, problem.severity) == (code, letter, "error")
    assert "CSAT" in problem.message
    assert not report.letter_passed(letter)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"baseline_date": None}, {"no_baseline_date"}),
        ({"target_date": None}, {"no_target_date"}),
        ({"baseline_date": None, "target_date": None}, {"no_baseline_date", "no_target_date"}),
        ({"target_date": date(2025, 1, 1)}, {"target_date_not_after_baseline", "target_date_past"}),
        (
            {"baseline_date": date(2025, 6, 1), "target_date": date(2025, 5, 1)},
            {"target_date_not_after_baseline"},
        ),
        ({"target_date": date(2025, 2, 28)}, {"target_date_past"}),
    ],
)
def test_time_bound_problems(change: dict[str, object], expected: set[str]) -> None:
    report = check_goal(CSAT, replace(GOOD_GOAL, **change), TODAY)
    assert codes(report) == expected
    assert all(problem.letter == "T" for problem in report.problems)
    assert not report.passed


def test_target_date_today_is_not_in_the_past() -> None:
    report = check_goal(CSAT, replace(GOOD_GOAL, target_date=TODAY), TODAY)
    assert report.passed


def test_ambitious_jump_across_range_is_only_a_warning() -> None:
    # NPS -85 -> +22 (the retailer in the domain notes): 107 / 200 = 53.5% of the range > 50%.
    report = check_goal(NPS, replace(GOOD_GOAL, baseline=-85.0, target=22.0), TODAY)
    assert report.passed
    (warning,) = report.warnings
    assert warning.code == "ambitious_jump"
    assert warning.letter == "A"
    assert "54%" in warning.message  # 53.5% shown to the nearest whole percent
    assert report.errors == ()
    assert report.letter_passed("A")


def test_jump_of_exactly_half_the_range_is_not_flagged() -> None:
    # -50 -> 50 is 100 / 200 = 50%, which is not more than half.
    report = check_goal(NPS, replace(GOOD_GOAL, baseline=-50.0, target=50.0), TODAY)
    assert report.problems == ()


@pytest.mark.parametrize(
    ("baseline", "target", "flagged"),
    [
        (48.0, 30.0, False),  # |30 - 48| / 48 = 0.375
        (48.0, 0.0, True),  # |0 - 48| / 48 = 1.0, taking it to zero
        (10.0, 20.0, True),  # doubling: 10 / 10 = 1.0
        (10.0, 19.0, False),  # 9 / 10 = 0.9
        (0.0, 5.0, False),  # a zero baseline gives no ratio to judge
    ],
)
def test_ambition_without_a_full_range_uses_the_baseline(
    baseline: float, target: float, flagged: bool
) -> None:
    metric = replace(CSAT, unit="count", min_value=None, max_value=None)
    if target < baseline:
        metric = replace(metric, direction="lower")
    report = check_goal(metric, replace(GOOD_GOAL, baseline=baseline, target=target), TODAY)
    assert ("ambitious_jump" in codes(report)) is flagged
    assert report.passed


def test_blank_rationale_is_a_warning() -> None:
    report = check_goal(CSAT, replace(GOOD_GOAL, rationale="   "), TODAY)
    assert report.passed
    assert [p.code for p in report.warnings] == ["no_rationale"]


def test_an_empty_goal_lists_every_gap_in_smart_order() -> None:
    bare = MetricFacts("Churn", None, "lower", None, None, None, 0)
    goal = GoalFacts(None, None, None, None, "")
    report = check_goal(bare, goal, TODAY)
    assert not report.passed
    assert [p.code for p in report.problems] == [
        "no_owner",
        "no_baseline",
        "no_target",
        "no_unit",
        "no_rationale",
        "no_objective",
        "no_baseline_date",
        "no_target_date",
    ]
    letters = [p.letter for p in report.problems]
    assert letters == sorted(letters, key="SMART".index)


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        check_goal(replace(CSAT, direction="up"), GOOD_GOAL, TODAY)  # type: ignore[arg-type]


def test_messages_format_numbers_without_trailing_zeros() -> None:
    report = check_goal(CSAT, replace(GOOD_GOAL, baseline=72.5, target=72.25), TODAY)
    (problem,) = report.problems
    assert "(72.25)" in problem.message
    assert "(72.5)" in problem.message


def test_out_of_range_target_is_not_also_called_ambitious() -> None:
    report = check_goal(NPS, replace(GOOD_GOAL, baseline=-85.0, target=120.0), TODAY)
    assert codes(report) == {"target_out_of_range"}
