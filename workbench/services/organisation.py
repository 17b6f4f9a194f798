"""Phase 3 organisation: the current and the target structure, and what changes between them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.org_diff import OrgDiff, UnitRecord, diff_structures, tree_rows
from workbench.models import OrgUnit
from workbench.models.vocabulary import STRUCTURES
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError


def units(session: Session, structure: str) -> list[OrgUnit]:
    """Return the units of one structure."""
    return list(
        session.scalars(select(OrgUnit).where(OrgUnit.structure == structure).order_by(OrgUnit.id))
    )


def records(rows: list[OrgUnit]) -> list[UnitRecord]:
    """Turn units into analysis records."""
    return [UnitRecord(u.id, u.name, u.parent_id, u.source_id) for u in rows]


def tree(session: Session, structure: str) -> list[tuple[OrgUnit, int]]:
    """Return one structure as (unit, depth) rows in tree order."""
    rows = units(session, structure)
    by_id = {u.id: u for u in rows}
    return [(by_id[record.id], depth) for record, depth in tree_rows(records(rows))]


def diff(session: Session) -> OrgDiff:
    """Compare the target structure with the current one; nothing until a target exists.

    Before anyone has drawn a target, every current unit would read as removed, which is
    not a plan but an empty page.
    """
    target = records(units(session, "target"))
    if not target:
        return OrgDiff()
    return diff_structures(records(units(session, "current")), target)


def get_unit(session: Session, unit_id: int) -> OrgUnit:
    """Return a unit or raise NotFoundError."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFoundError("That unit no longer exists.")
    return unit


def _check(session: Session, structure: str, values: dict[str, Any], unit_id: int | None) -> None:
    if structure not in STRUCTURES:
        raise ServiceError("Choose the current or the target structure.")
    parent_id = values.get("parent_id")
    if parent_id is not None:
        parent = session.get(OrgUnit, parent_id)
        if parent is None or parent.structure != structure:
            raise ServiceError("Choose a parent unit from the same structure.", "parent_id")
        seen: set[int] = set()
        while parent is not None and parent.id not in seen:
            if parent.id == unit_id:
                raise ServiceError("A unit cannot sit beneath itself.", "parent_id")
            seen.add(parent.id)
            parent = session.get(OrgUnit, parent.parent_id) if parent.parent_id else None
    source_id = values.get("source_id")
    if source_id is not None:
        if structure != "target":
            raise ServiceError("Only target units continue a current unit.", "source_id")
        source = session.get(OrgUnit, source_id)
        if source is None or source.structure != "current":
            raise ServiceError("Choose a unit of the current structure.", "source_id")


def create_unit(session: Session, structure: str, values: dict[str, Any]) -> OrgUnit:
    """Add a unit to a structure."""
    _check(session, structure, values, None)
    unit = OrgUnit(
        structure=structure,
        name=values["name"],
        purpose=values.get("purpose") or "",
        parent_id=values.get("parent_id"),
        source_id=values.get("source_id"),
    )
    session.add(unit)
    session.flush()
    return unit


def update_unit(
    session: Session, unit_id: int, loaded_version: int | None, values: dict[str, Any]
) -> OrgUnit:
    """Save a unit unless it changed since the form was loaded."""
    unit = get_unit(session, unit_id)
    _check(session, unit.structure, values, unit_id)
    changes = {
        "name": values["name"],
        "purpose": values.get("purpose") or "",
        "parent_id": values.get("parent_id"),
        "source_id": values.get("source_id") if unit.structure == "target" else None,
    }
    apply_versioned_edit(unit, loaded_version, changes, f"The unit “{unit.name}”")
    session.flush()
    return unit


def delete_unit(session: Session, unit_id: int) -> str:
    """Delete a unit; its children move up to its parent."""
    unit = get_unit(session, unit_id)
    for child in session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit_id)):
        child.parent_id = unit.parent_id
    name = unit.name
    session.delete(unit)
    session.flush()
    return name


def copy_current_to_target(session: Session) -> int:
    """Start the target structure as a copy of the current one (only when it is empty)."""
    if session.scalar(select(func.count(OrgUnit.id)).where(OrgUnit.structure == "target")):
        raise ServiceError("The target structure already has units; edit it instead.")
    mapping: dict[int, OrgUnit] = {}
    current = units(session, "current")
    for unit in current:
        copy = OrgUnit(structure="target", name=unit.name, purpose=unit.purpose, source_id=unit.id)
        session.add(copy)
        mapping[unit.id] = copy
    session.flush()
    for unit in current:
        if unit.parent_id in mapping:
            mapping[unit.id].parent_id = mapping[unit.parent_id].id
    session.flush()
    return len(current)
