"""Pure workshop rules: join codes, the step timer, step moves, dot tallies and rankings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from workbench.analysis.workshop import (
    CODE_ALPHABET,
    CODE_LENGTH,
    TallyRow,
    clock,
    code_bits,
    dots_left,
    format_code,
    free_slot,
    levels_from_ranking,
    make_code,
    move_step,
    normalise_code,
    remaining_label,
    remaining_seconds,
    tally,
)

START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def test_alphabet_leaves_out_look_alike_characters() -> None:
    for ambiguous in "0O1IL":
        assert ambiguous not in CODE_ALPHABET
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)
    assert code_bits() > 39


def test_make_code_uses_only_the_alphabet() -> None:
    source = random.Random(7)
    codes = {make_code(source.randrange) for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_format_and_normalise_round_trip() -> None:
    code = "ABCD2345"
    assert format_code(code) == "ABCD-2345"
    assert normalise_code("abcd-2345") == code
    assert normalise_code("  ab cd 23 45 ") == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "ABC",
        "ABCD23456",
        "ABCD-2340",
        "ABCD-234O",
        "ABCD-234I",
        "ÄBCD2345",
        "A" * 500,
        "<script>",
        "=HYPERLINK(1)",
    ],
)
def test_normalise_refuses_what_cannot_be_a_code(typed: str | None) -> None:
    assert normalise_code(typed) is None


def test_remaining_seconds_counts_down_and_stops_at_zero() -> None:
    assert remaining_seconds(START, 10, START) == 600
    assert remaining_seconds(START, 10, START + timedelta(seconds=61.2)) == 539
    assert remaining_seconds(START, 10, START + timedelta(minutes=11)) == 0
    assert remaining_seconds(START, 0, START) == 0


def test_remaining_label_and_clock() -> None:
    assert remaining_label(0) == "Time is up"
    assert remaining_label(45) == "45 s left"
    assert remaining_label(61) == "2 min left"
    assert remaining_label(600) == "10 min left"
    assert clock(600) == "10:00"
    assert clock(65) == "1:05"
    assert clock(-3) == "0:00"


def test_move_step_stays_in_range() -> None:
    assert move_step(0, "next", 11) == 1
    assert move_step(0, "previous", 11) == 0
    assert move_step(10, "next", 11) == 10
    assert move_step(3, "7", 11) == 7
    assert move_step(3, 99, 11) == 10
    assert move_step(3, "next", 0) == 0


def test_tally_counts_ranks_ties_and_ignores_unknown_items() -> None:
    items = [(1, "Slow refunds"), (2, "Agents lack authority"), (3, "No callback"), (4, "Zebra")]
    rows = tally(items, [1, 2, 2, 1, 3, 99, 99])
    assert [(r.item_id, r.dots, r.rank) for r in rows] == [
        (2, 2, 1),
        (1, 2, 1),
        (3, 1, 3),
        (4, 0, 4),
    ]
    assert sum(r.share for r in rows) == 100
    assert tally(items, [])[0].share == 0


def test_levels_follow_rank_and_skip_unvoted_items() -> None:
    rows = [
        TallyRow(1, "a", 5, 50, 1),
        TallyRow(2, "b", 3, 30, 2),
        TallyRow(3, "c", 1, 10, 3),
        TallyRow(4, "d", 1, 10, 3),
        TallyRow(5, "e", 0, 0, 5),
    ]
    assert levels_from_ranking(rows, 3) == {1: 0, 2: 0, 3: 1, 4: 1}
    assert levels_from_ranking(rows, 5) == {1: 0, 2: 1, 3: 2, 4: 2}
    assert levels_from_ranking(rows, 1) == {1: 0, 2: 0, 3: 0, 4: 0}
    assert levels_from_ranking(rows[4:], 3) == {}
    with pytest.raises(ValueError):
        levels_from_ranking(rows, 0)


def test_free_slot_and_dots_left() -> None:
    assert free_slot([], 3) == 0
    assert free_slot([0, 2], 3) == 1
    assert free_slot([0, 1, 2], 3) is None
    assert dots_left(2, 3) == 1
    assert dots_left(5, 3) == 0


def test_voted_items_never_fall_below_the_highest_unvoted_level() -> None:
    from workbench.analysis.workshop import levels_after_vote

    rows = [
        TallyRow(1, "a", 3, 50, 1),
        TallyRow(2, "b", 2, 33, 2),
        TallyRow(3, "c", 1, 17, 3),
        TallyRow(4, "d", 0, 0, 4),
    ]
    assert levels_after_vote(rows, {1: 5, 2: 5, 3: 4, 4: 4}, 5) == {1: 5, 2: 4, 3: 4}
    assert levels_after_vote(rows, {1: 1, 2: 1, 3: 1, 4: 1}, 5) == {1: 5, 2: 4, 3: 2}
    assert levels_after_vote(rows[3:], {4: 3}, 5) == {}
