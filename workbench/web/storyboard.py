"""The storyboard: preview, publish, snapshots, comparisons, downloads and share links."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from workbench.config import reports_dir
from workbench.extensions import db
from workbench.models import Job, Role, StoryboardSnapshot, Workspace
from workbench.services import job_backends, render_jobs
from workbench.services import storyboard as service
from workbench.services.access import Action, role_allows
from workbench.services.board_packs import resolve_pack
from workbench.services.errors import ServiceError
from workbench.web.context import workspace_view
from workbench.web.forms import parse_id
from workbench.web.storyboard_packs import pack_context
from workbench.web.unit_of_work import after_commit

blueprint = Blueprint("storyboard", __name__)
PREFIX = "/workspaces/<id:workspace_id>/storyboard"
# The report is a document, not the application: no script at all, its own inline styles.
DOCUMENT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "font-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _file_response(
    body: bytes, content_type: str, suffix: str, number: int, workspace_name: str
) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    safe = "".join(ch if ch.isalnum() else "-" for ch in workspace_name)[:40].strip("-")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="storyboard-{safe or "workspace"}-v{number}.{suffix}"'
    )
    return response


def _pdf_response(snapshot: StoryboardSnapshot, workspace_name: str) -> Response:
    return _file_response(snapshot.pdf, "application/pdf", "pdf", snapshot.number, workspace_name)


@blueprint.route(f"{PREFIX}/")
@workspace_view()
def index(workspace: Workspace, role: Role) -> str:
    """The published versions, the comparison form and the share links."""
    return render_template(
        "storyboard/index.html", **_index_values(role), new_link=None, new_deck_link=None
    )


def _index_values(role: Role) -> dict[str, object]:
    rows = service.snapshots(db.session())
    return {
        "snapshots": rows,
        # The compare form offers two versions of one pack only.
        "comparable": service.comparable(rows),
        "links": service.share_links(db.session()) if role_allows(role, Action.PUBLISH) else [],
        "can_publish": role_allows(role, Action.PUBLISH),
        **pack_context(role),
    }


@blueprint.route(f"{PREFIX}/preview")
@workspace_view()
def preview(workspace: Workspace, role: Role) -> Response:
    """The storyboard as it would be published now, as one self-contained HTML page."""
    pack = resolve_pack(db.session(), (request.args.get("pack") or "")[:80] or None)
    html = service.preview_html(
        db.session(),
        workspace,
        current_user.display_name,
        date.today(),
        reports_dir(current_app.config),
        back_url=url_for("storyboard.index", workspace_id=workspace.id),
        pack=pack,
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
    return response


@blueprint.route(f"{PREFIX}/publish", methods=["POST"])
@workspace_view(write=Action.PUBLISH)
def publish(workspace: Workspace, role: Role) -> BaseResponse:
    """Ask for a new version; it renders in the background while the page shows progress."""
    workspace_id = workspace.id
    pack = (request.form.get("pack") or "")[:80] or None
    job = render_jobs.request_publish(db.session(), current_user.id, pack)
    job_id = job.id
    _start_after_commit(workspace_id, job_id)
    return redirect(url_for("storyboard.job", workspace_id=workspace_id, job_id=job_id), 303)


def _start_after_commit(workspace_id: int, job_id: int) -> None:
    # The app itself, not the request-bound proxy (Flask types current_app as the app).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: job_backends.start(app, workspace_id, job_id))


def _job_context(job: Job) -> dict[str, object]:
    result = job.result or {}
    return {
        "job": {
            "id": job.id,
            "status": job.status,
            "stage": job.stage,
            "progress": job.progress,
            "error": job.error,
            "snapshot_number": result.get("snapshot_number"),
            "reused": bool(result.get("reused")),
            "pack": result.get("pack") or "",
        },
        "finished": job.finished,
    }


@blueprint.route(f"{PREFIX}/jobs/<id:job_id>")
@workspace_view()
def job(workspace: Workspace, role: Role, job_id: int) -> str:
    """The progress of a rendering job; refreshes itself until it has finished."""
    found = render_jobs.get_job(db.session(), job_id)
    return render_template("storyboard/job.html", **_job_context(found))


@blueprint.route(f"{PREFIX}/jobs/<id:job_id>/status")
@workspace_view()
def job_status(workspace: Workspace, role: Role, job_id: int) -> str:
    """The job's state as a fragment, polled by the progress page."""
    found = render_jobs.get_job(db.session(), job_id)
    return render_template("storyboard/_job_status.html", **_job_context(found))


@blueprint.route(f"{PREFIX}/jobs/<id:job_id>/retry", methods=["POST"])
@workspace_view(write=Action.PUBLISH)
def retry(workspace: Workspace, role: Role, job_id: int) -> BaseResponse:
    """Queue a failed rendering again (also one whose worker stopped)."""
    workspace_id = workspace.id
    render_jobs.retry(db.session(), job_id)
    _start_after_commit(workspace_id, job_id)
    return redirect(url_for("storyboard.job", workspace_id=workspace_id, job_id=job_id), 303)


@blueprint.route(f"{PREFIX}/<id:number>.pdf")
@workspace_view()
def download(workspace: Workspace, role: Role, number: int) -> Response:
    """Download a published version."""
    return _pdf_response(service.get_snapshot(db.session(), number), workspace.name)


@blueprint.route(f"{PREFIX}/<id:number>.pptx")
@workspace_view()
def download_deck(workspace: Workspace, role: Role, number: int) -> Response:
    """Download a published version as its editable PowerPoint deck."""
    snapshot = service.get_snapshot(db.session(), number)
    deck = service.deck_of(snapshot)
    return _file_response(deck, PPTX_TYPE, "pptx", snapshot.number, workspace.name)


@blueprint.route(f"{PREFIX}/compare")
@workspace_view()
def compare(workspace: Workspace, role: Role) -> str:
    """What changed between two published versions, section by section."""
    old_number = parse_id(request.args.get("old"))
    new_number = parse_id(request.args.get("new"))
    if old_number is None or new_number is None:
        raise ServiceError("Choose two published versions to compare.")
    old = service.get_snapshot(db.session(), old_number)
    new = service.get_snapshot(db.session(), new_number)
    return render_template(
        "storyboard/compare.html", old=old, new=new, rows=service.compare(old, new)
    )


@blueprint.route(f"{PREFIX}/<id:number>/share", methods=["POST"])
@workspace_view(write=Action.PUBLISH)
def share(workspace: Workspace, role: Role, number: int) -> str:
    """Create a share link for a version and show it once."""
    snapshot = service.get_snapshot(db.session(), number)
    hours = parse_id(request.form.get("hours")) or 0
    _link, token = service.create_share_link(
        db.session(), snapshot, current_user, hours, current_app.config["SECRET_KEY"]
    )
    return render_template(
        "storyboard/index.html",
        **_index_values(role),
        new_link=url_for("storyboard.shared", token=token, _external=True),
        new_deck_link=url_for("storyboard.shared_deck", token=token, _external=True)
        if snapshot.slide_count
        else None,
    )


@blueprint.route(f"{PREFIX}/links/<id:link_id>/revoke", methods=["POST"])
@workspace_view(write=Action.PUBLISH)
def revoke(workspace: Workspace, role: Role, link_id: int) -> BaseResponse:
    """Withdraw a share link."""
    service.revoke_share_link(db.session(), link_id)
    flash("Share link withdrawn; it no longer opens the storyboard.", "success")
    return redirect(url_for("storyboard.index", workspace_id=workspace.id), 303)


@blueprint.route("/shared/<token>")
def shared(token: str) -> Response:
    """Open a shared storyboard without an account."""
    if len(token) > 500:
        raise ServiceError("This link does not open a storyboard.")
    snapshot = service.open_share_link(db.session(), token, current_app.config["SECRET_KEY"])
    response = _pdf_response(snapshot, "shared")
    response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.route("/shared/<token>/deck")
def shared_deck(token: str) -> Response:
    """Download the PowerPoint deck of a shared storyboard without an account."""
    if len(token) > 500:
        raise ServiceError("This link does not open a storyboard.")
    snapshot = service.open_share_link(db.session(), token, current_app.config["SECRET_KEY"])
    deck = service.deck_of(snapshot)
    response = _file_response(deck, PPTX_TYPE, "pptx", snapshot.number, "shared")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
