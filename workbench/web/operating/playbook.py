"""Phase 3's failure-scenario playbook: scenarios, templates and printable cards."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis.response_target import slow_target_note
from workbench.extensions import db
from workbench.models import FailureScenario, Role, Workspace
from workbench.services import board_packs, drill_views
from workbench.services import initiatives as initiative_service
from workbench.services import playbook as service
from workbench.services import stories as story_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.forms import (
    NewScenarioForm,
    ScenarioForm,
    scenario_values,
)


@blueprint.route("/playbook")
@workspace_view()
def playbook(workspace: Workspace, role: Role) -> str:
    """The playbook, most severe first: what each scenario is missing, its drills, its stories."""
    views = service.views(db.session())
    # The drills are judged against the scenarios just read, not a second reading of them.
    scenarios = [view.scenario for view in views]
    records = drill_views.board(db.session(), date.today(), scenarios).scenarios
    return render_template(
        "operating/playbook.html",
        views=views,
        drilled={r.scenario_id: r for r in records},
        stories=story_service.by_scenario(db.session()),
        can_edit=can_edit(role),
        panel=board_packs.commentary_panel(db.session(), "operating"),
        back="playbook",
    )


@blueprint.route("/playbook/templates", methods=["GET", "POST"])
@workspace_view()
def playbook_templates(workspace: Workspace, role: Role) -> Response | str:
    """Industry scenario templates to copy into the playbook."""
    if request.method == "POST":
        scenario = service.adopt_template(db.session(), (request.form.get("key") or "")[:80])
        flash(f"“{scenario.name}” added to the playbook. Adapt it to your organisation.", "success")
        return redirect(
            url_for("operating.edit_scenario", workspace_id=workspace.id, scenario_id=scenario.id),
            303,
        )
    rows = service.templates(db.session())
    industries = sorted({t.industry for t in rows})
    return render_template(
        "operating/templates.html",
        templates=rows,
        industries=industries,
        can_edit=can_edit(role),
    )


def _chosen_initiatives() -> set[int] | None:
    ids = {parse_id(v) for v in request.form.getlist("initiative")}
    return None if None in ids else {i for i in ids if i}


def _scenario_page(
    form: Any, scenario: FailureScenario | None, chosen: set[int], status: int = 200
) -> tuple[str, int]:
    drills, record = (
        drill_views.for_scenario(db.session(), scenario, date.today()) if scenario else ((), None)
    )
    return render_template(
        "operating/scenario_edit.html",
        form=form,
        scenario=scenario,
        chosen=chosen,
        drills=drills,
        drill_record=record,
        initiatives=initiative_service.list_initiatives(db.session()),
        # The saved target, not the one being typed: the note speaks of the playbook as it is.
        slow_target=slow_target_note(scenario.target_response_minutes) if scenario else None,
    ), status


@blueprint.route("/playbook/new", methods=["GET", "POST"])
@workspace_view()
def new_scenario(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Write a scenario from scratch."""
    form = NewScenarioForm()
    if request.method == "POST":
        chosen = _chosen_initiatives()
        if form.validate_on_submit() and chosen is not None:
            try:
                scenario = service.create_scenario(db.session(), scenario_values(form), chosen)
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"“{scenario.name}” added to the playbook.", "success")
                return redirect(url_for("operating.playbook", workspace_id=workspace.id), 303)
        return _scenario_page(form, None, chosen or set(), 400)
    return _scenario_page(NewScenarioForm(formdata=None), None, set())


@blueprint.route("/playbook/<id:scenario_id>", methods=["GET", "POST"])
@workspace_view()
def edit_scenario(workspace: Workspace, role: Role, scenario_id: int) -> Response | tuple[str, int]:
    """Edit a scenario."""
    scenario = service.get_scenario(db.session(), scenario_id)
    if request.method == "POST":
        form = ScenarioForm()
        chosen = _chosen_initiatives()
        if form.validate_on_submit() and chosen is not None:
            try:
                service.update_scenario(
                    db.session(), scenario_id, form.loaded_version(), scenario_values(form), chosen
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Scenario saved.", "success")
                return redirect(
                    url_for("operating.playbook", workspace_id=workspace.id)
                    + f"#scenario-{scenario_id}",
                    303,
                )
        return _scenario_page(form, scenario, chosen or set(), 400)
    data = {name: getattr(scenario, name) for name in service.FIELDS}
    data["currency"] = scenario.currency or ""
    form = ScenarioForm(formdata=None, data={**data, "version": scenario.version})
    return _scenario_page(form, scenario, service.initiative_ids(db.session(), scenario_id))


@blueprint.route("/playbook/<id:scenario_id>/card")
@workspace_view()
def scenario_card(workspace: Workspace, role: Role, scenario_id: int) -> str:
    """The scenario as a one-page card for the front line."""
    scenario = service.get_scenario(db.session(), scenario_id)
    (view,) = service.views(db.session(), [scenario])
    return render_template("operating/card.html", view=view, workspace_name=workspace.name)


@blueprint.route("/playbook/<id:scenario_id>/delete", methods=["POST"])
@workspace_view()
def delete_scenario(workspace: Workspace, role: Role, scenario_id: int) -> Response:
    """Delete a scenario after confirmation."""
    name = service.delete_scenario(db.session(), scenario_id)
    flash(f"“{name}” removed from the playbook.", "success")
    return redirect(url_for("operating.playbook", workspace_id=workspace.id), 303)
