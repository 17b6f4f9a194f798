"""Workspaces: list, create, overview, phase guides, corporate strategy, settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from workbench.analysis.progress import progress_of
from workbench.extensions import db
from workbench.models import STRATEGY_FIELDS, Role, Workspace
from workbench.models.catalogue.workspace import WORKSPACE
from workbench.services import progress, roadmap, scorecards, workspaces
from workbench.services.access import Action
from workbench.services.currency import workspace_currency
from workbench.services.errors import ServiceError
from workbench.web import branding as branding_web
from workbench.web import two_factor as two_factor_web
from workbench.web.context import can_edit, workspace_view
from workbench.web.form_fields import form_field
from workbench.web.forms import (
    FlaskForm,
    VersionedForm,
    line_field,
    refused,
)

blueprint = Blueprint("workspaces", __name__, url_prefix="/workspaces")

STRATEGY_LABELS = {
    "purpose": ("Purpose", "Why the organisation exists, beyond making money."),
    "vision": ("Vision", "What the organisation wants to become."),
    "mission": ("Mission", "What it does, for whom, and how."),
    "values": ("Values", "The beliefs that guide behaviour; one per line."),
    "corporate_goals": (
        "Corporate goals",
        "The goals of the corporate strategy; one per line. "
        "Phase 2 objectives are drawn from them.",
    ),
    "current_state": ("Current state", "How service failures and complaints are handled today."),
    "future_state": ("Future state", "How they should be handled once the strategy is in place."),
    "analyst_perspective": (
        "Analyst's perspective",
        "Opens the storyboard: what the analysis found, in your words. Left empty, the "
        "storyboard writes it from the data.",
    ),
    "executive_summary": (
        "Executive summary",
        "The challenge, the obstacles and the approach for executives. Left empty, the "
        "storyboard writes it from the data.",
    ),
}


class WorkspaceForm(FlaskForm):
    """A new workspace."""

    name = form_field(WORKSPACE.field("name"))
    industry = form_field(WORKSPACE.field("industry"))


class DetailsForm(VersionedForm):
    """Rename a workspace."""

    name = form_field(WORKSPACE.field("name"))
    industry = form_field(WORKSPACE.field("industry"))


class StrategyForm(VersionedForm):
    """The corporate strategy texts."""

    purpose = form_field(WORKSPACE.field("purpose"))
    vision = form_field(WORKSPACE.field("vision"))
    mission = form_field(WORKSPACE.field("mission"))
    values = form_field(WORKSPACE.field("values"))
    corporate_goals = form_field(WORKSPACE.field("corporate_goals"))
    current_state = form_field(WORKSPACE.field("current_state"))
    future_state = form_field(WORKSPACE.field("future_state"))
    analyst_perspective = form_field(WORKSPACE.field("analyst_perspective"))
    executive_summary = form_field(WORKSPACE.field("executive_summary"))


class DeleteForm(FlaskForm):
    """Type the name to delete."""

    confirm_name = line_field(
        "Type the workspace name to confirm",
        max_length=120,
        required_message="Type the workspace name to confirm the deletion.",
    )


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def index() -> BaseResponse | tuple[str, int]:
    """List the user's workspaces and create a new one."""
    form = WorkspaceForm()
    status = 200
    if form.validate_on_submit():
        try:
            workspace = workspaces.create_workspace(
                db.session(), current_user, form.name.data, form.industry.data or ""
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            flash(
                f"Workspace “{workspace.name}” created. Start with the corporate strategy.",
                "success",
            )
            return redirect(url_for("workspaces.strategy", workspace_id=workspace.id))
    elif request.method == "POST":
        status = 400
    summaries = workspaces.list_workspaces_for(db.session(), current_user)
    return render_template("workspaces/index.html", form=form, workspaces=summaries), status


@blueprint.route("/<id:workspace_id>/")
@workspace_view()
def overview(workspace: Workspace, role: Role) -> str:
    """The workspace dashboard: progress through the four phases and delivery at a glance."""
    results = progress.phase_progress(db.session(), workspace)
    phases = [
        {
            "key": phase.key,
            "number": phase.number,
            "title": phase.title,
            "question": phase.question,
            "progress": results[phase.key],
        }
        for phase in progress.PHASES
    ]
    session = db.session()
    return render_template(
        "workspaces/overview.html",
        workspace_name=workspace.name,
        industry=workspace.industry,
        phases=phases,
        overall=results["overall"],
        delivery=roadmap.delivery_panel(session, date.today(), workspace_currency(session)),
        scorecard=scorecards.status_panel(scorecards.cards(session, date.today())),
        labels=scorecards.STATUS_LABELS,
    )


@blueprint.route("/<id:workspace_id>/phases/<phase_key>")
@workspace_view()
def phase(workspace: Workspace, role: Role, phase_key: str) -> str:
    """A phase guide: its question, what it needs, and what is already there."""
    found = progress.phase_by_key(phase_key)
    if found is None:
        abort(404)
    checks = progress.phase_checks(db.session(), workspace, found)
    return render_template(
        "workspaces/phase.html",
        phase=found,
        checks=checks,
        progress=progress_of(checks),
    )


@blueprint.route("/<id:workspace_id>/strategy", methods=["GET", "POST"])
@workspace_view()
def strategy(workspace: Workspace, role: Role) -> BaseResponse | tuple[str, int]:
    """The corporate strategy page."""
    form = StrategyForm()
    status = 200
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in STRATEGY_FIELDS}
        try:
            changed = workspaces.update_strategy(
                db.session(), workspace, form.loaded_version(), values
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            flash("Corporate strategy saved." if changed else "Nothing had changed.", "success")
            return redirect(url_for("workspaces.strategy", workspace_id=workspace.id))
    elif request.method == "POST":
        status = 400
    else:
        form.process(data={**workspaces.strategy_values(workspace), "version": workspace.version})
    return render_template(
        "workspaces/strategy.html",
        form=form,
        labels=STRATEGY_LABELS,
        fields=STRATEGY_FIELDS,
        can_edit=can_edit(role),
        values=workspaces.strategy_values(workspace),
    ), status


@blueprint.route("/<id:workspace_id>/settings", methods=["GET", "POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def settings(workspace: Workspace, role: Role) -> BaseResponse | tuple[str, int]:
    """Rename the workspace; its two-factor rule and branding have forms of their own."""
    form = DetailsForm()
    status = 200
    if form.validate_on_submit():
        try:
            workspaces.update_details(
                db.session(),
                workspace,
                form.loaded_version(),
                form.name.data,
                form.industry.data or "",
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            flash("Workspace details saved.", "success")
            return redirect(url_for("workspaces.settings", workspace_id=workspace.id))
    elif request.method == "POST":
        status = 400
    else:
        form.process(
            data={
                "name": workspace.name,
                "industry": workspace.industry,
                "version": workspace.version,
            }
        )
    return render_template(
        "workspaces/settings.html",
        form=form,
        delete_form=DeleteForm(formdata=None),
        workspace_name=workspace.name,
        **two_factor_web.settings_values(workspace),
        **branding_web.settings_values(),
    ), status


@blueprint.route("/<id:workspace_id>/delete", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def delete(workspace: Workspace, role: Role) -> BaseResponse | tuple[str, int]:
    """Delete the workspace after the name is typed."""
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            name = workspace.name
            workspaces.delete_workspace(db.session(), workspace, form.confirm_name.data)
        except ServiceError as error:
            refused(error, form)
        else:
            flash(f"Workspace “{name}” and everything in it was deleted.", "success")
            return redirect(url_for("workspaces.index"))
    details = DetailsForm(
        formdata=None,
        data={"name": workspace.name, "industry": workspace.industry, "version": workspace.version},
    )
    return render_template(
        "workspaces/settings.html",
        form=details,
        delete_form=form,
        workspace_name=workspace.name,
        **two_factor_web.settings_values(workspace),
        **branding_web.settings_values(),
    ), 400
