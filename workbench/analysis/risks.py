"""The risk register's rules: score, rating band, order, overdue reviews, heat map and gaps.

Pure logic: plain records in, frozen values out. A risk's score is its likelihood times its
impact (each 1 to 5), so 1 to 25; the bands below rate it. Closed risks leave the heat map,
and a closed risk is never overdue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

SCALE = range(1, 6)
CLOSED = "closed"
# Risks still being worked: an accepted risk was weighed and let stand on purpose.
LIVE = frozenset({"open", "mitigating"})
# Barriers this important must be covered by the register or the portfolio.
IMPORTANT = 4
# A risk is recorded against what stands in the strategy's way: a barrier of the assessment.
SOURCE_POLARITY = "barrier"
LIKELIHOOD_WORDS = {1: "rare", 2: "unlikely", 3: "possible", 4: "likely", 5: "almost certain"}
IMPACT_WORDS = {1: "negligible", 2: "minor", 3: "moderate", 4: "major", 5: "severe"}


@dataclass(frozen=True)
class Band:
    """A rating band: the scores from `low` to `high` inclusive."""

    key: str
    label: str
    low: int
    high: int


# No product of two numbers from 1 to 5 lies between 16 and 20, so the bands leave no hole.
BANDS = (
    Band("low", "Low", 1, 4),
    Band("medium", "Medium", 5, 9),
    Band("high", "High", 10, 16),
    Band("critical", "Critical", 20, 25),
)
SERIOUS = frozenset({"high", "critical"})
BANDS_SENTENCE = (
    "The score is the likelihood times the impact, each from 1 to 5: "
    + "; ".join(f"{b.label.lower()} {b.low} to {b.high}" for b in BANDS)
    + "."
)


@dataclass(frozen=True)
class RiskRecord:
    """A risk as the rules read it, with the barriers it comes from and its mitigations."""

    id: int
    title: str
    likelihood: int
    impact: int
    owner: str
    review_date: date | None
    status: str
    factor_ids: tuple[int, ...] = ()
    initiative_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BarrierRecord:
    """A Phase 1 barrier: its id, title and importance (1 to 5)."""

    id: int
    title: str
    importance: int


@dataclass(frozen=True)
class BarrierGap:
    """An important barrier nothing covers, with the risks that record it (if any)."""

    barrier: BarrierRecord
    risk_ids: tuple[int, ...]


@dataclass(frozen=True)
class Gaps:
    """What the register leaves open."""

    barriers: tuple[BarrierGap, ...]
    unmitigated: tuple[RiskRecord, ...]  # live high or critical risks that nothing mitigates
    covered_barriers: tuple[int, ...]  # barriers an initiative reaches only through a risk


def may_come_from(polarity: str | None) -> bool:
    """Whether a risk may name a factor of this polarity as its source: only a barrier may."""
    return polarity == SOURCE_POLARITY


def score(likelihood: int, impact: int) -> int:
    """The risk score: likelihood times impact."""
    return likelihood * impact


def band(value: int) -> Band:
    """The rating band of a score (scores outside 1 to 25 take the nearest band)."""
    for candidate in reversed(BANDS):
        if value >= candidate.low:
            return candidate
    return BANDS[0]


def rating(risk: RiskRecord) -> Band:
    """The rating band of a risk."""
    return band(score(risk.likelihood, risk.impact))


def ordered(risks: Iterable[RiskRecord]) -> tuple[RiskRecord, ...]:
    """Highest score first; equal scores by the earliest review date (undated last), then title."""
    return tuple(
        sorted(
            risks,
            key=lambda r: (
                -score(r.likelihood, r.impact),
                r.review_date or date.max,
                r.title.casefold(),
                r.id,
            ),
        )
    )


def is_overdue(risk: RiskRecord, today: date) -> bool:
    """A review date already past on a risk that is not closed."""
    return risk.status != CLOSED and risk.review_date is not None and risk.review_date < today


def heat_map(risks: Iterable[RiskRecord]) -> tuple[tuple[int, ...], ...]:
    """Risks per cell, closed ones left out: rows by impact 1 to 5, columns by likelihood 1 to 5."""
    counts = [[0] * 5 for _ in SCALE]
    for risk in risks:
        if risk.status != CLOSED and risk.likelihood in SCALE and risk.impact in SCALE:
            counts[risk.impact - 1][risk.likelihood - 1] += 1
    return tuple(tuple(row) for row in counts)


def top(risks: Iterable[RiskRecord], count: int = 3) -> tuple[RiskRecord, ...]:
    """The live risks with the highest scores, at most `count`."""
    return ordered(r for r in risks if r.status in LIVE)[:count]


def gaps(
    risks: Sequence[RiskRecord],
    barriers: Iterable[BarrierRecord],
    addressed: Collection[int],
    active_initiatives: Collection[int],
) -> Gaps:
    """The important barriers nothing covers and the serious live risks nothing mitigates.

    A barrier of importance 4 or 5 is covered when an active initiative addresses it
    (`addressed` holds those factor ids) or mitigates one of the risks it gives rise to.
    Dropped initiatives mitigate nothing: the caller leaves them out of `active_initiatives`.
    """
    by_barrier: dict[int, list[RiskRecord]] = {}
    for risk in risks:
        for factor_id in risk.factor_ids:
            by_barrier.setdefault(factor_id, []).append(risk)

    def mitigated(risk: RiskRecord) -> bool:
        return any(i in active_initiatives for i in risk.initiative_ids)

    open_barriers: list[BarrierGap] = []
    covered: list[int] = []
    for barrier in sorted(barriers, key=lambda b: (-b.importance, b.title.casefold(), b.id)):
        own = by_barrier.get(barrier.id, [])
        through_risk = any(mitigated(r) for r in own)
        if barrier.id not in addressed and through_risk:
            covered.append(barrier.id)
        if barrier.importance >= IMPORTANT and barrier.id not in addressed and not through_risk:
            open_barriers.append(BarrierGap(barrier, tuple(r.id for r in ordered(own))))
    unmitigated = tuple(
        r
        for r in ordered(risks)
        if r.status in LIVE and rating(r).key in SERIOUS and not mitigated(r)
    )
    return Gaps(tuple(open_barriers), unmitigated, tuple(covered))
