"""Phase 3 pages: the operating model canvas, stakeholders and the canvas items."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from workbench.charts.grid import interest_influence_svg
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import operating as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.forms import (
    CanvasItemForm,
    NewCanvasItemForm,
    NewStakeholderForm,
    StakeholderForm,
    stakeholder_values,
)


@blueprint.route("/")
@workspace_view()
def canvas(workspace: Workspace, role: Role) -> str:
    """The operating model on one page, printable on one landscape sheet."""
    return render_template(
        "operating/canvas.html",
        canvas=service.canvas(db.session()),
        item_form=NewCanvasItemForm(formdata=None),
        can_edit=can_edit(role),
        workspace_name=workspace.name,
    )


@blueprint.route("/items", methods=["POST"])
@workspace_view()
def add_item(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add a challenge or an opportunity to the canvas."""
    form = NewCanvasItemForm()
    if form.validate_on_submit():
        try:
            service.create_item(
                db.session(),
                {
                    "kind": form.kind.data,
                    "title": form.title.data,
                    "description": form.description.data or "",
                },
            )
        except ServiceError as error:
            refused(error, form)
        else:
            flash(f"{form.kind.data.capitalize()} added.", "success")
            return redirect(url_for("operating.canvas", workspace_id=workspace.id) + "#items", 303)
    return render_template(
        "operating/canvas.html",
        canvas=service.canvas(db.session()),
        item_form=form,
        can_edit=True,
        workspace_name=workspace.name,
    ), 400


@blueprint.route("/items/<id:item_id>", methods=["GET", "POST"])
@workspace_view()
def edit_item(workspace: Workspace, role: Role, item_id: int) -> Response | tuple[str, int]:
    """Edit a challenge or an opportunity."""
    item = service.get_item(db.session(), item_id)
    if request.method == "POST":
        form = CanvasItemForm()
        if form.validate_on_submit():
            try:
                service.update_item(
                    db.session(),
                    item_id,
                    form.loaded_version(),
                    {"title": form.title.data, "description": form.description.data},
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Saved.", "success")
                return redirect(
                    url_for("operating.canvas", workspace_id=workspace.id) + "#items", 303
                )
        status = 400
    else:
        form = CanvasItemForm(
            formdata=None,
            data={"title": item.title, "description": item.description, "version": item.version},
        )
        status = 200
    return render_template("operating/item_edit.html", form=form, item=item), status


@blueprint.route("/items/<id:item_id>/delete", methods=["POST"])
@workspace_view()
def delete_item(workspace: Workspace, role: Role, item_id: int) -> Response:
    """Delete a canvas item after confirmation."""
    service.delete_item(db.session(), item_id)
    flash("Deleted.", "success")
    return redirect(url_for("operating.canvas", workspace_id=workspace.id) + "#items", 303)


def _stakeholder_page(form: object, role: Role, status: int = 200) -> tuple[str, int]:
    rows = service.list_stakeholders(db.session())
    svg = interest_influence_svg(
        [(s.name, s.interest, s.influence) for s in rows],
        "Stakeholders by interest (across) and influence (up)",
    )
    return render_template(
        "operating/stakeholders.html",
        stakeholders=[(s, service.quadrant(s.interest, s.influence)) for s in rows],
        grid=Markup(svg),
        form=form,
        can_edit=can_edit(role),
    ), status


@blueprint.route("/stakeholders", methods=["GET", "POST"])
@workspace_view()
def stakeholders(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Stakeholders with the interest/influence grid, and the form to add one."""
    form = NewStakeholderForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                row = service.create_stakeholder(db.session(), stakeholder_values(form))
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"{row.name} added.", "success")
                return redirect(url_for("operating.stakeholders", workspace_id=workspace.id), 303)
        return _stakeholder_page(form, role, 400)
    return _stakeholder_page(NewStakeholderForm(formdata=None), role)


@blueprint.route("/stakeholders/<id:stakeholder_id>", methods=["GET", "POST"])
@workspace_view()
def edit_stakeholder(
    workspace: Workspace, role: Role, stakeholder_id: int
) -> Response | tuple[str, int]:
    """Edit a stakeholder."""
    row = service.get_stakeholder(db.session(), stakeholder_id)
    if request.method == "POST":
        form = StakeholderForm()
        if form.validate_on_submit():
            try:
                service.update_stakeholder(
                    db.session(), stakeholder_id, form.loaded_version(), stakeholder_values(form)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Stakeholder saved.", "success")
                return redirect(url_for("operating.stakeholders", workspace_id=workspace.id), 303)
        status = 400
    else:
        form = StakeholderForm(
            formdata=None,
            data={
                "name": row.name,
                "kind": row.kind,
                "interest": str(row.interest),
                "influence": str(row.influence),
                "notes": row.notes,
                "version": row.version,
            },
        )
        status = 200
    return render_template("operating/stakeholder_edit.html", form=form, row=row), status


@blueprint.route("/stakeholders/<id:stakeholder_id>/delete", methods=["POST"])
@workspace_view()
def delete_stakeholder(workspace: Workspace, role: Role, stakeholder_id: int) -> Response:
    """Delete a stakeholder after confirmation."""
    name = service.delete_stakeholder(db.session(), stakeholder_id)
    flash(f"{name} deleted, with their roles in processes.", "success")
    return redirect(url_for("operating.stakeholders", workspace_id=workspace.id), 303)
