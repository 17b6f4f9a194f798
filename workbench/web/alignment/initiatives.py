"""Phase 2's initiatives register: each initiative with its links and dependencies."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Initiative, InitiativeStatus, Role, Workspace
from workbench.models.catalogue.shared import DEPARTMENT_MAX, NOTE_MAX
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services import matrix as matrix_service
from workbench.services import milestones as milestone_service
from workbench.services import plan as plan_service
from workbench.services import process_links, risk_views
from workbench.services.currency import workspace_currency
from workbench.services.delivery_views import workspace_delivery
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.alignment.forms import (
    STATUS_CHOICES,
    InitiativeForm,
    NewInitiativeForm,
    NewMilestoneForm,
    initiative_values,
)
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import ConfirmForm, clean_text, parse_id, refused


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
                        "alignment.edit_initiative",
                        workspace_id=workspace.id,
                        initiative_id=initiative.id,
                    ),
                    303,
                )
        else:
            status = 400
    else:
        form = NewInitiativeForm(formdata=None)
    department = clean_text(request.args.get("department", ""))[:DEPARTMENT_MAX]
    state = request.args.get("status", "")
    rows = plan_service.initiative_rows(db.session(), department, state)
    return render_template(
        "alignment/initiatives.html",
        form=form,
        rows=rows,
        delivery=workspace_delivery(db.session(), date.today(), workspace_currency(db.session())),
        departments=plan_service.departments(db.session()),
        statuses=STATUS_CHOICES,
        selected_department=department,
        selected_status=state,
        can_edit=can_edit(role),
    ), status


def initiative_form_data(initiative: Initiative) -> dict[str, Any]:
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
        "percent_complete": initiative.percent_complete,
        "version": initiative.version,
    }


def initiative_page(
    workspace: Workspace,
    role: Role,
    initiative: Initiative,
    form: InitiativeForm,
    status: int = 200,
    link_error: str | None = None,
    milestone_form: NewMilestoneForm | None = None,
) -> tuple[str, int]:
    """The initiative page: its fields, delivery, milestones, links, risks and dependencies."""
    currency = workspace_currency(db.session())
    today = date.today()
    return render_template(
        "alignment/initiative_edit.html",
        form=form,
        initiative=initiative,
        delivery=workspace_delivery(db.session(), today, currency)[initiative.id],
        milestones=milestone_service.list_milestones(db.session(), initiative.id),
        milestone_form=milestone_form or NewMilestoneForm(formdata=None),
        today=today,
        links=plan_service.initiative_links(db.session(), initiative.id),
        risks=risk_views.mitigated_by(db.session(), initiative.id, today),
        processes=process_links.processes_changing(db.session(), initiative.id),
        factors=factor_service.list_factors(db.session()),
        confirm_form=ConfirmForm(formdata=None),
        can_edit=can_edit(role),
        currency=currency,
        link_error=link_error,
        InitiativeStatus=InitiativeStatus,
    ), status


def _refuse(
    workspace: Workspace, role: Role, initiative: Initiative, status: int, message: str
) -> tuple[str, int]:
    """Show the initiative page again, unchanged, with a message saying what went wrong."""
    form = InitiativeForm(formdata=None, data=initiative_form_data(initiative))
    return initiative_page(workspace, role, initiative, form, status, message)


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
                return initiative_page(workspace, role, initiative, form, refused(error, form))
            flash("Initiative saved.", "success")
            return redirect(
                url_for(
                    "alignment.edit_initiative",
                    workspace_id=workspace.id,
                    initiative_id=initiative_id,
                ),
                303,
            )
        return initiative_page(workspace, role, initiative, form, 400)
    form = InitiativeForm(formdata=None, data=initiative_form_data(initiative))
    return initiative_page(workspace, role, initiative, form)


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
        url_for("alignment.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
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
        url_for("alignment.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
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
    if len(rationale) > NOTE_MAX:
        problem = f"Keep the rationale under {NOTE_MAX:,} characters."
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
        url_for("alignment.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
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
        url_for("alignment.edit_initiative", workspace_id=workspace.id, initiative_id=initiative_id)
        + "#dependencies",
        303,
    )


@blueprint.route("/initiatives/<id:initiative_id>/delete", methods=["POST"])
@workspace_view()
def delete_initiative(workspace: Workspace, role: Role, initiative_id: int) -> Response:
    """Delete an initiative after confirmation."""
    title = initiative_service.delete_initiative(db.session(), initiative_id)
    flash(f"Deleted the initiative “{title}”.", "success")
    return redirect(url_for("alignment.initiatives", workspace_id=workspace.id), 303)
