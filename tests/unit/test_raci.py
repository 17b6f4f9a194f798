"""RACI checks: one Accountable, at least one Responsible, one role per party per step."""

from __future__ import annotations

import workbench.analysis.raci as raci
from workbench.analysis.raci import (
    RACI_ROLES,
    Assignment,
    PartyRecord,
    RaciViolation,
    StepRecord,
    check_raci,
    join_names,
)

DETECT = StepRecord(10, 1, "Detect")
APOLOGISE = StepRecord(30, 3, "Apologise")
REFUND = StepRecord(20, 2, "Refund")
STEPS = [DETECT, APOLOGISE, REFUND]

ANA = PartyRecord(1, "Ana")
BEN = PartyRecord(2, "Ben")
CARA = PartyRecord(3, "Cara")
PARTIES = [ANA, BEN, CARA]


def a(step: StepRecord, party: PartyRecord, role: str) -> Assignment:
    """An assignment of a role to a party in a step."""
    return Assignment(step.id, party.id, role)


def clean() -> list[Assignment]:
    """A sound matrix: each step has one A and one R; everyone has a role."""
    return [
        a(DETECT, ANA, "A"),
        a(DETECT, BEN, "R"),
        a(REFUND, BEN, "A"),
        a(REFUND, CARA, "R"),
        a(APOLOGISE, ANA, "A"),
        a(APOLOGISE, CARA, "R"),
        a(APOLOGISE, BEN, "I"),
    ]


def codes(report: raci.RaciReport) -> list[tuple[int | None, str]]:
    """The violations as (step id, code), in the report's order."""
    return [(v.step_id, v.code) for v in report.violations]


def test_roles_named() -> None:
    assert RACI_ROLES == {
        "R": "Responsible",
        "A": "Accountable",
        "C": "Consulted",
        "I": "Informed",
    }


def test_rules_are_in_the_docstring_for_users() -> None:
    doc = raci.__doc__ or ""
    for words in ("exactly one party Accountable", "at least one party Responsible", "warning"):
        assert words in doc


def test_empty_inputs_are_sound() -> None:
    report = check_raci([], [], [])
    assert report.violations == ()
    assert report.matrix == {}
    assert report.ok is True


def test_clean_matrix() -> None:
    report = check_raci(STEPS, PARTIES, clean())
    assert report.violations == ()
    assert report.ok is True
    assert report.matrix == {
        10: {1: "A", 2: "R"},
        20: {2: "A", 3: "R"},
        30: {1: "A", 3: "R", 2: "I"},
    }


def test_step_without_assignments_reports_both_rules() -> None:
    report = check_raci([APOLOGISE], [ANA], [])
    assert report.ok is False
    assert report.matrix == {30: {}}
    assert report.violations == (
        RaciViolation(
            30, "no_accountable", "Step 3 “Apologise” has no one Accountable: choose exactly one."
        ),
        RaciViolation(
            30,
            "no_responsible",
            "Step 3 “Apologise” has no one Responsible: name at least one party who does the work.",
        ),
        RaciViolation(
            None,
            "idle_party",
            "Ana has no role in any step: give them one or remove them.",
            "warning",
        ),
    )


def test_several_accountable_named_by_name() -> None:
    assignments = [
        a(APOLOGISE, CARA, "A"),
        a(APOLOGISE, ANA, "A"),
        a(APOLOGISE, BEN, "R"),
    ]
    report = check_raci([APOLOGISE], PARTIES, assignments)
    assert codes(report) == [(30, "several_accountable")]
    assert report.violations[0].message == (
        "Step 3 “Apologise” has 2 parties Accountable (Ana and Cara): keep exactly one."
    )
    assert report.ok is False


def test_several_accountable_and_no_responsible_both_reported() -> None:
    assignments = [a(APOLOGISE, p, "A") for p in PARTIES]
    report = check_raci([APOLOGISE], PARTIES, assignments)
    assert codes(report) == [(30, "no_responsible"), (30, "several_accountable")]
    assert "(Ana, Ben and Cara)" in report.violations[1].message


def test_no_responsible_only() -> None:
    report = check_raci([DETECT], [ANA, BEN], [a(DETECT, ANA, "A"), a(DETECT, BEN, "C")])
    assert codes(report) == [(10, "no_responsible")]


def test_several_responsible_is_fine() -> None:
    assignments = [a(DETECT, ANA, "A"), a(DETECT, BEN, "R"), a(DETECT, CARA, "R")]
    report = check_raci([DETECT], PARTIES, assignments)
    assert report.ok is True
    assert report.violations == ()


def test_duplicate_role_keeps_the_first() -> None:
    assignments = [
        a(DETECT, ANA, "A"),
        a(DETECT, BEN, "R"),
        a(DETECT, ANA, "R"),
        a(DETECT, ANA, "C"),
        a(DETECT, ANA, "R"),
    ]
    report = check_raci([DETECT], [ANA, BEN], assignments)
    assert report.matrix == {10: {1: "A", 2: "R"}}
    assert codes(report) == [(10, "duplicate_role")]
    assert report.violations[0].message == (
        "Step 1 “Detect” gives Ana more than one role: Accountable (A) is kept and "
        "Responsible (R) and Consulted (C) ignored. A party holds one role per step."
    )
    assert report.ok is False


def test_duplicate_role_can_leave_a_step_without_responsible() -> None:
    # Ben's R comes second, so it is dropped and nobody is Responsible.
    assignments = [a(DETECT, ANA, "A"), a(DETECT, BEN, "I"), a(DETECT, BEN, "R")]
    report = check_raci([DETECT], [ANA, BEN], assignments)
    assert codes(report) == [(10, "duplicate_role"), (10, "no_responsible")]


def test_repeating_the_same_role_is_harmless() -> None:
    assignments = [*clean(), a(DETECT, ANA, "A"), a(DETECT, BEN, "R")]
    report = check_raci(STEPS, PARTIES, assignments)
    assert report.violations == ()


def test_unknown_references_ignored_and_counted_once() -> None:
    assignments = [
        *clean(),
        Assignment(99, ANA.id, "R"),
        Assignment(DETECT.id, 99, "A"),
        Assignment(98, 97, "C"),
    ]
    report = check_raci(STEPS, PARTIES, assignments)
    assert codes(report) == [(None, "unknown_reference")]
    assert report.violations[0].message == (
        "3 assignments name a step or party that does not exist and were ignored."
    )
    assert report.violations[0].severity == "error"
    assert report.ok is False
    assert 99 not in report.matrix
    assert report.matrix[10] == {1: "A", 2: "R"}


def test_one_unknown_reference_in_the_singular() -> None:
    report = check_raci(STEPS, PARTIES, [*clean(), Assignment(99, 1, "R")])
    assert report.violations[0].message == (
        "1 assignment names a step or party that does not exist and was ignored."
    )


def test_unknown_role_ignored_and_counted() -> None:
    report = check_raci(STEPS, PARTIES, [*clean(), a(DETECT, CARA, "X"), a(REFUND, ANA, "")])
    assert codes(report) == [(None, "unknown_role")]
    assert report.violations[0].message.startswith("2 assignments have a role other than")
    assert CARA.id not in report.matrix[10]


def test_roles_read_without_case_or_spaces() -> None:
    report = check_raci([DETECT], [ANA, BEN], [a(DETECT, ANA, " a"), a(DETECT, BEN, "r ")])
    assert report.ok is True
    assert report.matrix == {10: {1: "A", 2: "R"}}


def test_idle_party_is_only_a_warning() -> None:
    dora = PartyRecord(4, "Dora")
    report = check_raci(STEPS, [*PARTIES, dora], clean())
    assert codes(report) == [(None, "idle_party")]
    assert report.violations[0].severity == "warning"
    assert report.violations[0].message.startswith("Dora has no role")
    assert report.ok is True
    assert report.warnings == report.violations
    assert report.errors == ()


def test_parties_without_steps_are_idle_once_each() -> None:
    report = check_raci([], [BEN, ANA], [])
    assert [v.message.split()[0] for v in report.violations] == ["Ana", "Ben"]
    assert report.ok is True


def test_violations_sorted_by_step_position_then_code() -> None:
    dora = PartyRecord(4, "Dora")
    assignments = [
        Assignment(99, 1, "R"),  # unknown step
        a(APOLOGISE, ANA, "A"),
        a(APOLOGISE, BEN, "A"),  # position 3: several accountable + no responsible
        a(REFUND, CARA, "R"),  # position 2: no accountable
        a(DETECT, ANA, "A"),
        a(DETECT, BEN, "R"),
        a(DETECT, BEN, "C"),  # position 1: duplicate role
    ]
    report = check_raci(STEPS, [*PARTIES, dora], assignments)
    assert codes(report) == [
        (10, "duplicate_role"),
        (20, "no_accountable"),
        (30, "no_responsible"),
        (30, "several_accountable"),
        (None, "idle_party"),
        (None, "unknown_reference"),
    ]
    assert [v.severity for v in report.violations].count("warning") == 1


def test_duplicate_step_and_party_records_first_wins() -> None:
    steps = [DETECT, StepRecord(10, 7, "Other")]
    parties = [ANA, PartyRecord(1, "Someone"), BEN]
    report = check_raci(steps, parties, [a(DETECT, ANA, "A")])
    assert report.violations[0].message.startswith("Step 1 “Detect”")
    assert codes(report) == [(10, "no_responsible"), (None, "idle_party")]


def test_join_names() -> None:
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert join_names(["A", "B", "C"]) == "A, B and C"


def test_the_summary_counts_each_kind_of_point_in_one_sentence() -> None:
    report = check_raci(
        STEPS,
        PARTIES,
        [a(DETECT, ANA, "A"), a(DETECT, BEN, "A"), a(DETECT, ANA, "R"), a(REFUND, ANA, "A")],
    )
    # Detect: Ana and Ben both Accountable, Ana also Responsible (dropped), nobody
    # Responsible; Apologise: nobody at all; Refund: nobody Responsible; Cara: no role.
    assert raci.summary(report) == (
        "7 points to settle: 1 party holds two roles in a step, 3 steps have no one "
        "Responsible, 1 step has more than one Accountable, 1 step has no one Accountable "
        "and 1 stakeholder has no role yet."
    )


def test_a_sound_matrix_has_no_summary_and_one_point_reads_singular() -> None:
    sound = [a(step, ANA, "A") for step in STEPS] + [a(step, BEN, "R") for step in STEPS]
    assert (
        raci.summary(check_raci(STEPS, PARTIES, sound))
        == "1 point to settle: 1 stakeholder has no role yet."
    )
    assert raci.summary(check_raci(STEPS, PARTIES[:2], sound)) == ""
