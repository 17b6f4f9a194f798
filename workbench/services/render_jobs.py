"""Storyboard rendering as a background job: state in the database, work off the request.

Rendering takes seconds, so the request only records a job and returns; a worker thread of
this process renders and publishes, recording each stage. With `JOBS_INLINE` set (tests,
the CLI) the job runs at once in the caller instead.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.extensions import db
from workbench.models import RenderJob, User, Workspace
from workbench.models.base import utcnow
from workbench.services import storyboard
from workbench.services.errors import NotFoundError
from workbench.services.tenancy import scope_session

log = logging.getLogger(__name__)
# One worker: renders run one after another and never crowd out the web threads.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyboard")
ACTIVE = ("queued", "running")


def request_publish(session: Session, workspace_id: int, user_id: int) -> RenderJob:
    """Record a publish request, or return the one already waiting for this workspace."""
    pending = session.scalar(
        select(RenderJob).where(RenderJob.status.in_(ACTIVE)).order_by(RenderJob.id)
    )
    if pending is not None:
        return pending
    job = RenderJob(requested_by_id=user_id)
    session.add(job)
    session.flush()
    return job


def start(app: Flask, workspace_id: int, job_id: int) -> None:
    """Run the job now (inline mode) or hand it to the worker thread."""
    if app.config.get("JOBS_INLINE"):
        _run(app, workspace_id, job_id)
    else:
        _executor.submit(_run, app, workspace_id, job_id)


def _stage(session: Session, job: RenderJob, status: str, stage: str) -> None:
    job.status, job.stage = status, stage
    session.commit()
    scope_session(session, job.workspace_id)


def _run(app: Flask, workspace_id: int, job_id: int) -> None:
    with app.app_context():
        session = db.session
        scope_session(session, workspace_id)
        job = session.get(RenderJob, job_id)
        if job is None or job.status not in ACTIVE:
            return
        try:
            _stage(session, job, "running", "Gathering the data and drawing the charts")
            workspace = session.get(Workspace, workspace_id)
            author = session.get(User, job.requested_by_id) if job.requested_by_id else None
            if workspace is None or author is None:
                raise NotFoundError("The workspace or the person who asked has gone.")
            outcome = storyboard.publish(session, workspace, author, date.today())
            job = session.get(RenderJob, job_id)
            job.snapshot_number = outcome.snapshot.number
            job.reused = outcome.reused
            job.finished_at = utcnow()
            _stage(session, job, "done", "Published")
        except Exception as error:
            log.exception("storyboard render failed")
            session.rollback()
            scope_session(session, workspace_id)
            job = session.get(RenderJob, job_id)
            if job is not None:
                job.error = str(getattr(error, "message", error))[:500] or "Rendering failed."
                job.finished_at = utcnow()
                _stage(session, job, "failed", "Failed")


def get_job(session: Session, job_id: int) -> RenderJob:
    """Return a job of the session's workspace or raise NotFoundError."""
    job = session.get(RenderJob, job_id)
    if job is None:
        raise NotFoundError("There is no such rendering job.")
    return job


def retry(session: Session, job_id: int) -> RenderJob:
    """Queue a failed job again."""
    job = get_job(session, job_id)
    if job.status == "failed":
        job.status, job.stage, job.error, job.finished_at = "queued", "Waiting to start", "", None
        session.flush()
    return job
