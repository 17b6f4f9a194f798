"""How far a phase (or the whole strategy) is filled, from a list of checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One thing a phase needs, and whether the workspace has it."""

    key: str
    label: str
    done: bool


@dataclass(frozen=True)
class Progress:
    """The share of checks done, with what is still missing."""

    done: int
    total: int
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Return the share done as a whole percentage (0 when there is nothing to do)."""
        if self.total == 0:
            return 0
        return round(100 * self.done / self.total)

    @property
    def status(self) -> str:
        """Return 'not started', 'in progress' or 'complete'."""
        if self.done == 0:
            return "not started"
        return "complete" if self.done == self.total else "in progress"


def progress_of(checks: Sequence[Check]) -> Progress:
    """Summarise a list of checks."""
    done = sum(1 for check in checks if check.done)
    missing = tuple(check.label for check in checks if not check.done)
    return Progress(done=done, total=len(checks), missing=missing)


def combined(parts: Sequence[Progress]) -> Progress:
    """Combine several progresses into one, weighting every check equally."""
    return Progress(
        done=sum(part.done for part in parts),
        total=sum(part.total for part in parts),
        missing=tuple(item for part in parts for item in part.missing),
    )


def text_filled(value: str | None, minimum_chars: int = 3) -> bool:
    """Return whether a free-text field holds more than a token answer."""
    return value is not None and len(value.strip()) >= minimum_chars
