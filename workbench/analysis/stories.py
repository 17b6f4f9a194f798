"""Success stories: which may be quoted, how the customer is named, and which to tell first.

Pure logic: plain records in, frozen values out. A story is quoted only when the customer
gave permission and there are words to quote; anonymous permission never prints the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

QUOTABLE = frozenset({"named", "anonymous"})
# Without a name (or with anonymous permission) the quote is attributed to no one in particular.
ANONYMOUS = "a customer"
# The storyboard quotes this many stories at most: the best, not every one.
QUOTED = 3


@dataclass(frozen=True)
class StoryRecord:
    """A success story as the rules read it."""

    id: int
    title: str
    quote: str
    customer_name: str
    permission: str
    rating: int
    featured: bool
    happened_on: date | None = None


def may_quote(permission: str, quote: str) -> bool:
    """Whether a story's words may be printed: permission given and something to quote."""
    return permission in QUOTABLE and bool(quote.strip())


def attribution(permission: str, customer_name: str) -> str:
    """The name a quote is printed with: the customer's only with named permission."""
    name = customer_name.strip()
    if permission == "named" and name:
        return name
    return ANONYMOUS


def _rank(story: StoryRecord) -> tuple[int, int, int, int]:
    # Featured first, then the strongest, then the most recent, then the oldest entry.
    recent = story.happened_on.toordinal() if story.happened_on else 0
    return (0 if story.featured else 1, -story.rating, -recent, story.id)


def best(stories: Iterable[StoryRecord], limit: int = QUOTED) -> tuple[StoryRecord, ...]:
    """The stories worth quoting, best first: only those the customer allowed to be quoted."""
    allowed = [s for s in stories if may_quote(s.permission, s.quote)]
    return tuple(sorted(allowed, key=_rank)[:limit])
