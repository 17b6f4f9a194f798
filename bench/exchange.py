"""Time the exchange formats on the demo workspace in a temporary SQLite database.

Prints the size of each export and the median of three runs for: each export, checking
and restoring the JSON backup as a new workspace, and previewing an unchanged workbook.

    python bench/exchange.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade

from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import User, Workspace
from workbench.services import exchange, exchange_workbook, seeding
from workbench.services.exchange_exports import EXPORTERS, run_export
from workbench.services.tenancy import allow_system_access, scope_session

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _median(action: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the demo, then time every export and both imports."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            allow_system_access(db.session)
            seeding.load_catalogues(db.session, SEEDS)
            user, workspace, _ = seeding.create_demo(db.session, SEEDS)
            db.session.commit()
            user_id, workspace_id = user.id, workspace.id
        with app.app_context():
            scope_session(db.session, workspace_id)
            target = db.session.get_one(Workspace, workspace_id)
            files = {}
            for name in EXPORTERS:
                files[name] = run_export(db.session, target, name)
                seconds = _median(lambda name=name: run_export(db.session, target, name))
                print(f"export {name:5}: {len(files[name]):>8} bytes, {seconds * 1000:7.1f} ms")

            def preview() -> None:
                exchange_workbook.plan_import(db.session, files["xlsx"], 10**8)

            print(f"workbook preview (no change): {_median(preview) * 1000:7.1f} ms")

        def restore() -> None:
            with app.app_context():
                allow_system_access(db.session)
                owner = db.session.get_one(User, user_id)
                exchange.restore(db.session, owner, backup.load(files["json"]), "Bench copy")
                db.session.rollback()

        print(f"JSON check and restore:       {_median(restore) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
