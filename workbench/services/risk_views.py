"""The risk register as people read it: rated lines with their links, the heat map and the
gaps, for the register page, the initiative page and the storyboard (the rows and their edits
are in services/risks.py; the rules in workbench.analysis.risks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import risks as rules
from workbench.models import (
    Factor,
    Initiative,
    InitiativeFactor,
    InitiativeStatus,
    Polarity,
    Risk,
    RiskFactor,
    RiskInitiative,
    RiskStatus,
)
from workbench.services.risks import STATUS_LABELS, list_risks


@dataclass(frozen=True)
class Named:
    """Something linked, by id and title."""

    id: int
    title: str


@dataclass(frozen=True)
class RiskLine:
    """A risk as the register shows it."""

    id: int
    title: str
    cause: str
    likelihood: int
    impact: int
    score: int
    band: str  # low, medium, high or critical
    band_label: str
    owner: str
    mitigation: str
    review_date: date | None
    overdue: bool
    status: str
    status_label: str
    factors: tuple[Named, ...]
    initiatives: tuple[Named, ...]


@dataclass(frozen=True)
class BarrierGapLine:
    """An important barrier nothing covers, with the risks that record it."""

    id: int
    title: str
    importance: int
    risks: tuple[Named, ...]


@dataclass(frozen=True)
class Register:
    """The register in order, the heat map and the gaps, as of a day."""

    lines: tuple[RiskLine, ...]
    heat_map: tuple[tuple[int, ...], ...]
    barrier_gaps: tuple[BarrierGapLine, ...]
    unmitigated: tuple[RiskLine, ...]
    covered_barriers: tuple[str, ...]
    counts: dict[str, int]  # risks by status
    overdue: int

    def top(self, count: int = 3) -> tuple[RiskLine, ...]:
        """The live risks with the highest scores."""
        return tuple(line for line in self.lines if line.status in rules.LIVE)[:count]


@dataclass(frozen=True)
class Portfolio:
    """What the register reads beside its own rows: barriers, initiatives and what they address."""

    factor_titles: dict[int, str]
    barriers: tuple[rules.BarrierRecord, ...]
    initiative_titles: dict[int, str]
    active: frozenset[int]  # initiatives not dropped
    addressed: frozenset[int]  # factors an active initiative addresses


def portfolio(session: Session) -> Portfolio:
    """Read the factors, initiatives and factor links the register's gaps need (three queries)."""
    factors = list(session.scalars(select(Factor)))
    initiatives = list(session.scalars(select(Initiative)))
    addressed = session.scalars(
        select(InitiativeFactor.factor_id)
        .join(Initiative, Initiative.id == InitiativeFactor.initiative_id)
        .where(Initiative.status != InitiativeStatus.DROPPED)
    )
    return Portfolio(
        factor_titles={f.id: f.title for f in factors},
        barriers=tuple(
            rules.BarrierRecord(f.id, f.title, f.importance)
            for f in factors
            if f.polarity == Polarity.BARRIER
        ),
        initiative_titles={i.id: i.title for i in initiatives},
        active=frozenset(i.id for i in initiatives if i.status != InitiativeStatus.DROPPED),
        addressed=frozenset(addressed),
    )


def _record(
    row: Risk, factor_ids: Iterable[int] = (), initiative_ids: Iterable[int] = ()
) -> rules.RiskRecord:
    """A stored risk as the rules read it."""
    return rules.RiskRecord(
        row.id,
        row.title,
        row.likelihood,
        row.impact,
        row.owner,
        row.review_date,
        row.status.value,
        tuple(factor_ids),
        tuple(initiative_ids),
    )


def _line(
    row: Risk,
    record: rules.RiskRecord,
    today: date,
    factors: tuple[Named, ...],
    initiatives: tuple[Named, ...],
) -> RiskLine:
    """A stored risk as the register shows it, rated and checked for an overdue review."""
    rated = rules.rating(record)
    return RiskLine(
        id=row.id,
        title=row.title,
        cause=row.cause,
        likelihood=row.likelihood,
        impact=row.impact,
        score=rules.score(row.likelihood, row.impact),
        band=rated.key,
        band_label=rated.label,
        owner=row.owner,
        mitigation=row.mitigation,
        review_date=row.review_date,
        overdue=rules.is_overdue(record, today),
        status=row.status.value,
        status_label=STATUS_LABELS.get(row.status.value, row.status.value),
        factors=factors,
        initiatives=initiatives,
    )


def register(session: Session, today: date, known: Portfolio | None = None) -> Register:
    """Read the register with its links, heat map and gaps in a fixed number of queries.

    Three queries for the risks and their links, and three more for `known` unless the
    caller already holds it (the storyboard reads it from the alignment view).
    """
    known = known or portfolio(session)
    rows = list_risks(session)
    factor_links = session.execute(select(RiskFactor.risk_id, RiskFactor.factor_id)).all()
    initiative_links = session.execute(
        select(RiskInitiative.risk_id, RiskInitiative.initiative_id)
    ).all()
    by_risk_f: dict[int, list[int]] = {}
    for risk_id, factor_id in sorted(factor_links):
        by_risk_f.setdefault(risk_id, []).append(factor_id)
    by_risk_i: dict[int, list[int]] = {}
    for risk_id, initiative_id in sorted(initiative_links):
        by_risk_i.setdefault(risk_id, []).append(initiative_id)
    records = [_record(r, by_risk_f.get(r.id, ()), by_risk_i.get(r.id, ())) for r in rows]
    stored = {r.id: r for r in rows}

    def line(record: rules.RiskRecord) -> RiskLine:
        return _line(
            stored[record.id],
            record,
            today,
            tuple(
                Named(f, known.factor_titles[f])
                for f in record.factor_ids
                if f in known.factor_titles
            ),
            tuple(
                Named(i, known.initiative_titles[i])
                for i in record.initiative_ids
                if i in known.initiative_titles
            ),
        )

    found = rules.gaps(records, known.barriers, known.addressed, known.active)
    lines = {record.id: line(record) for record in records}
    ordered = tuple(lines[r.id] for r in rules.ordered(records))
    counts = {status.value: 0 for status in RiskStatus}
    for r in rows:
        counts[r.status.value] += 1
    return Register(
        lines=ordered,
        heat_map=rules.heat_map(records),
        barrier_gaps=tuple(
            BarrierGapLine(
                gap.barrier.id,
                gap.barrier.title,
                gap.barrier.importance,
                tuple(Named(r, stored[r].title) for r in gap.risk_ids),
            )
            for gap in found.barriers
        ),
        unmitigated=tuple(lines[r.id] for r in found.unmitigated),
        covered_barriers=tuple(known.factor_titles[f] for f in found.covered_barriers),
        counts=counts,
        overdue=sum(1 for item in ordered if item.overdue),
    )


def mitigated_by(session: Session, initiative_id: int, today: date) -> tuple[RiskLine, ...]:
    """The risks an initiative mitigates, in the register's order, in one query.

    The lines leave out the barriers and initiatives each risk links to: the initiative page
    shows the risk itself and links to the register for the rest.
    """
    rows = {
        row.id: row
        for row in session.scalars(
            select(Risk)
            .join(RiskInitiative, RiskInitiative.risk_id == Risk.id)
            .where(RiskInitiative.initiative_id == initiative_id)
        )
    }
    records = [_record(row) for row in rows.values()]
    return tuple(_line(rows[r.id], r, today, (), ()) for r in rules.ordered(records))
