"""The job layer: RQ on the real Redis, the in-process fallback, and a killed worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from rq import Queue
from sqlalchemy import text

from tests.conftest import BASE_CONFIG, login, seed
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Job, JobKind, JobStatus, StoryboardSnapshot
from workbench.models.base import utcnow
from workbench.services import job_backends, job_kinds, jobs
from workbench.services.errors import ServiceError
from workbench.services.tenancy import scope_session

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own for one test, emptied afterwards."""
    name = f"wb-test-{uuid.uuid4().hex[:12]}"
    yield name
    Queue(name, connection=Redis.from_url(REDIS_URL)).delete(delete_jobs=True)
    job_backends.bind_worker_app(None)  # type: ignore[arg-type]


def _rq_app(database_url: str, queue_name: str, **extra: Any) -> Flask:
    return create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "JOBS_INLINE": False,
            "JOBS_BACKEND": "rq",
            "REDIS_URL": REDIS_URL,
            "JOBS_QUEUE": queue_name,
            **extra,
        }
    )


def _job(app: Flask, workspace_id: int, job_id: int) -> Job:
    with app.app_context():
        scope_session(db.session, workspace_id)
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def _publish(client: Any, workspace_id: int) -> int:
    response = client.post(f"/workspaces/{workspace_id}/storyboard/publish")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_backend_choice_follows_configuration() -> None:
    def app_with(**config: Any) -> Flask:
        app = Flask("choice")
        app.config.update(config)
        return app

    assert job_backends.backend_name(app_with(JOBS_INLINE=True, REDIS_URL=REDIS_URL)) == "inline"
    assert job_backends.backend_name(app_with(REDIS_URL=REDIS_URL)) == "rq"
    assert job_backends.backend_name(app_with(REDIS_URL="")) == "thread"
    assert job_backends.backend_name(app_with(JOBS_BACKEND="thread", REDIS_URL=REDIS_URL)) == (
        "thread"
    )


def test_publishing_goes_through_redis_and_a_worker(
    database_url: str, team: dict, queue_name: str
) -> None:
    app = _rq_app(database_url, queue_name)
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    job_id = _publish(client, wid)
    # Nothing runs in the web process: the job waits in Redis until a worker takes it.
    assert _job(app, wid, job_id).status == "queued"
    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    assert queue.count == 1
    page = client.get(f"/workspaces/{wid}/storyboard/jobs/{job_id}").get_data(as_text=True)
    assert "Waiting to start" in page and 'hx-trigger="every 1000ms"' in page
    job_backends.work(app, burst=True)
    finished = _job(app, wid, job_id)
    assert finished.status == "done", finished.error
    assert finished.result == {"snapshot_number": 1, "reused": False, "pack": "Leadership team"}
    assert finished.attempts == 1 and finished.worker
    assert queue.count == 0
    fragment = client.get(f"/workspaces/{wid}/storyboard/jobs/{job_id}/status")
    assert "Version 1 published." in fragment.get_data(as_text=True)
    assert client.get(f"/workspaces/{wid}/storyboard/1.pdf").data.startswith(b"%PDF")


def test_a_generic_job_kind_runs_with_its_payload_and_failures_are_retryable(
    database_url: str, team: dict, queue_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def flaky(context: jobs.JobContext) -> dict[str, Any]:
        calls.append(context.payload)
        context.stage("Halfway", 50)
        if len(calls) == 1:
            raise ServiceError("The spreadsheet has no sheet called Factors.")
        return {"rows": context.payload["rows"]}

    # The worker looks the handler up in the registry when it runs the job.
    monkeypatch.setitem(job_kinds.HANDLERS, JobKind.EXCHANGE_WORKBOOK, flaky)
    app = _rq_app(database_url, queue_name)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job = jobs.create(db.session, JobKind.EXCHANGE_WORKBOOK, {"rows": 3}, team["analyst"].id)
        job_id = job.id
        db.session.commit()
    job_backends.start(app, wid, job_id)
    job_backends.work(app, burst=True)
    failed = _job(app, wid, job_id)
    assert failed.status == "failed"
    assert failed.error == "The spreadsheet has no sheet called Factors."
    with app.app_context():
        scope_session(db.session, wid)
        jobs.retry(db.session, job_id)
        db.session.commit()
    job_backends.start(app, wid, job_id)
    job_backends.work(app, burst=True)
    done = _job(app, wid, job_id)
    assert (done.status, done.result, done.attempts, done.error) == ("done", {"rows": 3}, 2, "")
    assert calls == [{"rows": 3}, {"rows": 3}]


def test_a_job_handed_over_twice_runs_once(app: Flask, team: dict) -> None:
    runs: list[int] = []
    handlers = {JobKind.EXCHANGE_EXPORT: lambda context: runs.append(context.job_id) or {}}
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job_id = jobs.create(db.session, JobKind.EXCHANGE_EXPORT).id
        db.session.commit()
    assert jobs.run(app, wid, job_id, handlers) == "done"
    assert jobs.run(app, wid, job_id, handlers) == "skipped"
    assert runs == [job_id]


def test_an_unexpected_error_is_logged_not_shown(app: Flask, team: dict) -> None:
    def broken(_context: jobs.JobContext) -> dict[str, Any]:
        raise RuntimeError("psycopg: password authentication failed for user secret")

    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job_id = jobs.create(db.session, JobKind.EXCHANGE_EXPORT).id
        db.session.commit()
    assert jobs.run(app, wid, job_id, {JobKind.EXCHANGE_EXPORT: broken}) == "failed"
    failed = _job(app, wid, job_id)
    assert failed.error == jobs.UNEXPECTED and "secret" not in failed.error


def test_a_job_is_only_claimed_for_its_own_workspace(app: Flask, team: dict) -> None:
    handlers = {JobKind.EXCHANGE_EXPORT: lambda _context: {}}
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job_id = jobs.create(db.session, JobKind.EXCHANGE_EXPORT).id
        db.session.commit()
    assert jobs.run(app, team["foreign_id"], job_id, handlers) == "skipped"
    assert _job(app, wid, job_id).status == "queued"
    assert jobs.run(app, wid, job_id, handlers) == "done"


def test_unknown_kinds_are_refused_when_recorded(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        with pytest.raises(LookupError):
            jobs.create(db.session, "no.such.kind")  # type: ignore[arg-type]
        assert db.session.query(Job).count() == 0


def test_every_job_kind_has_a_handler_in_the_registry() -> None:
    """A kind without a handler would be accepted by `create` and then fail in a worker."""
    assert set(job_kinds.HANDLERS) == set(JobKind)
    assert all(callable(handler) for handler in job_kinds.HANDLERS.values())
    # Real functions of the services, not names to resolve later.
    assert job_kinds.HANDLERS[JobKind.STORYBOARD_PUBLISH].__module__ == (
        "workbench.services.render_jobs"
    )
    assert {h.__name__ for h in job_kinds.HANDLERS.values()} == {
        "publish_handler",
        "export_handler",
        "workbook_handler",
        "feed_handler",
    }


def test_the_enums_name_what_the_database_already_stores(app: Flask, team: dict) -> None:
    """The status and kind columns keep their old string values, read back as the enums."""
    assert [s.value for s in JobStatus] == ["queued", "running", "done", "failed"]
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job_id = jobs.create(db.session, JobKind.STORYBOARD_PUBLISH).id
        db.session.commit()
        stored = db.session.execute(
            text("SELECT kind, status FROM job WHERE id = :id"), {"id": job_id}
        ).one()
        assert tuple(stored) == ("storyboard.publish", "queued")
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        assert job is not None
        assert job.status is JobStatus.QUEUED and job.kind is JobKind.STORYBOARD_PUBLISH


def test_the_in_process_fallback_needs_no_redis(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "JOBS_INLINE": False})
    assert job_backends.backend_name(app) == "thread"
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    job_id = _publish(client, wid)
    deadline = time.time() + 120
    while _job(app, wid, job_id).status in jobs.ACTIVE and time.time() < deadline:
        time.sleep(0.2)
    assert _job(app, wid, job_id).status == "done"


def test_an_unreachable_queue_fails_the_job_with_a_reason(database_url: str, team: dict) -> None:
    app = _rq_app(database_url, "unused")
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # Redis goes away after the login
    wid = team["workspace_id"]
    job_id = _publish(client, wid)
    page = client.get(f"/workspaces/{wid}/storyboard/jobs/{job_id}").get_data(as_text=True)
    assert "could not be reached" in page and "Try again" in page


def _worker(database_url: str, queue_name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WORKBENCH_DATABASE_URL": database_url,
        "WORKBENCH_SECRET_KEY": BASE_CONFIG["SECRET_KEY"],
        "WORKBENCH_REDIS_URL": REDIS_URL,
        "WORKBENCH_JOBS_QUEUE": queue_name,
        "WORKBENCH_JOB_HEARTBEAT_SECONDS": "0.2",
    }
    command = [sys.executable, "-c", "from workbench.cli import main; main()", "worker"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def test_a_worker_killed_mid_job_leaves_it_retryable(
    database_url: str, team: dict, queue_name: str
) -> None:
    app = _rq_app(database_url, queue_name, JOB_STALE_SECONDS=1.5)
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    job_id = _publish(client, wid)
    worker = _worker(database_url, queue_name)
    try:
        deadline = time.time() + 60
        while _job(app, wid, job_id).status == "queued" and time.time() < deadline:
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            time.sleep(0.05)
        running = _job(app, wid, job_id)
        assert running.status == "running", running.error
        beat = running.heartbeat_at
        time.sleep(0.6)
        # The worker is alive and its heartbeat moves while the storyboard renders.
        assert _job(app, wid, job_id).heartbeat_at > beat
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    time.sleep(1.8)
    url = f"/workspaces/{wid}/storyboard/jobs/{job_id}"
    page = client.get(url).get_data(as_text=True)
    assert "stopped before it finished" in page and "Try again" in page
    assert _job(app, wid, job_id).status == "failed"
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.query(StoryboardSnapshot).count() == 0
    assert client.post(f"{url}/retry").status_code == 303
    job_backends.work(app, burst=True)
    assert "Version 1 published." in client.get(f"{url}/status").get_data(as_text=True)


def test_silent_and_never_started_jobs_are_failed_when_looked_at(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    long_ago = utcnow() - timedelta(hours=2)
    with app.app_context():
        scope_session(db.session, wid)
        lost = Job(kind="storyboard.publish", status="running", heartbeat_at=long_ago)
        waiting = Job(kind="storyboard.publish", status="queued", queued_at=long_ago)
        alive = Job(kind="storyboard.publish", status="running", heartbeat_at=utcnow())
        db.session.add_all([lost, waiting, alive])
        db.session.commit()
        ids = lost.id, waiting.id, alive.id
    client = app.test_client()
    login(client, team["executive"])
    texts = [
        client.get(f"/workspaces/{wid}/storyboard/jobs/{job_id}/status").get_data(as_text=True)
        for job_id in ids
    ]
    assert "stopped before it finished" in texts[0]
    assert "No worker picked this job up" in texts[1]
    assert "Rendering failed" not in texts[2]
    assert [_job(app, wid, job_id).status for job_id in ids] == ["failed", "failed", "running"]


def test_an_export_written_by_a_worker_process_downloads_from_the_web_app(
    database_url: str, team: dict, queue_name: str
) -> None:
    from tests.integration.test_exchange_jobs import same_content

    app = _rq_app(database_url, queue_name)
    client = app.test_client()
    login(client, team["executive"])
    wid = team["workspace_id"]
    response = client.post(f"/workspaces/{wid}/exchange/exports", data={"export_format": "xlsx"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    url = response.headers["Location"]
    job_id = int(url.rsplit("/", 1)[1])
    # The web process only records and enqueues; the file is written by another process.
    assert _job(app, wid, job_id).status == "queued"
    assert Queue(queue_name, connection=Redis.from_url(REDIS_URL)).count == 1
    assert "Waiting to start" in client.get(url).get_data(as_text=True)
    assert client.get(f"{url}/download").status_code == 404
    worker = _worker(database_url, queue_name)
    try:
        deadline = time.time() + 60
        while _job(app, wid, job_id).status in jobs.ACTIVE and time.time() < deadline:
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait()
    done = _job(app, wid, job_id)
    assert done.status == "done", done.error
    assert done.worker and str(worker.pid) in done.worker
    assert "The file is ready" in client.get(f"{url}/status").get_data(as_text=True)
    download = client.get(f"{url}/download")
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="harbour-test-hotels.xlsx"'
    )
    direct = client.get(f"/workspaces/{wid}/export/xlsx")
    assert same_content("xlsx", download.data, direct.data)
