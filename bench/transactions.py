"""SQL statements, transactions and write locks spent by one request of each typical kind.

Counts, for a single request on the demo workspace: the statements sent to the database
(on SQLite the BEGINs too; COMMIT goes through the driver's own call), the transactions
begun (the engine's `begin` event) and the write locks taken (on SQLite, `BEGIN
IMMEDIATE`; on PostgreSQL, the transactions begun with write intent). Each case runs
once unmeasured first, so caches are warm.

    python bench/transactions.py [--database-url URL]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Engine, event, select

from workbench.app import create_app
from workbench.database import writes_intended
from workbench.extensions import db
from workbench.models import STRATEGY_FIELDS, Initiative, Objective, Perspective, Workspace
from workbench.services import seeding
from workbench.services.tenancy import allow_system_access, system_access


@dataclass
class Tally:
    """What one request cost the database."""

    statements: int = 0
    transactions: int = 0
    write_locks: int = 0


@contextmanager
def counting(engine: Engine) -> Iterator[Tally]:
    """Count statements, transactions and write locks on the engine while the block runs."""
    tally = Tally()

    def on_execute(*_args: Any) -> None:
        tally.statements += 1

    def on_begin(_conn: Any) -> None:
        tally.transactions += 1
        # Read when the transaction begins: the same switch picks BEGIN IMMEDIATE on SQLite.
        if writes_intended():
            tally.write_locks += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "begin", on_begin)
    try:
        yield tally
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "begin", on_begin)


def _measure(engine: Engine, label: str, call: Callable[[int], None]) -> Tally:
    call(0)  # warm: login caches, lru caches, the first template compile
    with counting(engine) as tally:
        call(1)
    print(
        f"  {label:<42} {tally.statements:4d} statements "
        f"{tally.transactions:2d} transactions {tally.write_locks:2d} write locks"
    )
    return tally


def _cases(client: FlaskClient, base: str, ids: dict[str, Any]) -> dict[str, Callable[[int], None]]:
    def tick(index: int) -> None:
        # An htmx tick of one empty cell of the initiatives x objectives matrix.
        response = client.post(
            f"{base}/alignment/matrix/cell",
            data={
                "initiative_id": ids["initiative"],
                "objective_id": ids["objectives"][index],
                "version": "0",
                "contribution": "strong",
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    def objective(index: int) -> None:
        data = {"title": f"Bench objective {index}", "perspective": "customer", "parent": "none"}
        response = client.post(f"{base}/alignment/objectives", data=data)
        assert response.status_code == 303, response.status_code

    version = ids["version"]

    def strategy(index: int) -> None:
        nonlocal version
        data = {**ids["strategy"], "vision": f"Vision number {index}", "version": str(version)}
        response = client.post(f"{base}/strategy", data=data)
        assert response.status_code == 302, response.status_code
        version += 1

    return {
        "tick one matrix cell (htmx)": tick,
        "add an objective (form)": objective,
        "save the strategy (versioned form)": strategy,
    }


def main() -> None:
    """Set up the demo workspace, run each case once and print its figures."""
    parser = argparse.ArgumentParser()
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
        with system_access(db.session):
            current = db.session.get_one(Workspace, workspace.id)
            initiative = db.session.scalars(
                select(Initiative.id).where(Initiative.workspace_id == workspace.id)
            ).first()
            # Two new objectives give two empty cells on the initiative's row.
            new = [
                Objective(
                    workspace_id=workspace.id,
                    title=f"Bench cell {n}",
                    perspective=Perspective.CUSTOMER,
                )
                for n in (0, 1)
            ]
            db.session.add_all(new)
            db.session.commit()
            ids = {
                "initiative": initiative,
                "objectives": [o.id for o in new],
                "strategy": {name: getattr(current, name) for name in STRATEGY_FIELDS},
                "version": current.version,
            }
        workspace_id = workspace.id
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"email": seeding.DEMO_EMAIL, "password": seeding.DEMO_PASSWORD})
    print(f"database: {url.split('://')[0]}, one request each, after one unmeasured run")
    for label, call in _cases(client, f"/workspaces/{workspace_id}", ids).items():
        _measure(engine, label, call)


if __name__ == "__main__":
    main()
