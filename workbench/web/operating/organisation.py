"""Phase 3's organisation page: the current and target structures and their units."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from workbench.extensions import db
from workbench.models import OrgUnit, Role, Workspace
from workbench.services import organisation as organisation_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.forms import (
    NewUnitForm,
    UnitForm,
)


def _unit_form(structure: str, unit: OrgUnit | None = None, **kwargs: Any) -> Any:
    form = UnitForm(**kwargs) if unit else NewUnitForm(**kwargs)
    own = organisation_service.units(db.session(), structure)
    form.parent.choices = [SelectChoice("none", "Nothing: a top-level unit")] + [
        SelectChoice(str(u.id), u.name) for u in own if unit is None or u.id != unit.id
    ]
    form.parent.invalid_message = "Choose a parent unit from the list."
    sources = organisation_service.units(db.session(), "current") if structure == "target" else []
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
        current=organisation_service.tree(db.session(), "current"),
        target=organisation_service.tree(db.session(), "target"),
        diff=organisation_service.diff(db.session()),
        current_form=forms.get("current") or _unit_form("current", formdata=None),
        target_form=forms.get("target") or _unit_form("target", formdata=None),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/organisation", methods=["GET"])
@workspace_view()
def organisation(workspace: Workspace, role: Role) -> tuple[str, int]:
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
            unit = organisation_service.create_unit(db.session(), structure, _unit_values(form))
        except ServiceError as error:
            refused(error, form)
        else:
            flash(f"Unit “{unit.name}” added to the {structure} structure.", "success")
            return redirect(
                url_for("operating.organisation", workspace_id=workspace.id) + f"#{structure}", 303
            )
    return _organisation_page(role, 400, **{structure: form})


@blueprint.route("/organisation/copy", methods=["POST"])
@workspace_view()
def copy_structure(workspace: Workspace, role: Role) -> Response:
    """Start the target structure from a copy of the current one."""
    count = organisation_service.copy_current_to_target(db.session())
    flash(
        f"{count} units copied into the target structure; now change what the strategy needs.",
        "success",
    )
    return redirect(url_for("operating.organisation", workspace_id=workspace.id) + "#target", 303)


@blueprint.route("/organisation/units/<id:unit_id>", methods=["GET", "POST"])
@workspace_view()
def edit_unit(workspace: Workspace, role: Role, unit_id: int) -> Response | tuple[str, int]:
    """Edit a unit: name, purpose, parent, and which current unit it continues."""
    unit = organisation_service.get_unit(db.session(), unit_id)
    if request.method == "POST":
        form = _unit_form(unit.structure, unit)
        if form.validate_on_submit():
            try:
                organisation_service.update_unit(
                    db.session(), unit_id, form.loaded_version(), _unit_values(form)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Unit saved.", "success")
                return redirect(
                    url_for("operating.organisation", workspace_id=workspace.id)
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
    name = organisation_service.delete_unit(db.session(), unit_id)
    flash(f"Unit “{name}” deleted; the units under it moved up.", "success")
    return redirect(url_for("operating.organisation", workspace_id=workspace.id), 303)
