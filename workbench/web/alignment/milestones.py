"""An initiative's milestones: added on the initiative page, edited on their own, marked done."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import initiatives as initiative_service
from workbench.services import milestones as service
from workbench.services.errors import ServiceError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.alignment.forms import (
    InitiativeForm,
    MilestoneForm,
    NewMilestoneForm,
    milestone_values,
)
from workbench.web.alignment.initiatives import initiative_form_data, initiative_page
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused


def _back(workspace: Workspace, initiative_id: int) -> Response:
    return redirect(
        url_for("alignment.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#milestones",
        303,
    )


@blueprint.route("/initiatives/<id:initiative_id>/milestones", methods=["POST"])
@workspace_view()
def add_milestone(
    workspace: Workspace, role: Role, initiative_id: int
) -> Response | tuple[str, int]:
    """Add a milestone to the initiative; a refusal shows the initiative page with the form."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    form = NewMilestoneForm()
    status = 400
    if form.validate_on_submit():
        try:
            milestone = service.create_milestone(
                db.session(), initiative_id, milestone_values(form), date.today()
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            flash(f"Milestone “{milestone.title}” added.", "success")
            return _back(workspace, initiative_id)
    page = InitiativeForm(formdata=None, data=initiative_form_data(initiative))
    return initiative_page(workspace, role, initiative, page, status, milestone_form=form)


@blueprint.route(
    "/initiatives/<id:initiative_id>/milestones/<id:milestone_id>", methods=["GET", "POST"]
)
@workspace_view()
def edit_milestone(
    workspace: Workspace, role: Role, initiative_id: int, milestone_id: int
) -> Response | tuple[str, int]:
    """Change a milestone; a save over someone else's change to the same field is a conflict."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    milestone = service.get_milestone(db.session(), initiative_id, milestone_id)
    status = 200
    if request.method == "POST":
        form = MilestoneForm()
        status = 400
        if form.validate_on_submit():
            try:
                service.update_milestone(
                    db.session(),
                    initiative_id,
                    milestone_id,
                    form.loaded_version(),
                    milestone_values(form),
                    date.today(),
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash("Milestone saved.", "success")
                return _back(workspace, initiative_id)
    else:
        form = MilestoneForm(
            formdata=None,
            data={
                "title": milestone.title,
                "due_date": milestone.due_date,
                "done_date": milestone.done_date,
                "owner": milestone.owner,
                "version": milestone.version,
            },
        )
    return render_template(
        "alignment/milestone_edit.html",
        form=form,
        initiative=initiative,
        milestone=milestone,
        can_edit=can_edit(role),
    ), status


@blueprint.route(
    "/initiatives/<id:initiative_id>/milestones/<id:milestone_id>/done", methods=["POST"]
)
@workspace_view()
def milestone_done(
    workspace: Workspace, role: Role, initiative_id: int, milestone_id: int
) -> Response:
    """Record a milestone as done today."""
    milestone = service.mark_done(
        db.session(),
        initiative_id,
        milestone_id,
        parse_id(request.form.get("version")),
        date.today(),
    )
    flash(f"Milestone “{milestone.title}” marked done.", "success")
    return _back(workspace, initiative_id)


@blueprint.route(
    "/initiatives/<id:initiative_id>/milestones/<id:milestone_id>/delete", methods=["POST"]
)
@workspace_view()
def delete_milestone(
    workspace: Workspace, role: Role, initiative_id: int, milestone_id: int
) -> Response:
    """Delete a milestone after confirmation."""
    title = service.delete_milestone(db.session(), initiative_id, milestone_id)
    flash(f"Deleted the milestone “{title}”.", "success")
    return _back(workspace, initiative_id)
