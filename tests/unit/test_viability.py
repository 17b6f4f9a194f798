"""The viability verdict, with cases computed by hand."""

import pytest

from workbench.analysis.viability import (
    CONDITIONAL,
    NOT_ASSESSED,
    NOT_YET,
    VIABLE,
    DimensionInput,
    FactorInput,
    assess_viability,
    factor_balance,
)


def f(title: str, polarity: str, importance: int) -> FactorInput:
    return FactorInput(title, polarity, importance)


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
    # F = 66.67, readiness 70 -> V = 68.33 -> viable (no weak dimension)
    result = assess_viability(
        [f("a", "driver", 5), f("b", "enabler", 3), f("c", "barrier", 4)],
        70.0,
        [DimensionInput("Response speed", 72.0)],
    )
    assert result.index == pytest.approx((200 / 3 + 70) / 2)
    assert result.verdict == VIABLE
    assert result.heavy_barriers == ("c",)


def test_weak_dimension_turns_viable_into_conditional() -> None:
    result = assess_viability(
        [f("a", "driver", 5)],
        80.0,
        [DimensionInput("Empowerment", 35.0), DimensionInput("Listening", 90.0)],
    )
    # F = 100, readiness 80 -> V = 90, but Empowerment < 40 blocks "viable"
    assert result.index == pytest.approx(90.0)
    assert result.verdict == CONDITIONAL
    assert result.weak_dimensions == (("Empowerment", 35.0),)
    assert any("Empowerment" in reason for reason in result.reasons)


def test_thresholds_at_the_boundaries() -> None:
    # Readiness alone: exactly 65 is viable, exactly 45 conditional, 44.9 not yet.
    assert assess_viability([], 65.0, []).verdict == VIABLE
    assert assess_viability([], 45.0, []).verdict == CONDITIONAL
    assert assess_viability([], 44.9, []).verdict == NOT_YET


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


def test_factors_alone_say_so() -> None:
    result = assess_viability([f("a", "driver", 3)], None, [])
    assert result.verdict == VIABLE
    assert any("factors alone" in reason for reason in result.reasons)
