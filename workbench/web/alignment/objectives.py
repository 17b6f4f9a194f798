"""Phase 2's objectives register: list, add, edit, derive from a goal, delete."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from workbench.extensions import db
from workbench.models import Objective, Role, Workspace
from workbench.services import objectives as objective_service
from workbench.services import plan as plan_service
from workbench.services.errors import ServiceError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.alignment.forms import (
    PERSPECTIVE_CHOICES,
    NewObjectiveForm,
    ObjectiveForm,
    objective_values,
)
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import ConfirmForm, clean_text, refused


def _objective_form(
    objectives: list[Objective], exclude: int | None = None, new: bool = False, **kwargs: Any
) -> Any:
    form = NewObjectiveForm(**kwargs) if new else ObjectiveForm(**kwargs)
    choices = [("none", "Nothing: a top-level objective")] + [
        (str(o.id), o.title) for o in objectives if o.id != exclude
    ]
    form.parent.choices = [SelectChoice(value, text) for value, text in choices]
    form.parent.invalid_message = "Choose a parent objective from the list, or none."
    return form


@blueprint.route("/objectives", methods=["GET", "POST"])
@workspace_view()
def objectives(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The objectives, nested under their parents, with the form to add one."""
    existing = objective_service.list_objectives(db.session())
    form = _objective_form(existing, new=True)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                objective = objective_service.create_objective(db.session(), objective_values(form))
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash(f"Objective “{objective.title}” added.", "success")
                return redirect(url_for("alignment.objectives", workspace_id=workspace.id), 303)
        else:
            status = 400
    else:
        form = _objective_form(existing, new=True, formdata=None)
    suggestions = objective_service.goals_not_yet_objectives(
        workspace.corporate_goals, [o.title for o in existing]
    )
    return render_template(
        "alignment/objectives.html",
        form=form,
        tree=plan_service.objective_tree(existing),
        suggestions=suggestions,
        perspectives=dict(PERSPECTIVE_CHOICES),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/objectives/from-goal", methods=["POST"])
@workspace_view()
def objective_from_goal(workspace: Workspace, role: Role) -> Response:
    """Add one corporate goal line as an objective in a single click."""
    title = clean_text(request.form.get("title") or "")
    if 0 < len(title) <= 200:
        objective_service.create_objective(
            db.session(),
            {
                "title": title,
                "perspective": request.form.get("perspective")
                if request.form.get("perspective") in dict(PERSPECTIVE_CHOICES)
                else "customer",
            },
        )
        flash(f"Objective “{title}” added from the corporate goals.", "success")
    else:
        flash("Choose a corporate goal of at most 200 characters.", "error")
    return redirect(url_for("alignment.objectives", workspace_id=workspace.id), 303)


@blueprint.route("/objectives/<id:objective_id>", methods=["GET", "POST"])
@workspace_view()
def edit_objective(
    workspace: Workspace, role: Role, objective_id: int
) -> Response | tuple[str, int]:
    """Edit one objective."""
    objective = objective_service.get_objective(db.session(), objective_id)
    existing = objective_service.list_objectives(db.session())
    form = _objective_form(existing, exclude=objective_id)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                objective_service.update_objective(
                    db.session(), objective_id, form.loaded_version(), objective_values(form)
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash("Objective saved.", "success")
                return redirect(url_for("alignment.objectives", workspace_id=workspace.id), 303)
        else:
            status = 400
    else:
        form = _objective_form(
            existing,
            exclude=objective_id,
            formdata=None,
            data={
                "title": objective.title,
                "perspective": objective.perspective.value,
                "parent": str(objective.parent_id) if objective.parent_id else "none",
                "owner": objective.owner,
                "due_date": objective.due_date,
                "description": objective.description,
                "version": objective.version,
            },
        )
    return render_template(
        "alignment/objective_edit.html",
        form=form,
        objective=objective,
        confirm_form=ConfirmForm(formdata=None),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/objectives/<id:objective_id>/delete", methods=["POST"])
@workspace_view()
def delete_objective(workspace: Workspace, role: Role, objective_id: int) -> Response:
    """Delete an objective after confirmation."""
    title = objective_service.delete_objective(db.session(), objective_id)
    flash(f"Deleted the objective “{title}”.", "success")
    return redirect(url_for("alignment.objectives", workspace_id=workspace.id), 303)
