"""Phase 4's recovery economics: what recovering a complaint is worth, from the team's figures."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from workbench.analysis import economics as model
from workbench.charts.finance import cash_flow_chart, tornado_chart
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import applications as application_service
from workbench.services import business_case
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
    case = business_case.build_view(db.session())
    view = case.economics
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
            formdata=None,
            data=economics_form_data(
                view.inputs,
                economics_service.current_settings(db.session()),
                view.version,
                view.currency,
            ),
        )
    return render_template(
        "metrics/economics.html",
        form=form,
        view=view,
        case=case,
        cash_flow_chart=Markup(
            cash_flow_chart(
                [row.year for row in case.case.years],
                [row.net for row in case.case.years],
                [row.cumulative_net for row in case.case.years],
                view.currency,
            ).render()
        ),
        tornado_chart=Markup(
            tornado_chart(
                [case.labels[swing.name] for swing in case.swings],
                case.case.npv,
                [swing.npv_at_low for swing in case.swings],
                [swing.npv_at_high for swing in case.swings],
                view.currency,
            ).render()
        ),
        inputs=view.inputs,
        result=view.result,
        costs=view.costs,
        portfolio=application_service.annual_cost(db.session()),
        currency=view.currency,
        sources=model.SOURCES,
        background=model.BACKGROUND,
        saved=view.saved,
        can_edit=can_edit(role),
    ), status
