"""How a date is written for a reader."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date) -> str:
    """A date as a reader writes it: 4 December 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_short_date(day: date) -> str:
    """A date for a table cell: 4 Dec 2026."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
