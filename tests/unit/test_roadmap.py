"""Roadmap waves from dependencies, and dependency loops refused with the loop named."""

from __future__ import annotations

import pytest

from workbench.analysis.alignment import (
    AlignmentInput,
    Dependency,
    DependencyCycleError,
    InitiativeRecord,
    check_new_dependency,
    roadmap_waves,
)


def workspace(
    titles: dict[int, str], *edges: tuple[int, int], dropped: tuple[int, ...] = ()
) -> AlignmentInput:
    """Initiatives by id and title; each edge is (initiative, depends on)."""
    return AlignmentInput(
        initiatives=[
            InitiativeRecord(i, t, status="dropped" if i in dropped else "approved")
            for i, t in titles.items()
        ],
        dependencies=[Dependency(i, d) for i, d in edges],
    )


LETTERS = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E", 6: "F"}


def test_no_initiatives_no_waves() -> None:
    assert roadmap_waves(AlignmentInput()) == []


def test_without_dependencies_everything_is_wave_one() -> None:
    assert roadmap_waves(workspace({3: "C", 1: "A", 2: "B"})) == [[1, 2, 3]]


def test_waves_by_hand() -> None:
    # B and C wait for A; D waits for B and C; F waits for D; E waits for nothing.
    # wave 1: A, E (no prerequisites); wave 2: B, C; wave 3: D; wave 4: F
    data = workspace(LETTERS, (2, 1), (3, 1), (4, 2), (4, 3), (6, 4))
    assert roadmap_waves(data) == [[1, 5], [2, 3], [4], [6]]


def test_dropped_initiatives_and_unknown_ids() -> None:
    # Dropped initiatives keep their place; a dependency on an unknown id is ignored.
    data = workspace({1: "A", 2: "B"}, (2, 1), (2, 99), (99, 1), dropped=(1,))
    assert roadmap_waves(data) == [[1], [2]]


def test_cycle_is_refused_with_the_cycle_named() -> None:
    # B depends on A, C on B, A on C: the arrows run A -> B -> C -> A. D is outside the loop.
    data = workspace(
        {1: "A", 2: "B", 3: "C", 4: "D"},
        (2, 1),
        (3, 2),
        (1, 3),
        (1, 4),
    )
    with pytest.raises(DependencyCycleError) as caught:
        roadmap_waves(data)
    error = caught.value
    assert error.cycle == [1, 2, 3]  # started at the lowest id, in arrow order
    assert error.titles == ["A", "B", "C"]
    assert "A -> B -> C -> A" in str(error)
    assert isinstance(error, ValueError)


def test_cycle_starts_at_its_lowest_id() -> None:
    data = workspace({5: "E", 7: "G", 9: "I"}, (9, 7), (5, 9), (7, 5))
    # 7 waits for 5 and 9 for 7, 5 for 9: arrows 5 -> 7 -> 9 -> 5
    with pytest.raises(DependencyCycleError, match="E -> G -> I -> E") as caught:
        roadmap_waves(data)
    assert caught.value.cycle == [5, 7, 9]


def test_stored_self_dependency_is_a_loop_of_one() -> None:
    data = workspace({1: "A", 2: "B"}, (2, 2))
    with pytest.raises(DependencyCycleError, match="cannot depend on itself: B -> B") as caught:
        roadmap_waves(data)
    assert caught.value.cycle == [2]
    assert caught.value.titles == ["B"]


def test_check_new_dependency_allows_a_safe_edge() -> None:
    data = workspace(LETTERS, (2, 1), (3, 2))
    assert check_new_dependency(data, 4, 3) is None  # D waits for C: fine
    assert check_new_dependency(data, 3, 1) is None  # a shortcut, not a loop
    assert check_new_dependency(data, 2, 1) is None  # already there


def test_check_new_dependency_names_the_loop_it_would_make() -> None:
    # existing: B waits for A, C waits for B; asking "A waits for C" closes A -> B -> C -> A
    data = workspace(LETTERS, (2, 1), (3, 2))
    error = check_new_dependency(data, 1, 3)
    assert isinstance(error, DependencyCycleError)
    assert error.cycle == [1, 2, 3]
    assert error.titles == ["A", "B", "C"]
    assert "A -> B -> C -> A" in error.message
    # the data itself is untouched and still has a roadmap
    assert roadmap_waves(data) == [[1, 4, 5, 6], [2], [3]]


def test_check_new_dependency_refuses_self_and_unknown_ids() -> None:
    data = workspace(LETTERS)
    error = check_new_dependency(data, 4, 4)
    assert error is not None
    assert (error.cycle, error.titles) == ([4], ["D"])
    assert str(error) == "An initiative cannot depend on itself: D -> D."
    with pytest.raises(ValueError, match="No initiative has id 99"):
        check_new_dependency(data, 1, 99)


def test_check_new_dependency_ignores_an_unrelated_loop() -> None:
    # C and D already wait on each other; B waiting for A does not touch that loop.
    data = workspace(LETTERS, (3, 4), (4, 3))
    assert check_new_dependency(data, 2, 1) is None
    loop = check_new_dependency(data, 5, 3)
    assert loop is None  # E waiting for C adds no new loop
