"""The workshop's guided decision on prevent versus recover, recorded from the room."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import approach_decision, workshop
from workbench.services.errors import ServiceError
from workbench.web.alignment.approach_decision import DecisionForm, save_decision
from workbench.web.context import workspace_view
from workbench.web.forms import refused
from workbench.web.workshop import ROOM, _room_or_404

blueprint = Blueprint("workshop_decision", __name__)


@blueprint.route(f"{ROOM}/decision", methods=["POST"])
@workspace_view()
def record(workspace: Workspace, role: Role, session_id: int) -> BaseResponse | tuple[str, int]:
    """Record the balance the room chose; a refusal shows the form again with its message."""
    found = _room_or_404(session_id)
    back = redirect(
        url_for("workshop.room", workspace_id=workspace.id, session_id=session_id, _anchor="add"),
        303,
    )
    try:
        workshop.require_decision_step(db.session(), found, current_user)
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
        return back
    form = DecisionForm()
    failed = save_decision(workspace, form)
    if failed is None:
        flash("Decision recorded.", "success")
        return back
    return render_template(
        "alignment/approach_decision.html",
        form=form,
        decision=approach_decision.current(db.session(), workspace),
        can_edit=True,
    ), failed
