"""The scheduler runs each due metric feed once, in its own workspace, as a job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select, update

from tests.integration.feed_support import (
    QUERY,
    feed_root,
    make_metric,
    readings,
    save,
    sqlite_source,
)
from workbench.extensions import db
from workbench.models import FeedRun, MetricFeed
from workbench.services import schedule_runner
from workbench.services.schedule_sources import FEEDS_SOURCE
from workbench.services.tenancy import allow_system_access, scope_session

ROWS = [("2026-10-31", 61.0, ""), ("2026-11-30", 64.5, "")]


def _due_at(app: Flask, feed_id: int, when: datetime) -> None:
    with app.app_context():
        allow_system_access(db.session)
        db.session.execute(
            update(MetricFeed).where(MetricFeed.id == feed_id).values(next_run_at=when)
        )
        db.session.commit()


def _runs(app: Flask) -> list[tuple[int, str]]:
    with app.app_context():
        allow_system_access(db.session)
        rows = db.session.execute(select(FeedRun.feed_id, FeedRun.outcome).order_by(FeedRun.id))
        return [(feed_id, outcome.value) for feed_id, outcome in rows]


def test_a_due_feed_runs_once_in_its_own_workspace(app: Flask, team: dict, tmp_path: Path) -> None:
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "desk.sqlite3", ROWS)
    own = make_metric(app, team["workspace_id"])
    foreign = make_metric(app, team["foreign_id"], "Foreign share")
    url = f"sqlite:///{source}"
    now = datetime.now(UTC).replace(microsecond=0)
    # Daily at the hour half a day away, so a run moves its feed at least 11 hours on,
    # whatever the time of day the test runs.
    hour = str((now.hour + 12) % 24)
    own_feed = save(app, team["workspace_id"], own, database_url=url, query=QUERY, hour=hour)
    foreign_feed = save(app, team["foreign_id"], foreign, database_url=url, query=QUERY, hour=hour)
    _due_at(app, own_feed, now - timedelta(minutes=5))
    _due_at(app, foreign_feed, now + timedelta(hours=3))

    report = schedule_runner.tick(app, (FEEDS_SOURCE,), now=now, holder="host-a")
    lines = report.lines()
    assert len(lines) == 1 and lines[0].startswith(f"done    feed:{own_feed}:")
    assert _runs(app) == [(own_feed, "succeeded")]
    assert [row[:2] for row in readings(app, team["workspace_id"], own)] == [
        ("2026-10-31", 61.0),
        ("2026-11-30", 64.5),
    ]
    assert readings(app, team["foreign_id"], foreign) == []
    # The run moved the feed's next run on, so the same moment finds nothing more to do,
    # on this host or another.
    assert schedule_runner.tick(app, (FEEDS_SOURCE,), now=now, holder="host-b").lines() == [
        "Nothing is due."
    ]
    later = now + timedelta(hours=4)
    lines = schedule_runner.tick(app, (FEEDS_SOURCE,), now=later, holder="host-b").lines()
    assert len(lines) == 1 and lines[0].startswith(f"done    feed:{foreign_feed}:")
    assert _runs(app) == [(own_feed, "succeeded"), (foreign_feed, "succeeded")]


def test_a_workspace_sees_only_its_own_due_feeds(app: Flask, team: dict, tmp_path: Path) -> None:
    root = feed_root(app, tmp_path)
    url = f"sqlite:///{sqlite_source(root / 'desk.sqlite3', ROWS)}"
    own = make_metric(app, team["workspace_id"])
    foreign = make_metric(app, team["foreign_id"], "Foreign share")
    own_feed = save(app, team["workspace_id"], own, database_url=url, query=QUERY)
    foreign_feed = save(app, team["foreign_id"], foreign, database_url=url, query=QUERY)
    now = datetime.now(UTC).replace(microsecond=0)
    for feed_id in (own_feed, foreign_feed):
        _due_at(app, feed_id, now - timedelta(minutes=5))
    with app.app_context():
        # The schedule page's session is scoped to its workspace: the query itself is.
        scope_session(db.session, team["workspace_id"])
        assert [item.workspace_id for item in FEEDS_SOURCE.due(db.session, now)] == [
            team["workspace_id"]
        ]
        db.session.remove()
        # The scheduler's session serves the whole installation.
        allow_system_access(db.session)
        listed = sorted(item.key.split(":")[1] for item in FEEDS_SOURCE.due(db.session, now))
        assert listed == sorted([str(own_feed), str(foreign_feed)])
