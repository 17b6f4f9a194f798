"""Phase 4's recovery economics: what recovering a complaint is worth, from the team's figures."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis import economics as model
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import economics as economics_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import refused
from workbench.web.metrics.blueprint import blueprint
from workbench.web.metrics.forms import (
    EconomicsForm,
    economics_form_data,
    economics_values,
)


@blueprint.route("/economics", methods=["GET", "POST"])
@workspace_view()
def economics(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The recovery economics calculator with its cited defaults."""
    view = economics_service.view(db.session())
    status = 200
    if request.method == "POST":
        form = EconomicsForm()
        if form.validate_on_submit():
            try:
                economics_service.save_inputs(
                    db.session(), form.loaded_version(), economics_values(form), form.currency.data
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Economics inputs saved.", "success")
                return redirect(url_for("metrics.economics", workspace_id=workspace.id), 303)
        status = 400
    else:
        form = EconomicsForm(
            formdata=None, data=economics_form_data(view.inputs, view.version, view.currency)
        )
    return render_template(
        "metrics/economics.html",
        form=form,
        view=view,
        inputs=view.inputs,
        result=view.result,
        costs=view.costs,
        currency=view.currency,
        sources=model.SOURCES,
        background=model.BACKGROUND,
        saved=view.saved,
        can_edit=can_edit(role),
    ), status
