"""Phase 3 pages: the organisation structures and the failure-scenario playbook."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from workbench.extensions import db
from workbench.models import FailureScenario, OrgUnit, Role, Workspace
from workbench.services import initiatives as initiative_service
from workbench.services import organisation
from workbench.services import playbook as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.operating_forms import (
    NewScenarioForm,
    NewUnitForm,
    ScenarioForm,
    UnitForm,
    scenario_values,
)

blueprint = Blueprint("playbook", __name__, url_prefix="/workspaces/<id:workspace_id>/operating")


def _unit_form(structure: str, unit: OrgUnit | None = None, **kwargs: Any) -> Any:
    form = UnitForm(**kwargs) if unit else NewUnitForm(**kwargs)
    own = organisation.units(db.session(), structure)
    form.parent.choices = [SelectChoice("none", "Nothing: a top-level unit")] + [
        SelectChoice(str(u.id), u.name) for u in own if unit is None or u.id != unit.id
    ]
    form.parent.invalid_message = "Choose a parent unit from the list."
    sources = organisation.units(db.session(), "current") if structure == "target" else []
    form.source.choices = [SelectChoice("none", "Nothing: a new unit")] + [
        SelectChoice(str(u.id), u.name) for u in sources
    ]
    form.source.invalid_message = "Choose a current unit from the list."
    return form


def _unit_values(form: Any) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "purpose": form.purpose.data or "",
        "parent_id": None if form.parent.data == "none" else int(form.parent.data),
        "source_id": None if form.source.data == "none" else int(form.source.data),
    }


def _organisation_page(role: Role, status: int = 200, **forms: Any) -> tuple[str, int]:
    return render_template(
        "operating/organisation.html",
        current=organisation.tree(db.session(), "current"),
        target=organisation.tree(db.session(), "target"),
        diff=organisation.diff(db.session()),
        current_form=forms.get("current") or _unit_form("current", formdata=None),
        target_form=forms.get("target") or _unit_form("target", formdata=None),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/organisation", methods=["GET"])
@workspace_view()
def structures(workspace: Workspace, role: Role) -> tuple[str, int]:
    """The current and the target structure side by side, with the differences."""
    return _organisation_page(role)


@blueprint.route("/organisation/<structure>", methods=["POST"])
@workspace_view()
def add_unit(workspace: Workspace, role: Role, structure: str) -> Response | tuple[str, int]:
    """Add a unit to the current or the target structure."""
    if structure not in ("current", "target"):
        raise ServiceError("Choose the current or the target structure.")
    form = _unit_form(structure)
    if form.validate_on_submit():
        try:
            unit = organisation.create_unit(db.session(), structure, _unit_values(form))
        except ServiceError as error:
            refused(error, form)
        else:
            flash(f"Unit “{unit.name}” added to the {structure} structure.", "success")
            return redirect(
                url_for("playbook.structures", workspace_id=workspace.id) + f"#{structure}", 303
            )
    return _organisation_page(role, 400, **{structure: form})


@blueprint.route("/organisation/copy", methods=["POST"])
@workspace_view()
def copy_structure(workspace: Workspace, role: Role) -> Response:
    """Start the target structure from a copy of the current one."""
    count = organisation.copy_current_to_target(db.session())
    flash(
        f"{count} units copied into the target structure; now change what the strategy needs.",
        "success",
    )
    return redirect(url_for("playbook.structures", workspace_id=workspace.id) + "#target", 303)


@blueprint.route("/organisation/units/<id:unit_id>", methods=["GET", "POST"])
@workspace_view()
def edit_unit(workspace: Workspace, role: Role, unit_id: int) -> Response | tuple[str, int]:
    """Edit a unit: name, purpose, parent, and which current unit it continues."""
    unit = organisation.get_unit(db.session(), unit_id)
    if request.method == "POST":
        form = _unit_form(unit.structure, unit)
        if form.validate_on_submit():
            try:
                organisation.update_unit(
                    db.session(), unit_id, form.loaded_version(), _unit_values(form)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Unit saved.", "success")
                return redirect(
                    url_for("playbook.structures", workspace_id=workspace.id)
                    + f"#{unit.structure}",
                    303,
                )
        status = 400
    else:
        form = _unit_form(
            unit.structure,
            unit,
            formdata=None,
            data={
                "name": unit.name,
                "purpose": unit.purpose,
                "parent": str(unit.parent_id) if unit.parent_id else "none",
                "source": str(unit.source_id) if unit.source_id else "none",
                "version": unit.version,
            },
        )
        status = 200
    return render_template("operating/unit_edit.html", form=form, unit=unit), status


@blueprint.route("/organisation/units/<id:unit_id>/delete", methods=["POST"])
@workspace_view()
def delete_unit(workspace: Workspace, role: Role, unit_id: int) -> Response:
    """Delete a unit after confirmation; its children move up."""
    name = organisation.delete_unit(db.session(), unit_id)
    flash(f"Unit “{name}” deleted; the units under it moved up.", "success")
    return redirect(url_for("playbook.structures", workspace_id=workspace.id), 303)


@blueprint.route("/playbook")
@workspace_view()
def index(workspace: Workspace, role: Role) -> str:
    """The playbook, most severe first, with what each scenario is missing."""
    return render_template(
        "operating/playbook.html",
        views=service.views(db.session()),
        can_edit=can_edit(role),
    )


@blueprint.route("/playbook/templates", methods=["GET", "POST"])
@workspace_view()
def templates(workspace: Workspace, role: Role) -> Response | str:
    """Industry scenario templates to copy into the playbook."""
    if request.method == "POST":
        scenario = service.adopt_template(db.session(), (request.form.get("key") or "")[:80])
        flash(f"“{scenario.name}” added to the playbook. Adapt it to your organisation.", "success")
        return redirect(
            url_for("playbook.edit", workspace_id=workspace.id, scenario_id=scenario.id), 303
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
    return render_template(
        "operating/scenario_edit.html",
        form=form,
        scenario=scenario,
        chosen=chosen,
        initiatives=initiative_service.list_initiatives(db.session()),
    ), status


@blueprint.route("/playbook/new", methods=["GET", "POST"])
@workspace_view()
def new(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
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
                return redirect(url_for("playbook.index", workspace_id=workspace.id), 303)
        return _scenario_page(form, None, chosen or set(), 400)
    return _scenario_page(NewScenarioForm(formdata=None), None, set())


@blueprint.route("/playbook/<id:scenario_id>", methods=["GET", "POST"])
@workspace_view()
def edit(workspace: Workspace, role: Role, scenario_id: int) -> Response | tuple[str, int]:
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
                    url_for("playbook.index", workspace_id=workspace.id)
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
def card(workspace: Workspace, role: Role, scenario_id: int) -> str:
    """The scenario as a one-page card for the front line."""
    scenario = service.get_scenario(db.session(), scenario_id)
    (view,) = service.views(db.session(), [scenario])
    return render_template("operating/card.html", view=view, workspace_name=workspace.name)


@blueprint.route("/playbook/<id:scenario_id>/delete", methods=["POST"])
@workspace_view()
def delete(workspace: Workspace, role: Role, scenario_id: int) -> Response:
    """Delete a scenario after confirmation."""
    name = service.delete_scenario(db.session(), scenario_id)
    flash(f"“{name}” removed from the playbook.", "success")
    return redirect(url_for("playbook.index", workspace_id=workspace.id), 303)
