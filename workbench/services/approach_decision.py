"""The room's decision on prevent versus recover, kept on the workspace beside today's split.

Today's split is read from the prevent-or-recover roll-up (analysis/approach_balance.py),
so the decision, the gaps page and the storyboard speak of the same budget.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import process_links as rules
from workbench.analysis.approach_balance import PREVENT, RECOVER, ApproachBalance, approach_balance
from workbench.models import FailureScenario, Workspace
from workbench.models.catalogue.shared import NOTE_MAX
from workbench.services import alignment
from workbench.services import approach as approach_service
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.currency import workspace_currency
from workbench.services.errors import ServiceError


def decision_of(workspace: Workspace, balance: ApproachBalance) -> rules.Decision:
    """The recorded decision beside the roll-up's split of the budget with an approach."""
    budgets = {share.key: share.budget for share in balance.overall.shares}
    return rules.decision(
        workspace.approach_prevent_target,
        workspace.approach_rationale or "",
        budgets.get(PREVENT, 0.0),
        budgets.get(RECOVER, 0.0),
    )


def today(session: Session) -> ApproachBalance:
    """The roll-up of the workspace's active initiatives, read against its playbook."""
    scenarios = approach_service.scenario_records(session.scalars(select(FailureScenario)))
    return approach_balance(
        alignment.gather(session),
        scenarios,
        approach_service.guidance(),
        workspace_currency(session),
    )


def current(session: Session, workspace: Workspace) -> rules.Decision:
    """The recorded decision beside today's split."""
    return decision_of(workspace, today(session))


def record(
    session: Session, workspace: Workspace, loaded_version: int | None, values: dict[str, Any]
) -> Workspace:
    """Record the share of the budget meant for prevention and why, refusing a stale save."""
    try:
        target = rules.check_target(values.get("approach_prevent_target"))
    except ValueError as error:
        raise ServiceError(str(error), "approach_prevent_target") from None
    if target is None:
        raise ServiceError(
            "Give the share of the budget for prevention, from 0 to 100.", "approach_prevent_target"
        )
    rationale = str(values.get("approach_rationale") or "").strip()
    if not rationale:
        raise ServiceError("Say in a sentence or two why the room chose it.", "approach_rationale")
    if len(rationale) > NOTE_MAX:
        raise ServiceError(f"Keep the reason to {NOTE_MAX:,} characters.", "approach_rationale")
    apply_versioned_edit(
        workspace,
        loaded_version,
        {"approach_prevent_target": target, "approach_rationale": rationale},
        "The prevent-or-recover decision",
    )
    session.flush()
    return workspace
