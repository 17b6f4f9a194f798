"""Reading the audit trail of a workspace, in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workbench.analysis.history_words import Entry, Row, entity_label, group
from workbench.models import Change, User

PAGE_SIZE = 50
TITLE_FIELDS = ("title", "name", "display_name")


@dataclass(frozen=True)
class HistoryPage:
    """One page of history entries with the choices for the filters."""

    entries: list[Entry]
    page: int
    pages: int
    total: int
    people: list[tuple[int, str]]
    entities: list[tuple[str, str]]


def _title_of(details: dict[str, Any] | None) -> str | None:
    for name in TITLE_FIELDS:
        if details and details.get(name):
            return str(details[name])
    return None


def _titles(session: Session, changes: list[Change]) -> dict[tuple[str, int | None], str]:
    """Each changed thing's latest title or name, read from the trail (so deleted ones too)."""
    keys = {(c.entity, c.entity_id) for c in changes if c.entity_id is not None}
    if not keys:
        return {}
    ids = {entity_id for _entity, entity_id in keys}
    titles: dict[tuple[str, int | None], str] = {}
    rows = session.scalars(
        select(Change)
        .where(
            Change.entity_id.in_(ids),
            or_(Change.action == "create", Change.field.in_(TITLE_FIELDS)),
        )
        .order_by(Change.changed_at, Change.id)
    )
    for row in rows:
        key = (row.entity, row.entity_id)
        if key not in keys:
            continue
        title = row.new_value if row.field else _title_of(row.details)
        if title:
            titles[key] = title
    return titles


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


def history_page(
    session: Session, user_id: int | None = None, entity: str | None = None, page: int = 1
) -> HistoryPage:
    """Return the newest changes of the session's workspace, optionally filtered, grouped."""
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
    people_ids = set(session.scalars(select(Change.user_id).distinct()))
    names = _names(session, {uid for uid in people_ids if uid is not None})
    rows = [
        Row(
            c.changed_at,
            names.get(c.user_id, c.user_label) if c.user_id else "The system",
            c.user_id,
            c.action,
            c.entity,
            c.entity_id,
            c.field,
            c.old_value,
            c.new_value,
        )
        for c in changes
    ]
    entities = sorted(
        ((name, entity_label(name)) for name in session.scalars(select(Change.entity).distinct())),
        key=lambda pair: pair[1],
    )
    return HistoryPage(
        entries=group(rows, _titles(session, changes)),
        page=page,
        pages=pages,
        total=total,
        people=sorted(names.items(), key=lambda pair: pair[1].lower()),
        entities=entities,
    )
