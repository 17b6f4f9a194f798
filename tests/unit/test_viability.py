"""The viability verdict, with cases computed by hand."""

import pytest

from workbench.analysis.viability import (
    CONDITIONAL,
    MIN_FACTORS,
    NOT_ASSESSED,
    NOT_ENOUGH_EVIDENCE,
    NOT_YET,
    VIABLE,
    DimensionInput,
    FactorInput,
    assess_viability,
    factor_balance,
    verdict_sentence,
)


def f(title: str, polarity: str, importance: int) -> FactorInput:
    return FactorInput(title, polarity, importance)


# Five factors whose support equals their resistance (4 against 4): factor score 50.
BALANCED = [
    f("p", "driver", 1),
    f("q", "driver", 1),
    f("r", "enabler", 2),
    f("s", "barrier", 2),
    f("t", "barrier", 2),
]


def test_empty_inputs_are_not_assessed() -> None:
    result = assess_viability([], None, [])
    assert result.verdict == NOT_ASSESSED
    assert result.index is None
    assert result.factor_score is None


def test_factor_balance_by_hand() -> None:
    # support = 5 + 3 = 8, resistance = 4; balance = 4/12 = 1/3; F = 50 * 4/3 = 66.67
    support, resistance, score = factor_balance(
        [f("a", "driver", 5), f("b", "enabler", 3), f("c", "barrier", 4)]
    )
    assert (support, resistance) == (8, 4)
    assert score == pytest.approx(200 / 3)


def test_one_sided_inputs() -> None:
    only_barriers = factor_balance([f("x", "barrier", 5), f("y", "barrier", 1)])
    assert only_barriers == (0, 6, 0.0)
    only_support = factor_balance([f("x", "driver", 2)])
    assert only_support == (2, 0, 100.0)


def test_index_averages_factors_and_readiness() -> None:
    # support 16, resistance 8: F = 66.67, readiness 70 -> V = 68.33 -> viable
    result = assess_viability(
        [
            f("a", "driver", 5),
            f("b", "enabler", 3),
            f("c", "barrier", 4),
            f("d", "driver", 5),
            f("e", "enabler", 3),
            f("g", "barrier", 4),
        ],
        70.0,
        [DimensionInput("Response speed", 72.0)],
    )
    assert result.index == pytest.approx((200 / 3 + 70) / 2)
    assert result.verdict == VIABLE
    assert not result.provisional
    assert result.heavy_barriers == ("c", "g")


def test_weak_dimension_turns_viable_into_conditional() -> None:
    result = assess_viability(
        [f(name, "driver", 5) for name in "abcde"],
        80.0,
        [DimensionInput("Empowerment", 35.0), DimensionInput("Listening", 90.0)],
    )
    # F = 100, readiness 80 -> V = 90, but Empowerment < 40 blocks "viable"
    assert result.index == pytest.approx(90.0)
    assert result.verdict == CONDITIONAL
    assert result.weak_dimensions == (("Empowerment", 35.0),)
    assert any("Empowerment" in reason for reason in result.reasons)


def test_thresholds_at_the_boundaries() -> None:
    # F = 50: readiness 80 gives exactly 65 (viable), 40 gives 45 (conditional),
    # 39.8 gives 44.9 (not yet).
    assert assess_viability(BALANCED, 80.0, []).verdict == VIABLE
    assert assess_viability(BALANCED, 40.0, []).verdict == CONDITIONAL
    assert assess_viability(BALANCED, 39.8, []).verdict == NOT_YET


def test_barrier_heavy_workspace_is_not_yet_viable_and_names_conditions() -> None:
    factors = [
        f("Legacy CRM", "barrier", 5),
        f("No budget", "barrier", 5),
        f("Siloed teams", "barrier", 4),
        f("Minor irritation", "barrier", 2),
        f("CEO sponsor", "driver", 3),
    ]
    # support 3, resistance 16: balance = -13/19, F = 50 * 6/19 = 15.79; readiness 40 -> V = 27.9
    result = assess_viability(
        factors, 40.0, [DimensionInput("Reporting", 30.0), DimensionInput("Culture", 45.0)]
    )
    assert result.index == pytest.approx((50 * 6 / 19 + 40) / 2)
    assert result.verdict == NOT_YET
    assert result.heavy_barriers == ("Legacy CRM", "No budget", "Siloed teams")
    assert result.weak_dimensions == (("Reporting", 30.0), ("Culture", 45.0))
    assert any("Barriers outweigh" in reason for reason in result.reasons)


def test_two_factors_and_no_answers_is_not_enough_evidence() -> None:
    # Two drivers give F = 100, which used to read "Viable, 100/100".
    result = assess_viability([f("a", "driver", 3), f("b", "enabler", 4)], None, [])
    assert result.index == pytest.approx(100.0)
    assert result.verdict == NOT_ENOUGH_EVIDENCE
    assert result.provisional
    assert any("provisional" in reason for reason in result.reasons)
    assert any("readiness questionnaire" in reason for reason in result.reasons)
    assert any("Only 2 factors recorded" in reason for reason in result.reasons)


def test_many_factors_without_answers_is_not_enough_evidence() -> None:
    result = assess_viability([f(name, "driver", 5) for name in "abcdefgh"], None, [])
    assert result.verdict == NOT_ENOUGH_EVIDENCE
    assert not any("factors recorded" in reason for reason in result.reasons)


def test_answers_with_too_few_factors_is_not_enough_evidence() -> None:
    few = BALANCED[: MIN_FACTORS - 1]
    result = assess_viability(few, 90.0, [])
    assert result.verdict == NOT_ENOUGH_EVIDENCE
    assert any(f"Only {MIN_FACTORS - 1} factors recorded" in r for r in result.reasons)
    assert not any("readiness questionnaire" in reason for reason in result.reasons)
    # Readiness alone, without any factor, is not enough either.
    alone = assess_viability([], 90.0, [])
    assert alone.verdict == NOT_ENOUGH_EVIDENCE
    assert any("No factors are recorded yet" in reason for reason in alone.reasons)


def test_verdict_sentences() -> None:
    assert verdict_sentence(assess_viability([], None, [])).startswith("The assessment has not")
    provisional = assess_viability([f("a", "driver", 3), f("b", "enabler", 4)], None, [])
    assert verdict_sentence(provisional) == (
        "There is not yet enough evidence for a verdict; the provisional viability index is "
        "100 out of 100."
    )
    assert verdict_sentence(assess_viability(BALANCED, 40.0, [])) == (
        "The assessment finds the strategy viable with conditions, with a viability index of "
        "45 out of 100."
    )
