"""Service training across departments: each department's plan, its sessions and the gaps."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Role, TrainingItem, Workspace
from workbench.services import playbook
from workbench.services import training as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.story_forms import (
    NewTrainingForm,
    TrainingForm,
    training_data,
    training_values,
)


@blueprint.route("/training")
@workspace_view()
def training(workspace: Workspace, role: Role) -> str:
    """Each department's plan: sessions done, overdue and planned, and the scenarios uncovered."""
    return render_template(
        "operating/training.html",
        view=service.plan_view(db.session(), date.today()),
        can_edit=can_edit(role),
    )


def _chosen() -> set[int] | None:
    ids = {parse_id(v) for v in request.form.getlist("scenario")}
    return None if None in ids else {i for i in ids if i}


def _training_page(
    form: Any, item: TrainingItem | None, chosen: set[int], status: int = 200
) -> tuple[str, int]:
    return render_template(
        "operating/training_edit.html",
        form=form,
        item=item,
        chosen=chosen,
        scenarios=playbook.list_scenarios(db.session()),
    ), status


def _posted(form: Any) -> tuple[set[int], bool]:
    """The posted scenario ids, and whether they and the form are valid."""
    chosen = _chosen()
    valid = form.validate_on_submit()
    if chosen is None:
        form.form_errors.append("A chosen scenario was not recognised; choose again.")
        return set(), False
    return chosen, bool(valid)


@blueprint.route("/training/new", methods=["GET", "POST"])
@workspace_view()
def new_training(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add a session to a department's training plan."""
    if request.method == "POST":
        form = NewTrainingForm()
        chosen, valid = _posted(form)
        if valid:
            try:
                row = service.create_item(db.session(), training_values(form), chosen)
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"“{row.topic}” added to the training plan.", "success")
                return redirect(url_for("operating.training", workspace_id=workspace.id), 303)
        return _training_page(form, None, chosen, 400)
    return _training_page(NewTrainingForm(formdata=None), None, set())


@blueprint.route("/training/<id:training_id>", methods=["GET", "POST"])
@workspace_view()
def edit_training(workspace: Workspace, role: Role, training_id: int) -> Response | tuple[str, int]:
    """Edit a session; a save over someone else's change of the same field shows the conflict."""
    row = service.get_item(db.session(), training_id)
    if request.method == "POST":
        form = TrainingForm()
        chosen, valid = _posted(form)
        if valid:
            try:
                service.update_item(
                    db.session(), training_id, form.loaded_version(), training_values(form), chosen
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Training session saved.", "success")
                return redirect(
                    url_for("operating.training", workspace_id=workspace.id)
                    + f"#training-{training_id}",
                    303,
                )
        return _training_page(form, row, chosen, 400)
    form = TrainingForm(formdata=None, data=training_data(row))
    return _training_page(form, row, service.scenario_ids(db.session(), training_id))


@blueprint.route("/training/<id:training_id>/delete", methods=["POST"])
@workspace_view()
def delete_training(workspace: Workspace, role: Role, training_id: int) -> Response:
    """Delete a session after confirmation."""
    topic = service.delete_item(db.session(), training_id)
    flash(f"“{topic}” removed from the training plan.", "success")
    return redirect(url_for("operating.training", workspace_id=workspace.id), 303)
