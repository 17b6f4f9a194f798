"""The sources of due work the scheduler runs, and the housekeeping among them.

`SOURCES` is the registry: `workbench tick`, the app's scheduler thread and the RQ tick all
run what it lists, and the schedule page shows it. A new kind of recurring work adds a
`schedule.Source` here: a name, a title, its cadence in words, `due(session, now)` listing
the occurrences due (each with a stable key) and `upcoming(session, now)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import MetricFeed
from workbench.services import exchange_jobs, feeds, job_backends, reminder_runner
from workbench.services.schedule import DueItem, RunContext, Source
from workbench.services.tenancy import scope_session

PURGE_JOB_FILES = "purge-job-files"


def purge_job_files(session: Session, age: timedelta, now: datetime | None = None) -> str:
    """Delete finished jobs' files older than `age` (in the session's scope); say how many."""
    removed = exchange_jobs.purge_old_files(session, age, now)
    return f"Deleted {removed} job file(s) older than {age / timedelta(days=1):g} day(s)."


def day_start(now: datetime) -> datetime:
    """Return midnight UTC of the day `now` falls on."""
    return datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)


def _purge_run(context: RunContext) -> str:
    return purge_job_files(context.session, exchange_jobs.max_file_age(), context.now)


def hour_start(now: datetime) -> datetime:
    """Return the start of the UTC hour `now` falls in."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def periodic_source(
    name: str,
    title: str,
    cadence: str,
    period: tuple[Callable[[datetime], datetime], timedelta, str],
    run: Callable[[RunContext], str],
) -> Source:
    """A source with one occurrence per period: `period` is (its start of `now`, its length,
    the key's date format), so each period's key names it and runs once."""
    start_of, length, key_format = period

    def due(_session: Session, now: datetime) -> list[DueItem]:
        start = start_of(now)
        return [DueItem(key=f"{name}:{start:{key_format}}", due_at=start, label=title, run=run)]

    def upcoming(_session: Session, now: datetime) -> datetime:
        return start_of(now) + length

    return Source(name=name, title=title, cadence=cadence, due=due, upcoming=upcoming)


DAILY = (day_start, timedelta(days=1), "%Y-%m-%d")
# Hourly for the reminders: each reminder has its own send-once key, so an hour only bounds
# how late a due-day reminder can leave; a run that finds nothing new sends nothing.
HOURLY = (hour_start, timedelta(hours=1), "%Y-%m-%dT%H")

PURGE_SOURCE = periodic_source(
    PURGE_JOB_FILES,
    "Delete the stored files of old exports and imports",
    "Once a day, from 00:00 UTC",
    DAILY,
    _purge_run,
)

REMINDERS = "owner-reminders"


def _reminders_run(context: RunContext) -> str:
    summary = reminder_runner.send_in(context.app, context.session, context.now)
    return (
        f"Sent {len(summary.sent)} message(s); {len(summary.opted_out)} turned off; "
        f"{len(summary.unresolved)} without a recipient; {len(summary.failed)} failed."
    )


REMINDERS_SOURCE = periodic_source(
    REMINDERS,
    "Email owners the reminders owed (readings due or stale, goals at risk, late work)",
    "Every hour, on the hour",
    HOURLY,
    _reminders_run,
)


FEEDS = "metric-feeds"


def _feed_run(due: feeds.DueFeed, context: RunContext) -> str:
    scope_session(context.session, due.workspace_id)
    job = feeds.start_run(context.session, due.workspace_id, due.feed_id, None, due.due_at)
    app, workspace_id, job_id = context.app, due.workspace_id, job.id
    # The job is handed on only once the claim and the job's record have committed.
    context.after_commit(lambda: job_backends.start(app, workspace_id, job_id))
    return f"Started the feed's run as job {job_id}."


def _feeds_due(session: Session, now: datetime) -> list[DueItem]:
    # The runner's session sees every workspace; a schedule page's sees only its own.
    return [
        DueItem(
            key=f"feed:{due.feed_id}:{due.due_at.astimezone(UTC):%Y-%m-%dT%H:%M}",
            due_at=due.due_at,
            label=f"Run metric feed {due.feed_id}",
            run=partial(_feed_run, due),
            workspace_id=due.workspace_id,
        )
        for due in feeds.due_feeds(session, now)
    ]


def _feeds_upcoming(session: Session, now: datetime) -> datetime | None:
    return session.scalar(
        select(func.min(MetricFeed.next_run_at)).where(
            MetricFeed.enabled.is_(True), MetricFeed.next_run_at > now
        )
    )


FEEDS_SOURCE = Source(
    name=FEEDS,
    title="Read metric feeds whose next run has come",
    cadence="As each feed's schedule says (daily, weekly or monthly at its hour, UTC)",
    due=_feeds_due,
    upcoming=_feeds_upcoming,
)

# Every source the scheduler runs, in the order each tick asks them.
SOURCES: tuple[Source, ...] = (PURGE_SOURCE, FEEDS_SOURCE, REMINDERS_SOURCE)
