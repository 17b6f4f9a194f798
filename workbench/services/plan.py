"""Reads for the Phase 2 pages: the objective tree, initiative rows and an initiative's links."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import (
    Contribution,
    Initiative,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeStatus,
    Metric,
    Objective,
)
from workbench.services import departments as department_service
from workbench.services import initiatives as initiative_service
from workbench.services import matrix
from workbench.services.errors import StaleEditError


@dataclass(frozen=True)
class TreeRow:
    """An objective with its depth in the tree."""

    objective: Objective
    depth: int


def objective_tree(objectives: Sequence[Objective]) -> list[TreeRow]:
    """Order objectives depth-first under their parents (orphans and loops at the top level)."""
    by_parent: dict[int | None, list[Objective]] = {}
    ids = {o.id for o in objectives}
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in ids else None
        by_parent.setdefault(parent, []).append(objective)
    rows: list[TreeRow] = []
    placed: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for child in by_parent.get(parent, []):
            if child.id in placed:
                continue
            placed.add(child.id)
            rows.append(TreeRow(child, depth))
            walk(child.id, depth + 1)

    walk(None, 0)
    for objective in objectives:  # anything left sits in a loop of parents
        if objective.id not in placed:
            placed.add(objective.id)
            rows.append(TreeRow(objective, 0))
    return rows


@dataclass(frozen=True)
class InitiativeRow:
    """An initiative as listed, with how far it is linked."""

    initiative: Initiative
    objectives: int
    principles: int
    factors: int


def _counts(
    session: Session,
    model: type[InitiativeObjective | InitiativePrinciple | InitiativeFactor],
    column: str,
) -> dict[int, int]:
    key = model.initiative_id
    rows = session.execute(select(key, func.count(getattr(model, column))).group_by(key))
    return {initiative_id: count for initiative_id, count in rows}


def initiative_rows(
    session: Session, department: str = "", status: str = ""
) -> list[InitiativeRow]:
    """Return initiatives (optionally one department's or one status's) with link counts."""
    query = select(Initiative).order_by(Initiative.position, Initiative.id)
    if department:
        query = query.where(Initiative.department == department)
    if status in {s.value for s in InitiativeStatus}:
        query = query.where(Initiative.status == InitiativeStatus(status))
    objectives = _counts(session, InitiativeObjective, "objective_id")
    principles = _counts(session, InitiativePrinciple, "principle_id")
    factors = _counts(session, InitiativeFactor, "factor_id")
    return [
        InitiativeRow(i, objectives.get(i.id, 0), principles.get(i.id, 0), factors.get(i.id, 0))
        for i in session.scalars(query)
    ]


def departments(session: Session, with_metrics: bool = False) -> list[tuple[str, str]]:
    """Return (key, display name) of the departments initiatives (and metrics) name.

    The Phase 2 filters offer the initiatives' ones; the workshop boards add the metrics'
    ones. Sorted by display name whatever its case.
    """
    keys = set(session.scalars(select(Initiative.department).distinct()))
    if with_metrics:
        keys |= set(session.scalars(select(Metric.department).distinct()))
    known = department_service.names(session)
    named = ((key, department_service.display_name(known, key)) for key in keys if key)
    return sorted(named, key=lambda pair: (pair[1].casefold(), pair[0]))


@dataclass(frozen=True)
class PrincipleChoice:
    """A TQM principle and whether the initiative applies it."""

    id: int
    name: str
    description: str
    applied: bool


@dataclass(frozen=True)
class InitiativeLinks:
    """Everything an initiative is linked to, for its page."""

    objectives: list[tuple[Objective, Contribution, str, int]]
    unlinked_objectives: list[Objective]
    principles: list[PrincipleChoice]
    factor_ids: set[int]
    depends_on: list[Initiative]
    dependants: list[Initiative]
    candidates: list[Initiative]
    token: str


def links_token(factor_ids: set[int], principle_ids: set[int]) -> str:
    """Fingerprint of an initiative's factor and principle links, to detect concurrent saves."""
    text = (
        "f"
        + ",".join(map(str, sorted(factor_ids)))
        + "p"
        + ",".join(map(str, sorted(principle_ids)))
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _current_sets(session: Session, initiative_id: int) -> tuple[set[int], set[int]]:
    factor_ids = set(
        session.scalars(
            select(InitiativeFactor.factor_id).where(
                InitiativeFactor.initiative_id == initiative_id
            )
        )
    )
    principle_ids = set(
        session.scalars(
            select(InitiativePrinciple.principle_id).where(
                InitiativePrinciple.initiative_id == initiative_id
            )
        )
    )
    return factor_ids, principle_ids


def initiative_links(session: Session, initiative_id: int) -> InitiativeLinks:
    """Gather an initiative's objectives, principles, factors and dependencies."""
    objective_rows = session.execute(
        select(
            Objective,
            InitiativeObjective.contribution,
            InitiativeObjective.rationale,
            InitiativeObjective.version,
        )
        .join(InitiativeObjective, InitiativeObjective.objective_id == Objective.id)
        .where(InitiativeObjective.initiative_id == initiative_id)
        .order_by(Objective.position, Objective.id)
    ).all()
    factor_ids, principle_ids = _current_sets(session, initiative_id)
    choices = [
        PrincipleChoice(p.id, p.name, p.description, p.id in principle_ids)
        for p in matrix.principles(session)
    ]
    all_initiatives = {i.id: i for i in initiative_service.list_initiatives(session)}
    pairs = initiative_service.dependency_pairs(session)
    depends_on = [all_initiatives[d] for i, d in pairs if i == initiative_id]
    dependants = [all_initiatives[i] for i, d in pairs if d == initiative_id]
    taken = {i.id for i in depends_on} | {initiative_id}
    candidates = [i for i in all_initiatives.values() if i.id not in taken]
    return InitiativeLinks(
        objectives=[(row[0], row[1], row[2], row[3]) for row in objective_rows],
        unlinked_objectives=[
            o
            for o in session.scalars(select(Objective).order_by(Objective.position, Objective.id))
            if o.id not in {row[0].id for row in objective_rows}
        ],
        principles=choices,
        factor_ids=factor_ids,
        depends_on=depends_on,
        dependants=dependants,
        candidates=candidates,
        token=links_token(factor_ids, principle_ids),
    )


def save_links(
    session: Session,
    initiative_id: int,
    loaded_token: str,
    factor_ids: set[int],
    principle_ids: set[int],
) -> None:
    """Replace an initiative's factors and principles unless someone changed them meanwhile."""
    current_factors, current_principles = _current_sets(session, initiative_id)
    if loaded_token != links_token(current_factors, current_principles):
        raise StaleEditError(
            "The links of this initiative",
            {"factors": len(current_factors), "principles": len(current_principles)},
            {"factors": len(factor_ids), "principles": len(principle_ids)},
            0,
        )
    initiative_service.set_factors(session, initiative_id, factor_ids)
    for principle in matrix.principles(session):
        wanted = principle.id in principle_ids
        if wanted != (principle.id in current_principles):
            matrix.set_principle(session, initiative_id, principle.id, wanted)
