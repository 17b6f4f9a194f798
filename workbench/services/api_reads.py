"""Reads the JSON API needs beyond the pages' own: whole registers and single links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import (
    Change,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    TqmPrinciple,
)
from workbench.services.errors import NotFoundError
from workbench.services.tenancy import system_access


def rows_of(session: Session, model: type[Any]) -> list[Any]:
    """Return every row of a workspace register, oldest first (the session is scoped)."""
    return list(session.scalars(select(model).order_by(model.id)))


def row_of(session: Session, model: type[Any], row_id: int) -> Any:
    """Return one row of a workspace register or raise NotFoundError."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError("There is no such row in this workspace.")
    return row


def changes(session: Session) -> list[Change]:
    """Return the workspace's audit trail, newest first."""
    return list(
        session.scalars(select(Change).order_by(Change.changed_at.desc(), Change.id.desc()))
    )


def principles(session: Session) -> list[TqmPrinciple]:
    """Return the eight TQM principles in their order."""
    with system_access(session):
        return list(session.scalars(select(TqmPrinciple).order_by(TqmPrinciple.position)))


LINK_COLUMNS = {
    InitiativeObjective: InitiativeObjective.objective_id,
    InitiativePrinciple: InitiativePrinciple.principle_id,
    InitiativeFactor: InitiativeFactor.factor_id,
}


def links_of(session: Session, model: type[Any], initiative_id: int) -> list[Any]:
    """Return an initiative's links of one kind (objectives, principles or factors)."""
    column = LINK_COLUMNS[model]
    return list(
        session.scalars(select(model).where(model.initiative_id == initiative_id).order_by(column))
    )


def link_of(session: Session, model: type[Any], initiative_id: int, other_id: int) -> Any:
    """Return one link of an initiative, or None."""
    column = LINK_COLUMNS[model]
    return session.scalar(
        select(model).where(model.initiative_id == initiative_id, column == other_id)
    )
