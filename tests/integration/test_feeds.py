"""Metric feeds: runs from SQLite and PostgreSQL, all or nothing, idempotent, hand readings
kept, writing queries and foreign places refused, the scheduler's two calls, the migration."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from openpyxl import Workbook
from sqlalchemy import inspect, make_url, select

from tests.conftest import BASE_CONFIG, POSTGRES_URL, make_user, make_workspace
from tests.integration.feed_support import (
    QUERY,
    feed_root,
    make_metric,
    postgres_source,
    readings,
    run,
    save,
    sqlite_source,
)
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import FeedOutcome, JobStatus, MetricFeed
from workbench.services import feed_sources, feeds, sites
from workbench.services import metrics as metric_service
from workbench.services.errors import ServiceError
from workbench.services.feed_sources import Limits
from workbench.services.tenancy import allow_system_access, scope_session

ROWS = [("2026-01-31", 41.5, ""), ("2026-02-28", 43.0, ""), ("2026-02-28", 50.0, "Whitby")]


def _site(app: Flask, wid: int, name: str = "Whitby") -> int:
    with app.app_context():
        scope_session(db.session, wid)
        site = sites.create_site(db.session, {"name": name, "kind": "hotel"})
        db.session.commit()
        return site.id


def test_a_sqlite_feed_writes_its_rows_once_and_updates_only_its_own(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "source.sqlite3", ROWS)
    whitby = _site(app, wid)
    metric = make_metric(app, wid)
    feed_id = save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE, job.error
    assert found is not None and found.outcome is FeedOutcome.SUCCEEDED
    assert (found.rows_read, found.rows_added, found.rows_unchanged) == (3, 3, 0)
    first = readings(app, wid, metric)
    assert first == [
        ("2026-01-31", 41.5, None, feed_id),
        ("2026-02-28", 43.0, None, feed_id),
        ("2026-02-28", 50.0, whitby, feed_id),
    ]
    # The same period again changes nothing.
    job, again = run(app, wid, metric)
    assert again is not None and (again.rows_added, again.rows_unchanged) == (0, 3)
    assert readings(app, wid, metric) == first
    # A value corrected at the source is corrected here too (the feed's own reading).
    sqlite_source(source, [("2026-01-31", 42.0, ""), *ROWS[1:]])
    _job, corrected = run(app, wid, metric)
    assert corrected is not None and (corrected.rows_updated, corrected.rows_unchanged) == (1, 2)
    assert readings(app, wid, metric)[0][1] == 42.0
    assert job.result["unchanged"] == 3


def test_one_bad_row_rejects_the_run_with_every_bad_row_named(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    _site(app, wid)
    source = sqlite_source(
        root / "bad.sqlite3",
        [
            ("2026-01-31", 41.5, ""),
            ("31/01/2026", 40, ""),
            ("2026-02-28", "forty", ""),
            ("2026-03-31", 45, "Atlantis"),
            ("2026-04-30", 140, ""),
            ("2026-01-31", 42, ""),
        ],
    )
    metric = make_metric(app, wid)
    save(
        app,
        wid,
        metric,
        database_url=f"sqlite:///{source}",
        query="SELECT day AS date, value, site FROM readings ORDER BY rowid",
    )
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.FAILED and "5 rows refused" in job.error
    assert found is not None and found.outcome is FeedOutcome.REJECTED
    reasons = {item["row"]: item["reason"] for item in found.rejected}
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "not a date" in reasons[2] and "not a number" in reasons[3]
    assert "Atlantis" in reasons[4] and "range" in reasons[5] and "twice" in reasons[6]
    assert readings(app, wid, metric) == []  # not even the good first row


def test_a_hand_reading_is_never_overwritten(app: Flask, team: dict, tmp_path: Path) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "s.sqlite3", ROWS[:2])
    metric = make_metric(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        metric_service.record_measurement(db.session, metric, date(2026, 1, 31), 39.0, "by hand")
        db.session.commit()
    feed_id = save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE
    assert found is not None and found.rows_added == 1
    assert found.rejected[0]["kind"] == "conflict" and found.rejected[0]["row"] == 1
    assert "entered by hand" in found.rejected[0]["reason"]
    assert readings(app, wid, metric) == [
        ("2026-01-31", 39.0, None, None),
        ("2026-02-28", 43.0, None, feed_id),
    ]
    assert job.result["kept"] == 1


def test_csv_and_xlsx_files_feed_a_metric(app: Flask, team: dict, tmp_path: Path) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    (root / "monthly.csv").write_text("date,value\n2026-01-31,41\n2026-02-28,44%\n", "utf-8")
    metric = make_metric(app, wid)
    save(app, wid, metric, kind="file", file_path="monthly.csv")
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE and found is not None and found.rows_added == 2
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Value", "Site"])
    sheet.append([datetime(2026, 3, 31), 47, None])
    sheet.append(["2026-04-30", '=HYPERLINK("http://example.org","9")', None])
    book.save(root / "sheet.xlsx")
    save(app, wid, metric, kind="file", file_path=str(root / "sheet.xlsx"))
    job, found = run(app, wid, metric)
    assert found is not None and found.outcome is FeedOutcome.REJECTED
    assert found.rejected[0]["row"] == 3 and "not a number" in found.rejected[0]["reason"]
    assert len(readings(app, wid, metric)) == 2


def _limits(root: Path, own: str = "sqlite:////nowhere/app.sqlite3") -> Limits:
    return Limits(roots=(root,), max_rows=5, timeout_seconds=5, own_database=own)


def test_addresses_and_paths_outside_the_feed_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    (tmp_path / "secret.sqlite3").write_bytes(b"")
    (root / "link.sqlite3").symlink_to(tmp_path / "secret.sqlite3")
    (root / "link.csv").symlink_to("/etc/passwd")
    limits = _limits(root, f"sqlite:///{root / 'app.sqlite3'}")
    refused = {
        "file:///etc/passwd": "not allowed",
        "http://example.org/data": "not allowed",
        "mysql://user:hunter2@db/x": "not allowed",
        "sqlite:////etc/passwd": "inside the feed folder",
        f"sqlite:///{root}/../secret.sqlite3": "inside the feed folder",
        f"sqlite:///{root}/link.sqlite3": "inside the feed folder",
        f"sqlite:///{root}/app.sqlite3": "own database",
        f"sqlite:///{root}/x.sqlite3?mode=rwc": "without options",
        "sqlite://": "file path",
        "not an address": "not a database address",
        "postgresql+psycopg://u:hunter2@/db": "host",
    }
    for address, words in refused.items():
        with pytest.raises(ServiceError) as caught:
            feed_sources.check_url(address, limits)
        assert words in caught.value.message, (address, caught.value.message)
        assert "hunter2" not in caught.value.message
    for path in ("/etc/passwd.csv", "../secret.csv", "link.csv", "file:///etc/x.csv", "a.txt"):
        with pytest.raises(ServiceError):
            feed_sources.check_file_path(path, (root,))
    own_pg = "postgresql+psycopg://postgres@127.0.0.1:5432/workbench"
    with pytest.raises(ServiceError, match="own database"):
        feed_sources.check_url("postgresql://other:pw@localhost/workbench", _limits(root, own_pg))
    assert feed_sources.check_file_path("sub/ok.csv", (root,)) == root / "sub" / "ok.csv"


def test_a_writing_query_is_refused_by_sqlite_itself(tmp_path: Path) -> None:
    source = sqlite_source(tmp_path / "s.sqlite3", ROWS)
    limits = _limits(tmp_path)
    url = feed_sources.check_url(f"sqlite:///{source}", limits)
    for query in (
        "DELETE FROM readings RETURNING day AS date, value",
        "INSERT INTO readings VALUES ('2026-05-31', 1, '') RETURNING day AS date, value",
        "DROP TABLE readings",
    ):
        with pytest.raises(ServiceError, match="refused"):
            feed_sources.read_sql(url, query, limits)
    assert len(feed_sources.read_sql(url, QUERY, limits)) == 3
    # More rows than the cap: the run is refused rather than cut short.
    sqlite_source(source, [(f"2026-01-{d:02d}", d, "") for d in range(1, 11)])
    with pytest.raises(ServiceError, match="more than 5 rows"):
        feed_sources.read_sql(url, QUERY, limits)
    with pytest.raises(ServiceError, match="date and value"):
        feed_sources.read_sql(url, "SELECT day, value FROM readings", limits)
    endless = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT count(*) AS value, 1 AS date FROM r"
    )
    started = time.monotonic()
    with pytest.raises(ServiceError, match="longer than 1 seconds"):
        feed_sources.read_sql(url, endless, Limits((tmp_path,), 5, 1, limits.own_database))
    assert time.monotonic() - started < 10


def _postgres_feed_runs_read_only(app: Flask, team: dict, tmp_path: Path) -> None:
    wid = team["workspace_id"]
    feed_root(app, tmp_path)
    with postgres_source(POSTGRES_URL, f"feed_source_{os.getpid()}") as url:
        with psycopg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(False)
        ) as c:
            c.execute("CREATE TABLE readings (day date, value numeric, site text)")
            c.execute("CREATE TABLE touched (n int)")
            c.execute(
                "CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS "
                "'INSERT INTO touched VALUES (1) RETURNING 1'"
            )
            c.execute(
                "INSERT INTO readings VALUES ('2026-01-31', 41.5, NULL), ('2026-02-28', 43, NULL)"
            )
        metric = make_metric(app, wid)
        save(app, wid, metric, database_url=url, query=QUERY)
        job, found = run(app, wid, metric)
        assert job.status == JobStatus.DONE, job.error
        assert found is not None and found.rows_added == 2
        assert [r[:2] for r in readings(app, wid, metric)] == [
            ("2026-01-31", 41.5),
            ("2026-02-28", 43.0),
        ]
        _job, again = run(app, wid, metric)
        assert again is not None and again.rows_unchanged == 2 and again.rows_added == 0
        # A function that writes passes the text check; the read-only transaction stops it.
        save(app, wid, metric, query="SELECT current_date - 1 AS date, bump() AS value")
        job, found = run(app, wid, metric)
        assert job.status == JobStatus.FAILED and "read-only" in job.error
        limits = Limits((tmp_path,), 100, 5, POSTGRES_URL)
        checked = feed_sources.check_url(url, limits)
        for query in (
            "WITH gone AS (DELETE FROM readings RETURNING day AS date, value) SELECT * FROM gone",
            "INSERT INTO touched VALUES (2) RETURNING n AS date, n AS value",
        ):
            with pytest.raises(ServiceError, match="read-only"):
                feed_sources.read_sql(checked, query, limits)
        with pytest.raises(ServiceError, match="statement timeout"):
            feed_sources.read_sql(
                checked,
                "SELECT pg_sleep(3) AS date, 1 AS value",
                Limits((tmp_path,), 100, 1, POSTGRES_URL),
            )
        with psycopg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(False)
        ) as c:
            assert c.execute("SELECT count(*) FROM touched").fetchone() == (0,)
            assert c.execute("SELECT count(*) FROM readings").fetchone() == (2,)


# Like the PostgreSQL half of every `database_url` test, this exists only where a server is
# configured (WORKBENCH_TEST_DATABASE_URL), rather than showing as skipped everywhere else.
if POSTGRES_URL:
    test_a_postgres_feed_runs_read_only = _postgres_feed_runs_read_only


def test_the_address_is_stored_encrypted_and_never_logged_back(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    feed_root(app, tmp_path)
    metric = make_metric(app, wid)
    secret = "postgresql+psycopg://reader:s3cret-Pa55@db.example.org:5432/sales"
    feed_id = save(app, wid, metric, database_url=secret, query=QUERY)
    with app.app_context():
        allow_system_access(db.session)
        raw = db.session.execute(
            select(MetricFeed.url_encrypted).where(MetricFeed.id == feed_id)
        ).scalar_one()
        assert "s3cret" not in raw and "reader" not in raw and raw
        assert feed_sources.decrypt_url(raw, app.config["SECRET_KEY"]) == secret
        with pytest.raises(ServiceError, match="can no longer be read"):
            feed_sources.decrypt_url(raw, "another key")
    assert feed_sources.mask(f"failed: {secret}") == (
        "failed: postgresql+psycopg://reader:***@db.example.org:5432/sales"
    )


def test_due_feeds_and_start_run_for_the_scheduler(app: Flask, team: dict, tmp_path: Path) -> None:
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "s.sqlite3", ROWS[:2])
    own = make_metric(app, team["workspace_id"])
    foreign = make_metric(app, team["foreign_id"], "Foreign share")
    own_feed = save(app, team["workspace_id"], own, database_url=f"sqlite:///{source}", query=QUERY)
    foreign_feed = save(
        app, team["foreign_id"], foreign, database_url=f"sqlite:///{source}", query=QUERY
    )
    later = datetime.now(UTC) + timedelta(days=40)
    with app.app_context():
        due = feeds.due_feeds(db.session, later)
        assert {(d.workspace_id, d.feed_id) for d in due} == {
            (team["workspace_id"], own_feed),
            (team["foreign_id"], foreign_feed),
        }
        assert feeds.due_feeds(db.session, datetime.now(UTC) - timedelta(days=1)) == []
        first = feeds.start_run(db.session, team["foreign_id"], foreign_feed, None, due[0].due_at)
        second = feeds.start_run(db.session, team["foreign_id"], foreign_feed, None, due[0].due_at)
        assert first.id == second.id and first.workspace_id == team["foreign_id"]
        db.session.commit()
        allow_system_access(db.session)
        moved = db.session.get_one(MetricFeed, foreign_feed).next_run_at
        assert moved is not None and moved > datetime.now(UTC)
        assert feeds.due_feeds(db.session, datetime.now(UTC) + timedelta(hours=1)) == [] or all(
            d.feed_id != foreign_feed for d in feeds.due_feeds(db.session, moved - timedelta(1))
        )


def test_the_migration_adds_and_drops_feeds(database_url: str, team: dict, tmp_path: Path) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "s.sqlite3", ROWS[:2])
    metric = make_metric(app, wid)
    save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    run(app, wid, metric)
    with app.app_context():
        downgrade(revision="0035_deck")
        inspector = inspect(db.engine)
        assert not {"metric_feed", "feed_run"} & set(inspector.get_table_names())
        assert "feed_id" not in {c["name"] for c in inspector.get_columns("measurement")}
        upgrade()
        inspector = inspect(db.engine)
        assert {"metric_feed", "feed_run"} <= set(inspector.get_table_names())
        db.engine.dispose()
    # The readings the feed wrote stayed, now as if entered by hand.
    assert [r[3] for r in readings(app, wid, metric)] == [None, None]
    save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    _job, found = run(app, wid, metric)
    assert found is not None and found.rows_added == 0 and len(found.rejected) == 2


def test_the_feed_run_command_runs_a_feed_and_says_what_it_wrote(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    root = tmp_path / "feeds"
    root.mkdir()
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url, "FEED_ROOTS": str(root)})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    owner = make_user(app, "cli@example.org")
    wid = make_workspace(app, owner)
    source = sqlite_source(root / "s.sqlite3", ROWS[:2])
    metric = make_metric(app, wid)
    feed_id = save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    env = {
        **os.environ,
        "WORKBENCH_DATABASE_URL": url,
        "WORKBENCH_SECRET_KEY": BASE_CONFIG["SECRET_KEY"],
        "WORKBENCH_FEED_ROOTS": str(root),
    }
    command = [str(Path(sys.executable).with_name("workbench")), "feed-run"]
    done = subprocess.run(
        [*command, str(feed_id)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "2 rows read, 2 added, 0 updated, 0 unchanged" in done.stdout
    assert "0 hand readings kept, 0 rows held out: deleted by hand." in done.stdout
    with app.app_context():
        scope_session(db.session, wid)
        first = metric_service.measurements_of(db.session, metric)[0]
        metric_service.delete_measurement(db.session, metric, first.id)
        db.session.commit()
    held = subprocess.run([*command, str(feed_id)], env=env, capture_output=True, text=True)
    assert held.returncode == 0, held.stderr
    assert "2 rows read, 0 added, 0 updated, 1 unchanged" in held.stdout
    assert "1 row held out: deleted by hand." in held.stdout
    missing = subprocess.run([*command, "999"], env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "There is no feed 999" in missing.stderr
    sqlite_source(source, [("2026-01-31", "n/a", "")])
    refused = subprocess.run([*command, str(feed_id)], env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "1 row refused" in refused.stderr
    assert [r[1] for r in readings(app, wid, metric)] == [43.0]
