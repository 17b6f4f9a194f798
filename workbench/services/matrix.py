"""The alignment matrices: initiatives x objectives (contribution) and x principles (ticks)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import (
    Contribution,
    Initiative,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeStatus,
    Objective,
    TqmPrinciple,
)
from workbench.services import initiatives as initiative_service
from workbench.services.errors import ServiceError, StaleEditError
from workbench.services.plan import principles as principle_list


@dataclass(frozen=True)
class Cell:
    """One cell of the objectives matrix: its contribution (None when empty) and version."""

    contribution: Contribution | None
    version: int


@dataclass(frozen=True)
class ObjectiveMatrix:
    """Rows, columns and cells of the initiatives x objectives matrix."""

    initiatives: list[Initiative]
    objectives: list[Objective]
    cells: dict[tuple[int, int], Cell]

    def cell(self, initiative_id: int, objective_id: int) -> Cell:
        """Return a cell, empty with version 0 when there is no link."""
        return self.cells.get((initiative_id, objective_id), Cell(None, 0))


def _initiatives(session: Session, department: str, status: str) -> list[Initiative]:
    query = select(Initiative).order_by(Initiative.position, Initiative.id)
    if department:
        query = query.where(Initiative.department == department)
    if status in {s.value for s in InitiativeStatus}:
        query = query.where(Initiative.status == InitiativeStatus(status))
    return list(session.scalars(query))


def objective_matrix(session: Session, department: str = "", status: str = "") -> ObjectiveMatrix:
    """Read the matrix with three queries, whatever its size."""
    initiatives = _initiatives(session, department, status)
    objectives = list(session.scalars(select(Objective).order_by(Objective.position, Objective.id)))
    cells = {
        (row.initiative_id, row.objective_id): Cell(row.contribution, row.version)
        for row in session.execute(
            select(
                InitiativeObjective.initiative_id,
                InitiativeObjective.objective_id,
                InitiativeObjective.contribution,
                InitiativeObjective.version,
            )
        )
    }
    return ObjectiveMatrix(initiatives, objectives, cells)


@dataclass(frozen=True)
class CellChange:
    """A submitted cell: the wanted contribution and the version it was loaded at."""

    initiative_id: int
    objective_id: int
    contribution: Contribution | None
    loaded_version: int


def save_cells(session: Session, changes: list[CellChange]) -> int:
    """Save several cells at once, all or none: any stale cell refuses the whole save."""
    current = objective_matrix(session)
    stale_stored, stale_mine = {}, {}
    for change in changes:
        stored = current.cell(change.initiative_id, change.objective_id)
        if stored.version != change.loaded_version:
            name = f"initiative {change.initiative_id} x objective {change.objective_id}"
            stale_stored[name] = stored.contribution.value if stored.contribution else "none"
            stale_mine[name] = change.contribution.value if change.contribution else "none"
    if stale_stored:
        raise StaleEditError("Some cells of the matrix", stale_stored, stale_mine, 0)
    saved = 0
    for change in changes:
        stored = current.cell(change.initiative_id, change.objective_id)
        if stored.contribution != change.contribution:
            initiative_service.set_contribution(
                session,
                change.initiative_id,
                change.objective_id,
                change.contribution,
                change.loaded_version,
            )
            saved += 1
    return saved


@dataclass(frozen=True)
class PrincipleMatrix:
    """Rows, columns and ticks of the initiatives x principles matrix."""

    initiatives: list[Initiative]
    principles: list[TqmPrinciple]
    ticks: set[tuple[int, int]]


def principle_matrix(session: Session, department: str = "", status: str = "") -> PrincipleMatrix:
    """Read the principles matrix with three queries, whatever its size."""
    ticks = {
        (row.initiative_id, row.principle_id)
        for row in session.execute(
            select(InitiativePrinciple.initiative_id, InitiativePrinciple.principle_id)
        )
    }
    return PrincipleMatrix(
        _initiatives(session, department, status), principle_list(session), ticks
    )


def set_tick(
    session: Session, initiative_id: int, principle_id: int, applied: bool, was_applied: bool
) -> None:
    """Tick or untick a principle cell, refusing if it changed since the page was loaded."""
    current = session.scalar(
        select(InitiativePrinciple.id).where(
            InitiativePrinciple.initiative_id == initiative_id,
            InitiativePrinciple.principle_id == principle_id,
        )
    )
    if (current is not None) != was_applied:
        raise StaleEditError(
            "This cell of the principles matrix",
            {"applied": "yes" if current is not None else "no"},
            {"applied": "yes" if applied else "no"},
            0,
        )
    initiative_service.set_principle(session, initiative_id, principle_id, applied)


def parse_contribution(raw: str) -> Contribution | None:
    """Read a posted contribution: strong, moderate, weak, or none to clear the cell."""
    if raw in {"", "none"}:
        return None
    try:
        return Contribution(raw)
    except ValueError:
        raise ServiceError("A contribution is strong, moderate, weak or none.") from None
