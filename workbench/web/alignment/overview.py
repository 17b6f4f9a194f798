"""Phase 2 analysis pages: the alignment matrices, the gap analysis, the graph and the roadmap."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Contribution, Role, Workspace
from workbench.models.catalogue.shared import DEPARTMENT_MAX
from workbench.services import alignment_views, approach_decision
from workbench.services import approach as approach_service
from workbench.services import matrix as matrix_service
from workbench.services import plan as plan_service
from workbench.services import roadmap as roadmap_service
from workbench.services.currency import workspace_currency
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.alignment.blueprint import blueprint
from workbench.web.alignment.forms import STATUS_CHOICES
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import clean_text, parse_id, refused
from workbench.web.htmx import is_htmx

CELL = re.compile(r"c-(\d{1,9})-(\d{1,9})")
TICK = re.compile(r"p-(\d{1,9})-(\d{1,9})")
CONTRIBUTIONS = [("none", "—"), *[(c.value, c.value.capitalize()) for c in Contribution]]


def _ticks(name: str) -> set[tuple[int, int]]:
    """Read the posted principle cells named `name` as (initiative id, principle id) pairs."""
    found = (TICK.fullmatch(value) for value in request.form.getlist(name))
    return {(int(m.group(1)), int(m.group(2))) for m in found if m}


def _filters() -> tuple[str, str]:
    department = clean_text(request.args.get("department", ""))[:DEPARTMENT_MAX]
    status = request.args.get("status", "")
    return department, status if status in dict(STATUS_CHOICES) else ""


def _matrix_page(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    department, state = _filters()
    return render_template(
        template,
        departments=plan_service.departments(db.session()),
        statuses=STATUS_CHOICES,
        selected_department=department,
        selected_status=state,
        contributions=CONTRIBUTIONS,
        **context,
    ), status


@blueprint.route("/matrix", methods=["GET", "POST"])
@workspace_view()
def matrix(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Initiatives x objectives: the contribution of each initiative to each objective."""
    department, state = _filters()
    submitted: dict[tuple[int, int], str] = {}
    message = None
    status = 200
    if request.method == "POST":
        changes = []
        for name, value in request.form.items():
            found = CELL.fullmatch(name)
            if not found:
                continue
            iid, oid = int(found.group(1)), int(found.group(2))
            version = (
                parse_id(request.form.get(f"v-{iid}-{oid}"))
                if request.form.get(f"v-{iid}-{oid}") != "0"
                else 0
            )
            try:
                contribution = matrix_service.parse_contribution(value)
            except ServiceError as error:
                message, status = error.message, 400
                break
            if version is None:
                message, status = "This form is incomplete. Reload the page.", 400
                break
            submitted[(iid, oid)] = value
            changes.append(matrix_service.CellChange(iid, oid, contribution, version))
        if status == 200:
            try:
                saved = matrix_service.save_cells(db.session(), changes)
            except StaleEditError as stale:
                status = refused(stale, None, StaleEditError)
                message = (
                    "Someone changed some of these cells while you were editing: "
                    + ", ".join(f"{name} is now {value}" for name, value in stale.stored.items())
                    + ". Nothing was saved; your choices are kept below, check them and save "
                    "again."
                )
            else:
                flash(f"{saved} cell{'s' if saved != 1 else ''} saved.", "success")
                return redirect(
                    url_for(
                        "alignment.matrix",
                        workspace_id=workspace.id,
                        department=department or None,
                        status=state or None,
                    ),
                    303,
                )
    data = matrix_service.objective_matrix(db.session(), department, state)
    return _matrix_page(
        "alignment/matrix.html",
        status,
        data=data,
        submitted=submitted,
        message=message,
        can_edit=can_edit(role),
    )


@blueprint.route("/matrix/cell", methods=["POST"])
@workspace_view()
def matrix_cell(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Save one cell (htmx); answers the refreshed cell, or 409 when it changed meanwhile."""
    iid = parse_id(request.form.get("initiative_id"))
    oid = parse_id(request.form.get("objective_id"))
    if iid is None or oid is None:
        raise ServiceError("This cell could not be read. Reload the page.")
    # The cell's own fields, as named in the whole-matrix form, or plain names.
    raw_version = request.form.get("version", request.form.get(f"v-{iid}-{oid}"))
    version = 0 if raw_version == "0" else parse_id(raw_version)
    if version is None:
        raise ServiceError("This cell could not be read. Reload the page.")
    contribution = matrix_service.parse_contribution(
        request.form.get("contribution", request.form.get(f"c-{iid}-{oid}", ""))
    )
    link = matrix_service.set_contribution(db.session(), iid, oid, contribution, version)
    if not is_htmx():
        return redirect(url_for("alignment.matrix", workspace_id=workspace.id), 303)
    cell = matrix_service.Cell(link.contribution if link else None, link.version if link else 0)
    return render_template(
        "alignment/_cell.html",
        iid=iid,
        oid=oid,
        cell=cell,
        contributions=CONTRIBUTIONS,
        can_edit=True,
        saved=True,
    ), 200


@blueprint.route("/principles", methods=["GET", "POST"])
@workspace_view()
def principles(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Initiatives x TQM principles: tick the principles each initiative applies."""
    department, state = _filters()
    message = None
    status = 200
    if request.method == "POST":
        loaded = _ticks("was")
        wanted = _ticks("tick")
        shown = _ticks("cell")
        try:
            for iid, pid in sorted(shown):
                applied, was = (iid, pid) in wanted, (iid, pid) in loaded
                if applied != was:
                    matrix_service.set_principle(db.session(), iid, pid, applied, was)
        except StaleEditError as stale:
            status = refused(stale, None, StaleEditError)
            message = (
                "Someone changed ticks in this matrix while you were editing. Nothing was "
                "saved; the current ticks are shown. Make your changes again."
            )
        else:
            flash("Principles saved.", "success")
            return redirect(
                url_for(
                    "alignment.principles",
                    workspace_id=workspace.id,
                    department=department or None,
                    status=state or None,
                ),
                303,
            )
    data = matrix_service.principle_matrix(db.session(), department, state)
    return _matrix_page(
        "alignment/principles.html",
        status,
        data=data,
        message=message,
        can_edit=can_edit(role),
    )


@blueprint.route("/principles/cell", methods=["POST"])
@workspace_view()
def principle_cell(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Tick or untick one principle cell (htmx)."""
    iid = parse_id(request.form.get("initiative_id"))
    pid = parse_id(request.form.get("principle_id"))
    if iid is None or pid is None:
        raise ServiceError("This cell could not be read. Reload the page.")
    applied = request.form.get("applied") == "1"
    was = request.form.get("was") == "1"
    matrix_service.set_principle(db.session(), iid, pid, applied, was)
    if not is_htmx():
        return redirect(url_for("alignment.principles", workspace_id=workspace.id), 303)
    return render_template(
        "alignment/_tick.html",
        iid=iid,
        pid=pid,
        ticked=applied,
        can_edit=True,
        saved=True,
    ), 200


def _node_link(workspace_id: int) -> Callable[[str, int], str]:
    def link(kind: str, node_id: int) -> str:
        if kind == "initiative":
            return url_for(
                "alignment.edit_initiative", workspace_id=workspace_id, initiative_id=node_id
            )
        if kind == "objective":
            return url_for(
                "alignment.edit_objective", workspace_id=workspace_id, objective_id=node_id
            )
        if kind == "factor":
            return url_for("assessment.edit_factor", workspace_id=workspace_id, factor_id=node_id)
        return url_for("alignment.principles", workspace_id=workspace_id)

    return link


@blueprint.route("/")
@workspace_view()
def overview(workspace: Workspace, role: Role) -> str:
    """The alignment score with its formula, the gaps with links to fix them, the budget."""
    session = db.session()
    view = alignment_views.alignment(session)
    currency = workspace_currency(session)
    approach = approach_service.page(session, view.data, currency)
    return render_template(
        "alignment/overview.html",
        view=view,
        report=view.report,
        approach=approach,
        decision=approach_decision.decision_of(workspace, approach.balance),
        can_edit=can_edit(role),
    )


@blueprint.route("/graph")
@workspace_view()
def graph(workspace: Workspace, role: Role) -> str:
    """The layered alignment graph."""
    view = alignment_views.alignment(db.session())
    svg = alignment_views.graph_svg(view, _node_link(workspace.id))
    return render_template("alignment/graph.html", svg=Markup(svg), report=view.report)


@blueprint.route("/roadmap")
@workspace_view()
def roadmap(workspace: Workspace, role: Role) -> str:
    """Waves of work, delivery flags, the critical path with slack, and the roadmap chart."""
    session = db.session()
    view = alignment_views.alignment(session)
    plan = roadmap_service.roadmap(view, date.today(), workspace_currency(session))
    return render_template(
        "alignment/roadmap.html",
        view=view,
        plan=plan,
        chart=Markup(plan.chart_svg) if plan.chart_svg else None,
        initiatives={i.id: i for i in view.data.initiatives},
    )
