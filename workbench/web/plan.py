"""Phase 2 registers: objectives and initiatives, each initiative with its links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from workbench.extensions import db
from workbench.models import Initiative, InitiativeStatus, Objective, Role, Workspace
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services import matrix as matrix_service
from workbench.services import objectives as objective_service
from workbench.services import plan as plan_service
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import ConfirmForm, clean_text, parse_id, refused
from workbench.web.plan_forms import (
    PERSPECTIVE_CHOICES,
    STATUS_CHOICES,
    InitiativeForm,
    NewInitiativeForm,
    NewObjectiveForm,
    ObjectiveForm,
    initiative_values,
    objective_values,
)

blueprint = Blueprint("plan", __name__, url_prefix="/workspaces/<id:workspace_id>/alignment")


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
                return redirect(url_for("plan.objectives", workspace_id=workspace.id), 303)
        else:
            status = 400
    else:
        form = _objective_form(existing, new=True, formdata=None)
    titles = {o.title.strip().lower() for o in existing}
    suggestions = [
        line
        for line in objective_service.goal_lines(workspace.corporate_goals)
        if line.lower() not in titles and len(line) <= 200
    ]
    return render_template(
        "plan/objectives.html",
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
    return redirect(url_for("plan.objectives", workspace_id=workspace.id), 303)


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
                return redirect(url_for("plan.objectives", workspace_id=workspace.id), 303)
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
        "plan/objective_edit.html",
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
    return redirect(url_for("plan.objectives", workspace_id=workspace.id), 303)


@blueprint.route("/initiatives", methods=["GET", "POST"])
@workspace_view()
def initiatives(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The initiatives, filterable by department and status, with the form to add one."""
    form = NewInitiativeForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                initiative = initiative_service.create_initiative(
                    db.session(), initiative_values(form)
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash(f"Initiative “{initiative.title}” added. Now link it below.", "success")
                return redirect(
                    url_for(
                        "plan.edit_initiative",
                        workspace_id=workspace.id,
                        initiative_id=initiative.id,
                    ),
                    303,
                )
        else:
            status = 400
    else:
        form = NewInitiativeForm(formdata=None)
    department = clean_text(request.args.get("department", ""))[:80]
    state = request.args.get("status", "")
    rows = plan_service.initiative_rows(db.session(), department, state)
    return render_template(
        "plan/initiatives.html",
        form=form,
        rows=rows,
        departments=plan_service.departments(db.session()),
        statuses=STATUS_CHOICES,
        selected_department=department,
        selected_status=state,
        can_edit=can_edit(role),
    ), status


def _initiative_form_data(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title,
        "description": initiative.description,
        "owner": initiative.owner,
        "department": initiative.department,
        "status": initiative.status.value,
        "priority": initiative.priority.value,
        "approach": initiative.approach.value if initiative.approach else "none",
        "budget": initiative.budget,
        "spend": initiative.spend,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "version": initiative.version,
    }


def _initiative_page(
    workspace: Workspace,
    role: Role,
    initiative: Initiative,
    form: InitiativeForm,
    status: int = 200,
    link_error: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "plan/initiative_edit.html",
        form=form,
        initiative=initiative,
        links=plan_service.initiative_links(db.session(), initiative.id),
        factors=factor_service.list_factors(db.session()),
        departments=plan_service.departments(db.session()),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=can_edit(role),
        link_error=link_error,
        InitiativeStatus=InitiativeStatus,
    ), status


def _refuse(
    workspace: Workspace, role: Role, initiative: Initiative, status: int, message: str
) -> tuple[str, int]:
    """Show the initiative page again, unchanged, with a message saying what went wrong."""
    form = InitiativeForm(formdata=None, data=_initiative_form_data(initiative))
    return _initiative_page(workspace, role, initiative, form, status, message)


@blueprint.route("/initiatives/<id:initiative_id>", methods=["GET", "POST"])
@workspace_view()
def edit_initiative(
    workspace: Workspace, role: Role, initiative_id: int
) -> Response | tuple[str, int]:
    """Edit an initiative and see and change its links."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    form = InitiativeForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                initiative_service.update_initiative(
                    db.session(), initiative_id, form.loaded_version(), initiative_values(form)
                )
            except ServiceError as error:
                return _initiative_page(workspace, role, initiative, form, refused(error, form))
            flash("Initiative saved.", "success")
            return redirect(
                url_for(
                    "plan.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id
                ),
                303,
            )
        return _initiative_page(workspace, role, initiative, form, 400)
    form = InitiativeForm(formdata=None, data=_initiative_form_data(initiative))
    return _initiative_page(workspace, role, initiative, form)


@blueprint.route("/initiatives/<id:initiative_id>/links", methods=["POST"])
@workspace_view()
def save_links(workspace: Workspace, role: Role, initiative_id: int) -> Response | tuple[str, int]:
    """Replace the factors and principles an initiative addresses and applies."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    factor_ids = {parse_id(v) for v in request.form.getlist("factor")}
    principle_ids = {parse_id(v) for v in request.form.getlist("principle")}
    if None in factor_ids or None in principle_ids:
        return _refuse(
            workspace,
            role,
            initiative,
            400,
            "Some choices were not understood. Reload the page.",
        )
    try:
        plan_service.save_links(
            db.session(),
            initiative_id,
            request.form.get("links_token", ""),
            {i for i in factor_ids if i},
            {i for i in principle_ids if i},
        )
    except StaleEditError as stale:
        return _refuse(
            workspace,
            role,
            initiative,
            refused(stale, None, StaleEditError),
            "Someone changed these links while you were editing. The current links are "
            "shown below; tick your changes again and save.",
        )
    flash("Links saved.", "success")
    return redirect(
        url_for("plan.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#links",
        303,
    )


@blueprint.route("/initiatives/<id:initiative_id>/dependencies", methods=["POST"])
@workspace_view()
def add_dependency(
    workspace: Workspace, role: Role, initiative_id: int
) -> Response | tuple[str, int]:
    """Record that this initiative depends on another; a cycle is refused and named."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    depends_on = parse_id(request.form.get("depends_on"))
    if depends_on is None:
        return _refuse(
            workspace, role, initiative, 400, "Choose the initiative this one depends on."
        )
    try:
        initiative_service.add_dependency(db.session(), initiative_id, depends_on)
    except ServiceError as error:
        return _refuse(workspace, role, initiative, refused(error), error.message)
    flash("Dependency added.", "success")
    return redirect(
        url_for("plan.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#dependencies",
        303,
    )


@blueprint.route("/initiatives/<id:initiative_id>/objectives", methods=["POST"])
@workspace_view()
def link_objective(
    workspace: Workspace, role: Role, initiative_id: int
) -> Response | tuple[str, int]:
    """Set an initiative's contribution to one objective, with its rationale (or remove it)."""
    initiative = initiative_service.get_initiative(db.session(), initiative_id)
    objective_id = parse_id(request.form.get("objective_id"))
    raw_version = request.form.get("version")
    version = parse_id(raw_version)
    rationale = clean_text(request.form.get("rationale") or "")
    if objective_id is None or version is None:
        problem = "Choose an objective and a contribution, then save again."
        return _refuse(workspace, role, initiative, 400, problem)
    if len(rationale) > 2000:
        problem = "Keep the rationale under 2,000 characters."
        return _refuse(workspace, role, initiative, 400, problem)
    try:
        contribution = matrix_service.parse_contribution(request.form.get("contribution", ""))
        matrix_service.set_contribution(
            db.session(), initiative_id, objective_id, contribution, version, rationale
        )
    except ServiceError as error:
        return _refuse(workspace, role, initiative, refused(error), error.message)
    flash("Contribution saved.", "success")
    return redirect(
        url_for("plan.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#objectives",
        303,
    )


@blueprint.route(
    "/initiatives/<id:initiative_id>/dependencies/<id:depends_on_id>/remove", methods=["POST"]
)
@workspace_view()
def remove_dependency(
    workspace: Workspace, role: Role, initiative_id: int, depends_on_id: int
) -> Response:
    """Remove a dependency."""
    initiative_service.get_initiative(db.session(), initiative_id)
    initiative_service.remove_dependency(db.session(), initiative_id, depends_on_id)
    flash("Dependency removed.", "success")
    return redirect(
        url_for("plan.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#dependencies",
        303,
    )


@blueprint.route("/initiatives/<id:initiative_id>/delete", methods=["POST"])
@workspace_view()
def delete_initiative(workspace: Workspace, role: Role, initiative_id: int) -> Response:
    """Delete an initiative after confirmation."""
    title = initiative_service.delete_initiative(db.session(), initiative_id)
    flash(f"Deleted the initiative “{title}”.", "success")
    return redirect(url_for("plan.initiatives", workspace_id=workspace.id), 303)
