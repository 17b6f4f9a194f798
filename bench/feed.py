"""How long a metric feed takes to read and write 10,000 rows, from SQLite and PostgreSQL.

Builds a workspace on a temporary SQLite file, writes 10,000 daily readings into a SQLite
source in the feed folder and into a scratch PostgreSQL database (created and dropped here;
its server comes from WORKBENCH_BENCH_POSTGRES_URL or WORKBENCH_TEST_DATABASE_URL), and
times each feed run as a job: the first run adds every row, a second run finds every row
unchanged. The reference is the same 10,000 rows written by one plain executemany insert
into the measurement table, measured in the same run; the ratio is feed time / reference.

    python bench/feed.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERY = "SELECT day AS date, value FROM readings ORDER BY day"


def _rows(count: int) -> list[tuple[str, float]]:
    start = date.today() - timedelta(days=count + 1)
    return [((start + timedelta(days=n)).isoformat(), float(n % 97)) for n in range(count)]


def main() -> None:
    """Time the runs once and print the figures."""
    import psycopg
    from flask_migrate import upgrade
    from sqlalchemy import insert, make_url

    from tests.conftest import BASE_CONFIG
    from tests.integration.feed_support import postgres_source
    from workbench.app import create_app
    from workbench.extensions import db
    from workbench.models import FeedRun, Measurement
    from workbench.models.base import utcnow
    from workbench.services import accounts, feeds, job_backends, workspaces
    from workbench.services import metrics as metric_service
    from workbench.services.tenancy import scope_session

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    count = parser.parse_args().rows
    rows = _rows(count)
    server = os.environ.get("WORKBENCH_BENCH_POSTGRES_URL") or os.environ.get(
        "WORKBENCH_TEST_DATABASE_URL", ""
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "feeds"
        root.mkdir()
        app = create_app(
            {
                **BASE_CONFIG,
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "MAIL_OUTBOX_DIR": folder,
                "FEED_ROOTS": str(root),
            }
        )
        with app.app_context():
            upgrade()
            user = accounts.register(db.session, "bench@example.org", "Bench", "bench feed pw 1")
            wid = workspaces.create_workspace(db.session, user, "Feed bench", "rail").id
            scope_session(db.session, wid)
            ids = [
                metric_service.create_metric(
                    db.session, {"name": name, "unit": "count", "direction": "higher"}
                ).id
                for name in ("From SQLite", "From PostgreSQL", "Reference")
            ]
            db.session.commit()

        def timed_run(metric_id: int) -> tuple[float, FeedRun]:
            with app.app_context():
                scope_session(db.session, wid)
                job_id = feeds.request_run(db.session, metric_id, None).id
                db.session.commit()
                db.session.remove()
                started = time.perf_counter()
                job_backends.start(app, wid, job_id)
                elapsed = time.perf_counter() - started
                scope_session(db.session, wid)
                run = db.session.query(FeedRun).filter(FeedRun.job_id == job_id).one()
                db.session.expunge(run)
                return elapsed, run

        def save(metric_id: int, url: str) -> None:
            with app.app_context():
                scope_session(db.session, wid)
                values = {"kind": "sql", "database_url": url, "query": QUERY}
                values |= {"schedule": "daily", "hour": "6", "enabled": True}
                feeds.save_feed(db.session, metric_id, 0, values, utcnow())
                db.session.commit()

        source = root / "source.sqlite3"
        with sqlite3.connect(source) as connection:
            connection.execute("CREATE TABLE readings (day TEXT, value REAL)")
            connection.executemany("INSERT INTO readings VALUES (?, ?)", rows)
        connection.close()
        save(ids[0], f"sqlite:///{source}")
        figures = {"SQLite source, first run": timed_run(ids[0])}
        figures["SQLite source, same rows again"] = timed_run(ids[0])
        if server:
            with postgres_source(server, f"feed_bench_{os.getpid()}") as url:
                plain = make_url(url).set(drivername="postgresql").render_as_string(False)
                with psycopg.connect(plain) as connection, connection.cursor() as cursor:
                    cursor.execute("CREATE TABLE readings (day date, value double precision)")
                    cursor.executemany("INSERT INTO readings VALUES (%s, %s)", rows)
                save(ids[1], url)
                figures["PostgreSQL source, first run"] = timed_run(ids[1])
                figures["PostgreSQL source, same rows again"] = timed_run(ids[1])
        with app.app_context():
            scope_session(db.session, wid)
            started = time.perf_counter()
            db.session.execute(
                insert(Measurement),
                [
                    {
                        "workspace_id": wid,
                        "metric_id": ids[2],
                        "measured_on": date.fromisoformat(day),
                        "value": value,
                        "note": "",
                        "created_at": utcnow(),
                        "updated_at": utcnow(),
                    }
                    for day, value in rows
                ],
            )
            db.session.commit()
            reference = time.perf_counter() - started
            db.engine.dispose()
    print(f"Feed runs of {count:,} rows into a SQLite workbench database")
    print(f"  reference: one executemany insert of the same rows  {reference:7.2f} s")
    for label, (seconds, run) in figures.items():
        counts = f"{run.rows_added:,} added, {run.rows_unchanged:,} unchanged"
        ratio = seconds / reference if reference else float("nan")
        print(f"  {label:<36} {seconds:7.2f} s  ({counts}; {ratio:4.1f}x the reference)")
    if not server:
        print("  PostgreSQL source not timed: set WORKBENCH_BENCH_POSTGRES_URL to a server.")


if __name__ == "__main__":
    main()
