"""Whether a corporate goal is already an objective, when the objective reworded it.

Objectives are drawn from the corporate goals and usually shortened on the way ("within
two years" dropped, "improving" becoming "raising"), so an exact match misses them. A
goal counts as taken when most of the words that carry meaning in the shorter of the two
texts appear in the other: at least MATCH_SHARE of them, ignoring case, punctuation and
common short words. Every number of the shorter text must also be in the other, so "60%"
and "75%" keep two otherwise equal goals apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MATCH_SHARE = 0.75
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "to",
        "with",
        "within",
    ]
)
WORD = re.compile(r"[\w%.]+")


def meaning_words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning, lower-cased, trailing full stops dropped."""
    words = (w.strip(".").lower() for w in WORD.findall(text))
    return frozenset(w for w in words if w and w not in STOP_WORDS)


def _numbers(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if any(ch.isdigit() for ch in w))


def already_an_objective(goal: str, objective_titles: Iterable[str]) -> bool:
    """True when one of the objectives says what the goal says, even if reworded."""
    wanted = meaning_words(goal)
    if not wanted:
        return True
    for title in objective_titles:
        words = meaning_words(title)
        short, long = sorted((words, wanted), key=len)
        if not short or not _numbers(short) <= _numbers(long):
            continue
        if len(short & long) / len(short) >= MATCH_SHARE:
            return True
    return False
