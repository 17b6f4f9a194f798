"""Exports and workbook imports as background jobs, their files kept in the database.

An export (`JobKind.EXCHANGE_EXPORT`) writes one registered format, or one register as CSV, and
stores the file as the job's result, so whichever host shows the job's page serves it. A
workbook import (`JobKind.EXCHANGE_WORKBOOK`) stores the uploaded bytes as the job's input and
applies them in the worker: every change or none, and nothing at all if the workspace
changed since the preview. That check also makes a retry safe: an import whose worker died
after it had committed finds the workspace changed and applies nothing a second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, undefer

from workbench.database import rowcount, write_intent
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.schema import TABLE_BY_NAME
from workbench.models import Job, JobFile, JobKind, JobStatus, User, Workspace
from workbench.models.base import utcnow
from workbench.models.jobs import ACTIVE, FINISHED
from workbench.models.vocabulary import JOB_STATUS_LABELS
from workbench.services import exchange_workbook, jobs
from workbench.services.audit import set_actor
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.exchange_exports import (
    EXPORTERS,
    export_filename,
    register_filename,
    register_names,
    run_export,
    run_register_export,
)

EXPORT = JobKind.EXCHANGE_EXPORT
WORKBOOK = JobKind.EXCHANGE_WORKBOOK
KINDS = (EXPORT, WORKBOOK)
INPUT, RESULT = "input", "result"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = EXPORTERS["xlsx"].mimetype
SHOWN_PER_LIST = exchange_workbook.SHOWN_PER_LIST
STALE_PREVIEW = (
    "The workspace changed since the preview, so nothing was applied. "
    "Preview the workbook again, then apply it."
)
GONE = "The uploaded workbook is no longer kept. Upload it again."


# --------------------------------------------------------------------------- requests


def export_payload(format_name: str, register: str | None = None) -> dict[str, str]:
    """Check what is asked for and return the job's payload."""
    if format_name not in EXPORTERS:
        raise ServiceError("Choose one of the formats on this page.", "format")
    if register:
        if format_name != "csv" or register not in register_names():
            raise ServiceError("Choose one of the registers in the list.", "register")
        return {"format": "csv", "register": register}
    return {"format": format_name}


def register_choices() -> list[tuple[str, str]]:
    """The registers that can be exported alone, as (name, title) pairs."""
    return [(name, TABLE_BY_NAME[name].title) for name in register_names()]


def request_export(
    session: Session, user_id: int, format_name: str, register: str | None = None
) -> Job:
    """Record an export, or return the same one this person asked for and is still waiting."""
    payload = export_payload(format_name, register)
    purge_old_files(session, max_file_age())
    jobs.expire_stale(session)
    waiting = session.scalars(
        select(Job)
        .where(Job.kind == EXPORT, Job.status.in_(ACTIVE), Job.requested_by_id == user_id)
        .order_by(Job.id)
    )
    for job in waiting:
        if job.payload == payload:
            return job
    return jobs.create(session, EXPORT, payload, user_id, reuse_active=False)


def request_workbook_import(session: Session, user_id: int, raw: bytes, expected: str) -> Job:
    """Record the apply of a previewed workbook, keeping the uploaded bytes as its input."""
    purge_old_files(session, max_file_age())
    job = jobs.create(session, WORKBOOK, {"expected": expected}, user_id, reuse_active=False)
    _store(session, job.id, INPUT, "workbook.xlsx", XLSX_TYPE, raw)
    return job


def get_job(session: Session, job_id: int, kind: JobKind) -> Job:
    """Return an exchange job of the session's workspace, of the kind, or raise NotFoundError."""
    return jobs.get(session, job_id, kind)


def retry(session: Session, job_id: int, kind: JobKind) -> Job:
    """Queue a failed exchange job again; it runs from its stored payload and input."""
    return jobs.retry(session, job_id, kind)


def result_file(session: Session, job_id: int) -> JobFile:
    """Return the finished export's file with its contents, or raise NotFoundError."""
    job = jobs.get(session, job_id, EXPORT)
    found = _file(session, job_id, RESULT, content=True)
    if job.status != JobStatus.DONE or found is None:
        raise NotFoundError("This export has no file to download. Export again.")
    return found


# --------------------------------------------------------------------------- views


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def title_of(job: Job) -> str:
    """What the job is, in a few words ("Excel workbook", "Workbook import")."""
    if job.kind == WORKBOOK:
        return "Workbook import"
    payload = job.payload or {}
    register = payload.get("register")
    if register in TABLE_BY_NAME:
        return f"{TABLE_BY_NAME[register].title} (CSV)"
    exporter = EXPORTERS.get(payload.get("format", ""))
    return exporter.label if exporter else "Export"


def view(session: Session, job: Job) -> dict[str, Any]:
    """Plain values for a job's page: state, progress, what it made or why it failed."""
    stored = _file(session, job.id, RESULT) if job.kind == EXPORT else None
    payload = job.payload or {}
    return {
        "id": job.id,
        "kind": "export" if job.kind == EXPORT else "import",
        "title": title_of(job),
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "error": job.error,
        "finished": job.finished,
        "format": payload.get("format", ""),
        "register": payload.get("register", ""),
        "result": dict(job.result or {}),
        "file": (
            {"filename": stored.filename, "size": _size_text(stored.size)} if stored else None
        ),
        "kept_days": kept_days(),
    }


def recent(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The workspace's latest exports and imports, newest first."""
    rows = session.scalars(
        select(Job).where(Job.kind.in_(KINDS)).order_by(Job.id.desc()).limit(limit)
    )
    return [
        {
            "id": job.id,
            "kind": "export" if job.kind == EXPORT else "import",
            "title": title_of(job),
            "status": job.status,
            "status_label": JOB_STATUS_LABELS[job.status],
            "requested_at": job.requested_at,
        }
        for job in rows
    ]


# --------------------------------------------------------------------------- files


def _file(session: Session, job_id: int, role: str, content: bool = False) -> JobFile | None:
    query = select(JobFile).where(JobFile.job_id == job_id, JobFile.role == role)
    if content:
        query = query.options(undefer(JobFile.content))
    return session.scalar(query)


def _store(
    session: Session, job_id: int, role: str, filename: str, media_type: str, data: bytes
) -> JobFile:
    earlier = _file(session, job_id, role)
    if earlier is not None:  # a retried export replaces what an interrupted run left
        session.delete(earlier)
        session.flush()
    stored = JobFile(
        job_id=job_id,
        role=role,
        filename=filename[:200],
        media_type=media_type,
        size=len(data),
        content=data,
    )
    session.add(stored)
    session.flush()
    return stored


def max_file_age() -> timedelta:
    """How long job files are kept (WORKBENCH_JOB_FILE_MAX_AGE_DAYS)."""
    return timedelta(days=float(current_app.config["JOB_FILE_MAX_AGE_DAYS"]))


def kept_days() -> str:
    """How many days job files are kept, as shown to people ("7", "0.5")."""
    return f"{max_file_age() / timedelta(days=1):g}"


def purge_old_files(session: Session, max_age: timedelta, now: datetime | None = None) -> int:
    """Delete the files of finished jobs older than `max_age` (in the session's scope)."""
    cutoff = (now or utcnow()) - max_age
    finished = select(Job.id).where(Job.status.in_(FINISHED))
    result = session.execute(
        delete(JobFile)
        .where(JobFile.created_at < cutoff, JobFile.job_id.in_(finished))
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


# --------------------------------------------------------------------------- handlers


def export_handler(context: jobs.JobContext) -> dict[str, Any]:
    """Write the asked-for export and keep it as the job's result file."""
    session = context.session
    try:
        payload = export_payload(
            str(context.payload.get("format", "")), context.payload.get("register") or None
        )
    except ServiceError:
        raise ServiceError("This export is no longer offered. Choose another format.") from None
    context.stage("Gathering the data and writing the file", 10)
    # Only reads: on SQLite the workspace keeps saving while the file is written.
    with write_intent(False):
        workspace = session.get(Workspace, context.workspace_id)
        if workspace is None:
            raise NotFoundError("The workspace has gone.")
        register = payload.get("register")
        if register:
            data = run_register_export(session, register)
            filename, media_type = register_filename(workspace, register), CSV_TYPE
        else:
            data = run_export(session, workspace, payload["format"])
            filename = export_filename(workspace, payload["format"])
            media_type = EXPORTERS[payload["format"]].mimetype
        session.commit()
    context.stage("Storing the file", 90)
    _store(session, context.job_id, RESULT, filename, media_type, data)
    return {"filename": filename, "size": len(data)}


def _refusal(problems: list[str]) -> str:
    shown = "; ".join(problems[:3])
    more = f" (and {len(problems) - 3} more; preview it to see them all)" if problems[3:] else ""
    return f"The workbook was not imported, nothing changed: {shown}{more}"[:500]


def workbook_handler(context: jobs.JobContext) -> dict[str, Any]:
    """Apply a previewed workbook, all or nothing; the caller (jobs.run) commits."""
    session = context.session
    context.stage("Reading the workbook and applying the changes", 20)
    stored = _file(session, context.job_id, INPUT, content=True)
    if stored is None:
        raise ServiceError(GONE)
    requester = session.get(User, context.requested_by_id) if context.requested_by_id else None
    set_actor(
        session, requester.id if requester else None, requester.email if requester else "import"
    )
    # Two applies of one preview run one after the other, so the second sees the first's
    # changes and is refused (PostgreSQL; on SQLite the write transaction already does it).
    session.execute(
        select(Workspace.id).where(Workspace.id == context.workspace_id).with_for_update()
    )
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    expected = str(context.payload.get("expected") or "")
    try:
        plan = exchange_workbook.apply_import(session, stored.content, limit, expected)
    except ExchangeRefusedError as refused:
        raise ServiceError(_refusal(refused.problems)) from None
    if plan.problems:
        raise ServiceError(STALE_PREVIEW)
    added, changed, removed = plan.counts()
    return {
        "added": added,
        "changed": changed,
        "removed": removed,
        "sheets": [
            {
                "title": sheet.title,
                "counts": [len(sheet.added), len(sheet.changed), len(sheet.removed)],
                "added": sheet.added[:SHOWN_PER_LIST],
                "changed": sheet.changed[:SHOWN_PER_LIST],
                "removed": sheet.removed[:SHOWN_PER_LIST],
            }
            for sheet in plan.sheets
            if sheet.has_changes
        ],
    }
