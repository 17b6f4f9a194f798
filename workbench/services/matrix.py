"""The alignment matrices: initiatives x objectives (contribution) and x principles (ticks).

`set_contribution` and `set_principle` are the only writers of a cell, whether it is saved
from the whole matrix, its htmx cell, an initiative's page or the API, so every path checks
the same versions and refuses the same way.
"""

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
from workbench.services.errors import NotFoundError, ServiceError, StaleEditError
from workbench.services.tenancy import system_access


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
            set_contribution(
                session,
                change.initiative_id,
                change.objective_id,
                change.contribution,
                change.loaded_version,
            )
            saved += 1
    return saved


def set_contribution(
    session: Session,
    initiative_id: int,
    objective_id: int,
    contribution: Contribution | None,
    loaded_version: int | None,
    rationale: str | None = None,
) -> InitiativeObjective | None:
    """Set (or clear, with None) one cell of the initiatives x objectives matrix.

    The loaded version is 0 for a cell that was empty when the matrix was loaded. A
    rationale of None keeps the one stored.
    """
    initiative_service.get_initiative(session, initiative_id)
    if session.get(Objective, objective_id) is None:
        raise NotFoundError("That objective no longer exists.")
    link = session.scalar(
        select(InitiativeObjective).where(
            InitiativeObjective.initiative_id == initiative_id,
            InitiativeObjective.objective_id == objective_id,
        )
    )
    stored_version = link.version if link else 0
    if loaded_version != stored_version:
        stored = link.contribution.value if link else "none"
        submitted = contribution.value if contribution else "none"
        raise StaleEditError(
            "This cell of the matrix",
            {"contribution": stored},
            {"contribution": submitted},
            stored_version,
        )
    if contribution is None:
        if link is not None:
            session.delete(link)
        session.flush()
        return None
    if link is None:
        link = InitiativeObjective(
            initiative_id=initiative_id,
            objective_id=objective_id,
            contribution=contribution,
            rationale=rationale or "",
        )
        session.add(link)
    else:
        link.contribution = contribution
        if rationale is not None:
            link.rationale = rationale
    session.flush()
    return link


def principles(session: Session) -> list[TqmPrinciple]:
    """Return the eight TQM principles in order."""
    with system_access(session):
        return list(session.scalars(select(TqmPrinciple).order_by(TqmPrinciple.position)))


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
    return PrincipleMatrix(_initiatives(session, department, status), principles(session), ticks)


def set_principle(
    session: Session,
    initiative_id: int,
    principle_id: int,
    applied: bool,
    was_applied: bool | None = None,
) -> None:
    """Tick or untick one cell of the initiatives x principles matrix.

    With `was_applied` (what the page showed), a cell changed since is refused; without it
    the call is idempotent, as the API and the initiative's own page (which checks its
    links as a whole) want.
    """
    initiative_service.get_initiative(session, initiative_id)
    with system_access(session):
        if session.get(TqmPrinciple, principle_id) is None:
            raise NotFoundError("That principle does not exist.")
    link = session.scalar(
        select(InitiativePrinciple).where(
            InitiativePrinciple.initiative_id == initiative_id,
            InitiativePrinciple.principle_id == principle_id,
        )
    )
    if was_applied is not None and (link is not None) != was_applied:
        raise StaleEditError(
            "This cell of the principles matrix",
            {"applied": "yes" if link is not None else "no"},
            {"applied": "yes" if applied else "no"},
            0,
        )
    if applied and link is None:
        session.add(InitiativePrinciple(initiative_id=initiative_id, principle_id=principle_id))
    elif not applied and link is not None:
        session.delete(link)
    session.flush()


def parse_contribution(raw: str) -> Contribution | None:
    """Read a posted contribution: strong, moderate, weak, or none to clear the cell."""
    if raw in {"", "none"}:
        return None
    try:
        return Contribution(raw)
    except ValueError:
        raise ServiceError("A contribution is strong, moderate, weak or none.") from None
