"""Throughput of the main pages, a strategy save and a quick add, against a bare Flask reference.

Prints requests per second for each case and the ratio to a minimal Flask app that runs
one query (reads) or one single-row update (writes) on the same kind of database, measured
in the same run. Uses the in-process test client, so the figures exclude network and
server overhead and compare application cost only.

    python bench/requests.py [--requests N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from workbench.app import create_app
from workbench.database import configure_sqlite_engine, sqlite_engine_options
from workbench.extensions import db
from workbench.models import STRATEGY_FIELDS
from workbench.services import accounts, seeding
from workbench.services.tenancy import allow_system_access

PASSWORD = "benchmark password"


def _rate(label: str, count: int, call: Callable[[int], None]) -> float:
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        for index in range(count):
            call(index)
        samples.append(count / (time.perf_counter() - started))
    rate = statistics.median(samples)
    print(f"  {label:<34} {rate:9.1f} req/s")
    return rate


def _bare_app(url: str) -> Flask:
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite_engine(engine)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, body TEXT)")
        )
        connection.execute(text("DELETE FROM bench_row"))
        connection.execute(text("INSERT INTO bench_row VALUES (1, 'x')"))
    bare = Flask("bare")

    @bare.get("/read")
    def read() -> str:
        with engine.connect() as connection:
            return str(connection.execute(text("SELECT body FROM bench_row WHERE id=1")).scalar())

    @bare.post("/write")
    def write() -> str:
        with engine.begin() as connection:
            connection.execute(text("UPDATE bench_row SET body = :b WHERE id = 1"), {"b": "y"})
        return "ok"

    return bare


QUICK_ADD = {"category": "business_need", "polarity": "driver", "importance": "3"}


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeds = Path(app.config["RESOURCE_ROOT"]) / "seeds"
        seeding.load_catalogues(db.session, seeds)
        _user, workspace, _ = seeding.create_demo(db.session, seeds)
        db.session.commit()
        workspace_id = workspace.id
    client = app.test_client()
    client.post("/login", data={"email": seeding.DEMO_EMAIL, "password": seeding.DEMO_PASSWORD})
    base = f"/workspaces/{workspace_id}"
    bare = _bare_app(url if url.startswith("sqlite") else f"sqlite:///{folder / 'bare.sqlite3'}")
    bare_client = bare.test_client()
    count = args.requests
    print(f"database: {url.split('://')[0]}, {count} requests per case, median of 3 runs")

    print("reference (bare Flask, one query):")
    bare_read = _rate("GET /read", count, lambda _i: bare_client.get("/read"))
    bare_write = _rate("POST /write (one-row update)", count, lambda _i: bare_client.post("/write"))

    print("workbench:")
    results = {
        "overview": _rate(f"GET {base}/", count, lambda _i: client.get(f"{base}/")),
        "strategy": _rate(f"GET {base}/strategy", count, lambda _i: client.get(f"{base}/strategy")),
        "history": _rate(f"GET {base}/history", count, lambda _i: client.get(f"{base}/history")),
        "objectives": _rate(
            f"GET {base}/alignment/objectives",
            count,
            lambda _i: client.get(f"{base}/alignment/objectives"),
        ),
        "factors": _rate(
            f"GET {base}/assessment/factors",
            count,
            lambda _i: client.get(f"{base}/assessment/factors"),
        ),
    }

    def quick_add(index: int) -> None:
        # As the board does with JavaScript: the answer is the new card, not a new page.
        response = client.post(
            f"{base}/assessment/factors",
            data={**QUICK_ADD, "titles": f"Bench factor {index}"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    results["quick_add"] = _rate("POST factor quick add, in place", count, quick_add)
    with app.app_context():
        allow_system_access(db.session)
        from workbench.models import Workspace

        current = db.session.get(Workspace, workspace_id)
        values = {name: getattr(current, name) for name in STRATEGY_FIELDS}
        version = current.version

    def save(index: int) -> None:
        nonlocal version
        data = {**values, "vision": f"Vision number {index}", "version": str(version)}
        response = client.post(f"{base}/strategy", data=data)
        assert response.status_code == 302, response.status_code
        version += 1

    results["save"] = _rate("POST strategy save (audited)", count, save)

    print("ratios (workbench / bare reference):")
    for name in ("overview", "strategy", "history", "objectives", "factors"):
        print(f"  {name:<34} {results[name] / bare_read:9.3f}")
    for name in ("save", "quick_add"):
        print(f"  {name:<34} {results[name] / bare_write:9.3f}")
    started = time.perf_counter()
    accounts.hash_password(PASSWORD)
    print(f"argon2 hash of one password: {1000 * (time.perf_counter() - started):.1f} ms")


if __name__ == "__main__":
    main()
