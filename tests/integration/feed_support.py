"""Helpers of the feed tests: a metric, a source database or file, a run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, make_url, select, text

from workbench.extensions import db
from workbench.models import FeedRun, Job, Measurement
from workbench.models.base import utcnow
from workbench.services import feeds, job_backends
from workbench.services import metrics as metric_service
from workbench.services.tenancy import scope_session

QUERY = "SELECT day AS date, value, site FROM readings ORDER BY day"


def feed_root(app: Flask, tmp_path: Path) -> Path:
    """Point the app's feed folder at a folder of the test."""
    root = tmp_path / "feeds"
    root.mkdir(exist_ok=True)
    app.config["FEED_ROOTS"] = str(root)
    return root


def make_metric(app: Flask, wid: int, name: str = "Share resolved", **extra: Any) -> int:
    """A percentage metric (0 to 100) of the workspace; return its id."""
    with app.app_context():
        scope_session(db.session, wid)
        values = {"name": name, "unit": "percent", "direction": "higher"}
        values |= {"min_value": 0.0, "max_value": 100.0} | extra
        metric = metric_service.create_metric(db.session, values)
        db.session.commit()
        return metric.id


def sqlite_source(path: Path, rows: Iterable[tuple[Any, Any, Any]]) -> Path:
    """A SQLite database with a readings table (day, value, site)."""
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE IF EXISTS readings")
        connection.execute("CREATE TABLE readings (day TEXT, value, site TEXT)")
        connection.executemany("INSERT INTO readings VALUES (?, ?, ?)", list(rows))
    return path


@contextmanager
def postgres_source(base_url: str, name: str) -> Iterator[str]:
    """A separate PostgreSQL database beside the test one, dropped afterwards; its URL."""
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def save(app: Flask, wid: int, metric_id: int, **values: Any) -> int:
    """Create or replace the metric's feed through the service; return its id."""
    with app.app_context():
        scope_session(db.session, wid)
        current = feeds.get_feed(db.session, metric_id)
        given = {"kind": "sql", "schedule": "daily", "hour": "6", "enabled": True} | values
        feed = feeds.save_feed(
            db.session, metric_id, current.version if current else 0, given, utcnow()
        )
        db.session.commit()
        return feed.id


def run(app: Flask, wid: int, metric_id: int) -> tuple[Job, FeedRun | None]:
    """Run the metric's feed as a job (inline) and return the job and its run."""
    with app.app_context():
        scope_session(db.session, wid)
        job = feeds.request_run(db.session, metric_id, None)
        job_id = job.id
        db.session.commit()
        db.session.remove()
        job_backends.start(app, wid, job_id)
        scope_session(db.session, wid)
        done = db.session.get_one(Job, job_id)
        found = db.session.scalar(select(FeedRun).where(FeedRun.job_id == job_id))
        db.session.expunge_all()
        return done, found


def readings(
    app: Flask, wid: int, metric_id: int
) -> list[tuple[str, float, int | None, int | None]]:
    """The metric's readings as (day, value, site id, feed id), oldest first."""
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(
            select(Measurement)
            .where(Measurement.metric_id == metric_id)
            .order_by(Measurement.measured_on, Measurement.id)
        )
        return [(r.measured_on.isoformat(), r.value, r.site_id, r.feed_id) for r in rows]
