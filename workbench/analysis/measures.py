"""How a metric's value reads in a report: its unit, thousands separators, sensible decimals."""

from __future__ import annotations

# A unit of the vocabulary and the words a value is shown with; percent and stars attach
# to the number, the rest follow it after a space.
_SUFFIXES = {"percent": "%", "minutes": " min", "hours": " h", "stars": " stars"}


def _number(value: float) -> str:
    """Thousands separators; decimals only where the value has them (at most two)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    text = f"{value:,.2f}".rstrip("0")
    return text.rstrip(".")


def format_measure(value: float | None, unit: str | None, currency: str = "") -> str:
    """Return a value as the reader should see it: "52%", "410 min", "GBP 24,000", "—"."""
    if value is None:
        return "—"
    number = _number(value)
    if unit == "currency":
        return f"{currency} {number}".strip()
    if unit == "stars" and value == 1:
        return f"{number} star"
    return number + _SUFFIXES.get(unit or "", "")
