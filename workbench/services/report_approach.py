"""The storyboard's prevent-or-recover roll-up: plain values for the alignment chapter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from workbench.analysis.approach_balance import ApproachRow, approach_balance
from workbench.models import Workspace
from workbench.services import approach as approach_service
from workbench.services import playbook
from workbench.services.alignment_views import Alignment
from workbench.services.approach_decision import decision_of


class ApproachCell(NamedTuple):
    """One approach within a row: the budget, its share of the row's budget, the count."""

    budget: float
    share: int | None
    initiatives: int


class ApproachLine(NamedTuple):
    """A row of the roll-up: its label, then prevent, recover and not chosen, then the total."""

    label: str
    cells: tuple[ApproachCell, ...]
    budget: float
    initiatives: int


@dataclass(frozen=True)
class ApproachSection:
    """Budget and count by approach overall and per objective, with the reading."""

    currency: str
    labels: tuple[str, ...]
    overall: ApproachLine
    by_objective: tuple[ApproachLine, ...]
    unchosen: tuple[str, ...]
    reading: tuple[str, ...]
    rule: str
    note: str
    # The balance the strategy team decided, beside today's split; empty until decided.
    decision: str = ""
    decision_gap: str = ""
    rationale: str = ""


def _line(row: ApproachRow) -> ApproachLine:
    return ApproachLine(
        row.label,
        tuple(ApproachCell(s.budget, s.budget_percent, s.initiatives) for s in row.shares),
        row.budget,
        row.initiatives,
    )


def approach_section(
    view: Alignment,
    views: Iterable[playbook.ScenarioView],
    currency: str,
    workspace: Workspace | None = None,
) -> ApproachSection:
    """The roll-up of the active initiatives, read against the playbook already loaded,
    with the balance the strategy team decided beside it."""
    scenarios = approach_service.scenario_records(v.scenario for v in views)
    balance = approach_balance(view.data, scenarios, approach_service.guidance(), currency)
    decided = decision_of(workspace, balance) if workspace is not None else None
    if decided is None or not decided.decided:
        decided = None
    return ApproachSection(
        currency=currency,
        labels=tuple(share.label for share in balance.overall.shares),
        overall=_line(balance.overall),
        by_objective=tuple(_line(row) for row in balance.by_objective),
        unchosen=tuple(i.title for i in balance.unchosen),
        reading=balance.reading,
        rule=balance.rule,
        note=balance.note,
        decision=decided.line() if decided else "",
        decision_gap=decided.gap() if decided else "",
        rationale=decided.rationale if decided else "",
    )
