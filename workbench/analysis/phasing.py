"""Funding by year: each initiative's budget spread over the calendar years it runs in.

An initiative with a start and an end date has its budget divided between the years in
proportion to its days in each (both dates count). One without both dates cannot be
phased; its budget is reported apart as undated, so the years and the undated part
always add up to the total phased.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workbench.analysis.alignment_records import InitiativeRecord


@dataclass(frozen=True)
class Phasing:
    """Budget by calendar year, and what could not be phased for want of dates."""

    by_year: tuple[tuple[int, float], ...]
    undated: float

    @property
    def total(self) -> float:
        """Everything phased, dated or not."""
        return sum(amount for _year, amount in self.by_year) + self.undated


def _days(first: date, last: date) -> int:
    return (last - first).days + 1


def phase_budgets(initiatives: Iterable[InitiativeRecord]) -> Phasing:
    """Spread each initiative's budget over the years between its start and end dates."""
    years: dict[int, float] = defaultdict(float)
    undated = 0.0
    for record in initiatives:
        budget = record.budget or 0.0
        if not budget:
            continue
        if not (record.start and record.end and record.end >= record.start):
            undated += budget
            continue
        whole = _days(record.start, record.end)
        for year in range(record.start.year, record.end.year + 1):
            first = max(record.start, date(year, 1, 1))
            last = min(record.end, date(year, 12, 31))
            years[year] += budget * _days(first, last) / whole
    return Phasing(tuple(sorted(years.items())), undated)
