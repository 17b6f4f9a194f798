"""How a metric's freshness reads to a person: since when its data is stale, in words.

The rule itself (when a reading is due, when the data turns stale) is
workbench.analysis.cadence; this module only words its verdict and shifts the demo's
calendar, so the pages, the API and the storyboard say the same thing the same way.
"""

from __future__ import annotations

from datetime import date, timedelta

from workbench.analysis.cadence import Cadence, Freshness, add_months
from workbench.analysis.dates import format_date


def stale_since(judged: Cadence) -> date | None:
    """The first day the metric counted as stale (the day after its grace ran out)."""
    if judged.stale_after is None:
        return None
    return judged.stale_after + timedelta(days=1)


def freshness_sentence(judged: Cadence) -> str:
    """One or two sentences on when the last reading came and when the next is or was due."""
    if judged.latest is None or judged.due_on is None:
        return "No reading has been recorded yet."
    last = format_date(judged.latest)
    due = format_date(judged.due_on)
    every = judged.frequency
    if judged.freshness is Freshness.STALE:
        since = stale_since(judged)
        assert since is not None  # a stale cadence always has its dates
        return (
            f"No recent data: the last reading is from {last}. The next {every} reading was "
            f"due on {due} and has not come in, so the data has counted as stale since "
            f"{format_date(since)}. The goal is not judged on readings this old."
        )
    if judged.freshness is Freshness.DUE:
        assert judged.stale_after is not None
        return (
            f"The last reading is from {last}. The next {every} reading was due on {due}; "
            f"without one by {format_date(judged.stale_after)} the data counts as stale."
        )
    return f"The last reading is from {last}; the next {every} reading is due on {due}."


def months_to_bring_forward(latest: date, today: date) -> int:
    """Whole months to move `latest` by so it falls within the month up to `today`.

    The result is the largest shift that does not put `latest` after `today` (negative when
    `today` is earlier than `latest`), so readings moved with it are never in the future.
    """
    months = (today.year - latest.year) * 12 + today.month - latest.month
    while add_months(latest, months) > today:
        months -= 1
    return months
