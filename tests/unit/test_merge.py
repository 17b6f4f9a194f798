"""The three-way merge rule of a stale save, and the base rebuilt from the history."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis.merge import MergeOutcome, base_values, three_way_merge

BASE = {"budget": "40000", "priority": "medium", "owner": "Ana"}


def test_budget_raised_by_one_priority_by_the_other_both_survive() -> None:
    stored = {**BASE, "budget": "52000"}
    mine = {**BASE, "priority": "high"}
    outcome = three_way_merge(BASE, stored, mine)
    assert outcome == MergeOutcome(apply=("priority",), kept_theirs=("budget",), conflicts=())


def test_same_field_changed_differently_is_a_conflict() -> None:
    outcome = three_way_merge(BASE, {**BASE, "owner": "Bo"}, {**BASE, "owner": "Cy"})
    assert outcome.conflicts == ("owner",)
    assert outcome.apply == () and outcome.kept_theirs == ()


def test_same_field_changed_to_the_same_value_is_no_conflict() -> None:
    outcome = three_way_merge(BASE, {**BASE, "owner": "Bo"}, {**BASE, "owner": "Bo"})
    assert outcome == MergeOutcome((), (), ())


def test_without_history_every_differing_field_is_a_conflict() -> None:
    stored = {**BASE, "budget": "52000"}
    mine = {**BASE, "priority": "high"}
    outcome = three_way_merge(None, stored, mine)
    assert outcome.conflicts == ("budget", "priority")
    assert outcome.apply == () and outcome.kept_theirs == ()


def test_base_is_the_oldest_value_changed_since_the_loaded_version() -> None:
    stored = {"budget": "60000", "priority": "medium"}
    changes = [(2, "budget", "40000"), (3, "budget", "52000")]
    assert base_values(stored, changes, 1, 3) == {"budget": "40000", "priority": "medium"}
    assert base_values(stored, changes, 2, 3) == {"budget": "52000", "priority": "medium"}
    assert base_values(stored, [], 3, 3) == stored


def test_base_is_unknown_when_a_version_has_no_history() -> None:
    stored = {"budget": "60000"}
    # Version 2 left no trace (an entry older than the versioned audit trail).
    assert base_values(stored, [(3, "budget", "52000")], 1, 3) is None
    assert base_values(stored, [], 4, 3) is None
    assert base_values(stored, [], 0, 3) is None


values = st.sampled_from(["a", "b", "c", None])
rows = st.fixed_dictionaries({"x": values, "y": values, "z": values})


@given(rows, rows, rows)
def test_nobodys_change_is_lost(base: dict, stored: dict, mine: dict) -> None:
    """Whatever the values: merging never undoes a change without asking."""
    outcome = three_way_merge(base, stored, mine)
    merged = {**stored, **{name: mine[name] for name in outcome.apply}}
    for name in base:
        if name in outcome.conflicts:
            assert stored[name] != base[name] and mine[name] != base[name]
            continue
        if stored[name] != base[name]:
            assert merged[name] == stored[name]  # the colleague's change stays
        if mine[name] != base[name]:
            assert merged[name] == mine[name]  # and so does this save's
