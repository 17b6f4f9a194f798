"""Open points in a strategy's data, phrased as decisions for the people who own them.

The storyboard never prints an editing instruction ("give it a responder"): a gap in the
data is something a named person must decide by a date. Each area of the report lists its
open points; the decisions page gathers them, fills in the default owner and date, and
orders them.
"""

from __future__ import annotations

from typing import NamedTuple


class OpenPoint(NamedTuple):
    """Something in the data that needs a decision, phrased for a board reader."""

    area: str  # the part of the strategy: assessment, alignment, playbook, raci, metrics, delivery
    subject: str  # the display name of what it is about, e.g. a scenario's name
    decision: str  # what must be decided, e.g. "Name who responds when a room is not ready"
    owner: str  # the named person the data makes responsible, or "" when it names nobody
    due: str | None  # ISO date by which it is needed, when the data gives one
