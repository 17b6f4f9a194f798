"""The audit trail, written centrally at flush time for every audited model."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from workbench.models import Audited, Change, Versioned, Workspace, WorkspaceScoped
from workbench.models.base import utcnow

ACTOR_ID_KEY = "actor_id"
ACTOR_LABEL_KEY = "actor_label"
MAX_VALUE_CHARS = 20000


def set_actor(session: Session, user_id: int | None, label: str) -> None:
    """Record who the session's changes are attributed to."""
    session.info[ACTOR_ID_KEY] = user_id
    session.info[ACTOR_LABEL_KEY] = label


def as_text(value: Any) -> str | None:
    """Return a value as the audit trail stores it (also how a stale save compares values)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime | date):
        value = value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value) if not isinstance(value, Decimal) else format(value, "f")
    return text[:MAX_VALUE_CHARS]


def _entity_name(obj: Any) -> str:
    return type(obj).__name__


def _workspace_of(obj: Any) -> int | None:
    if isinstance(obj, WorkspaceScoped):
        return obj.workspace_id
    if isinstance(obj, Workspace):
        return obj.id
    return None


def _audited_fields(obj: Any) -> list[str]:
    excluded: frozenset[str] = getattr(obj, "__audit_exclude__", frozenset())
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in excluded]


def _snapshot(obj: Any) -> dict[str, str | None]:
    return {name: as_text(getattr(obj, name)) for name in _audited_fields(obj) if name != "id"}


def _rows_for(session: Session, obj: Any, action: str) -> list[dict[str, Any]]:
    workspace_id = _workspace_of(obj)
    if workspace_id is None:
        return []
    base = {
        "workspace_id": workspace_id,
        "changed_at": utcnow(),
        "user_id": session.info.get(ACTOR_ID_KEY),
        "user_label": session.info.get(ACTOR_LABEL_KEY) or "system",
        "entity": _entity_name(obj),
        "entity_id": getattr(obj, "id", None),
        "action": action,
        "field": None,
        "old_value": None,
        "new_value": None,
        "details": None,
        # Set by the flush that wrote the change; None for rows without a version.
        "version": getattr(obj, "version", None) if isinstance(obj, Versioned) else None,
    }
    if action in {"create", "delete"}:
        return [{**base, "details": _snapshot(obj)}]
    rows = []
    state = inspect(obj)
    for name in _audited_fields(obj):
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        old_text, new_text = as_text(old), as_text(new)
        if old_text == new_text:
            continue
        rows.append({**base, "field": name, "old_value": old_text, "new_value": new_text})
    return rows


def _after_flush(session: Session, _context: Any) -> None:
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows += _rows_for(session, obj, "create")
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            rows += _rows_for(session, obj, "update")
    # A deleted workspace takes its history with it; nothing to record for its rows.
    gone = {obj.id for obj in session.deleted if isinstance(obj, Workspace)}
    for obj in session.deleted:
        if isinstance(obj, Audited) and _workspace_of(obj) not in gone:
            rows += _rows_for(session, obj, "delete")
    if rows:
        session.connection().execute(insert(Change), rows)


def install(session_class: type[Session]) -> None:
    """Attach the audit hook to a session class (idempotent)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
