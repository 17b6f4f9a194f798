"""How a measured value and a date are written for a reader."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Units written after the number; the others (count, score, ratio) stand alone.
SUFFIXES = {"minutes": "minutes", "hours": "hours", "stars": "stars"}


def format_measure(value: float | None, unit: str, currency: str) -> str:
    """A value with its unit: 52%, 4.5 stars, 410 minutes, GBP 24,000; a dash for none."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in ("percent", "%"):
        return f"{text}%"
    if unit == "currency":
        return f"{currency} {text}"
    if unit in SUFFIXES:
        return f"{text} {SUFFIXES[unit]}"
    return text


def format_date(day: date) -> str:
    """A date as a reader writes it: 4 December 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_short_date(day: date) -> str:
    """A date for a table cell: 4 Dec 2026."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
