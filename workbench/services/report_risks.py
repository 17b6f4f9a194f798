"""The storyboard's risk register: the register in order, the top risks for the summary page,
the heat map, and the register's gaps as decisions for the risks' owners."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from workbench.analysis import risks as rules
from workbench.analysis.alignment_records import AlignmentInput
from workbench.analysis.board import Decision, settle
from workbench.analysis.dates import format_date
from workbench.analysis.decisions import OpenPoint
from workbench.services import risk_views as service

AREA = "risks"
# The alignment gap a risk decision replaces for the same barrier (see board.gap_points).
BARRIER_DECISION = "Decide which initiative lowers the barrier"


@dataclass(frozen=True)
class RiskRow:
    """One risk as the storyboard prints it; dates ISO."""

    title: str
    score: int
    band: str  # low, medium, high or critical
    rating: str  # the band as a word
    likelihood: int
    impact: int
    owner: str
    review: str | None
    overdue: bool
    status: str
    barriers: tuple[str, ...]
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class RiskSection:
    """The register, highest score first, with its heat map and what it leaves open."""

    rows: tuple[RiskRow, ...]
    top: tuple[RiskRow, ...]  # up to three open or mitigating risks, highest score first
    heat_map: tuple[tuple[int, ...], ...]  # [impact - 1][likelihood - 1], closed left out
    counts: dict[str, int]
    overdue: int
    bands: str
    barrier_gaps: tuple[str, ...]  # sentences
    unmitigated: tuple[str, ...]  # sentences


def _portfolio(data: AlignmentInput) -> service.Portfolio:
    """The register's view of the portfolio, from the alignment data already read."""
    active = frozenset(i.id for i in data.initiatives if i.active)
    return service.Portfolio(
        factor_titles={f.id: f.title for f in data.factors},
        barriers=tuple(
            rules.BarrierRecord(f.id, f.title, f.importance)
            for f in data.factors
            if f.polarity == "barrier"
        ),
        initiative_titles={i.id: i.title for i in data.initiatives},
        active=active,
        addressed=frozenset(lk.factor_id for lk in data.factor_links if lk.initiative_id in active),
    )


def _row(line: service.RiskLine) -> RiskRow:
    return RiskRow(
        title=line.title,
        score=line.score,
        band=line.band,
        rating=line.band_label,
        likelihood=line.likelihood,
        impact=line.impact,
        owner=line.owner,
        review=line.review_date.isoformat() if line.review_date else None,
        overdue=line.overdue,
        status=line.status_label,
        barriers=tuple(f.title for f in line.factors),
        initiatives=tuple(i.title for i in line.initiatives),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _points(register: service.Register) -> list[OpenPoint]:
    """The register's gaps and overdue reviews, each a decision for the risk's owner."""
    by_id = {line.id: line for line in register.lines}
    points: list[OpenPoint] = []
    named: set[int] = set()
    for gap in register.barrier_gaps:
        if gap.risks:
            first = by_id[gap.risks[0].id]
            named.update(risk.id for risk in gap.risks)
            points.append(
                OpenPoint(
                    AREA,
                    gap.title,
                    f"Choose the initiative that will lower the barrier “{gap.title}” "
                    f"(importance {gap.importance} of 5): it is recorded as the "
                    f"{first.band_label.lower()} risk “{first.title}”, which nothing mitigates "
                    "yet.",
                    first.owner,
                    _iso(first.review_date),
                )
            )
        else:
            points.append(
                OpenPoint(
                    AREA,
                    gap.title,
                    f"Decide how the barrier “{gap.title}” (importance {gap.importance} of 5) "
                    "will be lowered: no initiative addresses it and no risk records it.",
                    "",
                    None,
                )
            )
    for line in register.unmitigated:
        if line.id in named:
            continue
        named.add(line.id)
        points.append(
            OpenPoint(
                AREA,
                line.title,
                f"Choose the initiative that will mitigate the {line.band_label.lower()} risk "
                f"“{line.title}” (score {line.score} of 25), or accept the risk.",
                line.owner,
                _iso(line.review_date),
            )
        )
    # A risk with a decision of its own is reviewed when that decision is taken.
    points += [
        OpenPoint(
            AREA,
            line.title,
            f"Review the risk “{line.title}”: its review was due on "
            f"{format_date(line.review_date)}.",
            line.owner,
            None,
        )
        for line in register.lines
        if line.overdue and line.review_date and line.id not in named
    ]
    return points


def _sentences(register: service.Register) -> tuple[tuple[str, ...], tuple[str, ...]]:
    barriers = tuple(
        f"{gap.title} (importance {gap.importance} of 5): "
        + (
            "recorded as " + ", ".join(f"“{r.title}”" for r in gap.risks) + ", which nothing "
            "mitigates yet."
            if gap.risks
            else "no initiative addresses it and no risk records it."
        )
        for gap in register.barrier_gaps
    )
    # A risk already named beside its barrier is not listed again.
    named = {risk.id for gap in register.barrier_gaps for risk in gap.risks}
    unmitigated = tuple(
        f"{line.title}: {line.band_label.lower()}, score {line.score} of 25, "
        f"{line.status_label.lower()}; no initiative mitigates it."
        for line in register.unmitigated
        if line.id not in named
    )
    return barriers, unmitigated


def risk_section(
    session: Session, data: AlignmentInput, today: date
) -> tuple[RiskSection, list[OpenPoint], frozenset[str]]:
    """The register for the storyboard, its decisions, and the barriers those decisions settle.

    Three queries whatever the number of risks: the portfolio comes from the alignment data.
    """
    register = service.register(session, today, _portfolio(data))
    rows = {line.id: _row(line) for line in register.lines}
    barriers, unmitigated = _sentences(register)
    section = RiskSection(
        rows=tuple(rows[line.id] for line in register.lines),
        top=tuple(rows[line.id] for line in register.top(3)),
        heat_map=register.heat_map,
        counts=register.counts,
        overdue=register.overdue,
        bands=rules.BANDS_SENTENCE,
        barrier_gaps=barriers,
        unmitigated=unmitigated,
    )
    settled = frozenset(gap.title for gap in register.barrier_gaps) | frozenset(
        register.covered_barriers
    )
    return section, _points(register), settled


def with_risk_decisions(
    decisions: Sequence[Decision],
    points: Iterable[OpenPoint],
    settled: frozenset[str],
    lead: str,
    today: date,
) -> tuple[Decision, ...]:
    """The decisions with the register's added, each barrier decided once.

    A barrier the register settles (covered through a risk's mitigation, or asked about by
    the register's own decision) drops its alignment decision, so the board reads it once.
    """
    kept = [
        d
        for d in decisions
        if not (
            d.area == "alignment"
            and d.subject in settled
            and d.decision.startswith(BARRIER_DECISION)
        )
    ]
    merged = kept + list(settle(points, lead, today))
    return settle(
        (
            OpenPoint(d.area, d.subject, d.decision, d.owner if d.owner_named else "", d.due)
            for d in merged
        ),
        lead,
        today,
    )
