"""Is a service recovery strategy viable here? A documented, explainable verdict.

The formula (shown to users on the assessment page and in the README):

1. Factor balance. Support S is the sum of the importance (1-5) of every driver and
   enabler; resistance R is the sum of the importance of every barrier.
   balance = (S - R) / (S + R), from -1 (only barriers) to +1 (no barriers);
   factor score F = 50 x (balance + 1), from 0 to 100.
2. Readiness. R% is the overall score (0-100) of the service recovery readiness
   instrument, aggregated over every respondent.
3. Viability index V = (F + R%) / 2 when both exist, otherwise whichever exists.
4. Evidence. A verdict needs both kinds of evidence: readiness answers from at least
   one respondent and at least 5 recorded factors. With less, the verdict is "not
   enough evidence", V is shown as provisional, and the reasons say what is missing.
5. Verdict, once the evidence is there:
   - viable: V >= 65 and no readiness dimension scores below 40;
   - viable with conditions: V >= 45 (including V >= 65 with a dimension below 40);
   - not yet viable: V < 45;
   - not assessed: neither factors nor readiness answers exist.
6. Conditions name what to fix first: every barrier of importance 4 or 5 (heaviest
   first, at most five) and every readiness dimension below 50 (weakest first, at most
   five).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

VIABLE_AT = 65.0
CONDITIONAL_AT = 45.0
WEAK_DIMENSION_BLOCKS_BELOW = 40.0
WEAK_DIMENSION_NAMED_BELOW = 50.0
HEAVY_BARRIER_FROM = 4
MAX_CONDITIONS = 5
MIN_FACTORS = 5
"""Fewer recorded factors than this are too few to weigh a strategy's chances."""

VIABLE = "viable"
CONDITIONAL = "viable with conditions"
NOT_YET = "not yet viable"
NOT_ASSESSED = "not assessed"
NOT_ENOUGH_EVIDENCE = "not enough evidence"


@dataclass(frozen=True)
class FactorInput:
    """A factor as the verdict sees it."""

    title: str
    polarity: str  # driver, enabler or barrier
    importance: int


@dataclass(frozen=True)
class DimensionInput:
    """A readiness dimension's aggregated score (0-100)."""

    title: str
    score: float


@dataclass(frozen=True)
class Viability:
    """The verdict with the figures and reasons behind it."""

    verdict: str
    index: float | None
    factor_score: float | None
    readiness_score: float | None
    support: int
    resistance: int
    heavy_barriers: tuple[str, ...]
    weak_dimensions: tuple[tuple[str, float], ...]
    reasons: tuple[str, ...]
    provisional: bool = False  # the index rests on too little evidence for a verdict


def factor_balance(factors: Sequence[FactorInput]) -> tuple[int, int, float | None]:
    """Return support, resistance and the factor score (None without factors)."""
    support = sum(f.importance for f in factors if f.polarity in {"driver", "enabler"})
    resistance = sum(f.importance for f in factors if f.polarity == "barrier")
    if support + resistance == 0:
        return support, resistance, None
    balance = (support - resistance) / (support + resistance)
    return support, resistance, 50.0 * (balance + 1.0)


def assess_viability(
    factors: Sequence[FactorInput],
    readiness_score: float | None,
    dimensions: Sequence[DimensionInput],
) -> Viability:
    """Combine the factor balance and readiness into a verdict with named conditions."""
    support, resistance, factor_score = factor_balance(factors)
    parts = [score for score in (factor_score, readiness_score) if score is not None]
    index = sum(parts) / len(parts) if parts else None

    barriers = sorted(
        (f for f in factors if f.polarity == "barrier" and f.importance >= HEAVY_BARRIER_FROM),
        key=lambda f: (-f.importance, f.title.lower()),
    )
    heavy = tuple(f.title for f in barriers[:MAX_CONDITIONS])
    weak = tuple(
        (d.title, d.score)
        for d in sorted(dimensions, key=lambda d: (d.score, d.title.lower()))
        if d.score < WEAK_DIMENSION_NAMED_BELOW
    )[:MAX_CONDITIONS]
    blocking = [d for d in dimensions if d.score < WEAK_DIMENSION_BLOCKS_BELOW]

    reasons: list[str] = []
    missing = _missing_evidence(len(factors), readiness_score)
    if index is None:
        verdict = NOT_ASSESSED
        reasons.append("Record factors or answer the readiness instrument to reach a verdict.")
    elif missing:
        verdict = NOT_ENOUGH_EVIDENCE
        reasons.append(
            f"The viability index of {index:.0f} is provisional: a verdict needs readiness "
            f"answers and at least {MIN_FACTORS} factors."
        )
        reasons.extend(missing)
    else:
        if index >= VIABLE_AT and not blocking:
            verdict = VIABLE
            reasons.append(f"The viability index is {index:.0f}, at or above {VIABLE_AT:.0f}.")
        elif index >= CONDITIONAL_AT:
            verdict = CONDITIONAL
            if index >= VIABLE_AT:
                names = ", ".join(d.title for d in blocking)
                reasons.append(
                    f"The index of {index:.0f} would be viable, but readiness in {names} "
                    f"is below {WEAK_DIMENSION_BLOCKS_BELOW:.0f}."
                )
            else:
                reasons.append(
                    f"The viability index is {index:.0f}, between {CONDITIONAL_AT:.0f} "
                    f"and {VIABLE_AT:.0f}."
                )
        else:
            verdict = NOT_YET
            reasons.append(f"The viability index is {index:.0f}, below {CONDITIONAL_AT:.0f}.")
    if index is not None and resistance > support:
        reasons.append(f"Barriers outweigh drivers and enablers ({resistance} against {support}).")
    return Viability(
        verdict=verdict,
        index=index,
        factor_score=factor_score,
        readiness_score=readiness_score,
        support=support,
        resistance=resistance,
        heavy_barriers=heavy,
        weak_dimensions=weak,
        reasons=tuple(reasons),
        provisional=verdict == NOT_ENOUGH_EVIDENCE,
    )


def _missing_evidence(factor_count: int, readiness_score: float | None) -> list[str]:
    """Say what evidence is missing before a verdict can be given; empty when none is."""
    missing: list[str] = []
    if readiness_score is None:
        missing.append(
            "No one has answered the readiness questionnaire yet; its answers show whether "
            "the organisation can carry the strategy."
        )
    if factor_count < MIN_FACTORS:
        recorded = (
            "No factors are recorded yet"
            if factor_count == 0
            else f"Only {factor_count} factor{'' if factor_count == 1 else 's'} recorded"
        )
        missing.append(
            f"{recorded}: at least {MIN_FACTORS} are needed to weigh drivers and enablers "
            "against barriers."
        )
    return missing


def verdict_sentence(viability: Viability) -> str:
    """Say the verdict in one sentence a board member can read, provisional index included."""
    if viability.index is None:
        return (
            "The assessment has not started: no factors are recorded and no one has answered "
            "the readiness questionnaire."
        )
    if viability.provisional:
        return (
            "There is not yet enough evidence for a verdict; the provisional viability index "
            f"is {viability.index:.0f} out of 100."
        )
    return (
        f"The assessment finds the strategy {viability.verdict}, with a viability index of "
        f"{viability.index:.0f} out of 100."
    )
