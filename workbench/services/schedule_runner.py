"""What makes the schedule tick: `tick` under the lease, the app's thread, and RQ's tick job.

- `workbench tick` (cron) calls `tick` once and lets the lease go at the end.
- Without Redis, `workbench run` (and gunicorn, through its settings file) starts one daemon
  thread per process that ticks every `SCHEDULER_TICK_SECONDS` and keeps the lease while
  it lives, so of several processes one ticks and the others stand by.
- With Redis, `workbench worker --with-scheduler` runs RQ's scheduler beside the worker
  and plants a tick job; each tick job runs `tick` and plants the next one for the next
  slot. A slot's job id is derived from its time, and RQ refuses a second job with an id
  it already holds, so however many workers plant ticks, one job per slot is pending.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask
from rq.exceptions import DuplicateJobError
from sqlalchemy.orm import Session

from workbench.extensions import db
from workbench.models import ScheduleLease
from workbench.models.base import utcnow
from workbench.services import job_backends, schedule_lease
from workbench.services.jobs import worker_label
from workbench.services.schedule import ItemResult, Source, SourceView, overview, run_due
from workbench.services.schedule_lease import Lease
from workbench.services.schedule_sources import SOURCES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    """What one tick did: ran the due work, or stood by because another holds the lease."""

    ran: bool
    holder: str
    results: list[ItemResult] = field(default_factory=list)
    other: Lease | None = None

    def lines(self) -> list[str]:
        """One line per item, or one line saying why nothing ran."""
        if not self.ran:
            if self.other is None:
                return ["Another process took the schedule at the same moment; nothing was run."]
            until = self.other.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            return [f"{self.other.holder} runs the schedule until {until} UTC; nothing was run."]
        return [result.line() for result in self.results] or ["Nothing is due."]


def lease_length(app: Flask) -> timedelta:
    """Return how long a tick holds the lease (SCHEDULER_LEASE_SECONDS)."""
    return timedelta(seconds=float(app.config["SCHEDULER_LEASE_SECONDS"]))


def tick_interval(app: Flask) -> timedelta:
    """Return how often the thread and the RQ tick run (SCHEDULER_TICK_SECONDS)."""
    return timedelta(seconds=float(app.config["SCHEDULER_TICK_SECONDS"]))


def tick(
    app: Flask,
    sources: tuple[Source, ...] = SOURCES,
    now: datetime | None = None,
    holder: str | None = None,
    keep_lease: bool = False,
) -> TickReport:
    """Take the lease and run whatever is due; with `keep_lease` hold it for the next tick."""
    now = now or utcnow()
    holder = holder or worker_label()
    with app.app_context():
        engine = db.engine
        if not schedule_lease.take(engine, holder, now, lease_length(app)):
            return TickReport(False, holder, other=schedule_lease.current(engine, now))
    try:
        results = run_due(app, sources, now, holder)
    finally:
        if not keep_lease:
            with app.app_context():
                schedule_lease.release(db.engine, holder, now)
    return TickReport(True, holder, results)


# --------------------------------------------------------------------------- the app's thread


class _Ticker(threading.Thread):
    """Ticks on a timer in the app's process until stopped (or the process ends)."""

    def __init__(self, app: Flask, every: float) -> None:
        super().__init__(name="schedule-ticker", daemon=True)
        self.app, self.every = app, every
        self.stopped = threading.Event()
        self.holder = ""

    def run(self) -> None:
        """Tick now, then every `every` seconds; a failed tick is logged and the next tried."""
        self.holder = worker_label()
        while True:
            try:
                for line in tick(self.app, holder=self.holder, keep_lease=True).lines():
                    log.info("schedule: %s", line)
            except Exception:
                log.exception("schedule tick failed")
            if self.stopped.wait(self.every):
                return

    def release(self) -> None:
        """Let the lease go, so another process need not wait for it to expire."""
        if self.holder:
            with self.app.app_context():
                schedule_lease.release(db.engine, self.holder, utcnow())


_ticker: _Ticker | None = None
_ticker_pid = 0
_ticker_lock = threading.Lock()


def start_ticker(app: Flask) -> bool:
    """Start this process's scheduler thread if configured for it; return whether it started.

    It starts only with SCHEDULER_ENABLED and the "thread" job backend (no Redis): with
    Redis the workers tick (`workbench worker --with-scheduler`), and tests run inline.
    """
    global _ticker, _ticker_pid
    if not app.config.get("SCHEDULER_ENABLED"):
        return False
    if job_backends.backend_name(app) != "thread":
        return False
    with _ticker_lock:
        if _ticker is not None and _ticker_pid == os.getpid() and _ticker.is_alive():
            return False
        _ticker = _Ticker(app, tick_interval(app).total_seconds())
        _ticker_pid = os.getpid()
        _ticker.start()
    atexit.register(_ticker.release)
    return True


def stop_ticker(timeout: float = 10.0) -> None:
    """Stop this process's scheduler thread, if any, and let its lease go."""
    global _ticker
    with _ticker_lock:
        ticker, _ticker = _ticker, None
    if ticker is None:
        return
    ticker.stopped.set()
    ticker.join(timeout)
    atexit.unregister(ticker.release)
    ticker.release()


# --------------------------------------------------------------------------- RQ


def next_slot(now: datetime, interval: timedelta) -> datetime:
    """Return the first whole multiple of `interval` (since the epoch) after `now`."""
    step = max(interval.total_seconds(), 1.0)
    slot = math.floor(now.timestamp() / step + 1) * step
    return datetime.fromtimestamp(slot, tz=UTC)


def tick_job_id(app: Flask, at: datetime) -> str:
    """Return the RQ job id of the tick planned for `at` on this app's queue."""
    queue = re.sub(r"[^A-Za-z0-9_-]", "-", str(app.config["JOBS_QUEUE"]))[:80]
    return f"workbench-tick-{queue}-{int(at.timestamp())}"


def schedule_tick(app: Flask, at: datetime | None = None) -> str | None:
    """Plant the tick job for `at` (default: the next slot); None if it is planted already."""
    at = at or next_slot(utcnow(), tick_interval(app))
    job_id = tick_job_id(app, at)
    try:
        job_backends.queue_for(app).enqueue_at(
            at,
            rq_tick,
            job_id=job_id,
            unique=True,
            job_timeout=int(app.config["JOB_TIMEOUT_SECONDS"]),
            result_ttl=3600,
            failure_ttl=24 * 3600,
            description="workbench schedule tick",
        )
    except DuplicateJobError:
        return None
    return job_id


def rq_tick() -> str:
    """The function the tick job runs in a worker: tick, then plant the next tick."""
    app = job_backends.worker_app()
    try:
        # The slot's unique id already keeps one tick per slot among the workers; the lease
        # is let go at once so whichever worker takes the next slot may tick.
        report = tick(app)
    finally:
        schedule_tick(app)
    return "\n".join(report.lines())


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class SchedulePage:
    """The schedule page's values: each source, and when the schedule was last looked at."""

    sources: list[SourceView]
    last_tick: datetime | None
    last_holder: str
    quiet: bool  # nothing has ticked within the lease: the schedule is not running


def schedule_page(session: Session, now: datetime, workspace_id: int) -> SchedulePage:
    """Read what the schedule page of a workspace shows (its runs and the system's)."""
    lease = session.get(ScheduleLease, schedule_lease.TICK)
    views = overview(session, SOURCES, now, workspace_id)
    if lease is None:
        return SchedulePage(views, None, "", True)
    # A holder renews at every tick, so a lease expired well before now means nobody ticks.
    quiet = lease.expires_at < now - timedelta(minutes=5)
    return SchedulePage(views, lease.taken_at, lease.holder, quiet)
