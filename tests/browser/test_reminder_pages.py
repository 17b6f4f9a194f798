"""The reminder pages in Chromium: they work without JavaScript, and axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from flask import Flask

from tests.accessibility import AUDIT_CONFIG, AXE_RUN, BLOCKING
from tests.conftest import BASE_CONFIG, PASSWORD, Person
from tests.integration.reminder_support import fill
from workbench.app import create_app
from workbench.extensions import db
from workbench.services import reminder_prefs

pytestmark = pytest.mark.browser

DUE_LABEL = "A metric I own is due for a new reading"


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as served in production: forms carry their CSRF tokens."""
    application = create_app(
        {
            **BASE_CONFIG,
            **AUDIT_CONFIG,
            "DATABASE_URL": database_url,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def _log_in(page: Any, live: str, person: Person) -> None:
    page.goto(f"{live}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_reminder_pages_work_without_javascript(
    app: Flask, live_server: str, chromium: Any
) -> None:
    owed = fill(app)
    with app.app_context():
        token = reminder_prefs.make_token(app.config["SECRET_KEY"], owed.eve.id, "goal_status")
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        # Followed from a mail program: no session, no form token, just the signed link.
        page.goto(f"{live_server}/reminders/unsubscribe/{token}")
        page.get_by_role("button", name="Stop these reminders").click()
        assert "receives no more of these" in page.content()
        with app.app_context():
            assert reminder_prefs.choices_of(db.session, owed.eve.id).on["goal_status"] is False
        _log_in(page, live_server, owed.fran)
        page.goto(f"{live_server}/account/reminders")
        page.get_by_label(DUE_LABEL).uncheck()
        page.get_by_role("button", name="Save my choices").click()
        assert "Your reminder choices are saved." in page.content()
        assert not page.get_by_label(DUE_LABEL).is_checked()
        with app.app_context():
            assert reminder_prefs.choices_of(db.session, owed.fran.id).on["metric_due"] is False
    finally:
        context.close()


def test_reminder_pages_have_no_serious_accessibility_violation(
    app: Flask, live_server: str, chromium: Any
) -> None:
    owed = fill(app)
    with app.app_context():
        token = reminder_prefs.make_token(app.config["SECRET_KEY"], owed.eve.id, "all")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=AXE_SCRIPT)
    try:
        page = context.new_page()
        paths = [f"/reminders/unsubscribe/{token}", "/reminders/unsubscribe/not-a-token"]
        problems = []
        for path in paths:
            page.goto(live_server + path, wait_until="load")
            problems += _blocking(page, path)
        _log_in(page, live_server, owed.fran)
        for path in [
            "/account/reminders",
            f"/workspaces/{owed.workspace_id}/members/reminder-owners",
        ]:
            page.goto(live_server + path, wait_until="load")
            assert page.url.endswith(path)
            problems += _blocking(page, path)
        assert not problems, problems
    finally:
        context.close()


def _blocking(page: Any, path: str) -> list[str]:
    found = page.evaluate(AXE_RUN)["violations"]
    return [f"{path} {rule['id']}: {rule['help']}" for rule in found if rule["impact"] in BLOCKING]
