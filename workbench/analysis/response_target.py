"""A scenario's response target read against the advice to reach the customer in 10-15 minutes.

Good recovery programmes reach the customer within 10 to 15 minutes of the alert. A slower
target may be right for a failure that does no harm while it waits, so the note states the
target and the advice and leaves the choice to whoever owns the scenario.
"""

from __future__ import annotations

ADVICE_MINUTES = (10, 15)
"""The advised window, in minutes from the alert to the first contact with the customer."""


def _duration(minutes: int) -> str:
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes} minutes ({minutes // 60} hours)"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def slower_than_advised(minutes: int | None) -> bool:
    """Whether a target (in minutes) is slower than the advised window; no target is not."""
    return minutes is not None and minutes > ADVICE_MINUTES[1]


def slow_target_remark(minutes: int | None) -> str | None:
    """The same reading in a clause that follows the target, for a compact line."""
    if not slower_than_advised(minutes):
        return None
    low, high = ADVICE_MINUTES
    return (
        f"slower than the {low} to {high} minutes advised; keeping it is the scenario "
        "owner's decision"
    )


def slow_target_note(minutes: int | None) -> str | None:
    """The note for a target slower than the advice, or None when it is within it or unset."""
    if minutes is None or not slower_than_advised(minutes):
        return None
    low, high = ADVICE_MINUTES
    return (
        f"Response target {_duration(minutes)}: slower than the advice to reach the customer "
        f"within {low} to {high} minutes of the alert. Whether to keep it is a decision for "
        "the scenario's owner."
    )
