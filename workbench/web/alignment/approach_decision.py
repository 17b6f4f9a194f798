"""The room's decision on prevent versus recover: recorded beside today's split of the budget."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.models.catalogue.shared import NOTE_MAX
from workbench.services import approach_decision as service
from workbench.services.errors import ServiceError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import VersionedForm, refused, text_field

PERCENT_MESSAGE = "Give the share of the budget for prevention as a whole per cent from 0 to 100."


class DecisionForm(VersionedForm):
    """The share of the budget meant for prevention, and the room's reason."""

    approach_prevent_target = IntegerField(
        "Share of the budget for prevention (%)",
        validators=[
            InputRequired(message=PERCENT_MESSAGE),
            NumberRange(min=0, max=100, message=PERCENT_MESSAGE),
        ],
    )
    approach_rationale = text_field(
        "Why the room chose this balance",
        NOTE_MAX,
        required_message="Say in a sentence or two why the room chose it.",
    )


def decision_form(workspace: Workspace) -> DecisionForm:
    """The form loaded with the recorded decision and the workspace's version."""
    return DecisionForm(
        formdata=None,
        data={
            "approach_prevent_target": workspace.approach_prevent_target,
            "approach_rationale": workspace.approach_rationale,
            "version": workspace.version,
        },
    )


def save_decision(workspace: Workspace, form: DecisionForm) -> int | None:
    """Validate and record the posted decision; None when saved, else the page's status."""
    if not form.validate_on_submit():
        return 400
    values: dict[str, Any] = {
        "approach_prevent_target": form.approach_prevent_target.data,
        "approach_rationale": form.approach_rationale.data or "",
    }
    try:
        service.record(db.session(), workspace, form.loaded_version(), values)
    except ServiceError as error:
        return refused(error, form)
    return None


@blueprint.route("/approach-decision", methods=["GET", "POST"])
@workspace_view()
def approach_decision(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Record the balance of prevent and recover the room chose, beside today's split."""
    status = 200
    form = decision_form(workspace)
    if form.is_submitted():
        form = DecisionForm()
        failed = save_decision(workspace, form)
        if failed is None:
            flash("Decision recorded.", "success")
            return redirect(
                url_for("alignment.overview", workspace_id=workspace.id) + "#approach", 303
            )
        status = failed
    return render_template(
        "alignment/approach_decision.html",
        form=form,
        decision=service.current(db.session(), workspace),
        can_edit=can_edit(role),
    ), status
