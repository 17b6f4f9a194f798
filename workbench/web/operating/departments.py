"""The department register: list, add, rename and describe, delete when nothing names it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import departments as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.forms import DepartmentForm, NewDepartmentForm, department_values


def _list_page(form: NewDepartmentForm, role: Role, status: int = 200) -> tuple[str, int]:
    rows = service.list_departments(db.session())
    uses = service.usage(db.session())
    return render_template(
        "operating/departments.html",
        departments=[(row, uses.get(row.key, [])) for row in rows],
        form=form,
        can_edit=can_edit(role),
    ), status


@blueprint.route("/departments", methods=["GET", "POST"])
@workspace_view()
def departments(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The departments with what names each of them, and the form to add one."""
    if request.method == "POST":
        form = NewDepartmentForm()
        if form.validate_on_submit():
            try:
                row = service.create_department(db.session(), department_values(form))
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"{row.name} added.", "success")
                return redirect(url_for("operating.departments", workspace_id=workspace.id), 303)
        return _list_page(form, role, 400)
    return _list_page(NewDepartmentForm(formdata=None), role)


@blueprint.route("/departments/<id:department_id>", methods=["GET", "POST"])
@workspace_view()
def edit_department(
    workspace: Workspace, role: Role, department_id: int
) -> Response | tuple[str, int]:
    """Rename or describe a department; every page shows the new name at once."""
    row = service.get_department(db.session(), department_id)
    if request.method == "POST":
        form = DepartmentForm()
        if form.validate_on_submit():
            try:
                service.update_department(
                    db.session(), department_id, form.loaded_version(), department_values(form)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Department saved.", "success")
                return redirect(url_for("operating.departments", workspace_id=workspace.id), 303)
        status = 400
    else:
        form = DepartmentForm(
            formdata=None,
            data={
                "name": row.name,
                "description": row.description,
                "owner": row.owner,
                "version": row.version,
            },
        )
        status = 200
    return render_template(
        "operating/department_edit.html",
        form=form,
        row=row,
        uses=service.usage(db.session(), row.key).get(row.key, []),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/departments/<id:department_id>/delete", methods=["POST"])
@workspace_view()
def delete_department(workspace: Workspace, role: Role, department_id: int) -> Response:
    """Delete a department after confirmation; refused, with the reason, while rows name it."""
    try:
        name = service.delete_department(db.session(), department_id)
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
        return redirect(
            url_for(
                "operating.edit_department", workspace_id=workspace.id, department_id=department_id
            ),
            303,
        )
    flash(f"{name} deleted.", "success")
    return redirect(url_for("operating.departments", workspace_id=workspace.id), 303)
