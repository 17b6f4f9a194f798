"""Phase 4 pages: scorecards, metrics with goals and measurements, the library."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Metric, Role, Workspace
from workbench.models.catalogue.shared import DEPARTMENT_MAX
from workbench.models.metrics import rollup_rule
from workbench.services import board_packs, feed_runs, scorecards, site_views
from workbench.services import departments as department_service
from workbench.services import metrics as metric_service
from workbench.services import objectives as objective_service
from workbench.services import sites as site_service
from workbench.services.currency import workspace_currency
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.context import can_edit, department_name, workspace_view
from workbench.web.forms import clean_text, parse_id, refused
from workbench.web.metrics.blueprint import blueprint
from workbench.web.metrics.forms import (
    GoalForm,
    MeasurementForm,
    MetricForm,
    NewMetricForm,
    PasteForm,
    goal_values,
    metric_values,
)

UPLOAD_MAX = 1024 * 1024
# A posted choice that is not a known id (someone edited the page): refused, not guessed.
UNRECOGNISED = "The chosen {} was not recognised; choose again."


def _posted_id(name: str) -> tuple[int | None, bool]:
    """The id posted under `name` (empty is none), and whether it was readable."""
    raw = (request.form.get(name) or "").strip()
    value = parse_id(raw) if raw else None
    return value, not raw or value is not None


def _with_weight(form: Any) -> dict[str, Any] | None:
    """The metric form's values with the chosen volume metric; None if either is invalid."""
    valid = form.validate_on_submit()
    weight, readable = _posted_id("rollup_weight_metric_id")
    if not readable:
        form.form_errors.append(UNRECOGNISED.format("volume metric"))
    if not valid or not readable:
        return None
    return metric_values(form) | {"rollup_weight_metric_id": weight}


@blueprint.route("/")
@workspace_view()
def index(workspace: Workspace, role: Role) -> str:
    """The workspace scorecard: every department's metrics and their status."""
    all_cards = scorecards.cards(db.session(), date.today())
    return render_template(
        "metrics/index.html",
        departments=scorecards.by_department(all_cards, department_service.names(db.session())),
        total=len(all_cards),
        labels=scorecards.STATUS_LABELS,
        can_edit=can_edit(role),
        panel=board_packs.commentary_panel(db.session(), "metrics"),
        back="metrics",
    )


@blueprint.route("/library", methods=["GET", "POST"])
@workspace_view()
def library(workspace: Workspace, role: Role) -> Response | str:
    """The metric library: adopt a metric for a department."""
    if request.method == "POST":
        key = (request.form.get("template_key") or "")[:60]
        department = clean_text(request.form.get("department") or "")[:DEPARTMENT_MAX]
        metric = metric_service.adopt_template(db.session(), key, department)
        flash(
            f"“{metric.name}” added for {department_name(metric.department, 'no department')}. "
            "Now set its goal.",
            "success",
        )
        return redirect(
            url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric.id) + "#goal", 303
        )
    adopted = {m.template_key for m in metric_service.list_metrics(db.session())}
    return render_template(
        "metrics/library.html",
        templates=metric_service.library(db.session()),
        adopted=adopted,
        can_edit=can_edit(role),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@workspace_view()
def new(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Define a custom metric."""
    form = NewMetricForm()
    status = 200
    if request.method == "POST":
        values = _with_weight(form)
        if values is not None:
            try:
                metric = metric_service.create_metric(db.session(), values)
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash(f"Metric “{metric.name}” created.", "success")
                return redirect(
                    url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric.id), 303
                )
        else:
            status = 400
    else:
        form = NewMetricForm(formdata=None)
    return render_template(
        "metrics/new.html",
        form=form,
        weight_choices=metric_service.list_metrics(db.session()),
        weight_id=None,
    ), status


def _metric_data(metric: Metric) -> dict[str, Any]:
    return {
        "name": metric.name,
        "definition": metric.definition,
        "unit": metric.unit,
        "direction": metric.direction.value,
        "min_value": metric.min_value,
        "max_value": metric.max_value,
        "frequency": metric.frequency,
        "owner": metric.owner,
        "department": metric.department,
        "rollup": rollup_rule(metric),
        "version": metric.version,
    }


def _detail_page(
    workspace: Workspace, role: Role, metric: Metric, status: int = 200, **forms: Any
) -> tuple[str, int]:
    goal = metric_service.goal_of(db.session(), metric.id)
    readings = metric_service.measurements_of(db.session(), metric.id)
    linked = metric_service.objective_ids(db.session(), metric.id)
    currency = workspace_currency(db.session())
    weights = (
        metric_service.measurements_of(db.session(), metric.rollup_weight_metric_id)
        if metric.rollup_weight_metric_id
        else []
    )
    card = scorecards.card_for(
        metric, goal, readings, len(linked), date.today(), currency, weights=weights
    )
    sites = site_service.list_sites(db.session())
    goal_data = {"version": goal.version if goal else 0}
    if goal:
        goal_data |= {
            name: getattr(goal, name)
            for name in ("baseline", "baseline_date", "target", "target_date", "rationale", "owner")
        }
    return render_template(
        "metrics/detail.html",
        metric=metric,
        card=card,
        labels=scorecards.STATUS_LABELS,
        trend=scorecards.trend_uri(
            card, date.today(), scorecards.chart_currency(db.session(), [card])
        ),
        objectives=objective_service.list_objectives(db.session()),
        linked=linked,
        objectives_token=metric_service.objectives_token(linked),
        form=forms.get("form") or MetricForm(formdata=None, data=_metric_data(metric)),
        goal_form=forms.get("goal_form") or GoalForm(formdata=None, data=goal_data),
        one_form=forms.get("one_form") or MeasurementForm(formdata=None),
        paste_form=forms.get("paste_form") or PasteForm(formdata=None),
        problems=forms.get("problems", ()),
        notice=forms.get("notice"),
        can_edit=can_edit(role),
        feed=feed_runs.summary(db.session(), metric.id),
        by_site=site_views.for_metric(db.session(), metric, goal, date.today(), currency),
        sites=sites,
        site_names={site.id: site.name for site in sites},
        chosen_site=forms.get("chosen_site"),
        weight_choices=[m for m in metric_service.list_metrics(db.session()) if m.id != metric.id],
        weight_id=forms.get("weight_id", metric.rollup_weight_metric_id),
    ), status


@blueprint.route("/<id:metric_id>", methods=["GET", "POST"])
@workspace_view()
def detail(workspace: Workspace, role: Role, metric_id: int) -> Response | tuple[str, int]:
    """A metric: its definition, objectives, goal with SMART check, status, trend, readings."""
    metric = metric_service.get_metric(db.session(), metric_id)
    if request.method == "GET":
        return _detail_page(workspace, role, metric)
    form = MetricForm()
    values = _with_weight(form)
    if values is not None:
        try:
            metric_service.update_metric(db.session(), metric_id, form.loaded_version(), values)
        except ServiceError as error:
            refused(error, form)
        else:
            flash("Metric saved.", "success")
            return redirect(
                url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id), 303
            )
    return _detail_page(
        workspace, role, metric, 400, form=form, weight_id=_posted_id("rollup_weight_metric_id")[0]
    )


@blueprint.route("/<id:metric_id>/objectives", methods=["POST"])
@workspace_view()
def objectives(workspace: Workspace, role: Role, metric_id: int) -> Response | tuple[str, int]:
    """Replace the objectives a metric evidences."""
    metric = metric_service.get_metric(db.session(), metric_id)
    wanted = {parse_id(v) for v in request.form.getlist("objective")}
    if None in wanted:
        return _detail_page(
            workspace,
            role,
            metric,
            400,
            notice="Some choices were not understood. Reload the page.",
        )
    try:
        metric_service.set_objectives(
            db.session(), metric_id, request.form.get("token", ""), {i for i in wanted if i}
        )
    except StaleEditError as stale:
        return _detail_page(
            workspace,
            role,
            metric,
            refused(stale, None, StaleEditError),
            notice=(
                "Someone changed this metric's objectives while you were editing; the current "
                "ones are shown. Tick your changes again."
            ),
        )
    flash("Objectives saved.", "success")
    return redirect(
        url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id) + "#objectives",
        303,
    )


@blueprint.route("/<id:metric_id>/goal", methods=["POST"])
@workspace_view()
def goal(workspace: Workspace, role: Role, metric_id: int) -> Response | tuple[str, int]:
    """Set or change the metric's goal."""
    metric = metric_service.get_metric(db.session(), metric_id)
    form = GoalForm()
    if form.validate_on_submit():
        try:
            metric_service.save_goal(
                db.session(), metric_id, form.loaded_version(), goal_values(form)
            )
        except ServiceError as error:
            refused(error, form)
        else:
            flash("Goal saved.", "success")
            return redirect(
                url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id) + "#goal",
                303,
            )
    return _detail_page(workspace, role, metric, 400, goal_form=form)


def _recorded(workspace: Workspace, metric_id: int, added: int) -> Response:
    flash(f"{added} measurement{'s' if added != 1 else ''} recorded.", "success")
    return redirect(
        url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id) + "#measurements",
        303,
    )


@blueprint.route("/<id:metric_id>/measurements", methods=["POST"])
@workspace_view()
def measurements(workspace: Workspace, role: Role, metric_id: int) -> Response | tuple[str, int]:
    """Record one measurement, many pasted lines or a CSV file: all lines or none."""
    metric = metric_service.get_metric(db.session(), metric_id)
    if request.form.get("mode", "one") != "one":
        return _import(workspace, role, metric)
    form = MeasurementForm()
    valid = form.validate_on_submit()
    site, readable = _posted_id("site_id")
    if not readable:
        form.form_errors.append(UNRECOGNISED.format("site"))
    if not valid or not readable:
        return _detail_page(workspace, role, metric, 400, one_form=form, chosen_site=site)
    try:
        metric_service.record_measurement(
            db.session(),
            metric_id,
            form.measured_on.data,
            form.value.data,
            form.note.data,
            date.today(),
            site_id=site,
        )
    except ServiceError as error:
        status = refused(error, form)
        return _detail_page(workspace, role, metric, status, one_form=form, chosen_site=site)
    return _recorded(workspace, metric_id, 1)


def _import(workspace: Workspace, role: Role, metric: Metric) -> Response | tuple[str, int]:
    paste = PasteForm()
    if not paste.validate_on_submit():
        return _detail_page(workspace, role, metric, 400, paste_form=paste)
    text = paste.text.data or ""
    upload = request.files.get("upload")
    if upload is not None and upload.filename:
        raw = upload.read(UPLOAD_MAX + 1)
        problem = None
        if len(raw) > UPLOAD_MAX:
            problem = "The file is larger than 1 MB."
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                problem = "The file is not UTF-8 text; save it as CSV UTF-8."
        if problem:
            return _detail_page(workspace, role, metric, 400, paste_form=paste, problems=(problem,))
    try:
        added = metric_service.import_measurements(db.session(), metric.id, text)
    except metric_service.ImportRefusedError as refusal:
        status = refused(refusal)
        return _detail_page(
            workspace, role, metric, status, problems=refusal.problems, paste_form=paste
        )
    return _recorded(workspace, metric.id, added)


@blueprint.route("/<id:metric_id>/measurements/<id:measurement_id>/delete", methods=["POST"])
@workspace_view()
def delete_measurement(
    workspace: Workspace, role: Role, metric_id: int, measurement_id: int
) -> Response:
    """Delete one measurement after confirmation."""
    on = metric_service.delete_measurement(db.session(), metric_id, measurement_id)
    flash(f"Measurement of {on.isoformat()} deleted.", "success")
    return redirect(
        url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id) + "#measurements",
        303,
    )


@blueprint.route("/<id:metric_id>/delete", methods=["POST"])
@workspace_view()
def delete(workspace: Workspace, role: Role, metric_id: int) -> Response:
    """Delete a metric with its goal and measurements."""
    name = metric_service.delete_metric(db.session(), metric_id)
    flash(f"Metric “{name}” deleted.", "success")
    return redirect(url_for("metrics.index", workspace_id=workspace.id), 303)


@blueprint.route("/department")
@workspace_view()
def department(workspace: Workspace, role: Role) -> str:
    """One department's scorecard with each metric's trend."""
    name = clean_text(request.args.get("name", ""))[:DEPARTMENT_MAX]
    cards = scorecards.cards(db.session(), date.today(), department=name)
    currency = scorecards.chart_currency(db.session(), cards)
    return render_template(
        "metrics/department.html",
        name=name,
        cards=[(card, scorecards.trend_uri(card, date.today(), currency)) for card in cards],
        labels=scorecards.STATUS_LABELS,
    )
