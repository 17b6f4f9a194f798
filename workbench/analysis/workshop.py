"""Pure rules of a guided workshop: join codes, the step timer, dot-vote tallies and rankings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Capital letters and digits a room can read aloud and copy without confusion:
# no 0 or O, no 1, I or L. Eight of 31 symbols give about 40 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def code_bits(length: int = CODE_LENGTH, alphabet: str = CODE_ALPHABET) -> float:
    """Return how many bits of chance a code of this length carries."""
    return length * math.log2(len(alphabet))


def make_code(pick: Callable[[int], int], length: int = CODE_LENGTH) -> str:
    """Build a code from a source of random indexes (`secrets.randbelow` in production)."""
    return "".join(CODE_ALPHABET[pick(len(CODE_ALPHABET))] for _ in range(length))


def format_code(code: str) -> str:
    """Show a code in two groups of four, as people read it out: ABCD-EFGH."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(raw: str | None, length: int = CODE_LENGTH) -> str | None:
    """Return the canonical code typed by a person, or None when it cannot be one.

    Case, spaces and hyphens are forgiven; any other character outside the alphabet, or the
    wrong length, makes the input invalid without a database lookup.
    """
    if raw is None or len(raw) > 4 * length:
        return None
    cleaned = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(cleaned) != length or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


# --------------------------------------------------------------------------- the step timer


def remaining_seconds(started_at: datetime, minutes: int, now: datetime) -> int:
    """Return the whole seconds left of a step that started at `started_at` (never negative)."""
    deadline = started_at + timedelta(minutes=max(0, minutes))
    return max(0, math.ceil((deadline - now).total_seconds()))


def remaining_label(seconds: int) -> str:
    """Return the time left as people say it, rounded up to the minute above one minute."""
    if seconds <= 0:
        return "Time is up"
    if seconds < 60:
        return f"{seconds} s left"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} min left"


def clock(seconds: int) -> str:
    """Return seconds as m:ss for the countdown display."""
    seconds = max(0, seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def move_step(current: int, target: str | int, count: int) -> int:
    """Return the step the room moves to: 'next', 'previous' or an index, kept in range."""
    if count <= 0:
        return 0
    if target == "next":
        wanted = current + 1
    elif target == "previous":
        wanted = current - 1
    else:
        wanted = int(target)
    return min(max(wanted, 0), count - 1)


# --------------------------------------------------------------------------- dot voting


@dataclass(frozen=True)
class TallyRow:
    """An item's result: its dots, its share of all dots and its rank (1 = most dots)."""

    item_id: int
    label: str
    dots: int
    share: int
    rank: int


def tally(items: Sequence[tuple[int, str]], dots: Iterable[int]) -> list[TallyRow]:
    """Count the dots per item and rank the items, most dots first.

    Ties share a rank and the next rank is skipped (1, 2, 2, 4). Dots on items that are not
    listed (deleted since the vote opened) are ignored. Equal counts are ordered by label so
    the order is the same on every screen.
    """
    known = {item_id for item_id, _label in items}
    counts = Counter(item_id for item_id in dots if item_id in known)
    total = sum(counts.values())
    ordered = sorted(items, key=lambda item: (-counts[item[0]], item[1].casefold(), item[0]))
    rows: list[TallyRow] = []
    previous: int | None = None
    rank = 0
    for position, (item_id, label) in enumerate(ordered, start=1):
        count = counts[item_id]
        if count != previous:
            rank = position
            previous = count
        share = round(100 * count / total) if total else 0
        rows.append(TallyRow(item_id, label, count, share, rank))
    return rows


def levels_from_ranking(rows: Sequence[TallyRow], levels: int) -> dict[int, int]:
    """Spread the items that received dots over `levels` bands; 0 is the top band.

    The band follows the rank, so tied items land in the same band. Items without a dot get
    no band: a vote says nothing about them, and their stored priority is kept.
    """
    if levels < 1:
        raise ValueError("levels must be at least 1")
    voted = [row for row in rows if row.dots > 0]
    if not voted:
        return {}
    size = len(voted)
    return {row.item_id: min(levels - 1, (row.rank - 1) * levels // size) for row in voted}


def levels_after_vote(
    rows: Sequence[TallyRow], current: Mapping[int, int], top: int
) -> dict[int, int]:
    """The new level (1 to `top`, higher is more important) of each item that got dots.

    Voted items are spread over the levels by rank, as `levels_from_ranking` does, but
    none is put below the highest level an unvoted item holds: the room voted for it, so it
    never ends up ranked under something nobody voted for. Unvoted items keep their level
    and are not returned.
    """
    bands = levels_from_ranking(rows, top)
    unvoted = [level for item, level in current.items() if item not in bands]
    floor = max(unvoted, default=1)
    return {item: max(top - band, floor) for item, band in bands.items()}


def free_slot(used: Iterable[int], dots_per_person: int) -> int | None:
    """Return the lowest unused dot slot of a participant, or None when all N are placed."""
    taken = set(used)
    return next((slot for slot in range(dots_per_person) if slot not in taken), None)


def dots_left(placed: int, dots_per_person: int) -> int:
    """Return how many dots a participant may still place."""
    return max(0, dots_per_person - placed)
