"""Recovery drills: the drills by date with their verdicts and gaps; plan, record, edit, delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis.drills import DEFAULT_CONTACT_MINUTES
from workbench.extensions import db
from workbench.models import Drill, Role, Workspace
from workbench.services import drill_views as views
from workbench.services import drills as service
from workbench.services import playbook as playbook_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.drill_forms import (
    DrillForm,
    DrillResultForm,
    NewDrillForm,
    offer_scenarios,
    plan_data,
    plan_values,
    result_data,
    result_values,
)


@blueprint.route("/drills")
@workspace_view()
def drills(workspace: Workspace, role: Role) -> str:
    """Every drill by date with its verdict, each scenario's response times, and the gaps."""
    return render_template(
        "operating/drills.html",
        board=views.board(db.session(), date.today()),
        default_minutes=DEFAULT_CONTACT_MINUTES,
        can_edit=can_edit(role),
    )


def _plan_page(form: Any, drill: Drill | None, status: int = 200) -> tuple[str, int]:
    scenario = playbook_service.get_scenario(db.session(), drill.scenario_id) if drill else None
    return render_template(
        "operating/drill_edit.html", form=form, drill=drill, scenario=scenario
    ), status


def _plan_form(kind: type, **kwargs: Any) -> Any:
    form = kind(**kwargs)
    offer_scenarios(form, playbook_service.list_scenarios(db.session()))
    return form


@blueprint.route("/drills/new", methods=["GET", "POST"])
@workspace_view()
def new_drill(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Plan a drill of a playbook scenario."""
    if request.method == "POST":
        form = _plan_form(NewDrillForm)
        if form.validate_on_submit():
            try:
                row = service.create_drill(db.session(), plan_values(form), date.today())
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Drill planned.", "success")
                return redirect(
                    url_for("operating.drills", workspace_id=workspace.id) + f"#drill-{row.id}",
                    303,
                )
        return _plan_page(form, None, 400)
    # A scenario's page offers "plan a drill" with the scenario chosen.
    chosen = parse_id(request.args.get("scenario"))
    form = _plan_form(NewDrillForm, formdata=None, data={"scenario_id": str(chosen or "")})
    return _plan_page(form, None)


@blueprint.route("/drills/<id:drill_id>", methods=["GET", "POST"])
@workspace_view()
def edit_drill(workspace: Workspace, role: Role, drill_id: int) -> Response | tuple[str, int]:
    """Edit a drill's plan; a save over someone else's change of the same field conflicts."""
    row = service.get_drill(db.session(), drill_id)
    if request.method == "POST":
        form = _plan_form(DrillForm)
        if form.validate_on_submit():
            try:
                service.update_drill(
                    db.session(), drill_id, form.loaded_version(), plan_values(form), date.today()
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Drill saved.", "success")
                return redirect(
                    url_for("operating.drills", workspace_id=workspace.id) + f"#drill-{drill_id}",
                    303,
                )
        return _plan_page(form, row, 400)
    return _plan_page(_plan_form(DrillForm, formdata=None, data=plan_data(row)), row)


def _result_page(form: Any, drill: Drill, status: int = 200) -> tuple[str, int]:
    scenario = playbook_service.get_scenario(db.session(), drill.scenario_id)
    return render_template(
        "operating/drill_result.html",
        form=form,
        drill=drill,
        scenario=scenario,
        line=views.drill_line(drill, scenario, date.today()),
        default_minutes=DEFAULT_CONTACT_MINUTES,
    ), status


@blueprint.route("/drills/<id:drill_id>/result", methods=["GET", "POST"])
@workspace_view()
def drill_result(workspace: Workspace, role: Role, drill_id: int) -> Response | tuple[str, int]:
    """Record what happened in a drill; saving marks it done."""
    row = service.get_drill(db.session(), drill_id)
    if request.method == "POST":
        form = DrillResultForm()
        if form.validate_on_submit():
            try:
                service.record_result(
                    db.session(),
                    drill_id,
                    form.loaded_version(),
                    result_values(form),
                    date.today(),
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Drill result recorded.", "success")
                return redirect(
                    url_for("operating.drills", workspace_id=workspace.id) + f"#drill-{drill_id}",
                    303,
                )
        return _result_page(form, row, 400)
    return _result_page(DrillResultForm(formdata=None, data=result_data(row)), row)


@blueprint.route("/drills/<id:drill_id>/delete", methods=["POST"])
@workspace_view()
def delete_drill(workspace: Workspace, role: Role, drill_id: int) -> Response:
    """Delete a drill after confirmation."""
    name = service.delete_drill(db.session(), drill_id)
    flash(f"{name} was deleted.", "success")
    return redirect(url_for("operating.drills", workspace_id=workspace.id), 303)
