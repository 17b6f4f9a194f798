"""How the storyboard writes numbers, money, dates and counts for a reader."""

from __future__ import annotations

from datetime import date

from workbench.analysis.dates import MONTHS, format_date, format_short_date
from workbench.analysis.measures import format_measure


def number(value: float | None, places: int = 0) -> str:
    """A number with thousands separators; a dash when there is none."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text


def money(value: float | None, currency: str) -> str:
    """An amount with its currency code in front: GBP 337,000."""
    if value is None:
        return "—"
    return f"{currency} {value:,.0f}".strip()


def measure(value: float | None, unit: str, currency: str) -> str:
    """A measured value with its unit: 82%, 4.5 stars, 410 minutes, GBP 24,000."""
    return format_measure(value, unit, currency)


def plural(count: int, one: str, many: str) -> str:
    """A count with its noun agreeing: 1 person, 3 people."""
    return f"{count:,} {one if count == 1 else many}"


def long_date(iso: str | None) -> str:
    """An ISO date as a reader writes it: 4 December 2026; a dash when there is none."""
    if not iso:
        return "—"
    return format_date(date.fromisoformat(iso[:10]))


def month(iso: str | None) -> str:
    """An ISO date as its month: December 2026."""
    if not iso:
        return "—"
    day = date.fromisoformat(iso[:10])
    return f"{MONTHS[day.month - 1]} {day.year}"


def short_date(iso: str | None) -> str:
    """An ISO date for a table cell: 4 Dec 2026; a dash when there is none."""
    if not iso:
        return "—"
    return format_short_date(date.fromisoformat(iso[:10]))
