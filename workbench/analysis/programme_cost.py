"""One programme cost: how the initiatives' budget and the calculator's yearly cost reconcile.

The workbench holds two costs that describe different things, and a reader must never
be left to add or compare them unaided. The rules:

* The one-off investment is the budget of the active initiatives: every initiative
  that is not dropped, whatever its status. A dropped initiative's budget is left out
  and reported on its own (its amount and how many were dropped), so no total includes
  work the team decided not to do.
* The yearly running cost is the calculator's programme cost: the fixed programme
  cost per year plus the handling cost (complaints x cost per recovery attempt).
* The first year costs the one-off investment plus one year's running cost.
* The fixed programme cost is typed into the calculator and is a yearly cost, while
  the budget is spent once. When the two amounts differ (by more than half a unit of
  currency) the reconciliation flags it, so a report can say that the calculator's
  return covers the running cost only and that the investment comes on top.
"""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCE = 0.5
"""Amounts closer than this (half a unit of currency) count as equal."""


@dataclass(frozen=True)
class BudgetLine:
    """An initiative's budget as the reconciliation sees it."""

    budget: float | None
    dropped: bool


@dataclass(frozen=True)
class CostReconciliation:
    """The one-off investment, the yearly running cost and how they relate."""

    investment: float
    active_initiatives: int
    dropped_budget: float
    dropped_initiatives: int
    fixed_cost: float
    handling_cost: float
    running_cost: float
    first_year_cost: float
    fixed_differs_from_budget: bool


def reconcile(
    lines: list[BudgetLine], fixed_cost: float, handling_cost: float
) -> CostReconciliation:
    """Split the initiatives' budget into active and dropped and set it beside the yearly cost."""
    active = [line for line in lines if not line.dropped]
    dropped = [line for line in lines if line.dropped]
    investment = sum(line.budget or 0.0 for line in active)
    running = fixed_cost + handling_cost
    return CostReconciliation(
        investment=investment,
        active_initiatives=len(active),
        dropped_budget=sum(line.budget or 0.0 for line in dropped),
        dropped_initiatives=len(dropped),
        fixed_cost=fixed_cost,
        handling_cost=handling_cost,
        running_cost=running,
        first_year_cost=investment + running,
        fixed_differs_from_budget=abs(fixed_cost - investment) > TOLERANCE,
    )
