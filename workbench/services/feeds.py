"""Metric feeds: a metric's source, its schedule, and starting a run as a job.

`due_feeds` and `start_run` are what a scheduler calls; until one runs, "Run now" on the
metric page and `workbench feed-run FEED_ID` start runs. The run itself is in
services/feed_runs.py; reading the source safely in services/feed_sources.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.analysis.feed_rows import SCHEDULES, check_query, next_run
from workbench.analysis.text import clean_text
from workbench.models import FeedKind, FeedSchedule, Job, JobKind, Measurement, MetricFeed
from workbench.models.base import utcnow
from workbench.models.jobs import ACTIVE
from workbench.services import feed_sources, jobs
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError, StaleEditError
from workbench.services.feed_sources import Limits
from workbench.services.metrics import get_metric
from workbench.services.tenancy import current_scope, system_access

KIND = JobKind.FEED_RUN
KIND_LABELS = {FeedKind.SQL.value: "Database query", FeedKind.FILE.value: "CSV or Excel file"}
SCHEDULE_LABELS = {
    FeedSchedule.DAILY.value: "Every day",
    FeedSchedule.WEEKLY.value: "Every Monday",
    FeedSchedule.MONTHLY.value: "On the 1st of each month",
}


@dataclass(frozen=True)
class DueFeed:
    """A feed whose next run time has come: its workspace, its id and when it was due."""

    workspace_id: int
    feed_id: int
    due_at: datetime


# --------------------------------------------------------------------------- settings


def limits() -> Limits:
    """The configured feed folders, row and time caps, and the app's own database."""
    config = current_app.config
    raw = str(config.get("FEED_ROOTS") or "")
    roots = [Path(part) for part in raw.split(os.pathsep) if part.strip()]
    if not roots:
        roots = [Path(current_app.instance_path) / "feeds"]
    return Limits(
        roots=tuple(roots),
        max_rows=int(config["FEED_MAX_ROWS"]),
        timeout_seconds=int(config["FEED_TIMEOUT_SECONDS"]),
        own_database=str(config["DATABASE_URL"]),
    )


def feed_key() -> str:
    """The key feed addresses are encrypted with (WORKBENCH_FEED_KEY, else the secret key)."""
    return str(current_app.config.get("FEED_KEY") or current_app.config["SECRET_KEY"])


# --------------------------------------------------------------------------- the register


def get_feed(session: Session, metric_id: int) -> MetricFeed | None:
    """Return the metric's feed, if it has one."""
    return session.scalar(select(MetricFeed).where(MetricFeed.metric_id == metric_id))


def feed_of(session: Session, metric_id: int) -> MetricFeed:
    """Return the metric's feed or raise NotFoundError."""
    feed = get_feed(session, metric_id)
    if feed is None:
        raise NotFoundError("This metric has no feed; someone may have deleted it.")
    return feed


def _hour(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ServiceError("Give the hour as a whole number from 0 to 23 (UTC).", "hour")
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 23:
        raise ServiceError("Give the hour as a whole number from 0 to 23 (UTC).", "hour")
    return int(text)


def _checked(
    values: Mapping[str, Any], stored_url: bool, settings: Limits, key: str
) -> dict[str, Any]:
    """The fields a feed stores, each refused with a message naming it when wrong."""
    try:
        kind = FeedKind(values.get("kind") or "")
    except ValueError:
        raise ServiceError("Choose a database query or a file.", "kind") from None
    schedule = str(values.get("schedule") or "")
    if schedule not in SCHEDULES:
        raise ServiceError("Choose every day, every Monday or the 1st of each month.", "schedule")
    checked: dict[str, Any] = {
        "kind": kind,
        "schedule": FeedSchedule(schedule),
        "hour": _hour(values.get("hour", "")),
        "enabled": bool(values.get("enabled")),
        "query": "",
        "file_path": "",
    }
    if kind is FeedKind.SQL:
        raw_url = str(values.get("database_url") or "").strip()
        if raw_url:
            url = feed_sources.check_url(raw_url, settings)
            checked["url_encrypted"] = feed_sources.encrypt_url(
                url.render_as_string(hide_password=False), key
            )
        elif not stored_url:
            raise ServiceError("Enter the database address.", "database_url")
        query = clean_text(str(values.get("query") or ""))
        problem = check_query(query)
        if problem:
            raise ServiceError(problem, "query")
        checked["query"] = query
    else:
        raw_path = clean_text(str(values.get("file_path") or ""))
        feed_sources.check_file_path(raw_path, settings.roots)
        checked["file_path"] = raw_path
    return checked


def save_feed(
    session: Session,
    metric_id: int,
    loaded_version: int | None,
    values: Mapping[str, Any],
    now: datetime,
) -> MetricFeed:
    """Create the metric's feed, or save it unless someone changed the same fields meanwhile.

    Version 0 means the form was loaded without a feed. An empty database address keeps the
    stored one; a file feed forgets any stored address.
    """
    metric = get_metric(session, metric_id)
    feed = get_feed(session, metric_id)
    checked = _checked(values, bool(feed and feed.url_encrypted), limits(), feed_key())
    # The address is set apart from the merge: a conflict page must never show it.
    new_url = checked.pop("url_encrypted", None)
    if feed is None:
        if loaded_version != 0:
            # The form showed a feed that has since been deleted; the address is left out.
            raise StaleEditError("The feed", {"feed": "deleted"}, checked, 0)
        feed = MetricFeed(metric_id=metric.id, url_encrypted=new_url or "", **checked)
        session.add(feed)
    else:
        apply_versioned_edit(feed, loaded_version, checked, f"The feed of “{metric.name}”")
        if new_url:
            feed.url_encrypted = new_url
        if feed.kind is FeedKind.FILE:
            feed.url_encrypted = ""
    feed.next_run_at = next_run(now, feed.schedule.value, feed.hour) if feed.enabled else None
    session.flush()
    return feed


def attention(feed: MetricFeed) -> str | None:
    """Why the feed cannot run as it stands (for the metric page), or None when it can.

    Only a restored backup leaves a database feed without its address (the form asks for
    one), and a file feed's path may name a place this installation does not allow.
    """
    state = "stays switched off" if not feed.enabled else "cannot run"
    if feed.kind is FeedKind.SQL and not feed.url_encrypted:
        return (
            f"This feed {state} until its database address is entered again: it came from a "
            "backup, and a backup never carries an address. Whether the metric should read "
            "that database again is a facilitator's decision; if so, enter the address on "
            "the feed's page and switch the feed on."
        )
    if feed.kind is FeedKind.FILE:
        try:
            feed_sources.check_file_path(feed.file_path, limits().roots)
        except ServiceError as error:
            return f"This feed {state} until its file path is corrected: {error.message}"
    return None


def delete_feed(session: Session, metric_id: int) -> None:
    """Delete the metric's feed; the readings it wrote stay, as if entered by hand.

    Its runs and its held-out days (FeedHold) go with it, by their foreign keys.
    """
    feed = feed_of(session, metric_id)
    session.execute(
        update(Measurement)
        .where(Measurement.feed_id == feed.id)
        .values(feed_id=None)
        .execution_options(synchronize_session=False)
    )
    session.delete(feed)
    session.flush()


# --------------------------------------------------------------------------- runs


@contextmanager
def _scoped(session: Session, workspace_id: int) -> Iterator[None]:
    """Confine the session to one workspace for a while, then restore its scope."""
    saved = dict(session.info)
    session.info.pop("tenancy_system", None)
    session.info["workspace_id"] = int(workspace_id)
    try:
        yield
    finally:
        session.info.clear()
        session.info.update(saved)


def due_feeds(session: Session, now: datetime) -> list[DueFeed]:
    """Every enabled feed whose next run time has come, oldest first: in every workspace for
    the scheduler's unscoped session, only the session's own workspace for a scoped one.

    A scheduler serves the whole installation, so it reads across workspaces on purpose;
    it reads only ids and times, and each run is then started within its own workspace.
    """
    query = (
        select(MetricFeed.workspace_id, MetricFeed.id, MetricFeed.next_run_at)
        .where(
            MetricFeed.enabled.is_(True),
            MetricFeed.next_run_at.is_not(None),
            MetricFeed.next_run_at <= now,
        )
        .order_by(MetricFeed.next_run_at, MetricFeed.id)
    )
    if current_scope(session) is None:
        with system_access(session):
            rows = session.execute(query).all()
    else:
        rows = session.execute(query).all()
    return [DueFeed(w, f, due) for w, f, due in rows if due is not None]


def active_run(session: Session, feed_id: int, expire: bool = True) -> Job | None:
    """Return a run of the feed still waiting or running, if any.

    With `expire`, runs whose worker stopped are failed first (a write: pages pass False).
    """
    if expire:
        jobs.expire_stale(session)
    for job in session.scalars(
        select(Job).where(Job.kind == KIND, Job.status.in_(ACTIVE)).order_by(Job.id)
    ):
        if (job.payload or {}).get("feed_id") == feed_id:
            return job
    return None


def start_run(
    session: Session,
    workspace_id: int,
    feed_id: int,
    requested_by_id: int | None,
    due_at: datetime | None,
) -> Job:
    """Record a run of the feed as a job and move its next run on; the caller starts the job.

    A run of the same feed still waiting or running is returned instead of a second one.
    """
    with _scoped(session, workspace_id):
        feed = session.get(MetricFeed, feed_id)
        if feed is None or feed.workspace_id != workspace_id:
            raise NotFoundError("There is no such feed.")
        if feed.enabled:
            # The next slot after this one, even when the run starts late.
            after = max(utcnow(), due_at.astimezone(UTC)) if due_at else utcnow()
            feed.next_run_at = next_run(after, feed.schedule.value, feed.hour)
        job = active_run(session, feed_id)
        if job is None:
            payload = {"feed_id": feed_id, "due_at": due_at.isoformat() if due_at else None}
            job = jobs.create(session, KIND, payload, requested_by_id, reuse_active=False)
        session.flush()
        return job


def request_run(session: Session, metric_id: int, user_id: int | None) -> Job:
    """Start a run of the metric's feed now (the "Run now" button)."""
    feed = feed_of(session, metric_id)
    return start_run(session, feed.workspace_id, feed.id, user_id, None)
