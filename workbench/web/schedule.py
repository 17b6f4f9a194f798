"""The schedule page: the recurring work, when each next falls due, and how the last runs went."""

from __future__ import annotations

from flask import Blueprint, render_template

from workbench.extensions import db
from workbench.models import ClaimOutcome, Role, Workspace
from workbench.models.base import utcnow
from workbench.services import schedule_runner
from workbench.services.access import Action
from workbench.web.context import workspace_view

blueprint = Blueprint("schedule", __name__)

# Each outcome's word and badge; a failure is never shown in the colour of success.
OUTCOME_BADGES = {
    ClaimOutcome.RUNNING: "badge--warning",
    ClaimOutcome.DONE: "badge--ok",
    ClaimOutcome.FAILED: "badge--warn",
}
OUTCOME_LABELS = {
    ClaimOutcome.RUNNING: "Running",
    ClaimOutcome.DONE: "Done",
    ClaimOutcome.FAILED: "Failed",
}


@blueprint.route("/workspaces/<id:workspace_id>/schedule")
@workspace_view(read=Action.MANAGE_MEMBERS)
def index(workspace: Workspace, role: Role) -> str:
    """List each source of scheduled work with its next due time and its last runs."""
    now = utcnow()
    page = schedule_runner.schedule_page(db.session(), now, workspace.id)
    return render_template(
        "schedule/index.html",
        page=page,
        outcome_labels=OUTCOME_LABELS,
        outcome_badges=OUTCOME_BADGES,
    )
