"""A goal's reminder goes to the goal's own owner when it names one, else to its metric's
owner, read back from a real SMTP server; goal owners that name nobody are listed for the
facilitators; the demo's at-risk goal reminds the demo's own login."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import SEEDS, login
from tests.integration.reminder_support import NOW, Owed, run, smtp_app
from tests.mail_support import Received, html_of, smtp_server, text_of
from workbench.analysis.reminders import goal_owner
from workbench.extensions import db
from workbench.services import metrics as metric_service
from workbench.services import seeding
from workbench.services.report_context import build_context
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _set_goal_owner(app: Flask, owed: Owed, owner: str) -> None:
    with app.app_context():
        scope_session(db.session, owed.workspace_id)
        goal = metric_service.goal_of(db.session, owed.goal_metric)
        assert goal is not None
        goal.owner = owner
        db.session.commit()


def _to(message: EmailMessage) -> str:
    return str(message["To"].addresses[0].addr_spec)


def test_the_goal_owner_rule() -> None:
    assert goal_owner("Fran", "Eve") == "Fran"
    assert goal_owner("", "Eve") == "Eve"
    assert goal_owner(" \t", "Eve") == "Eve"
    assert goal_owner("", "") == ""


def test_a_goal_with_its_own_owner_reminds_that_owner_not_the_metrics(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, received, owed = mailed
    # Eve owns the metric; the goal names Fran by her email address, in other case.
    _set_goal_owner(app, owed, "FRAN@example.org")
    summary = run(app)
    assert not summary.failed
    messages = received.wait_for_messages(4)
    goal_mail = [m for m in messages if str(m["Subject"]).startswith("A goal needs attention")]
    assert [_to(m) for m in goal_mail] == ["fran@example.org"]
    (mail,) = goal_mail
    assert "Net Promoter Score" in str(mail["Subject"])
    assert "at risk since 4 December 2025" in text_of(mail)
    link = f"/workspaces/{owed.workspace_id}/metrics/{owed.goal_metric}#goal"
    assert link in text_of(mail) and link in html_of(mail)
    assert "eve@example.org" not in {_to(m) for m in messages}
    assert [(s.to, s.kind) for s in summary.sent if s.kind == "goal_status"] == [
        ("fran@example.org", "goal_status")
    ]


def test_an_empty_goal_owner_reminds_the_metrics_owner(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, received, owed = mailed
    _set_goal_owner(app, owed, "")
    run(app)
    messages = received.wait_for_messages(4)
    goal_mail = [m for m in messages if str(m["Subject"]).startswith("A goal needs attention")]
    assert [_to(m) for m in goal_mail] == ["eve@example.org"]


def test_a_goal_owner_that_names_nobody_is_held_and_listed(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, received, owed = mailed
    hostile = "<script>alert(1)</script> رضا 满意 😀 Head of quality"
    _set_goal_owner(app, owed, hostile)
    summary = run(app)
    received.wait_for_messages(3)
    assert not [m for m in received.messages if "goal" in str(m["Subject"]).lower()]
    assert ("Net Promoter Score", hostile) in [(u.title, u.owner) for u in summary.unresolved]
    client = app.test_client()
    login(client, owed.fran)
    html = client.get(f"/workspaces/{owed.workspace_id}/members/reminder-owners").get_data(
        as_text=True
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; رضا 满意 😀 Head of quality" in html
    assert "<script>alert(1)" not in html
    assert "Goal of the metric" in html
    assert f"/metrics/{owed.goal_metric}#goal" in html
    # The metric's own owner (Eve) names a member, so the metric is not listed for her.
    assert "Eve Executive" not in html


def test_the_demo_reminds_its_own_login_of_an_at_risk_goal(
    database_url: str, tmp_path: Path
) -> None:
    with smtp_server() as (port, received):
        app = smtp_app(database_url, tmp_path, port)
        today = date.today()
        with app.app_context():
            allow_system_access(db.session)
            seeding.load_catalogues(db.session, SEEDS)
            _user, workspace, _created = seeding.create_demo(db.session, SEEDS, today=today)
            db.session.commit()
            scope_session(db.session, workspace.id)
            context = build_context(db.session, workspace, today).as_dict()
            db.session.remove()
        lines = {
            metric["name"]: (metric["status"], line[0])
            for department in context["metrics"]["departments"]
            for metric, line in zip(department["metrics"], department["lines"], strict=True)
        }
        assert lines["First contact resolution"] == (
            "at_risk",
            f"Fiona Marsh, head of guest relations; goal: {seeding.DEMO_NAME}",
        )
        runner = app.test_cli_runner()
        dry = runner.invoke(args=["send-reminders", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert (
            f"Would send to {seeding.DEMO_EMAIL}: A goal needs attention: "
            "First contact resolution (Harbourline Hotels)"
        ) in dry.output
        assert "Would send 1 message(s)" in dry.output
        assert received.messages == []
        sent = run(app, NOW.replace(year=today.year, month=today.month, day=today.day))
        (mail,) = received.wait_for_messages(1)
        assert _to(mail) == seeding.DEMO_EMAIL
        assert [(s.to, s.kind) for s in sent.sent] == [(seeding.DEMO_EMAIL, "goal_status")]
        with app.app_context():
            db.engine.dispose()
