"""The workspace history page: the audit trail, filterable by person and entity."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import history
from workbench.web.context import workspace_view
from workbench.web.forms import clean_text, parse_id

blueprint = Blueprint("history", __name__)


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


@blueprint.route("/workspaces/<id:workspace_id>/history")
@workspace_view()
def index(workspace: Workspace, role: Role) -> str:
    """List changes, newest first."""
    entity = clean_text(request.args.get("entity", ""))[:60] or None
    page = history.history_page(
        db.session(), user_id=_int_arg("person"), entity=entity, page=_int_arg("page") or 1
    )
    return render_template(
        "history/index.html",
        page=page,
        selected_person=_int_arg("person"),
        selected_entity=entity or "",
    )
