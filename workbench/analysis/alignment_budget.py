"""Budget and spend of the initiatives, summed by objective, department, status and principle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from workbench.analysis.alignment_metrics import Tally
from workbench.analysis.alignment_records import OBJECTIVE, PRINCIPLE, STATUSES

BUDGET_NOTE = (
    "Budget and spend cover every initiative, dropped ones included, because money "
    "allotted or spent on them is real; the status lines show how much sits with dropped "
    "work. An initiative linked to several objectives or principles counts in full under "
    "each, so those lines can add up to more than the total. A missing budget or spend "
    "counts as zero."
)

NO_OBJECTIVE = "No objective"
NO_PRINCIPLE = "No principle"
NO_DEPARTMENT = "No department"
STATUS_LABELS = {
    "proposed": "Proposed",
    "approved": "Approved",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}


class BudgetLine(NamedTuple):
    """Budget and spend summed over a group of initiatives."""

    key: int | str | None
    label: str
    budget: float
    spend: float
    initiatives: int

    @property
    def remaining(self) -> float:
        """Budget not yet spent (negative when overspent)."""
        return self.budget - self.spend


@dataclass(frozen=True)
class BudgetTotals:
    """Budget and spend in total and by objective, department, status and principle."""

    total: BudgetLine
    by_objective: tuple[BudgetLine, ...]
    by_department: tuple[BudgetLine, ...]
    by_status: tuple[BudgetLine, ...]
    by_principle: tuple[BudgetLine, ...]
    note: str = BUDGET_NOTE


_Sums = dict[object, list[float]]


def _add(sums: _Sums, key: object, budget: float, spend: float) -> None:
    entry = sums.get(key)
    if entry is None:
        sums[key] = [budget, spend, 1]
    else:
        entry[0] += budget
        entry[1] += spend
        entry[2] += 1


def _line(sums: _Sums, key: int | str | None, label: str) -> BudgetLine:
    budget, spend, count = sums.get(key, (0.0, 0.0, 0))
    return BudgetLine(key, label, float(budget), float(spend), int(count))


def budget_totals(t: Tally, department_names: Mapping[str, str] | None = None) -> BudgetTotals:
    """Sum budget and spend per objective, department, status and principle."""
    total: _Sums = {}
    objectives: _Sums = {}
    principles: _Sums = {}
    departments: _Sums = {}
    statuses: _Sums = {}
    for i in sorted(t.initiatives):
        record = t.initiatives[i]
        budget, spend = record.budget or 0.0, record.spend or 0.0
        _add(total, None, budget, spend)
        _add(departments, record.department or "", budget, spend)
        _add(statuses, record.status, budget, spend)
        for o in t.objectives_of(i) or (None,):
            _add(objectives, o, budget, spend)
        for p in t.principles_of(i) or (None,):
            _add(principles, p, budget, spend)

    by_objective = [_line(objectives, o, t.titles[(OBJECTIVE, o)]) for o in t.objectives]
    if None in objectives:
        by_objective.append(_line(objectives, None, NO_OBJECTIVE))
    by_principle = [_line(principles, p, t.titles[(PRINCIPLE, p)]) for p in t.principles]
    if None in principles:
        by_principle.append(_line(principles, None, NO_PRINCIPLE))
    # Department keys show by their display names, sorted as text with the unnamed last.
    shown = {str(key): (department_names or {}).get(str(key), str(key)) for key in departments}
    names = sorted(shown, key=lambda key: (key == "", shown[key].casefold()))
    return BudgetTotals(
        total=_line(total, None, "All initiatives"),
        by_objective=tuple(by_objective),
        by_department=tuple(_line(departments, n, shown[n] or NO_DEPARTMENT) for n in names),
        by_status=tuple(_line(statuses, s, STATUS_LABELS[s]) for s in STATUSES),
        by_principle=tuple(by_principle),
    )
