"""The three-way merge of a stale save: what the form started from, what is stored, what came in.

Values are compared as plain comparable keys (the caller turns each value into the same
text the audit trail stores), so the rule needs no knowledge of types or of the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeOutcome:
    """Which submitted fields to write, which stored changes to keep, and which collide."""

    apply: tuple[str, ...]
    kept_theirs: tuple[str, ...]
    conflicts: tuple[str, ...]


def three_way_merge(
    base: Mapping[str, str | None] | None,
    stored: Mapping[str, str | None],
    mine: Mapping[str, str | None],
) -> MergeOutcome:
    """Merge the submitted fields `mine` into `stored`, given the `base` the form was loaded at.

    Without a base (history unknown) every field whose stored value differs from the
    submitted one is a conflict: the safe default, nothing is decided for the user.
    """
    apply: list[str] = []
    kept: list[str] = []
    conflicts: list[str] = []
    for name, mine_value in mine.items():
        stored_value = stored.get(name)
        if mine_value == stored_value:
            continue  # nothing to do, whoever changed it: both ended at the same value
        if base is None:
            conflicts.append(name)
            continue
        base_value = base.get(name)
        if stored_value == base_value:
            apply.append(name)  # only this save changed it
        elif mine_value == base_value:
            kept.append(name)  # only someone else changed it: their value stays
        else:
            conflicts.append(name)  # both changed it, differently
    return MergeOutcome(tuple(apply), tuple(kept), tuple(conflicts))


def base_values(
    stored: Mapping[str, str | None],
    changes: list[tuple[int, str, str | None]],
    loaded_version: int,
    stored_version: int,
) -> dict[str, str | None] | None:
    """Rebuild the values at `loaded_version` from the stored ones and the changes since.

    `changes` are (version after the change, field, old value) entries; those at or
    before the loaded version are ignored. Returns None when
    the history does not account for every version in between (rows older than the
    versioned audit trail, or a change the trail does not record).
    """
    if loaded_version > stored_version or loaded_version < 1:
        return None
    since = [change for change in changes if change[0] > loaded_version]
    if {version for version, _field, _old in since} != set(
        range(loaded_version + 1, stored_version + 1)
    ):
        return None
    base = dict(stored)
    # The earliest change after the loaded version holds the value the form started from.
    for _version, field, old in sorted(since, key=lambda change: change[0], reverse=True):
        if field in base:
            base[field] = old
    return base
