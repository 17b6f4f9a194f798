"""Phase 1 journey page: friction points per stage of the customer engagement journey."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import FrictionPoint, Role, Workspace, vocabulary
from workbench.models.catalogue.assessment import FRICTION
from workbench.services import journey as journey_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.form_fields import form_field
from workbench.web.forms import (
    ConfirmForm,
    FlaskForm,
    VersionedForm,
    refused,
)

blueprint = Blueprint(
    "journey", __name__, url_prefix="/workspaces/<id:workspace_id>/assessment/journey"
)


class FrictionFields:
    """The fields of a friction point, shared by the add and edit forms."""

    stage_key = form_field(FRICTION.field("stage_key"))
    description = form_field(
        FRICTION.field("description"),
        required_message="Describe what goes wrong for the customer.",
    )
    severity = form_field(FRICTION.field("severity"))
    channel = form_field(FRICTION.field("channel"))
    digital_opportunity = form_field(FRICTION.field("digital_opportunity"))


class AddFrictionForm(FrictionFields, FlaskForm):
    """A new friction point."""


class EditFrictionForm(FrictionFields, VersionedForm):
    """Edit a friction point."""


def _values(form: FlaskForm) -> dict[str, Any]:
    return {
        "stage_key": form.stage_key.data,
        "description": form.description.data,
        "severity": int(form.severity.data),
        "channel": form.channel.data,
        "digital_opportunity": form.digital_opportunity.data or "",
    }


@blueprint.route("/", methods=["GET", "POST"])
@workspace_view()
def index(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The six stages with their friction points, and the form to add one."""
    form = AddFrictionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                point = journey_service.add_friction(db.session(), _values(form))
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash("Friction point added.", "success")
                return redirect(
                    url_for("journey.index", workspace_id=workspace.id, stage=point.stage_key)
                    + f"#stage-{point.stage_key}",
                    303,
                )
        else:
            status = 400
    elif request.args.get("stage") in journey_service.stage_keys():
        form = AddFrictionForm(formdata=None, data={"stage_key": request.args["stage"]})
    return render_template(
        "journey/index.html",
        stages=journey_service.journey(db.session()),
        form=form,
        severity=vocabulary.FRICTION_SEVERITY_LABELS,
        channels=dict(vocabulary.CHANNELS),
        can_edit=can_edit(role),
        confirm_form=ConfirmForm(formdata=None),
    ), status


def _edit_data(point: FrictionPoint) -> dict[str, Any]:
    return {
        "stage_key": point.stage_key,
        "description": point.description,
        "severity": str(point.severity),
        "channel": point.channel,
        "digital_opportunity": point.digital_opportunity,
        "version": point.version,
    }


@blueprint.route("/<id:point_id>", methods=["GET", "POST"])
@workspace_view()
def edit(workspace: Workspace, role: Role, point_id: int) -> Response | tuple[str, int]:
    """Edit one friction point."""
    point = journey_service.get_friction(db.session(), point_id)
    form = EditFrictionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                journey_service.update_friction(
                    db.session(), point_id, form.loaded_version(), _values(form)
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash("Friction point saved.", "success")
                return redirect(
                    url_for("journey.index", workspace_id=workspace.id)
                    + f"#stage-{form.stage_key.data}",
                    303,
                )
        else:
            status = 400
    else:
        form = EditFrictionForm(formdata=None, data=_edit_data(point))
    return render_template("journey/edit.html", form=form, point=point), status


@blueprint.route("/<id:point_id>/delete", methods=["POST"])
@workspace_view()
def delete(workspace: Workspace, role: Role, point_id: int) -> Response:
    """Delete a friction point after confirmation."""
    journey_service.delete_friction(db.session(), point_id)
    flash("Friction point deleted.", "success")
    return redirect(url_for("journey.index", workspace_id=workspace.id), 303)
