"""Current against target organisational structure, and trees laid out for display."""

from __future__ import annotations

from workbench.analysis.org_diff import (
    OrgDiff,
    UnitChange,
    UnitRecord,
    diff_structures,
    effective_parents,
    tree_rows,
)

# Current structure:
#   Customer Service (1)
#     Contact Centre (2)
#       QA Team (3)
#     Complaints (4)
#   Finance (5)
CURRENT = [
    UnitRecord(1, "Customer Service", None),
    UnitRecord(2, "Contact Centre", 1),
    UnitRecord(3, "QA Team", 2),
    UnitRecord(4, "Complaints", 1),
    UnitRecord(5, "Finance", None),
]


def same_as_today() -> list[UnitRecord]:
    """A target structure that continues every current unit unchanged, with new ids."""
    return [
        UnitRecord(11, "Customer Service", None, 1),
        UnitRecord(12, "Contact Centre", 11, 2),
        UnitRecord(13, "QA Team", 12, 3),
        UnitRecord(14, "Complaints", 11, 4),
        UnitRecord(15, "Finance", None, 5),
    ]


def names(rows: list[tuple[UnitRecord, int]]) -> list[tuple[str, int]]:
    """Tree rows as (name, depth)."""
    return [(unit.name, depth) for unit, depth in rows]


# --- diff_structures -------------------------------------------------------------


def test_empty_structures() -> None:
    diff = diff_structures([], [])
    assert diff == OrgDiff()
    assert diff.counts == {"added": 0, "removed": 0, "renamed": 0, "moved": 0}
    assert diff.unchanged == 0
    assert diff.changes == []


def test_everything_removed_when_target_is_empty() -> None:
    diff = diff_structures(CURRENT, [])
    assert [c.name for c in diff.removed] == [
        "Complaints",
        "Contact Centre",
        "Customer Service",
        "Finance",
        "QA Team",
    ]
    assert diff.removed[0] == UnitChange(
        "removed",
        4,
        "Complaints",
        "No unit of the target structure continues it (it was under Customer Service).",
    )
    assert diff.removed[3].detail.endswith("(it was at the top level).")
    assert diff.counts["removed"] == 5


def test_everything_added_when_current_is_empty() -> None:
    target = [UnitRecord(1, "Recovery", None), UnitRecord(2, "Callbacks", 1)]
    diff = diff_structures([], target)
    assert diff.added == [
        UnitChange("added", 2, "Callbacks", "New unit under Recovery."),
        UnitChange("added", 1, "Recovery", "New unit at the top level."),
    ]


def test_unchanged_structure() -> None:
    diff = diff_structures(CURRENT, same_as_today())
    assert diff.changes == []
    assert diff.unchanged == 5


def test_qa_team_repurposed_as_service_recovery() -> None:
    # The QA team becomes "Service Recovery" directly under Customer Service; a new
    # Callbacks unit sits under it; Finance goes.
    target = [
        UnitRecord(11, "Customer Service", None, 1),
        UnitRecord(12, "Contact Centre", 11, 2),
        UnitRecord(13, "Service Recovery", 11, 3),
        UnitRecord(14, "Complaints", 11, 4),
        UnitRecord(16, "Callbacks", 13),
    ]
    diff = diff_structures(CURRENT, target)
    assert diff.added == [UnitChange("added", 16, "Callbacks", "New unit under Service Recovery.")]
    assert [c.unit_id for c in diff.removed] == [5]
    assert diff.renamed == [
        UnitChange("renamed", 13, "Service Recovery", "QA Team → Service Recovery")
    ]
    assert diff.moved == [
        UnitChange("moved", 13, "Service Recovery", "from Contact Centre to Customer Service")
    ]
    assert diff.counts == {"added": 1, "removed": 1, "renamed": 1, "moved": 1}
    assert diff.unchanged == 3
    assert [c.kind for c in diff.changes] == ["added", "removed", "renamed", "moved"]


def test_renamed_parent_does_not_move_children() -> None:
    target = same_as_today()
    target[0] = UnitRecord(11, "Customer Experience", None, 1)
    diff = diff_structures(CURRENT, target)
    assert [c.detail for c in diff.renamed] == ["Customer Service → Customer Experience"]
    assert diff.moved == []
    assert diff.unchanged == 4


def test_moves_to_and_from_the_top_level() -> None:
    target = same_as_today()
    target[1] = UnitRecord(12, "Contact Centre", None, 2)  # up to the top level
    target[4] = UnitRecord(15, "Finance", 11, 5)  # down under Customer Service
    diff = diff_structures(CURRENT, target)
    assert [(c.name, c.detail) for c in diff.moved] == [
        ("Contact Centre", "from Customer Service to the top level"),
        ("Finance", "from the top level to Customer Service"),
    ]
    assert diff.unchanged == 3


def test_move_under_a_new_unit_is_marked_new() -> None:
    target = [*same_as_today(), UnitRecord(20, "Recovery", None)]
    target[2] = UnitRecord(13, "QA Team", 20, 3)
    diff = diff_structures(CURRENT, target)
    assert diff.moved == [
        UnitChange("moved", 13, "QA Team", "from Contact Centre to Recovery (new)")
    ]


def test_names_compared_without_stray_spaces() -> None:
    target = same_as_today()
    target[4] = UnitRecord(15, " Finance ", None, 5)
    diff = diff_structures(CURRENT, target)
    assert diff.renamed == []
    assert diff.unchanged == 5


def test_unknown_source_counts_as_added() -> None:
    target = [*same_as_today(), UnitRecord(30, "Insights", 11, 999)]
    diff = diff_structures(CURRENT, target)
    assert diff.added == [
        UnitChange(
            "added",
            30,
            "Insights",
            "New unit under Customer Service: the unit it was to continue is not in the "
            "current structure.",
        )
    ]
    assert diff.unchanged == 5


def test_duplicate_source_lowest_id_continues() -> None:
    # Both 40 and 31 claim Complaints (4): 31 has the lower id and continues it.
    target = [
        UnitRecord(11, "Customer Service", None, 1),
        UnitRecord(12, "Contact Centre", 11, 2),
        UnitRecord(13, "QA Team", 12, 3),
        UnitRecord(40, "Complaints North", 11, 4),
        UnitRecord(31, "Complaints South", 11, 4),
        UnitRecord(15, "Finance", None, 5),
    ]
    diff = diff_structures(CURRENT, target)
    assert diff.added == [
        UnitChange(
            "added",
            40,
            "Complaints North",
            "New unit under Customer Service: Complaints South already continues "
            "Complaints, and a unit can be continued only once.",
        )
    ]
    assert diff.renamed == [
        UnitChange("renamed", 31, "Complaints South", "Complaints → Complaints South")
    ]
    assert diff.removed == []
    assert diff.unchanged == 4


def test_parent_claiming_duplicate_source_counts_as_new_parent() -> None:
    # 50 loses the claim on Customer Service to 11, so Complaints now sits under a new unit.
    target = [*same_as_today(), UnitRecord(50, "Customer Care", None, 1)]
    target[3] = UnitRecord(14, "Complaints", 50, 4)
    diff = diff_structures(CURRENT, target)
    assert [c.unit_id for c in diff.added] == [50]
    assert [c.detail for c in diff.moved] == ["from Customer Service to Customer Care (new)"]


def test_cycles_in_either_structure_read_as_top_level() -> None:
    current = [UnitRecord(1, "A", 2), UnitRecord(2, "B", 1), UnitRecord(3, "C", 3)]
    target = [
        UnitRecord(11, "A", None, 1),
        UnitRecord(12, "B", 12, 2),  # its own parent: top level
        UnitRecord(13, "C", 11, 3),
    ]
    diff = diff_structures(current, target)
    assert [(c.name, c.detail) for c in diff.moved] == [("C", "from the top level to A")]
    assert diff.unchanged == 2


def test_unknown_parent_reads_as_top_level() -> None:
    target = same_as_today()
    target[4] = UnitRecord(15, "Finance", 777, 5)
    diff = diff_structures(CURRENT, target)
    assert diff.moved == []
    assert diff.unchanged == 5


# --- tree_rows -------------------------------------------------------------------


def test_tree_rows_empty() -> None:
    assert tree_rows([]) == []


def test_tree_rows_depth_first_sorted_by_name_then_id() -> None:
    units = [
        *CURRENT,
        UnitRecord(7, "Complaints", 1),  # same name as 4: id decides
        UnitRecord(6, "billing", 5),
        UnitRecord(8, "Audit", 5),
    ]
    rows = tree_rows(units)
    assert [(u.id, d) for u, d in rows] == [
        (1, 0),
        (4, 1),
        (7, 1),
        (2, 1),
        (3, 2),
        (5, 0),
        (8, 1),
        (6, 1),
    ]


def test_tree_rows_unknown_parent_is_top_level() -> None:
    rows = tree_rows([UnitRecord(1, "Orphan", 99), UnitRecord(2, "Child", 1)])
    assert names(rows) == [("Orphan", 0), ("Child", 1)]


def test_tree_rows_cycle_members_top_level_once() -> None:
    units = [
        UnitRecord(1, "A", 3),
        UnitRecord(2, "B", 1),
        UnitRecord(3, "C", 2),  # A -> C -> B -> A
        UnitRecord(4, "Hangs off B", 2),
        UnitRecord(5, "Self", 5),
        UnitRecord(6, "Under self", 5),
    ]
    rows = tree_rows(units)
    assert names(rows) == [
        ("A", 0),
        ("B", 0),
        ("Hangs off B", 1),
        ("C", 0),
        ("Self", 0),
        ("Under self", 1),
    ]
    assert effective_parents(units) == {1: None, 2: None, 3: None, 4: 2, 5: None, 6: 5}


def test_tree_rows_chain_leading_into_a_cycle() -> None:
    units = [
        UnitRecord(1, "X", 2),
        UnitRecord(2, "Y", 1),
        UnitRecord(3, "Z", 4),
        UnitRecord(4, "W", 1),
    ]
    assert names(tree_rows(units)) == [("X", 0), ("W", 1), ("Z", 2), ("Y", 0)]


def test_tree_rows_deep_tree_without_recursion_limits() -> None:
    depth = 5000
    units = [UnitRecord(i, f"Level {i}", i - 1 if i else None) for i in range(depth)]
    rows = tree_rows(list(reversed(units)))
    assert len(rows) == depth
    assert [d for _, d in rows] == list(range(depth))
    assert rows[-1][0].id == depth - 1


def test_tree_rows_duplicate_ids_first_wins() -> None:
    rows = tree_rows([UnitRecord(1, "First", None), UnitRecord(1, "Second", None)])
    assert names(rows) == [("First", 0)]


def test_deep_diff_moves_a_whole_branch_once() -> None:
    # Moving a branch reports only its root: the children keep their parent.
    current = [UnitRecord(i, f"U{i}", i - 1 if i else None) for i in range(200)]
    target = [UnitRecord(1000 + i, f"U{i}", 1000 + i - 1 if i else None, i) for i in range(200)]
    target[100] = UnitRecord(1100, "U100", None, 100)
    diff = diff_structures(current, target)
    assert [(c.name, c.detail) for c in diff.moved] == [("U100", "from U99 to the top level")]
    assert diff.unchanged == 199
