"""Throughput of the JSON API on the demo workspace: token check, reads, a create and an update.

Prints requests per second (median of three runs) through the in-process test client, so
the figures are application cost only, without network or server overhead.

    python bench/api_requests.py [--requests N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade

from workbench.app import create_app
from workbench.extensions import db
from workbench.services import api_tokens, seeding
from workbench.services.tenancy import allow_system_access


def _rate(label: str, count: int, call: Callable[[int], None]) -> float:
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        for index in range(count):
            call(index)
        samples.append(count / (time.perf_counter() - started))
    rate = statistics.median(samples)
    print(f"  {label:<52} {rate:9.1f} req/s")
    return rate


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wb-api-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeds = Path(app.config["RESOURCE_ROOT"]) / "seeds"
        seeding.load_catalogues(db.session, seeds)
        user, workspace, _ = seeding.create_demo(db.session, seeds)
        db.session.commit()
        _token, secret = api_tokens.create_token(db.session, user, "bench")
        db.session.commit()
        workspace_id = workspace.id
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{workspace_id}"
    count = args.requests
    print(f"database: {url.split('://')[0]}, {count} requests per case, median of 3 runs")

    def get(path: str) -> Callable[[int], None]:
        def call(_index: int) -> None:
            response = client.get(path, headers=auth)
            assert response.status_code == 200, response.status_code

        return call

    _rate("GET /api/v1/workspaces (token check only)", count, get("/api/v1/workspaces"))
    _rate(f"GET {base}/factors?per_page=50", count, get(f"{base}/factors?per_page=50"))
    _rate(f"GET {base}/initiatives?per_page=200", count, get(f"{base}/initiatives?per_page=200"))
    created: list[int] = []

    def create(index: int) -> None:
        body = {"title": f"Bench factor {index}", "category": "business_need", "polarity": "driver"}
        response = client.post(
            f"{base}/factors", headers=auth, data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 201, response.status_code
        created.append(response.get_json()["id"])

    _rate("POST factor (audited)", count, create)
    factor_id = created[0]
    version = client.get(f"{base}/factors/{factor_id}", headers=auth).get_json()["version"]

    def update(index: int) -> None:
        nonlocal version
        body = {"version": version, "importance": 1 + index % 5, "title": f"Renamed {index}"}
        response = client.patch(
            f"{base}/factors/{factor_id}",
            headers=auth,
            data=json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 200, response.status_code
        version = response.get_json()["version"]

    _rate("PATCH factor with version check (audited)", count, update)
    started = time.perf_counter()
    document = client.get("/api/v1/openapi.json").get_data()
    print(
        f"OpenAPI document: {len(document) / 1024:.0f} KiB, served in "
        f"{1000 * (time.perf_counter() - started):.1f} ms"
    )


if __name__ == "__main__":
    main()
