"""Reminder pages: choices on the account, the one-click unsubscribe, owners that name nobody,
the `send-reminders` command and the migration."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, login
from tests.integration.reminder_support import Owed, run
from tests.mail_support import Received, text_of
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Metric, ReminderPreference
from workbench.services import reminder_prefs
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _choices(app: Flask, user_id: int) -> dict[str, bool]:
    with app.app_context():
        return reminder_prefs.choices_of(db.session, user_id).on


def _unsubscribe_path(received: Received, to: str) -> str:
    message = next(m for m in received.messages if to in str(m["To"]))
    return urlsplit(str(message["List-Unsubscribe"]).strip("<>")).path


def test_the_one_click_link_works_without_signing_in(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, owed = mailed
    run(app)
    received.wait_for_messages(4)
    path = _unsubscribe_path(received, "eve@example.org")
    client = app.test_client()
    # Opening the link only asks (a link scanner changes nothing).
    page = client.get(path)
    assert page.status_code == 200
    assert "eve@example.org" in page.get_data(as_text=True)
    assert _choices(app, owed.eve.id)["goal_status"] is True
    # A mail program's one-click POST (RFC 8058), no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "receives no more of these" in done.get_data(as_text=True)
    assert _choices(app, owed.eve.id) == {
        "metric_due": True, "metric_overdue": True, "goal_status": False, "initiative_late": True,
    }  # fmt: skip
    # The "every reminder" link in the text stops them all.
    text = text_of(next(m for m in received.messages if "ana@example.org" in str(m["To"])))
    every = re.search(r"Stop every reminder: (\S+)", text)
    assert every is not None
    assert client.post(urlsplit(every.group(1)).path).status_code == 200
    assert not any(_choices(app, owed.ana.id).values())


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(".")[0], "eyJ1IjoxLCJrIjoiYWxsIn0"),
        lambda token: token + "x" * 300,
        lambda _token: "<script>alert(1)</script>",
        lambda _token: "file:%2F%2F%2Fetc%2Fpasswd",
    ],
)
def test_a_tampered_unsubscribe_link_is_refused(
    mailed: tuple[Flask, Received, Owed], tamper: object
) -> None:
    app, received, owed = mailed
    run(app)
    received.wait_for_messages(4)
    path = _unsubscribe_path(received, "eve@example.org")
    prefix, token = path.rsplit("/", 1)
    bad = f"{prefix}/{tamper(token)}"  # type: ignore[operator]
    client = app.test_client()
    for answer in (client.get(bad), client.post(bad)):
        assert answer.status_code in (400, 404)
        assert "<script>alert" not in answer.get_data(as_text=True)
    assert all(_choices(app, owed.eve.id).values())
    assert all(_choices(app, owed.fran.id).values())


def test_choices_on_the_account_page(mailed: tuple[Flask, Received, Owed]) -> None:
    app, _received, owed = mailed
    client = app.test_client()
    login(client, owed.eve)
    page = client.get("/account/reminders")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('type="checkbox"') == 4 and html.count("checked") == 4
    saved = client.post(
        "/account/reminders",
        data={"version": "0", "metric_due": "y", "initiative_late": "y", "action": "save"},
    )
    assert saved.status_code == 303
    assert _choices(app, owed.eve.id) == {
        "metric_due": True, "metric_overdue": False, "goal_status": False, "initiative_late": True,
    }  # fmt: skip
    # A second tab loaded before that save, changing the same choices differently: 409.
    stale = client.post("/account/reminders", data={"version": "0", "goal_status": "y"})
    assert stale.status_code == 409
    assert "changed" in stale.get_data(as_text=True).lower()
    # Everything off with one button, from the current version.
    off = client.post("/account/reminders", data={"version": "1", "action": "all-off"})
    assert off.status_code == 303
    assert not any(_choices(app, owed.eve.id).values())
    assert "Reminders" in client.get("/workspaces/").get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": ""},
        {"version": "abc", "metric_due": "y"},
        {"version": "-1"},
        {"version": "9" * 40},
        {"version": "<script>", "goal_status": "<script>alert(1)</script>"},
        {"version": '=HYPERLINK("http://evil.example")'},
    ],
)
def test_malformed_choices_are_refused_plainly(
    mailed: tuple[Flask, Received, Owed], data: dict[str, str]
) -> None:
    app, _received, owed = mailed
    client = app.test_client()
    login(client, owed.ana)
    answer = client.post("/account/reminders", data=data)
    assert answer.status_code == 400
    assert "Reload the page" in answer.get_data(as_text=True)
    assert "<script>alert" not in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReminderPreference)) is None


def test_odd_checkbox_values_still_save(mailed: tuple[Flask, Received, Owed]) -> None:
    app, _received, owed = mailed
    client = app.test_client()
    login(client, owed.ana)
    # Whatever a checkbox posts counts as ticked; an unknown field is ignored.
    answer = client.post(
        "/account/reminders",
        data={"version": "0", "metric_due": "رضا 满意 😀", "surprise": "<b>", "goal_status": ""},
    )
    assert answer.status_code == 303
    assert _choices(app, owed.ana.id)["metric_due"] is True
    assert _choices(app, owed.ana.id)["goal_status"] is False


def test_owners_that_name_nobody_are_listed_for_facilitators(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, _received, owed = mailed
    with app.app_context():
        scope_session(db.session, owed.workspace_id)
        row = db.session.get(Metric, owed.orphan_metric)
        assert row is not None
        row.owner = "<script>alert(1)</script> Head of marketing"
        db.session.commit()
    path = f"/workspaces/{owed.workspace_id}/members/reminder-owners"
    client = app.test_client()
    login(client, owed.ana)
    assert client.get(path).status_code == 403
    client = app.test_client()
    login(client, owed.fran)
    members = client.get(f"/workspaces/{owed.workspace_id}/members").get_data(as_text=True)
    assert path in members
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Head of marketing" in html
    assert "<script>alert(1)" not in html
    assert f"/metrics/{owed.orphan_metric}" in html
    assert "No member of the workspace has this name or email address." in html
    # The owners that do name a member are not listed.
    assert "Eve Executive" not in html and "ana analyst" not in html


def test_the_command_prints_what_it_sends(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, _owed = mailed
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["send-reminders", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    # The real clock's day decides what is owed: the readings of 2025 are overdue by then.
    assert "Would send" in dry.output and "Head of marketing" in dry.output
    assert received.messages == []
    sent = runner.invoke(args=["send-reminders"])
    assert sent.exit_code == 0, sent.output
    assert "Sent to ana@example.org" in sent.output
    again = runner.invoke(args=["send-reminders"])
    assert "Sent 0 message(s)" in again.output


def test_the_migration_adds_and_drops_the_reminder_tables(database_url: str) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    tables = {"reminder_preference", "reminder_sent", "reminder_state"}
    with app.app_context():
        downgrade(revision="0029_sites")
        assert not tables & set(inspect(db.engine).get_table_names())
        upgrade()
        assert tables <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
