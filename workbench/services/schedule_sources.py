"""The sources of due work the scheduler runs, and the housekeeping among them.

`SOURCES` is the registry: `workbench tick`, the app's scheduler thread and the RQ tick all
run what it lists, and the schedule page shows it. A new kind of recurring work adds a
`schedule.Source` here: a name, a title, its cadence in words, `due(session, now)` listing
the occurrences due (each with a stable key) and `upcoming(session, now)`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session

from workbench.services import exchange_jobs
from workbench.services.schedule import DueItem, RunContext, Source

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


def _purge_due(_session: Session, now: datetime) -> list[DueItem]:
    start = day_start(now)
    return [
        DueItem(
            key=f"{PURGE_JOB_FILES}:{start.date().isoformat()}",
            due_at=start,
            label="Delete the stored files of old exports and imports",
            run=_purge_run,
        )
    ]


def _purge_upcoming(_session: Session, now: datetime) -> datetime:
    return day_start(now) + timedelta(days=1)


PURGE_SOURCE = Source(
    name=PURGE_JOB_FILES,
    title="Delete the stored files of old exports and imports",
    cadence="Once a day, from 00:00 UTC",
    due=_purge_due,
    upcoming=_purge_upcoming,
)

# Every source the scheduler runs, in the order each tick asks them.
SOURCES: tuple[Source, ...] = (PURGE_SOURCE,)
