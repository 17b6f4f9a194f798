"""The organisational structure today against the target one: what is added, removed,
renamed and moved, and both trees laid out for display.

Each unit of the target structure may name the unit of the current structure that it
continues (its ``source_id``). From that:

- **added**: a target unit that continues nothing, or names a source that is not in the
  current structure. If two target units claim the same source, the one with the lowest
  id continues it and the other counts as added.
- **removed**: a current unit that no target unit continues.
- **renamed**: a continued unit whose name changed (spaces at the ends and runs of spaces
  are ignored when comparing).
- **moved**: a continued unit whose parent changed. The target parent is compared
  through the current unit it continues; a target parent that is itself new always
  counts as a move, and is marked "(new)" in the detail.
- A unit can be both renamed and moved. ``unchanged`` counts the continued units that
  are neither.

Parent links are read defensively, for the diff and for the tree alike: a parent that
is not in the same structure means the top level, and every unit on a loop of parent
links (including a unit that is its own parent) is placed at the top level. If an id
appears twice in one structure, the first record wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

ChangeKind = Literal["added", "removed", "renamed", "moved"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "renamed", "moved")
TOP_LEVEL = "the top level"


@dataclass(frozen=True)
class UnitRecord:
    """An organisational unit; in a target tree, ``source_id`` names the unit it continues."""

    id: int
    name: str
    parent_id: int | None
    source_id: int | None = None


@dataclass(frozen=True)
class UnitChange:
    """One difference between the structures, with the unit concerned and a sentence."""

    kind: ChangeKind
    unit_id: int
    name: str
    detail: str


@dataclass(frozen=True)
class OrgDiff:
    """The differences from the current structure to the target, by kind."""

    added: list[UnitChange] = field(default_factory=list)
    removed: list[UnitChange] = field(default_factory=list)
    renamed: list[UnitChange] = field(default_factory=list)
    moved: list[UnitChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """How many changes of each kind, every kind present."""
        return {kind: len(getattr(self, kind)) for kind in CHANGE_KINDS}

    @property
    def changes(self) -> list[UnitChange]:
        """Every change: added, then removed, renamed and moved."""
        return [change for kind in CHANGE_KINDS for change in getattr(self, kind)]


def _first_by_id(units: Iterable[UnitRecord]) -> dict[int, UnitRecord]:
    found: dict[int, UnitRecord] = {}
    for unit in units:
        found.setdefault(unit.id, unit)
    return found


def _name_key(unit: UnitRecord) -> tuple[str, str, int]:
    return (unit.name.casefold(), unit.name, unit.id)


def _same_name(old: str, new: str) -> bool:
    return " ".join(old.split()) == " ".join(new.split())


def effective_parents(units: Sequence[UnitRecord]) -> dict[int, int | None]:
    """Each unit's parent as displayed: None for unknown parents and for units on a loop."""
    by_id = _first_by_id(units)
    parent = {
        unit_id: unit.parent_id if unit.parent_id in by_id else None
        for unit_id, unit in by_id.items()
    }
    on_loop: set[int] = set()
    state: dict[int, int] = {}  # 1: on the walk in progress, 2: settled
    for start in by_id:
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state[node] == 1:
            on_loop.update(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return {unit_id: None if unit_id in on_loop else up for unit_id, up in parent.items()}


def tree_rows(units: Sequence[UnitRecord]) -> list[tuple[UnitRecord, int]]:
    """Units depth first with their depth (0 = top level), children by name then id."""
    by_id = _first_by_id(units)
    parent = effective_parents(units)
    children: dict[int | None, list[UnitRecord]] = {}
    for unit_id, unit in by_id.items():
        children.setdefault(parent[unit_id], []).append(unit)
    for siblings in children.values():
        siblings.sort(key=_name_key, reverse=True)  # reversed for popping off a stack

    rows: list[tuple[UnitRecord, int]] = []
    stack: list[tuple[UnitRecord, int]] = [(unit, 0) for unit in children.get(None, [])]
    while stack:
        unit, depth = stack.pop()
        rows.append((unit, depth))
        stack.extend((child, depth + 1) for child in children.get(unit.id, []))
    return rows


def diff_structures(current: Sequence[UnitRecord], target: Sequence[UnitRecord]) -> OrgDiff:
    """Compare the current structure with the target one, as described in the module."""
    now = _first_by_id(current)
    then = _first_by_id(target)
    now_parent = effective_parents(current)
    then_parent = effective_parents(target)

    def placed(parent_id: int | None, units: dict[int, UnitRecord]) -> str:
        return f"at {TOP_LEVEL}" if parent_id is None else f"under {units[parent_id].name}"

    continues: dict[int, int] = {}  # target id -> current id it continues
    claimed_by: dict[int, int] = {}  # current id -> target id that continues it
    added: list[UnitChange] = []
    for unit_id in sorted(then):
        unit = then[unit_id]
        where = placed(then_parent[unit_id], then)
        source = unit.source_id
        if source is None:
            detail = f"New unit {where}."
        elif source not in now:
            detail = (
                f"New unit {where}: the unit it was to continue is not in the current structure."
            )
        elif source in claimed_by:
            first = then[claimed_by[source]]
            detail = (
                f"New unit {where}: {first.name} already continues {now[source].name}, "
                "and a unit can be continued only once."
            )
        else:
            continues[unit_id] = source
            claimed_by[source] = unit_id
            continue
        added.append(UnitChange("added", unit_id, unit.name, detail))

    removed = [
        UnitChange(
            "removed",
            unit_id,
            unit.name,
            f"No unit of the target structure continues it (it was "
            f"{placed(now_parent[unit_id], now)}).",
        )
        for unit_id, unit in now.items()
        if unit_id not in claimed_by
    ]

    renamed: list[UnitChange] = []
    moved: list[UnitChange] = []
    unchanged = 0
    for unit_id, source in continues.items():
        unit, old = then[unit_id], now[source]
        changed = False
        if not _same_name(old.name, unit.name):
            renamed.append(UnitChange("renamed", unit_id, unit.name, f"{old.name} → {unit.name}"))
            changed = True
        old_parent = now_parent[source]
        new_parent = then_parent[unit_id]
        if new_parent is None:
            same_place = old_parent is None
        elif new_parent in continues:
            same_place = continues[new_parent] == old_parent
        else:
            same_place = False
        if not same_place:
            before = TOP_LEVEL if old_parent is None else now[old_parent].name
            after = TOP_LEVEL if new_parent is None else then[new_parent].name
            if new_parent is not None and new_parent not in continues:
                after += " (new)"
            moved.append(UnitChange("moved", unit_id, unit.name, f"from {before} to {after}"))
            changed = True
        if not changed:
            unchanged += 1

    def order(changes: list[UnitChange]) -> list[UnitChange]:
        return sorted(changes, key=lambda c: (c.name.casefold(), c.name, c.unit_id))

    return OrgDiff(
        added=order(added),
        removed=order(removed),
        renamed=order(renamed),
        moved=order(moved),
        unchanged=unchanged,
    )
