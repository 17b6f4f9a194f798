"""Optimistic concurrency for forms and the API: a save names the version it was loaded with.

A save at the stored version is applied as it is. A stale one is merged three ways (see
workbench.analysis.merge): the values at the loaded version are rebuilt from the audit
trail, fields only this save changed are applied, fields only others changed keep their
stored value, and only fields both changed differently refuse the save as a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from workbench.analysis.merge import base_values, three_way_merge
from workbench.models import Change, User, Versioned
from workbench.services.audit import as_text
from workbench.services.errors import FieldConflict, StaleEditError

# session.info key: the fields whose stored (colleagues') values a merged save kept.
KEPT_KEY = "merge_kept_fields"
NUMBERS = (int, float, Decimal)


def _history(
    session: Session, obj: Versioned, loaded_version: int
) -> list[tuple[int, str, str | None, str, datetime]]:
    # Every field change recorded after the loaded version, oldest first; people are named
    # as they call themselves, not by the email the trail keeps.
    who = func.coalesce(func.nullif(User.display_name, ""), Change.user_label)
    rows = session.execute(
        select(Change.version, Change.field, Change.old_value, who, Change.changed_at)
        .outerjoin(User, User.id == Change.user_id)
        .where(
            Change.entity == type(obj).__name__,
            Change.entity_id == getattr(obj, "id", None),
            Change.action == "update",
            Change.version > loaded_version,
        )
        .order_by(Change.version, Change.id)
    )
    return [(v, f, old, who, when) for v, f, old, who, when in rows if v is not None and f]


def apply_versioned_edit(
    obj: Versioned,
    loaded_version: int | None,
    changes: Mapping[str, Any],
    entity_label: str,
) -> bool:
    """Apply field changes, merging a stale save with what others saved meanwhile.

    Returns whether anything changed. Fields both this save and someone else changed to
    different values raise StaleEditError naming them (with who changed them and when);
    nothing is written then.
    """
    fields = list(changes)
    if loaded_version is not None and loaded_version > obj.version:
        # A version the row never had: not a stale form but a wrong one; merge nothing.
        stored = {name: getattr(obj, name) for name in changes}
        raise StaleEditError(entity_label, stored, dict(changes), obj.version)
    if loaded_version is not None and loaded_version == obj.version:
        to_apply = fields
    else:
        to_apply = _merge(obj, loaded_version, changes, entity_label)
    changed = False
    for name in to_apply:
        if getattr(obj, name) != changes[name]:
            setattr(obj, name, changes[name])
            changed = True
    return changed


def _key(value: Any, numeric: bool) -> str:
    # Compare as the audit trail stores values, so a rebuilt base matches: an empty text
    # and no value are one, and 40000 and 40000.00 are one amount.
    text = as_text(value) or ""
    if numeric and text:
        try:
            return format(Decimal(text).normalize(), "f")
        except InvalidOperation:
            return text
    return text


def _merge(
    obj: Versioned, loaded_version: int | None, changes: Mapping[str, Any], entity_label: str
) -> list[str]:
    session = object_session(obj)
    numeric = {
        name: isinstance(getattr(obj, name), NUMBERS) or isinstance(value, NUMBERS)
        for name, value in changes.items()
    }
    stored = {name: _key(getattr(obj, name), numeric[name]) for name in changes}
    mine = {name: _key(value, numeric[name]) for name, value in changes.items()}
    history: list[tuple[int, str, str | None, str, datetime]] = []
    base = None
    # A version the row never had (from the future, or none) has no history to ask for.
    if session is not None and loaded_version is not None and 1 <= loaded_version < obj.version:
        history = _history(session, obj, loaded_version)
        base = base_values(
            stored,
            [(v, f, _key(old, numeric.get(f, False))) for v, f, old, _who, _when in history],
            loaded_version,
            obj.version,
        )
    outcome = three_way_merge(base, stored, mine)
    if outcome.conflicts:
        # Who last changed each field, and when (unknown where the history is missing).
        latest = {field: (who, when) for _v, field, _old, who, when in history}
        conflicts = tuple(
            FieldConflict(
                name,
                getattr(obj, name),
                changes[name],
                *latest.get(name, (None, None)),
            )
            for name in outcome.conflicts
        )
        error = StaleEditError(
            entity_label,
            {name: getattr(obj, name) for name in changes},
            dict(changes),
            obj.version,
            conflicts,
        )
        # What a resubmission carries outside the conflict: applied or kept values.
        error.merged = {
            name: changes[name] if name in outcome.apply else getattr(obj, name)
            for name in changes
            if name not in outcome.conflicts
        }
        raise error
    if session is not None and outcome.kept_theirs:
        session.info.setdefault(KEPT_KEY, []).extend(outcome.kept_theirs)
    return list(outcome.apply)


def take_kept_fields(session: Session) -> list[str]:
    """Return (and forget) the fields whose colleagues' values merged saves kept."""
    return list(dict.fromkeys(session.info.pop(KEPT_KEY, [])))
