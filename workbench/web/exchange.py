"""Exchange pages: exports and workbook imports as jobs, direct downloads, JSON restore."""

from __future__ import annotations

import base64
import binascii
import re
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
from workbench.extensions import db
from workbench.models import JobKind, Role, Workspace
from workbench.models.catalogue.workspace import WORKSPACE
from workbench.services import exchange as exchange_service
from workbench.services import exchange_jobs, exchange_workbook, job_backends
from workbench.services.access import Action
from workbench.services.errors import ServiceError
from workbench.services.exchange_exports import EXPORTERS, export_filename, run_export
from workbench.web.context import can_edit, workspace_view
from workbench.web.form_fields import form_field
from workbench.web.forms import FlaskForm, refused
from workbench.web.unit_of_work import after_commit, dry_run

blueprint = Blueprint("exchange", __name__)
W = "/workspaces/<id:workspace_id>"


class RestoreForm(FlaskForm):
    """A JSON backup to restore as a new workspace."""

    upload = FileField("Backup file (.json)")
    name = form_field(WORKSPACE.field("name").but(required=False), "Name of the new workspace")


class ExportForm(FlaskForm):
    """An export to make: a registered format, or one register alone as CSV."""

    export_format = HiddenField()
    register = HiddenField()


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
        registers=exchange_jobs.register_choices(),
        recent=exchange_jobs.recent(db.session()),
        kept_days=exchange_jobs.kept_days(),
        can_edit=can_edit(role),
        limit_mb=_limit() // (1024 * 1024),
        **values,
    ), status


@blueprint.route(f"{W}/exchange", methods=["GET"])
@workspace_view(read=Action.DOWNLOAD)
def index(workspace: Workspace, role: Role) -> tuple[str, int]:
    """Exports in every format, the recent jobs, the restore upload and the workbook import."""
    return _exchange_page(workspace, role)


@blueprint.route(f"{W}/export/<format_name>", methods=["GET"])
@workspace_view(read=Action.DOWNLOAD)
def download(workspace: Workspace, role: Role, format_name: str) -> Response:
    """Download the workspace in one registered format at once (for scripts; pages use jobs)."""
    if format_name not in EXPORTERS:
        abort(404)
    exporter = EXPORTERS[format_name]
    response = make_response(run_export(db.session(), workspace, format_name))
    response.headers["Content-Type"] = exporter.mimetype
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export_filename(workspace, format_name)}"'
    )
    return response


def _started(workspace_id: int, job_id: int, endpoint: str, **ids: int) -> Response:
    # The app itself, not the request-bound proxy (Flask types current_app as the app).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: job_backends.start(app, workspace_id, job_id))
    values: dict[str, Any] = {"workspace_id": workspace_id, **ids}
    return redirect(url_for(endpoint, **values), 303)


@blueprint.route(f"{W}/exchange/exports", methods=["POST"])
@workspace_view(read=Action.DOWNLOAD, write=Action.DOWNLOAD)
def export(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Ask for an export; it is written in the background while its page shows progress."""
    form = ExportForm()
    if not form.validate_on_submit():
        return _exchange_page(workspace, role, 400, export_problem="Reload the page and try again.")
    try:
        job = exchange_jobs.request_export(
            db.session(), current_user.id, form.export_format.data or "", form.register.data or None
        )
    except ServiceError as error:
        return _exchange_page(workspace, role, refused(error), export_problem=error.message)
    return _started(workspace.id, job.id, "exchange.export_job", export_id=job.id)


def _job_page(kind: JobKind, job_id: int, role: Role, template: str) -> str:
    found = exchange_jobs.get_job(db.session(), job_id, kind)
    job = exchange_jobs.view(db.session(), found)
    key, workspace_id = job["kind"], found.workspace_id
    ids: dict[str, Any] = {"workspace_id": workspace_id, f"{key}_id": job_id}
    urls = {
        "status": url_for(f"exchange.{key}_status", **ids),
        "retry": url_for(f"exchange.{key}_retry", **ids),
        "download": url_for("exchange.export_download", **ids) if key == "export" else "",
        "exchange": url_for("exchange.index", workspace_id=workspace_id),
        "export": url_for("exchange.export", workspace_id=workspace_id),
    }
    can_retry = key == "export" or can_edit(role)
    return render_template(template, job=job, urls=urls, can_retry=can_retry)


def _retry(workspace: Workspace, kind: JobKind, job_id: int, endpoint: str, **ids: int) -> Response:
    exchange_jobs.retry(db.session(), job_id, kind)
    return _started(workspace.id, job_id, endpoint, **ids)


@blueprint.route(f"{W}/exchange/exports/<id:export_id>")
@workspace_view(read=Action.DOWNLOAD)
def export_job(workspace: Workspace, role: Role, export_id: int) -> str:
    """An export's progress, then its download; refreshes itself until it has finished."""
    return _job_page(exchange_jobs.EXPORT, export_id, role, "exchange/job.html")


@blueprint.route(f"{W}/exchange/exports/<id:export_id>/status")
@workspace_view(read=Action.DOWNLOAD)
def export_status(workspace: Workspace, role: Role, export_id: int) -> str:
    """The export's state as a fragment, polled by its page."""
    return _job_page(exchange_jobs.EXPORT, export_id, role, "exchange/_job_status.html")


@blueprint.route(f"{W}/exchange/exports/<id:export_id>/retry", methods=["POST"])
@workspace_view(read=Action.DOWNLOAD, write=Action.DOWNLOAD)
def export_retry(workspace: Workspace, role: Role, export_id: int) -> Response:
    """Queue a failed export again (also one whose worker stopped)."""
    return _retry(
        workspace, exchange_jobs.EXPORT, export_id, "exchange.export_job", export_id=export_id
    )


@blueprint.route(f"{W}/exchange/exports/<id:export_id>/download")
@workspace_view(read=Action.DOWNLOAD)
def export_download(workspace: Workspace, role: Role, export_id: int) -> Response:
    """The file a finished export wrote."""
    stored = exchange_jobs.result_file(db.session(), export_id)
    response = make_response(stored.content)
    response.headers["Content-Type"] = stored.media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    return response


@blueprint.route(f"{W}/exchange/imports/<id:import_id>")
@workspace_view(read=Action.DOWNLOAD)
def import_job(workspace: Workspace, role: Role, import_id: int) -> str:
    """A workbook import's progress, then what it changed or why it changed nothing."""
    return _job_page(exchange_jobs.WORKBOOK, import_id, role, "exchange/job.html")


@blueprint.route(f"{W}/exchange/imports/<id:import_id>/status")
@workspace_view(read=Action.DOWNLOAD)
def import_status(workspace: Workspace, role: Role, import_id: int) -> str:
    """The import's state as a fragment, polled by its page."""
    return _job_page(exchange_jobs.WORKBOOK, import_id, role, "exchange/_job_status.html")


@blueprint.route(f"{W}/exchange/imports/<id:import_id>/retry", methods=["POST"])
@workspace_view(read=Action.DOWNLOAD, write=Action.EDIT)
def import_retry(workspace: Workspace, role: Role, import_id: int) -> Response:
    """Run a failed import again from the stored workbook (refused if the workspace changed)."""
    return _retry(
        workspace, exchange_jobs.WORKBOOK, import_id, "exchange.import_job", import_id=import_id
    )


@blueprint.route(f"{W}/exchange/workbook", methods=["POST"])
@workspace_view(read=Action.DOWNLOAD, write=Action.EDIT)
def workbook(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Preview what an edited workbook would change, or apply a previewed one (as a job)."""
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
    if request.form.get("action") == "apply":
        expected = form.expected.data or ""
        if not re.fullmatch(r"[0-9a-f]{64}", expected):
            problems = ["Preview the workbook before applying it."]
            return _exchange_page(
                workspace, role, 400, workbook_form=form, workbook_problems=problems
            )
        job = exchange_jobs.request_workbook_import(db.session(), current_user.id, raw, expected)
        return _started(workspace.id, job.id, "exchange.import_job", import_id=job.id)
    try:
        # The preview applies the workbook to learn what it would change, then discards it.
        with dry_run():
            plan = exchange_workbook.plan_import(db.session(), raw, _limit())
    except ExchangeRefusedError as refusal:
        return _exchange_page(
            workspace, role, 400, workbook_form=form, workbook_problems=refusal.problems
        )
    # Small enough files travel back with the preview, so applying needs no second upload.
    fits = len(raw) * 4 // 3 + 4096 < int(current_app.config["MAX_FORM_MEMORY_SIZE"])
    payload = base64.b64encode(raw).decode() if fits else ""
    return render_template(
        "exchange/preview.html", plan=plan, payload=payload, form=WorkbookForm(formdata=None)
    ), (400 if plan.problems else 200)


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
                        db.session(), current_user, checked, form.name.data
                    )
                except ExchangeRefusedError as refusal:
                    refused(refusal)
                    problems = refusal.problems
                else:
                    message = f"Backup restored as a new workspace: {report.rows} rows."
                    if report.labelled_answers:
                        message += " " + exchange_service.labelled_sentence(report)
                    flash(message, "success")
                    for note in report.notes:
                        flash(note, "info")
                    return redirect(
                        url_for("workspaces.overview", workspace_id=report.workspace_id), 303
                    )
        status = 400
    else:
        status = 200
    return render_template(
        "exchange/restore.html", form=form, problems=problems, limit_mb=_limit() // (1024 * 1024)
    ), status
