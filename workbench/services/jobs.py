"""Background jobs: a kind and a payload in, state, progress and a result in the database.

A request records a job and hands it to a backend (see `job_backends`): run at once
(inline), a worker thread of this process, or RQ workers on Redis shared by every host.
Whatever runs it goes through `run`, which claims the job with a conditional update (so a
job delivered twice runs once), writes a heartbeat while the handler works, and records the
outcome. A running job whose heartbeat has gone silent lost its worker: it is shown as
failed and can be retried, never left spinning.

A handler is a function `handler(context: JobContext) -> dict`. Each `JobKind` has one, in
`job_kinds.HANDLERS`; that module imports the handlers' modules, which import this one, so
`run` is handed the mapping by its caller (the backends) rather than importing it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import ColumnElement, Engine, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from workbench.database import rowcount, writes_intended
from workbench.extensions import db
from workbench.models import Job, JobKind, JobStatus
from workbench.models.base import utcnow
from workbench.models.jobs import ACTIVE
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.tenancy import scope_session

log = logging.getLogger(__name__)

WORKER_STOPPED = (
    "The worker running this job stopped before it finished (it was restarted or ran out "
    "of memory). Nothing was half-saved; try again."
)
UNEXPECTED = "Something went wrong while running this job. The problem has been logged; try again."
NEVER_STARTED = (
    "No worker picked this job up in time. Check that the workers are running, then try again."
)

Handler = Callable[["JobContext"], dict[str, Any] | None]
# What `run` answers for a job it did not run: another worker took it, or it is gone.
SKIPPED = "skipped"


def kind_of(kind: str) -> JobKind:
    """Return the job kind a name stands for, or raise LookupError for a kind nobody handles."""
    try:
        return JobKind(kind)
    except ValueError:
        raise LookupError(f"no handler for job kind {kind!r}") from None


@dataclass
class JobContext:
    """What a handler gets: the scoped session, the job's identity and payload, progress."""

    session: Session
    engine: Engine
    job_id: int
    workspace_id: int
    kind: JobKind
    payload: dict[str, Any]
    requested_by_id: int | None
    worker: str
    extra: dict[str, Any] = field(default_factory=dict)

    def stage(self, text: str, progress: int | None = None) -> None:
        """Report what the job is doing now (written at once, outside the job's transaction)."""
        # On SQLite, call it between the handler's write transactions, not inside one.
        _touch(self.engine, self.job_id, self.worker, stage=text[:120], progress=progress)


def _touch(engine: Engine, job_id: int, worker: str, **values: Any) -> bool:
    # A short transaction of its own, so progress shows while the handler's work is open.
    with engine.begin() as connection:
        result = connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker == worker, Job.status == JobStatus.RUNNING)
            .values(heartbeat_at=utcnow(), **values)
        )
    return bool(result.rowcount)


def create(
    session: Session,
    kind: JobKind,
    payload: dict[str, Any] | None = None,
    requested_by_id: int | None = None,
    *,
    reuse_active: bool = True,
) -> Job:
    """Record a job of the session's workspace; with `reuse_active`, return one already waiting."""
    kind = kind_of(kind)  # an unknown kind is refused here, not in a worker later
    if reuse_active:
        expire_stale(session)
        pending = session.scalar(
            select(Job).where(Job.kind == kind, Job.status.in_(ACTIVE)).order_by(Job.id).limit(1)
        )
        if pending is not None:
            return pending
    job = Job(kind=kind, payload=payload or {}, requested_by_id=requested_by_id)
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int, kind: JobKind | None = None) -> Job:
    """Return a job of the session's workspace (of a kind, if given) or raise NotFoundError.

    A job found stale is failed on the spot, on a connection of its own so a read-only
    request stays read-only, and shown as failed at once.
    """
    job = session.get(Job, job_id)
    if job is None or (kind is not None and job.kind != kind):
        raise NotFoundError("There is no such job.")
    if job.status in ACTIVE:
        rules = _stale_rules()
        status = job.status
        condition, message = rules[status]
        statement = (
            update(Job)
            .where(Job.id == job.id, Job.status == status, condition)
            .values(status=JobStatus.FAILED, stage="Failed", error=message, finished_at=utcnow())
        )
        if writes_intended():
            # This request already writes (on SQLite it holds the lock): use its transaction.
            if rowcount(session.execute(statement.execution_options(synchronize_session=False))):
                session.refresh(job)
            return job
        with db.engine.begin() as connection:
            failed = connection.execute(statement).rowcount
        if failed:
            failed_values = {"status": JobStatus.FAILED, "stage": "Failed", "error": message}
            for name, value in failed_values.items():
                set_committed_value(job, name, value)
    return job


def retry(session: Session, job_id: int, kind: JobKind | None = None) -> Job:
    """Queue a failed job again (a job still active is left as it is)."""
    job = get(session, job_id, kind)
    if job.status == JobStatus.FAILED:
        job.status, job.stage, job.error = JobStatus.QUEUED, "Waiting to start", ""
        job.finished_at = job.started_at = job.heartbeat_at = None
        job.progress, job.worker, job.queued_at = None, "", utcnow()
        session.flush()
    return job


def _stale_rules() -> dict[JobStatus, tuple[ColumnElement[bool], str]]:
    config = current_app.config
    now = utcnow()
    stale = now - timedelta(seconds=float(config["JOB_STALE_SECONDS"]))
    waited = now - timedelta(seconds=float(config["JOB_QUEUE_TIMEOUT_SECONDS"]))
    return {
        JobStatus.RUNNING: (
            or_(Job.heartbeat_at < stale, Job.heartbeat_at.is_(None)),
            WORKER_STOPPED,
        ),
        JobStatus.QUEUED: (Job.queued_at < waited, NEVER_STARTED),
    }


def expire_stale(session: Session) -> int:
    """Fail the jobs (of the session's scope) whose worker stopped or that no worker took."""
    changed = 0
    for status, (condition, message) in _stale_rules().items():
        statement = (
            update(Job)
            .where(Job.status == status, condition)
            .values(status=JobStatus.FAILED, stage="Failed", error=message, finished_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        changed += rowcount(session.execute(statement))
    return changed


def worker_label() -> str:
    """Name this process and thread, so a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat on a timer while the handler works."""

    def __init__(self, engine: Engine, job_id: int, worker: str, every: float) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.engine, self.job_id, self.worker, self.every = engine, job_id, worker, every
        self.stopped = threading.Event()

    def run(self) -> None:
        """Beat until stopped; a failed beat is logged and the next one tried."""
        while not self.stopped.wait(self.every):
            try:
                _touch(self.engine, self.job_id, self.worker)
            except Exception:
                log.exception("heartbeat of job %s failed", self.job_id)


def _claim(engine: Engine, workspace_id: int, job_id: int, worker: str) -> bool:
    now = utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.workspace_id == workspace_id,
                Job.status == JobStatus.QUEUED,
            )
            .values(
                status=JobStatus.RUNNING,
                stage="Starting",
                worker=worker,
                started_at=now,
                heartbeat_at=now,
                attempts=Job.attempts + 1,
            )
        )
    return result.rowcount == 1


def _finish(engine: Engine, job_id: int, worker: str, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker == worker)
            .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
        )


def run(app: Flask, workspace_id: int, job_id: int, handlers: Mapping[JobKind, Handler]) -> str:
    """Claim and run one job with its kind's handler; return the final status or SKIPPED."""
    worker = worker_label()
    with app.app_context():
        engine = db.engine
        if not _claim(engine, workspace_id, job_id, worker):
            return SKIPPED  # taken by another worker, finished, or gone
        session = db.session()
        scope_session(session, workspace_id)
        job = session.get(Job, job_id)
        if job is None:
            return SKIPPED
        context = JobContext(
            session=session,
            engine=engine,
            job_id=job_id,
            workspace_id=workspace_id,
            kind=job.kind,
            payload=dict(job.payload or {}),
            requested_by_id=job.requested_by_id,
            worker=worker,
        )
        session.commit()
        beat = _Heartbeat(engine, job_id, worker, float(app.config["JOB_HEARTBEAT_SECONDS"]))
        beat.start()
        try:
            result = handlers[context.kind](context) or {}
            session.commit()
        except Exception as error:
            log.exception("job %s (%s) failed", job_id, context.kind)
            session.rollback()
            # A service error speaks to the person; anything else stays in the log.
            message = error.message if isinstance(error, ServiceError) else UNEXPECTED
            message = message[:500] or UNEXPECTED
            _finish(engine, job_id, worker, status=JobStatus.FAILED, stage="Failed", error=message)
            return JobStatus.FAILED
        finally:
            beat.stopped.set()
            beat.join()
        _finish(
            engine,
            job_id,
            worker,
            status=JobStatus.DONE,
            stage="Finished",
            result=result,
            progress=100,
        )
        return JobStatus.DONE
