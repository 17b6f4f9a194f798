"""Where jobs run: inline, a worker thread of this process, or RQ workers on Redis.

With `WORKBENCH_REDIS_URL` set, jobs go to an RQ queue that every app host shares and
`workbench worker` processes take them; without it a single worker thread inside the app
process runs them, so the embedded setup needs nothing more. Tests and the CLI run jobs
inline. Whichever runs a job, `jobs.run` claims it, so a job handed over twice runs once.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app, has_app_context
from rq import Queue, SimpleWorker
from sqlalchemy import update

from workbench.extensions import db
from workbench.models import Job, JobStatus
from workbench.models.base import utcnow
from workbench.services import jobs
from workbench.services.job_kinds import HANDLERS
from workbench.services.redis_client import redis_for
from workbench.services.tenancy import allow_system_access

log = logging.getLogger(__name__)

# One thread: renders run one after another and never crowd out the web threads.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
_worker_app: Flask | None = None
QUEUE_UNREACHABLE = "The job queue (Redis) could not be reached. Try again in a moment."


def backend_name(app: Flask) -> str:
    """Return the backend jobs of this app go to: "inline", "thread" or "rq"."""
    if app.config.get("JOBS_INLINE"):
        return "inline"
    chosen = (app.config.get("JOBS_BACKEND") or "").strip().lower()
    if chosen in ("inline", "thread", "rq"):
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


def queue_for(app: Flask) -> Queue:
    """Return the RQ queue jobs of this app go to."""
    return Queue(app.config["JOBS_QUEUE"], connection=redis_for(app))


def start(app: Flask, workspace_id: int, job_id: int) -> None:
    """Hand a recorded (and committed) job to the configured backend."""
    backend = backend_name(app)
    if backend == "inline":
        jobs.run(app, workspace_id, job_id, HANDLERS)
    elif backend == "thread":
        _executor.submit(jobs.run, app, workspace_id, job_id, HANDLERS)
    else:
        try:
            queue_for(app).enqueue(
                execute,
                workspace_id,
                job_id,
                job_timeout=int(app.config["JOB_TIMEOUT_SECONDS"]),
                result_ttl=3600,
                failure_ttl=24 * 3600,
                description=f"workbench job {job_id}",
            )
        except Exception:
            log.exception("could not enqueue job %s", job_id)
            _mark_unqueued(app, job_id)


def _mark_unqueued(app: Flask, job_id: int) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(
                status=JobStatus.FAILED,
                stage="Failed",
                error=QUEUE_UNREACHABLE,
                finished_at=utcnow(),
            )
        )


def bind_worker_app(app: Flask) -> None:
    """Use this app for the jobs an RQ worker of this process runs."""
    global _worker_app
    _worker_app = app


def worker_app() -> Flask:
    """Return the app the jobs of this RQ worker run with (bound by its entry point)."""
    app = _worker_app
    if app is None and has_app_context():
        # The app itself, not the request-bound proxy (Flask types current_app as the app).
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app is None:
        # The app comes from the entry point (`workbench worker` binds it); a service never
        # builds one, so a plain `rq worker` is told what to run instead.
        raise RuntimeError("No workbench app is bound to this worker; run `workbench worker`.")
    return app


def execute(workspace_id: int, job_id: int) -> str:
    """The function RQ workers call: run one job with the app its entry point bound."""
    return jobs.run(worker_app(), workspace_id, job_id, HANDLERS)


class _Worker(SimpleWorker):
    """An RQ worker whose command listener stops within a second of the worker."""

    def subscribe(self) -> None:
        """Listen for RQ's commands (stop, kill) on this worker's channel."""
        # RQ waits on its listener for up to 60 s and redis-py 8 joins it without a timeout,
        # so every worker stop (and every burst) would hang that long; a 1 s wait bounds it.
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        # rq declares the attribute as None (untyped) and assigns the thread the same way.
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )


def work(
    app: Flask, burst: bool = False, queue: str | None = None, with_scheduler: bool = False
) -> bool:
    """Take jobs from the RQ queue with the entry point's app until stopped (or queue empty).

    `with_scheduler` also runs RQ's scheduler, which moves jobs planned for later (the
    schedule's tick) onto the queue when their time comes; RQ lets one scheduler per queue
    hold its lock, so any number of workers may ask for it.
    """
    bind_worker_app(app)
    with app.app_context():
        # Jobs whose worker died while this one was down are failed now, ready for a retry.
        allow_system_access(db.session())
        expired = jobs.expire_stale(db.session())
        db.session.commit()
        db.session.remove()
    if expired:
        log.warning("%s stale job(s) marked failed", expired)
    connection = redis_for(app)
    name = queue or app.config["JOBS_QUEUE"]
    # SimpleWorker runs each job in this process: the database pool stays valid (no fork).
    worker = _Worker([Queue(name, connection=connection)], connection=connection)
    return worker.work(burst=burst, logging_level="INFO", with_scheduler=with_scheduler)
