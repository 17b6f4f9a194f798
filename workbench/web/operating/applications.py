"""The application portfolio: totals, gaps, overlaps and coverage; add, edit and delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis.applications import ENDING_DAYS
from workbench.extensions import db
from workbench.models import Application, Role, Workspace
from workbench.services import applications as service
from workbench.services.currency import workspace_currency
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import refused
from workbench.web.operating.application_forms import (
    ApplicationForm,
    NewApplicationForm,
    application_data,
    application_values,
)
from workbench.web.operating.blueprint import blueprint


@blueprint.route("/applications")
@workspace_view()
def applications(workspace: Workspace, role: Role) -> str:
    """The portfolio with its total cost, gaps, overlaps, contracts and coverage matrix."""
    view = service.portfolio_view(db.session(), date.today())
    return render_template(
        "operating/applications.html",
        view=view,
        p=view.portfolio,
        rows=dict(zip((a.id for a in view.portfolio.applications), view.rows, strict=True)),
        kinds=service.KIND_LABELS,
        ending_days=ENDING_DAYS,
        can_edit=can_edit(role),
    )


def _edit_page(form: Any, row: Application | None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "operating/application_edit.html",
        form=form,
        row=row,
        currency=workspace_currency(db.session()),
    ), status


@blueprint.route("/applications/new", methods=["GET", "POST"])
@workspace_view()
def new_application(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add an application to the portfolio."""
    if request.method == "POST":
        form = NewApplicationForm()
        if form.validate_on_submit():
            try:
                row = service.create_application(db.session(), application_values(form))
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"“{row.name}” added to the application portfolio.", "success")
                return redirect(url_for("operating.applications", workspace_id=workspace.id), 303)
        return _edit_page(form, None, 400)
    return _edit_page(NewApplicationForm(formdata=None), None)


@blueprint.route("/applications/<id:application_id>", methods=["GET", "POST"])
@workspace_view()
def edit_application(
    workspace: Workspace, role: Role, application_id: int
) -> Response | tuple[str, int]:
    """Edit an application; a save over someone else's change of the same field shows the
    conflict."""
    row = service.get_application(db.session(), application_id)
    if request.method == "POST":
        form = ApplicationForm()
        if form.validate_on_submit():
            try:
                service.update_application(
                    db.session(), application_id, form.loaded_version(), application_values(form)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Application saved.", "success")
                return redirect(
                    url_for("operating.applications", workspace_id=workspace.id)
                    + f"#application-{application_id}",
                    303,
                )
        return _edit_page(form, row, 400)
    return _edit_page(ApplicationForm(formdata=None, data=application_data(row)), row)


@blueprint.route("/applications/<id:application_id>/delete", methods=["POST"])
@workspace_view()
def delete_application(workspace: Workspace, role: Role, application_id: int) -> Response:
    """Delete an application after confirmation."""
    name = service.delete_application(db.session(), application_id)
    flash(f"“{name}” removed from the application portfolio.", "success")
    return redirect(url_for("operating.applications", workspace_id=workspace.id), 303)
