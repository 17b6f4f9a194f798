"""The reference for bench/load.py: a minimal Flask app doing one single-row write.

It uses the same engine settings as the workbench (WAL, busy timeout and BEGIN IMMEDIATE on
SQLite; pre-ping on PostgreSQL), so the gap to the workbench is the application's own cost.
Served by gunicorn as `bench.bare_app:create()` with BENCH_DATABASE_URL set.
"""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import Engine, create_engine, text

from workbench.database import configure_sqlite_engine, sqlite_engine_options


def prepare(url: str) -> None:
    """Create the one-row table the reference writes to."""
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, n INTEGER)")
        )
        connection.execute(text("DELETE FROM bench_row"))
        connection.execute(text("INSERT INTO bench_row (id, n) VALUES (1, 0)"))
    engine.dispose()


def written(url: str) -> int:
    """Return how many writes the row has counted."""
    engine = _engine(url)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT n FROM bench_row WHERE id = 1")).scalar_one())
    engine.dispose()
    return count


def _engine(url: str) -> Engine:
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite_engine(engine)
    return engine


def create() -> Flask:
    """Build the reference app on BENCH_DATABASE_URL."""
    engine = _engine(os.environ["BENCH_DATABASE_URL"])
    app = Flask("bare")

    @app.get("/healthz")
    def health() -> str:
        return "ok"

    @app.post("/write")
    def write() -> str:
        with engine.begin() as connection:
            connection.execute(text("UPDATE bench_row SET n = n + 1 WHERE id = 1"))
        return "ok"

    return app
