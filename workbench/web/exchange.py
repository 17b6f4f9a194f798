"""Exchange pages: downloads of every registered export, JSON restore, workbook import."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import HiddenField

from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.registry import EXPORTERS, export_filename, run_export
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import exchange as exchange_service
from workbench.services import exchange_workbook
from workbench.services.access import Action
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import FlaskForm, line_field

blueprint = Blueprint("exchange", __name__)
W = "/workspaces/<id:workspace_id>"


class RestoreForm(FlaskForm):
    """A JSON backup to restore as a new workspace."""

    upload = FileField("Backup file (.json)")
    name = line_field("Name of the new workspace", max_length=120, required=False)


class WorkbookForm(FlaskForm):
    """An edited workbook to preview, or a previewed one to apply."""

    upload = FileField("Workbook (.xlsx)")
    payload = HiddenField()
    expected = HiddenField()


def _limit() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"])


def _uploaded(form: Any, suffix: str, label: str) -> bytes | str:
    """Return the uploaded bytes, or a message saying what is wrong with the upload."""
    upload = request.files.get("upload")
    if upload is None or not upload.filename:
        return f"Choose the {label} to upload."
    if not upload.filename.lower().endswith(suffix):
        return f"That is not a {label}: choose a file ending in {suffix}."
    raw = upload.read(_limit() + 1)
    if len(raw) > _limit():
        return f"The file is larger than {_limit() // (1024 * 1024)} MB."
    return raw


def _exchange_page(
    workspace: Workspace, role: Role, status: int = 200, **values: Any
) -> tuple[str, int]:
    return render_template(
        "exchange/index.html",
        exporters=[(name, exporter) for name, exporter in EXPORTERS.items()],
        restore_form=values.pop("restore_form", None) or RestoreForm(formdata=None),
        workbook_form=values.pop("workbook_form", None) or WorkbookForm(formdata=None),
        can_edit=can_edit(role),
        limit_mb=_limit() // (1024 * 1024),
        **values,
    ), status


@blueprint.route(f"{W}/exchange", methods=["GET"])
@workspace_view(read=Action.DOWNLOAD)
def index(workspace: Workspace, role: Role) -> tuple[str, int]:
    """Downloads in every format, the restore upload and the workbook import."""
    return _exchange_page(workspace, role)


@blueprint.route(f"{W}/export/<format_name>", methods=["GET"])
@workspace_view(read=Action.DOWNLOAD)
def download(workspace: Workspace, role: Role, format_name: str) -> Response:
    """Download the workspace in one registered format."""
    if format_name not in EXPORTERS:
        abort(404)
    exporter = EXPORTERS[format_name]
    response = make_response(run_export(db.session, workspace, format_name))
    response.headers["Content-Type"] = exporter.mimetype
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export_filename(workspace, format_name)}"'
    )
    return response


@blueprint.route(f"{W}/exchange/workbook", methods=["POST"])
@workspace_view(read=Action.DOWNLOAD, write=Action.EDIT)
def workbook(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Preview what an edited workbook would change, or apply a previewed one."""
    form = WorkbookForm()
    if not form.validate_on_submit():
        return _exchange_page(workspace, role, 400, workbook_form=form)
    raw: bytes | str
    if form.payload.data and not (request.files.get("upload") and request.files["upload"].filename):
        try:
            raw = base64.b64decode(form.payload.data, validate=True)
        except (binascii.Error, ValueError):
            raw = "The previewed file did not come back intact; upload it again."
    else:
        raw = _uploaded(form, ".xlsx", "workbook (.xlsx)")
    if isinstance(raw, str):
        return _exchange_page(workspace, role, 400, workbook_form=form, workbook_problems=[raw])
    applying = request.form.get("action") == "apply"
    try:
        if applying:
            plan = exchange_workbook.apply_import(
                db.session, raw, _limit(), form.expected.data or ""
            )
        else:
            plan = exchange_workbook.plan_import(db.session, raw, _limit())
    except ExchangeRefusedError as refused:
        db.session.rollback()
        return _exchange_page(
            workspace, role, 400, workbook_form=form, workbook_problems=refused.problems
        )
    if applying and not plan.problems:
        db.session.commit()
        added, changed, removed = plan.counts()
        flash(
            f"Workbook applied: {added} rows added, {changed} changed, {removed} removed.",
            "success",
        )
        return redirect(url_for("exchange.index", workspace_id=workspace.id), 303)
    db.session.rollback()
    status = 200 if not plan.problems else (409 if applying else 400)
    # Small enough files travel back with the preview, so applying needs no second upload.
    fits = len(raw) * 4 // 3 + 4096 < int(current_app.config["MAX_FORM_MEMORY_SIZE"])
    payload = base64.b64encode(raw).decode() if fits else ""
    return render_template(
        "exchange/preview.html", plan=plan, payload=payload, form=WorkbookForm(formdata=None)
    ), status


@blueprint.route("/workspaces/restore", methods=["GET", "POST"])
@login_required
def restore() -> Response | tuple[str, int]:
    """Restore a JSON backup as a new workspace that the user facilitates."""
    form = RestoreForm()
    problems: list[str] = []
    if request.method == "POST":
        if form.validate_on_submit():
            raw = _uploaded(form, ".json", "backup file (.json)")
            if isinstance(raw, str):
                problems = [raw]
            else:
                try:
                    checked = backup.load(raw, _limit())
                    report = exchange_service.restore(
                        db.session, current_user, checked, form.name.data
                    )
                except ExchangeRefusedError as refused:
                    db.session.rollback()
                    problems = refused.problems
                else:
                    db.session.commit()
                    message = f"Backup restored as a new workspace: {report.rows} rows."
                    if report.skipped_answers:
                        message += (
                            f" {report.skipped_answers} questionnaire answers were left out: "
                            "their respondents have no account here."
                        )
                    flash(message, "success")
                    return redirect(
                        url_for("workspaces.overview", workspace_id=report.workspace_id), 303
                    )
        status = 400
    else:
        status = 200
    return render_template(
        "exchange/restore.html", form=form, problems=problems, limit_mb=_limit() // (1024 * 1024)
    ), status
