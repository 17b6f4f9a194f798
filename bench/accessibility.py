"""The accessibility audit's figures: pages audited and axe-core violations per rule.

Builds the demo workspace on a temporary SQLite file with a member per role and an open
workshop session, serves the application on a local port, and runs every GET page reachable
by a signed-out visitor, the facilitator, the analyst, the executive and a workshop guest
through axe-core in the system Chromium (the same audit as
tests/browser/test_accessibility.py). Prints the pages per audience and the violations per
rule and impact; --details lists each page's violations with the elements concerned.

    python bench/accessibility.py [--details]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    """Run the audit once and print its figures."""
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.accessibility import AUDIT_CONFIG, prepare_demo, run_audit
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.conftest import BASE_CONFIG
    from workbench.app import create_app
    from workbench.extensions import db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every violation")
    arguments = parser.parse_args()
    # One line per request would bury the figures.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'audit.sqlite3'}"
        app = create_app(
            {**BASE_CONFIG, "DATABASE_URL": url, "MAIL_OUTBOX_DIR": folder, **AUDIT_CONFIG}
        )
        with app.app_context():
            upgrade()
        team = prepare_demo(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started = time.perf_counter()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                result = run_audit(browser, f"http://127.0.0.1:{server.server_port}", app, team)
                browser.close()
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
    print(result.report(details=arguments.details))
    print(f"Audit took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
