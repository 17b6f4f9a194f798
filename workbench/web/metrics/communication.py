"""Phase 4's communication plans: who hears about which metrics, how and how often."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import CommunicationPlan, Role, Workspace
from workbench.services import communication as plan_service
from workbench.services import metrics as metric_service
from workbench.services import scorecards
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, department_name, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.metrics.blueprint import blueprint
from workbench.web.metrics.forms import (
    PlanForm,
)

PLAN_FIELDS = ("department", "audience", "channel", "cadence", "owner", "notes")


def _chosen_metrics() -> set[int] | None:
    ids = {parse_id(v) for v in request.form.getlist("metric")}
    return None if None in ids else {i for i in ids if i}


def _plans_page(
    form: PlanForm,
    status: int,
    role: Role,
    editing: CommunicationPlan | None = None,
    chosen: set[int] | None = None,
) -> tuple[str, int]:
    plans = plan_service.list_plans(db.session())
    return render_template(
        "metrics/communication.html",
        plans=[(plan, plan_service.metric_ids(db.session(), plan.id)) for plan in plans],
        metrics=metric_service.list_metrics(db.session()),
        form=form,
        editing=editing,
        chosen=chosen or set(),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/communication", methods=["GET", "POST"])
@workspace_view()
def communication(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Every department's communication plan, and the form to add one."""
    form = PlanForm()
    form.version.validators = []  # a new plan has no version yet
    if request.method == "POST":
        chosen = _chosen_metrics()
        if form.validate_on_submit() and chosen is not None:
            try:
                plan = plan_service.create_plan(
                    db.session(), {name: getattr(form, name).data for name in PLAN_FIELDS}, chosen
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash(
                    f"Communication plan for {department_name(plan.department)} added.", "success"
                )
                return redirect(url_for("metrics.communication", workspace_id=workspace.id), 303)
        elif chosen is None:
            form.form_errors.append("Some chosen metrics were not understood. Reload the page.")
        return _plans_page(form, 400, role, chosen=chosen)
    return _plans_page(PlanForm(formdata=None), 200, role)


@blueprint.route("/communication/<id:plan_id>", methods=["GET", "POST"])
@workspace_view()
def edit_communication_plan(
    workspace: Workspace, role: Role, plan_id: int
) -> Response | tuple[str, int]:
    """Edit a communication plan."""
    plan = plan_service.get_plan(db.session(), plan_id)
    if request.method == "POST":
        form = PlanForm()
        chosen = _chosen_metrics()
        if form.validate_on_submit() and chosen is not None:
            try:
                plan_service.update_plan(
                    db.session(),
                    plan_id,
                    form.loaded_version(),
                    {name: getattr(form, name).data for name in PLAN_FIELDS},
                    chosen,
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Communication plan saved.", "success")
                return redirect(url_for("metrics.communication", workspace_id=workspace.id), 303)
        return _plans_page(form, 400, role, editing=plan, chosen=chosen)
    data: dict[str, Any] = {name: getattr(plan, name) for name in PLAN_FIELDS}
    form = PlanForm(formdata=None, data={**data, "version": plan.version})
    return _plans_page(
        form, 200, role, editing=plan, chosen=plan_service.metric_ids(db.session(), plan_id)
    )


@blueprint.route("/communication/<id:plan_id>/delete", methods=["POST"])
@workspace_view()
def delete_communication_plan(workspace: Workspace, role: Role, plan_id: int) -> Response:
    """Delete a communication plan after confirmation."""
    plan_service.delete_plan(db.session(), plan_id)
    flash("Communication plan deleted.", "success")
    return redirect(url_for("metrics.communication", workspace_id=workspace.id), 303)


@blueprint.route("/communication/<id:plan_id>/print")
@workspace_view()
def print_communication_plan(workspace: Workspace, role: Role, plan_id: int) -> str:
    """A printable one-pager: what the department receives, how and how often."""
    plan = plan_service.get_plan(db.session(), plan_id)
    ids = plan_service.metric_ids(db.session(), plan_id)
    cards = [c for c in scorecards.cards(db.session(), date.today()) if c.metric.id in ids]
    return render_template(
        "metrics/plan_print.html",
        plan=plan,
        cards=cards,
        labels=scorecards.STATUS_LABELS,
        workspace_name=workspace.name,
    )
