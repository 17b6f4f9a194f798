"""The risk register: the table, the heat map and the gaps; add, edit and delete a risk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from workbench.analysis.risks import BANDS_SENTENCE, IMPACT_WORDS, LIKELIHOOD_WORDS
from workbench.charts.risk_map import risk_map_svg
from workbench.extensions import db
from workbench.models import Risk, Role, Workspace
from workbench.services import initiatives as initiative_service
from workbench.services import risk_views as views
from workbench.services import risks as service
from workbench.services.errors import ServiceError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.alignment.risk_forms import (
    STATUS_CHOICES,
    NewRiskForm,
    RiskForm,
    risk_data,
    risk_values,
)
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused


def _heat_map(counts: tuple[tuple[int, ...], ...]) -> Markup:
    # Our own drawing: every text in it is escaped where it is written.
    return Markup(
        risk_map_svg(
            counts,
            "Risk heat map: open, mitigating and accepted risks by likelihood and impact",
            [LIKELIHOOD_WORDS[n] for n in range(1, 6)],
            [IMPACT_WORDS[n] for n in range(1, 6)],
        )
    )


@blueprint.route("/risks")
@workspace_view()
def risks(workspace: Workspace, role: Role) -> str:
    """The register by score, filtered by status, with the heat map and the gaps."""
    data = views.register(db.session(), date.today())
    wanted = request.args.get("status", "")
    if wanted not in {value for value, _label in STATUS_CHOICES}:
        wanted = ""
    shown = [line for line in data.lines if not wanted or line.status == wanted]
    return render_template(
        "alignment/risks.html",
        register=data,
        lines=shown,
        status=wanted,
        statuses=STATUS_CHOICES,
        heat_map=_heat_map(data.heat_map),
        bands=BANDS_SENTENCE,
        can_edit=can_edit(role),
    )


def _chosen(name: str) -> set[int] | None:
    ids = {parse_id(v) for v in request.form.getlist(name)}
    return None if None in ids else {i for i in ids if i}


def _risk_page(
    form: Any, risk: Risk | None, factors: set[int], initiatives: set[int], status: int = 200
) -> tuple[str, int]:
    return render_template(
        "alignment/risk_edit.html",
        form=form,
        risk=risk,
        chosen_factors=factors,
        chosen_initiatives=initiatives,
        barriers=service.barriers(db.session()),
        initiatives=initiative_service.list_initiatives(db.session()),
    ), status


def _posted(form: Any) -> tuple[set[int], set[int], bool]:
    """The posted barrier and initiative ids, and whether they and the form are valid."""
    factors, initiatives = _chosen("factor"), _chosen("initiative")
    valid = form.validate_on_submit()
    if factors is None or initiatives is None:
        form.form_errors.append("A chosen barrier or initiative was not recognised; choose again.")
        return factors or set(), initiatives or set(), False
    return factors, initiatives, bool(valid)


@blueprint.route("/risks/new", methods=["GET", "POST"])
@workspace_view()
def new_risk(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add a risk with the barriers it comes from and the initiatives that mitigate it."""
    if request.method == "POST":
        form = NewRiskForm()
        factors, initiatives, valid = _posted(form)
        if valid:
            try:
                row = service.create_risk(db.session(), risk_values(form), factors, initiatives)
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"“{row.title}” added to the risk register.", "success")
                return redirect(url_for("alignment.risks", workspace_id=workspace.id), 303)
        return _risk_page(form, None, factors, initiatives, 400)
    return _risk_page(NewRiskForm(formdata=None), None, set(), set())


@blueprint.route("/risks/<id:risk_id>", methods=["GET", "POST"])
@workspace_view()
def edit_risk(workspace: Workspace, role: Role, risk_id: int) -> Response | tuple[str, int]:
    """Edit a risk; a save over someone else's change of the same field shows the conflict."""
    row = service.get_risk(db.session(), risk_id)
    if request.method == "POST":
        form = RiskForm()
        factors, initiatives, valid = _posted(form)
        if valid:
            try:
                service.update_risk(
                    db.session(),
                    risk_id,
                    form.loaded_version(),
                    risk_values(form),
                    factors,
                    initiatives,
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Risk saved.", "success")
                return redirect(
                    url_for("alignment.risks", workspace_id=workspace.id) + f"#risk-{risk_id}",
                    303,
                )
        return _risk_page(form, row, factors, initiatives, 400)
    factors, initiatives = service.linked_ids(db.session(), risk_id)
    form = RiskForm(formdata=None, data=risk_data(row))
    return _risk_page(form, row, factors, initiatives)


@blueprint.route("/risks/<id:risk_id>/delete", methods=["POST"])
@workspace_view()
def delete_risk(workspace: Workspace, role: Role, risk_id: int) -> Response:
    """Delete a risk after confirmation."""
    title = service.delete_risk(db.session(), risk_id)
    flash(f"“{title}” removed from the risk register.", "success")
    return redirect(url_for("alignment.risks", workspace_id=workspace.id), 303)
