"""Optimistic concurrency for web forms: a save must name the version it was loaded with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.models import Versioned
from workbench.services.errors import StaleEditError


def apply_versioned_edit(
    obj: Versioned,
    loaded_version: int | None,
    changes: Mapping[str, Any],
    entity_label: str,
) -> bool:
    """Apply field changes if the row is still at the version the form was loaded with.

    Returns whether anything changed. A stale version raises StaleEditError carrying the
    stored and the submitted values so the user can compare and re-apply.
    """
    if loaded_version is None or loaded_version != obj.version:
        stored = {name: getattr(obj, name) for name in changes}
        raise StaleEditError(entity_label, stored, dict(changes), obj.version)
    changed = False
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
