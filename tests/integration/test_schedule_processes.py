"""The schedule across processes: simultaneous ticks, a crashed run, cron, `run`, RQ on Redis."""

from __future__ import annotations

import multiprocessing
import os
import socket
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
from rq.registry import ScheduledJobRegistry

from tests.conftest import BASE_CONFIG
from tests.integration.schedule_support import (
    claim_outcomes,
    claims,
    job_file_count,
    line_writer,
    old_job_files,
    source,
)
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import ClaimOutcome
from workbench.models.base import utcnow
from workbench.services import job_backends, schedule, schedule_lease, schedule_runner
from workbench.services.schedule import RunContext

WORKBENCH = str(Path(sys.executable).with_name("workbench"))
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
SPAWN = multiprocessing.get_context("spawn")
KEYS = [f"line:{n}" for n in range(6)]


def _child_app(database_url: str, **extra: Any) -> Flask:
    return create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **extra})


def _tick_together(database_url: str, path: str, barrier: Any, answers: Any) -> None:
    """In a process of its own: wait for the other, then run what is due (no lease)."""
    app = _child_app(database_url)
    lines = source("lines", KEYS, line_writer(path, 0.15))
    barrier.wait(timeout=60)
    results = schedule.run_due(app, (lines,))
    answers.put([(result.key, result.outcome) for result in results])


def _crash_midway(database_url: str) -> None:
    """In a process of its own: claim an occurrence and die while running it."""
    app = _child_app(database_url)

    def die(_context: RunContext) -> str:
        os._exit(3)

    schedule.run_due(app, (source("crash", ["crash:1"], die),))


def test_two_processes_ticking_at_once_run_each_item_once(
    database_url: str, tmp_path: Path
) -> None:
    path = str(tmp_path / "lines.txt")
    barrier, answers = SPAWN.Barrier(2), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=_tick_together, args=(database_url, path, barrier, answers))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    reports = [answers.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    written = Path(path).read_text(encoding="utf-8").split("\n")[:-1]
    assert sorted(line.split()[0] for line in written) == sorted(KEYS)  # each exactly once
    done = [key for report in reports for key, outcome in report if outcome == "done"]
    taken = [key for report in reports for key, outcome in report if outcome == "taken"]
    assert sorted(done) == sorted(KEYS)
    # The other process lost the insert for some; the rest it saw claimed before trying.
    assert taken and set(taken) <= set(KEYS)
    # Both processes did part of the work: they really ran side by side.
    assert len({line.split()[1] for line in written}) == 2
    app = _child_app(database_url)
    assert claim_outcomes(app) == dict.fromkeys(KEYS, ClaimOutcome.DONE)
    with app.app_context():
        db.engine.dispose()


def test_a_crashed_run_is_reported_failed_and_not_run_again(database_url: str) -> None:
    crashing = SPAWN.Process(target=_crash_midway, args=(database_url,))
    crashing.start()
    crashing.join(120)
    assert crashing.exitcode == 3
    patient = _child_app(database_url)  # a run may take an hour before it is taken for dead
    assert claim_outcomes(patient) == {"crash:1": ClaimOutcome.RUNNING}
    calls: list[str] = []
    again = source("crash", ["crash:1"], lambda c: calls.append(c.item.key) or "ran")
    # Not yet stale: still shown as running, and not taken over.
    assert schedule.run_due(patient, (again,)) == []
    with patient.app_context():
        db.engine.dispose()
    app = _child_app(database_url, SCHEDULE_RUN_STALE_SECONDS=0.5)
    time.sleep(0.6)
    results = schedule.run_due(app, (again,))
    assert [(r.key, r.outcome) for r in results] == [("crash:1", "stopped")]
    assert "stopped before it finished" in results[0].text
    assert schedule.run_due(app, (again,)) == [] and calls == []
    (row,) = claims(app)
    assert row.outcome == ClaimOutcome.FAILED and row.finished_at is not None
    assert row.error == schedule.STOPPED
    with app.app_context():
        db.engine.dispose()


def _cli(database_url: str, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WORKBENCH_DATABASE_URL": database_url,
        "WORKBENCH_SECRET_KEY": "schedule-test",
        **env,
    }
    return subprocess.Popen(
        [WORKBENCH, *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_tick_commands_at_once_purge_once(database_url: str, team: dict[str, Any]) -> None:
    app = _child_app(database_url)
    old_job_files(app, [team["workspace_id"], team["foreign_id"]])
    commands = [_cli(database_url, "tick") for _ in range(2)]
    outputs = [command.communicate(timeout=120) for command in commands]
    assert [command.returncode for command in commands] == [0, 0], outputs
    lines = [line for out, _err in outputs for line in out.splitlines()]
    day = utcnow().date().isoformat()
    ran = f"done    purge-job-files:{day}  Deleted 2 job file(s) older than 7 day(s)."
    assert lines.count(ran) == 1, lines
    # The hourly reminders ran once too; they are the scheduler's other source.
    reminders = [line for line in lines if "owner-reminders:" in line]
    assert sum(line.startswith("done    owner-reminders:") for line in reminders) == 1, lines
    # The other either found the lease taken, found the occurrence done, or lost the claim.
    other = [line for line in lines if line != ran and "owner-reminders:" not in line]
    assert len(other) == 1 and (
        "runs the schedule until" in other[0]
        or "took the schedule at the same moment" in other[0]
        or other[0] == "Nothing is due."
        or other[0].startswith(f"taken   purge-job-files:{day}")
    ), other
    assert job_file_count(app) == 0
    purges = [row.key for row in claims(app) if row.source == "purge-job-files"]
    assert purges == [f"purge-job-files:{day}"]
    # Once more: nothing (unless a new hour began, which only the reminders notice); and
    # while another host holds the lease, it says who.
    again = _cli(database_url, "tick")
    out, _err = again.communicate(timeout=120)
    assert again.returncode == 0
    assert out == "Nothing is due.\n" or out.startswith("done    owner-reminders:"), out
    with app.app_context():
        schedule_lease.take(db.engine, "host-b:77:main", utcnow(), timedelta(minutes=3))
        db.engine.dispose()
    held = _cli(database_url, "tick")
    out, _err = held.communicate(timeout=120)
    assert held.returncode == 0 and out.startswith("host-b:77:main runs the schedule until ")
    assert out.rstrip().endswith("UTC; nothing was run.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_workbench_run_ticks_in_its_thread_without_redis(database_url: str) -> None:
    app = _child_app(database_url)
    server = _cli(
        database_url,
        "run",
        "--port",
        str(_free_port()),
        WORKBENCH_SCHEDULER_ENABLED="true",
        WORKBENCH_REDIS_URL="",
    )
    try:
        deadline = time.monotonic() + 60
        # Claimed first, then finished: wait for the run's outcome, not only its claim.
        while not any(row.finished_at for row in claims(app)) and time.monotonic() < deadline:
            assert server.poll() is None, server.communicate()[1][-2000:]
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)
    finished = [row for row in claims(app) if row.finished_at]
    assert finished and all(row.outcome == ClaimOutcome.DONE for row in finished)
    assert all(row.holder.endswith(":schedule-ticker") for row in finished)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own for one test, emptied (with its planned ticks) afterwards."""
    name = f"wb-test-{uuid.uuid4().hex[:12]}"
    yield name
    queue = Queue(name, connection=Redis.from_url(REDIS_URL))
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    queue.delete(delete_jobs=True)
    job_backends.bind_worker_app(None)  # type: ignore[arg-type]


def test_an_rq_worker_with_the_scheduler_runs_a_tick_and_plans_the_next(
    database_url: str, queue_name: str, team: dict[str, Any]
) -> None:
    app = _child_app(
        database_url,
        JOBS_INLINE=False,
        JOBS_BACKEND="rq",
        REDIS_URL=REDIS_URL,
        JOBS_QUEUE=queue_name,
        # Hourly slots: the next one cannot change while the test runs.
        SCHEDULER_TICK_SECONDS=3600,
    )
    old_job_files(app, [team["workspace_id"]])
    now = utcnow()
    planted = schedule_runner.schedule_tick(app, at=now)
    assert planted == schedule_runner.tick_job_id(app, now)
    assert schedule_runner.schedule_tick(app, at=now) is None  # one job per slot
    assert claims(app) == []  # nothing runs until a worker takes the tick
    job_backends.work(app, burst=True, with_scheduler=True)
    (row,) = [row for row in claims(app) if row.source == "purge-job-files"]
    assert row.outcome == ClaimOutcome.DONE and row.summary.startswith("Deleted 1 job file(s)")
    assert job_file_count(app) == 0
    # The tick planted the next one, and only that one is pending.
    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    pending = ScheduledJobRegistry(queue=queue).get_job_ids()
    next_slot = schedule_runner.next_slot(utcnow(), schedule_runner.tick_interval(app))
    assert pending == [schedule_runner.tick_job_id(app, next_slot)]
    assert schedule_runner.schedule_tick(app) is None
    assert queue.count == 0
    with app.app_context():
        # The tick let the lease go, so whichever worker takes the next slot may tick.
        assert schedule_lease.current(db.engine, utcnow()) is None
        db.engine.dispose()


def test_the_worker_command_plants_one_tick_however_often_it_starts(
    database_url: str, queue_name: str
) -> None:
    env = {"WORKBENCH_REDIS_URL": REDIS_URL, "WORKBENCH_SCHEDULER_TICK_SECONDS": "3600"}
    for _ in range(2):
        worker = _cli(
            database_url, "worker", "--burst", "--with-scheduler", "--queue", queue_name, **env
        )
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    (planted,) = ScheduledJobRegistry(queue=queue).get_job_ids()
    assert planted.startswith(f"workbench-tick-{queue_name}-")
    assert int(planted.rsplit("-", 1)[1]) % 3600 == 0
