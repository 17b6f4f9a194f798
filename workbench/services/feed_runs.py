"""A feed run: read the source, check every row, then write all of them or none.

Each row becomes a reading of the metric on its day (and site). A reading this feed wrote
before is updated when the source's value changed and left alone when not, so running the
same period again changes nothing. A reading entered by hand (or written by another feed)
is never overwritten: the row is reported as a conflict and the reading kept. A reading a
person deleted, or changed, is theirs too (services/feed_holds.py): a deleted one's day is
held out, reported apart and never written again until someone releases it. One refused
row (an unreadable date or value, an unknown site, a value out of the metric's range, a day
given twice) rejects the whole run, with every refused row named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.feed_rows import (
    REJECTED_KEPT,
    FeedRow,
    RawRow,
    check_rows,
    run_message,
)
from workbench.database import write_intent
from workbench.models import (
    FeedKind,
    FeedOutcome,
    FeedRun,
    Job,
    Measurement,
    Metric,
    MetricFeed,
    Site,
    User,
)
from workbench.models.base import utcnow
from workbench.services import feed_holds, feed_sources, feeds, jobs
from workbench.services.audit import set_actor
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.feed_sources import Limits

# Kinds of rows a successful run lists without writing them (the rest are refused rows).
KEPT_KINDS = ("conflict", "held")
OUTCOME_LABELS = {
    FeedOutcome.RUNNING.value: "Running",
    FeedOutcome.SUCCEEDED.value: "Succeeded",
    FeedOutcome.REJECTED.value: "Rejected: nothing was written",
    FeedOutcome.FAILED.value: "Failed: nothing was written",
}


def read_source(feed: MetricFeed, settings: Limits, key: str) -> list[RawRow]:
    """Read the feed's rows from its database or file, checking the address again first."""
    if feed.kind is FeedKind.FILE:
        return feed_sources.read_file(
            feed_sources.check_file_path(feed.file_path, settings.roots), settings
        )
    if not feed.url_encrypted:
        raise ServiceError("The feed has no database address; enter one.")
    url = feed_sources.check_url(feed_sources.decrypt_url(feed.url_encrypted, key), settings)
    return feed_sources.read_sql(url, feed.query, settings)


def _rejections(items: list[tuple[int, str]], kind: str) -> list[dict[str, Any]]:
    return [{"row": number, "reason": reason, "kind": kind} for number, reason in items]


@dataclass
class Applied:
    """What writing the checked rows did: counts, and the rows kept or held out, in words."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    held: list[tuple[int, str]] = field(default_factory=list)


def apply_rows(
    session: Session, feed: MetricFeed, rows: tuple[FeedRow, ...], names: dict[int, str]
) -> Applied:
    """Write checked rows, leaving alone readings entered by hand and days held out."""
    existing = {
        (row.measured_on, row.site_id): row
        for row in session.scalars(
            select(Measurement).where(Measurement.metric_id == feed.metric_id)
        )
    }
    held = feed_holds.held_days(session, feed.id)
    done = Applied()
    with feed_holds.feed_writing(session):
        for row in rows:
            stored = existing.get((row.on, row.site))
            where = f" for {names.get(row.site, '')}" if row.site else ""
            if stored is None and (row.on, row.site) in held:
                done.held.append(
                    (
                        row.number,
                        f"the reading of {row.on.isoformat()}{where} was deleted by hand; "
                        f"the source's {row.value:g} is not written.",
                    )
                )
            elif stored is None:
                session.add(
                    Measurement(
                        metric_id=feed.metric_id,
                        measured_on=row.on,
                        value=row.value,
                        note="",
                        site_id=row.site,
                        feed_id=feed.id,
                    )
                )
                done.added += 1
            elif stored.feed_id != feed.id:
                source = "entered by hand" if stored.feed_id is None else "written by another feed"
                done.conflicts.append(
                    (
                        row.number,
                        f"the reading of {row.on.isoformat()}{where} ({stored.value:g}) was "
                        f"{source}; it is kept and the source's {row.value:g} is not written.",
                    )
                )
            elif stored.value == row.value:
                done.unchanged += 1
            else:
                stored.value = row.value
                done.updated += 1
        session.flush()
    return done


def fetch(feed: MetricFeed, settings: Limits, key: str) -> list[RawRow] | str:
    """Read the feed's rows, or return why they could not be read (masked, safe to show)."""
    try:
        return read_source(feed, settings, key)
    except ServiceError as error:
        return feed_sources.mask(error.message)[:500]


def run_feed(
    session: Session, feed: MetricFeed, job_id: int | None, today: date, settings: Limits, key: str
) -> FeedRun:
    """Read the feed's source and record the run (see `record_run`); the caller commits."""
    return record_run(session, feed, job_id, today, fetch(feed, settings, key))


def record_run(
    session: Session,
    feed: MetricFeed,
    job_id: int | None,
    today: date,
    fetched: list[RawRow] | str,
) -> FeedRun:
    """Check the rows read and record the run; readings are written only if none is refused.

    The run's record is added to the session in every case; the caller commits.
    """
    run = FeedRun(feed_id=feed.id, job_id=job_id, started_at=utcnow())
    metric = session.get(Metric, feed.metric_id)
    if metric is None:
        raise NotFoundError("The metric of this feed has gone.")
    if isinstance(fetched, str):
        run.outcome, run.message = FeedOutcome.FAILED, fetched
        return _finished(session, run)
    raw = fetched
    sites = {name.casefold(): i for i, name in session.execute(select(Site.id, Site.name))}
    check = check_rows(raw, metric.unit, metric.min_value, metric.max_value, sites, today)
    run.rows_read = len(raw)
    if check.rejected:
        run.outcome = FeedOutcome.REJECTED
        run.rows_rejected = len(check.rejected)
        refused = [(item.number, item.reason) for item in check.rejected]
        run.rejected = _rejections(refused[:REJECTED_KEPT], "rejected")
        count = len(check.rejected)
        run.message = f"{count} row{'s' if count != 1 else ''} refused, so nothing was written."
        return _finished(session, run)
    if not raw:
        run.outcome, run.message = FeedOutcome.SUCCEEDED, "The source gave no rows."
        return _finished(session, run)
    names = {i: name for name, i in sites.items()}
    done = apply_rows(session, feed, check.rows, names)
    run.outcome = FeedOutcome.SUCCEEDED
    run.rows_added, run.rows_updated, run.rows_unchanged = done.added, done.updated, done.unchanged
    run.rows_rejected = 0
    run.rows_held = len(done.held)
    kept = _rejections(done.conflicts, "conflict") + _rejections(done.held, "held")
    run.rejected = kept[:REJECTED_KEPT]
    run.message = run_message(len(done.conflicts), len(done.held))
    return _finished(session, run)


def _finished(session: Session, run: FeedRun) -> FeedRun:
    run.finished_at = utcnow()
    session.add(run)
    session.flush()
    return run


def counts(run: FeedRun) -> dict[str, int]:
    """The run's counts by name, as a job's result and the pages show them."""
    return {
        "read": run.rows_read,
        "added": run.rows_added,
        "updated": run.rows_updated,
        "unchanged": run.rows_unchanged,
        "rejected": run.rows_rejected,
        "kept": sum(1 for item in run.rejected or [] if item.get("kind") == "conflict"),
        "held": run.rows_held or 0,
    }


def feed_handler(context: jobs.JobContext) -> dict[str, Any]:
    """Run one feed as a job; a run that writes nothing fails the job with its reason.

    The source is read before the write transaction begins, so on SQLite the workbench
    keeps saving while a slow query runs; the feed's row is then locked (PostgreSQL) so two
    runs of one feed write one after the other.
    """
    session = context.session
    feed_id = context.payload.get("feed_id")
    context.stage("Reading the source", 10)
    with write_intent(False):
        feed = session.get(MetricFeed, feed_id) if isinstance(feed_id, int) else None
        if feed is None:
            raise NotFoundError("This feed has been deleted.")
        fetched = fetch(feed, feeds.limits(), feeds.feed_key())
        session.commit()
    context.stage("Checking and writing the rows", 60)
    requester = session.get(User, context.requested_by_id) if context.requested_by_id else None
    set_actor(
        session, requester.id if requester else None, requester.email if requester else "feed"
    )
    feed = session.scalar(select(MetricFeed).where(MetricFeed.id == feed_id).with_for_update())
    if feed is None:
        raise NotFoundError("This feed has been deleted.")
    run = record_run(session, feed, context.job_id, date.today(), fetched)
    session.commit()
    if run.outcome is not FeedOutcome.SUCCEEDED:
        raise ServiceError(run.message or "The feed run wrote nothing.")
    return {"run_id": run.id, "metric_id": feed.metric_id, **counts(run)}


# --------------------------------------------------------------------------- views


def run_view(run: FeedRun) -> dict[str, Any]:
    """Plain values of a run for the pages."""
    return {
        "id": run.id,
        "job_id": run.job_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "outcome": run.outcome.value,
        "outcome_label": OUTCOME_LABELS[run.outcome.value],
        "message": run.message,
        "counts": counts(run),
        "rejected": [i for i in run.rejected or [] if i.get("kind") not in KEPT_KINDS],
        "conflicts": [i for i in run.rejected or [] if i.get("kind") == "conflict"],
        "held": [i for i in run.rejected or [] if i.get("kind") == "held"],
        "more_rejected": max(0, run.rows_rejected - len(run.rejected or [])),
    }


def recent_runs(session: Session, feed_id: int, limit: int = 5) -> list[FeedRun]:
    """The feed's latest runs, newest first."""
    return list(
        session.scalars(
            select(FeedRun)
            .where(FeedRun.feed_id == feed_id)
            .order_by(FeedRun.started_at.desc(), FeedRun.id.desc())
            .limit(limit)
        )
    )


def summary(session: Session, metric_id: int) -> dict[str, Any] | None:
    """What the metric page shows of its feed, or None without one. Never the address."""
    feed = feeds.get_feed(session, metric_id)
    if feed is None:
        return None
    runs = recent_runs(session, feed.id)
    waiting = feeds.active_run(session, feed.id, expire=False)
    return {
        "id": feed.id,
        "kind": feed.kind.value,
        "kind_label": feeds.KIND_LABELS[feed.kind.value],
        "has_url": bool(feed.url_encrypted),
        "query": feed.query,
        "file_path": feed.file_path,
        "schedule_label": feeds.SCHEDULE_LABELS[feed.schedule.value],
        "hour": feed.hour,
        "enabled": feed.enabled,
        "next_run_at": feed.next_run_at,
        "attention": feeds.attention(feed),
        "last": run_view(runs[0]) if runs else None,
        "earlier": [run_view(run) for run in runs[1:]],
        "active_job_id": waiting.id if waiting else None,
        "holds": feed_holds.holds_view(session, feed.id),
    }


def job_view(session: Session, metric_id: int, job_id: int) -> dict[str, Any]:
    """Plain values for a run's job page: state, progress, and the run once recorded."""
    job: Job = jobs.get(session, job_id, feeds.KIND)
    feed = feeds.get_feed(session, metric_id)
    if feed is None or (job.payload or {}).get("feed_id") != feed.id:
        raise NotFoundError("There is no such run of this metric's feed.")
    run = session.scalar(
        select(FeedRun).where(FeedRun.job_id == job.id).order_by(FeedRun.id.desc())
    )
    return {
        "id": job.id,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "error": job.error,
        "finished": job.finished,
        "run": run_view(run) if run else None,
    }
