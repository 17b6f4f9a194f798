"""The demo's fed metric: a small SQLite desk log in the feed folder, a feed and one run."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.cadence import add_months
from workbench.analysis.feed_rows import next_run
from workbench.analysis.freshness import months_to_bring_forward
from workbench.models import (
    Direction,
    FeedKind,
    FeedSchedule,
    Goal,
    Metric,
    MetricFeed,
    MetricObjective,
    Objective,
    Workspace,
)
from workbench.models.base import utcnow
from workbench.services import feed_runs, feed_sources, feeds
from workbench.services.demo import load_document, shifted
from workbench.services.departments import Resolver
from workbench.services.tenancy import scope_session


def write_desk_log(path: Path, days: list[date], log: dict[str, list[int]]) -> None:
    """Write the desk log database, replacing any earlier one in a single step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and moved over it, so a reader never sees half a file.
    handle, scratch = tempfile.mkstemp(suffix=".sqlite3", dir=path.parent)
    os.close(handle)
    with sqlite3.connect(scratch) as connection:
        connection.execute("CREATE TABLE desk_log (logged_on TEXT, hotel TEXT, complaints INT)")
        connection.executemany(
            "INSERT INTO desk_log VALUES (?, ?, ?)",
            [
                (day.isoformat(), hotel, count)
                for hotel, counts in log.items()
                for day, count in zip(days, counts, strict=True)
            ],
        )
    connection.close()
    os.replace(scratch, path)


def fill_feed(session: Session, workspace: Workspace, seeds_dir: Path, today: date) -> bool:
    """Add the fed metric, its desk log and its feed, and run it once, unless a feed exists.

    The desk log's days and the goal's dates move by whole months so the latest day falls
    within the month up to `today`, as the other demo readings do: the fed metric stays
    current, and no day is in the future (a feed refuses those).
    """
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(MetricFeed.id))):
        return False
    document = load_document(seeds_dir / "demo_feed.yaml")
    seed_days = [
        day if isinstance(day, date) else date.fromisoformat(str(day)) for day in document["dates"]
    ]
    months = months_to_bring_forward(max(seed_days), today)
    entry = document["metric"]
    position = (session.scalar(select(func.max(Metric.position))) or 0) + 1
    metric = Metric(
        name=entry["name"],
        definition=entry.get("definition", ""),
        unit=entry.get("unit", ""),
        direction=Direction(entry["direction"]),
        min_value=entry.get("min_value"),
        max_value=entry.get("max_value"),
        frequency=entry.get("frequency", "monthly"),
        department=Resolver(session).key_for(entry.get("department", "")),
        owner=entry.get("owner", ""),
        position=position,
    )
    session.add(metric)
    session.flush()
    objectives = {o.title: o.id for o in session.scalars(select(Objective))}
    for title in entry.get("objectives") or []:
        if title in objectives:
            session.add(MetricObjective(metric_id=metric.id, objective_id=objectives[title]))
    goal = dict(entry.get("goal") or {})
    for key in ("baseline_date", "target_date"):
        if goal.get(key) is not None:
            goal[key] = shifted(goal[key], months)
    session.add(Goal(metric_id=metric.id, **goal))
    settings = feeds.limits()
    source = settings.roots[0] / str(document["database"])
    days = [add_months(day, months) for day in seed_days]
    write_desk_log(source, days, document["log"])
    feed = MetricFeed(
        metric_id=metric.id,
        kind=FeedKind.SQL,
        url_encrypted=feed_sources.encrypt_url(f"sqlite:///{source}", feeds.feed_key()),
        query=" ".join(str(document["query"]).split()),
        schedule=FeedSchedule(document.get("schedule", "monthly")),
        hour=int(document.get("hour", 6)),
        enabled=True,
    )
    feed.next_run_at = next_run(utcnow(), feed.schedule.value, feed.hour)
    session.add(feed)
    session.flush()
    feed_runs.run_feed(session, feed, None, today, settings, feeds.feed_key())
    return True
