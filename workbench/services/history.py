"""Reading the audit trail of a workspace."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Change

PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryPage:
    """One page of changes with the choices for the filters."""

    changes: list[Change]
    page: int
    pages: int
    total: int
    people: list[tuple[int | None, str]]
    entities: list[str]


def history_page(
    session: Session, user_id: int | None = None, entity: str | None = None, page: int = 1
) -> HistoryPage:
    """Return the newest changes of the session's workspace, optionally filtered."""
    query = select(Change)
    if user_id is not None:
        query = query.where(Change.user_id == user_id)
    if entity:
        query = query.where(Change.entity == entity)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    changes = list(
        session.scalars(
            query.order_by(Change.changed_at.desc(), Change.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    people = [
        (row[0], row[1])
        for row in session.execute(
            select(Change.user_id, Change.user_label).distinct().order_by(Change.user_label)
        )
    ]
    entities = list(session.scalars(select(Change.entity).distinct().order_by(Change.entity)))
    return HistoryPage(changes, page, pages, total, people, entities)
