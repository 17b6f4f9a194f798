"""Prevent or recover: the roll-up by approach and the reading of the balance, by hand."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis.alignment_records import (
    AlignmentInput,
    InitiativeRecord,
    ObjectiveLink,
    ObjectiveRecord,
)
from workbench.analysis.approach_balance import (
    BALANCED,
    NO_OBJECTIVE,
    OVERALL,
    PREVENT,
    RECOVER,
    UNKNOWN,
    ApproachBalance,
    ApproachRow,
    ScenarioRecord,
    approach_balance,
    split_playbook,
    whole_percents,
)
from workbench.analysis.approach_guidance import ApproachGuidance, Guidance

GUIDANCE = Guidance(
    prevent=ApproachGuidance("prevent", "Prevent", "Stop it.", ("Foreseeable.",)),
    recover=ApproachGuidance("recover", "Recover", "Put it right.", ("Small.",)),
    leaning_percent=65,
    frequent_cases_per_year=365,
    big_severities=("high", "critical"),
)


def initiative(
    ident: int, approach: str | None, budget: float | None, status: str = "approved"
) -> InitiativeRecord:
    return InitiativeRecord(ident, f"I{ident}", status=status, budget=budget, approach=approach)


def data(
    initiatives: list[InitiativeRecord], links: list[tuple[int, int]], objectives: int = 2
) -> AlignmentInput:
    return AlignmentInput(
        objectives=[ObjectiveRecord(o, f"O{o}", "customer") for o in range(1, objectives + 1)],
        initiatives=initiatives,
        objective_links=[ObjectiveLink(i, o, "strong") for i, o in links],
    )


def shares(row: ApproachRow) -> dict[str, tuple[int, float, int | None]]:
    return {s.key: (s.initiatives, s.budget, s.budget_percent) for s in row.shares}


SMALL = ScenarioRecord("Cold soup", "low", False, 10, ready=True)
FORESEEABLE = ScenarioRecord("Overbooked", "medium", True, 50, ready=True)
BIG = ScenarioRecord("Data breach", "critical", False, 1, ready=False)
FREQUENT = ScenarioRecord("Late room", "low", False, 400, ready=False)


def balance(
    initiatives: list[InitiativeRecord],
    scenarios: list[ScenarioRecord],
    links: list[tuple[int, int]] | None = None,
) -> ApproachBalance:
    return approach_balance(data(initiatives, links or []), scenarios, GUIDANCE, "GBP")


def test_rollup_counts_budget_by_approach_and_leaves_dropped_work_out() -> None:
    result = balance(
        [
            initiative(1, "prevent", 1000.0),
            initiative(2, "recover", 3000.0),
            initiative(3, None, None),
            initiative(4, "recover", 9999.0, status="dropped"),
        ],
        [],
        links=[(1, 1), (2, 1), (2, 2), (4, 2)],
    )
    assert result.overall.label == OVERALL
    assert shares(result.overall) == {
        "prevent": (1, 1000.0, 25),
        "recover": (1, 3000.0, 75),
        "unset": (1, 0.0, 0),
    }
    assert (result.overall.initiatives, result.overall.budget) == (3, 4000.0)
    # Initiative 2 serves both objectives and counts in full under each; 4 is dropped.
    first, second, unlinked = result.by_objective
    assert (first.objective_id, first.initiatives, first.budget) == (1, 2, 4000.0)
    assert (second.objective_id, second.initiatives, second.budget) == (2, 1, 3000.0)
    assert shares(second)["recover"] == (1, 3000.0, 100)
    assert (unlinked.objective_id, unlinked.label, unlinked.initiatives) == (None, NO_OBJECTIVE, 1)
    assert [u.id for u in result.unchosen] == [3]
    assert "counts in full under each" in result.note
    assert "dropped ones are left out" in result.note


def test_an_objective_nothing_serves_has_a_row_with_no_shares() -> None:
    result = balance([initiative(1, "prevent", 10.0)], [], links=[(1, 1)])
    empty = result.by_objective[1]
    assert (empty.label, empty.initiatives, empty.budget) == ("O2", 0, 0.0)
    assert all(s.budget_percent is None for s in empty.shares)
    # Every active initiative serves an objective: no "serving no objective" row.
    assert [row.label for row in result.by_objective] == ["O1", "O2"]


@given(st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=6))
def test_whole_percents_add_up_to_100_or_are_all_missing(values: list[float]) -> None:
    percents = whole_percents(values)
    if sum(values) > 0:
        assert sum(p for p in percents if p is not None) == 100
        assert all(
            p is not None and abs(p - v * 100 / sum(values)) < 1
            for p, v in zip(percents, values, strict=True)
        )
    else:
        assert all(p is None for p in percents)


def test_whole_percents_round_a_third_each_way_to_100() -> None:
    assert whole_percents([1, 1, 1]) == (34, 33, 33)
    assert whole_percents([0, 0]) == (None, None)


def test_playbook_split_uses_foreseeable_big_and_frequent() -> None:
    split = split_playbook([SMALL, FORESEEABLE, BIG, FREQUENT], GUIDANCE)
    assert (split.scenarios, split.prevention_pays, split.recovery_pays, split.ready) == (
        4,
        3,
        1,
        2,
    )
    rarer = replace(GUIDANCE, frequent_cases_per_year=1000, big_severities=())
    assert split_playbook([SMALL, BIG, FREQUENT], rarer).prevention_pays == 0


def test_mostly_recover_while_most_failures_are_preventable_says_prevention_would_pay() -> None:
    result = balance(
        [initiative(1, "recover", 90_000.0), initiative(2, "prevent", 10_000.0)],
        [FORESEEABLE, BIG, SMALL],
    )
    assert result.lean == RECOVER
    text = " ".join(result.reading)
    assert "GBP 100,000" in text and "GBP 90,000 (90%)" in text and "GBP 10,000 (10%)" in text
    assert "Of the 3 failures in the playbook, 2 are foreseeable, big or frequent" in text
    assert "Prevention would likely pay off more" in text


def test_mostly_recover_with_small_unforeseeable_failures_fits() -> None:
    result = balance([initiative(1, "recover", 80.0), initiative(2, "prevent", 20.0)], [SMALL])
    assert result.lean == RECOVER
    assert "suits a playbook where most failures are small" in result.reading[-1]


def test_mostly_prevent_with_few_recovery_capabilities_says_so() -> None:
    result = balance(
        [initiative(1, "prevent", 70.0), initiative(2, "recover", 30.0)], [BIG, FREQUENT, SMALL]
    )
    assert result.lean == PREVENT
    verdict = result.reading[-1]
    assert "few recovery capabilities" in verdict
    assert "1 of the 3 failures in the playbook has a responder" in verdict


def test_mostly_prevent_with_recovery_ready_and_preventable_failures_fits() -> None:
    result = balance([initiative(1, "prevent", 100.0)], [FORESEEABLE, SMALL, FORESEEABLE])
    assert result.lean == PREVENT
    assert result.reading[-1].startswith("The plan leans on prevention, which suits")


def test_mostly_prevent_while_failures_are_small_says_prevention_may_cost_more() -> None:
    result = balance([initiative(1, "prevent", 100.0)], [SMALL, SMALL, FORESEEABLE])
    assert "may cost more than a good recovery" in result.reading[-1]


def test_mostly_prevent_without_a_playbook_says_nothing_covers_recovery() -> None:
    result = balance([initiative(1, "prevent", 100.0)], [])
    assert "The playbook holds no failure scenarios yet" in result.reading[1]
    assert (
        "nothing yet says how a failure that gets through would be recovered" in (result.reading[2])
    )


def test_a_mix_reads_as_balanced() -> None:
    result = balance([initiative(1, "prevent", 40.0), initiative(2, "recover", 60.0)], [SMALL])
    assert result.lean == BALANCED
    assert result.reading[-1].startswith("The plan is balanced: neither approach takes 65%")


def test_the_leaning_line_comes_from_the_guidance() -> None:
    records = [initiative(1, "prevent", 40.0), initiative(2, "recover", 60.0)]
    stricter = replace(GUIDANCE, leaning_percent=60)
    result = approach_balance(data(records, []), [SMALL], stricter, "EUR")
    assert result.lean == RECOVER
    assert "EUR 60" in result.reading[0]


def test_without_budgets_the_split_is_read_from_the_number_of_initiatives() -> None:
    result = balance(
        [
            initiative(1, "recover", None),
            initiative(2, "recover", 0.0),
            initiative(3, "prevent", None),
        ],
        [SMALL],
    )
    assert result.lean == RECOVER
    assert result.reading[0] == (
        "Of the 3 active initiatives with an approach chosen, 2 recover and 1 prevent; none has "
        "a budget yet, so the split is read from their number."
    )


def test_initiatives_without_an_approach_are_named_as_left_out_of_the_reading() -> None:
    result = balance([initiative(1, "recover", 50.0), initiative(2, None, 1200.0)], [SMALL])
    assert result.reading[-1] == (
        "This reading leaves out 1 active initiative (GBP 1,200) with no approach chosen."
    )
    assert [(u.title, u.budget) for u in result.unchosen] == [("I2", 1200.0)]


def test_nothing_chosen_or_nothing_active_cannot_be_read() -> None:
    undecided = balance([initiative(1, None, 10.0)], [SMALL])
    assert undecided.lean == UNKNOWN
    assert undecided.reading == (
        "No active initiative has an approach chosen yet, so the balance between prevention "
        "and recovery cannot be read.",
    )
    empty = balance([initiative(1, "recover", 10.0, status="dropped")], [SMALL])
    assert empty.overall.initiatives == 0
    assert empty.reading == (
        "There are no active initiatives yet, so there is no balance to read.",
    )


# Words that would turn the reading into an instruction to edit the workspace's data.
EDITING = re.compile(
    r"\b(choose|set|enter|add|edit|link|tick|fill in|update|record|assign)\b", re.IGNORECASE
)


@pytest.mark.parametrize(
    "records, scenarios",
    [
        ([initiative(1, "recover", 90.0), initiative(2, None, 5.0)], [FORESEEABLE]),
        ([initiative(1, "recover", 90.0)], [SMALL]),
        ([initiative(1, "prevent", 90.0)], [BIG, SMALL]),
        ([initiative(1, "prevent", 90.0)], [FORESEEABLE]),
        ([initiative(1, "prevent", 90.0)], [SMALL]),
        ([initiative(1, "prevent", 90.0)], []),
        ([initiative(1, "prevent", 50.0), initiative(2, "recover", 50.0)], []),
        ([initiative(1, None, 5.0)], []),
        ([], []),
    ],
)
def test_every_reading_describes_and_never_instructs(
    records: list[InitiativeRecord], scenarios: list[ScenarioRecord]
) -> None:
    result = balance(records, scenarios)
    for sentence in result.reading:
        assert sentence.endswith(".") and sentence[0].isupper(), sentence
        assert not EDITING.search(sentence), sentence
        assert "_" not in sentence and "None" not in sentence, sentence


def test_the_rule_states_the_guidance_thresholds() -> None:
    result = balance([initiative(1, "recover", 10.0)], [SMALL])
    assert result.rule == (
        "The reading counts a playbook failure as one where prevention pays off when it is "
        "foreseeable, high or critical in severity, or expected 365 times a year or more; a "
        "plan leans one way when that approach takes 65% or more of the budget with an "
        "approach chosen."
    )
    plain = replace(GUIDANCE, big_severities=(), frequent_cases_per_year=1200)
    rule = approach_balance(data([], []), [], plain, "GBP").rule
    assert "foreseeable, or expected 1,200 times a year or more" in rule
