"""Reminders by email, read back from a real SMTP server: each kind, once, to the right person."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from tests.integration.reminder_support import HOSTILE, NOW, Owed, fill, run, smtp_app
from tests.mail_support import Received, html_of, smtp_server, text_of
from workbench.extensions import db
from workbench.models import ReminderSent, ReminderState, User
from workbench.models.base import utcnow
from workbench.services import metrics as metric_service
from workbench.services import reminder_prefs
from workbench.services.reminder_messages import one_line
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _to(message: EmailMessage) -> str:
    return str(message["To"].addresses[0].addr_spec)


def _squeezed(subject: str) -> str:
    # Python's mail package folds "رضا 满意" into two encoded words and drops the space
    # between them on reading back; spacing aside, the subject must arrive whole.
    return "".join(subject.split())


def _by_recipient(messages: list[EmailMessage]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in messages:
        found.setdefault(_to(message), []).append(_squeezed(str(message["Subject"])))
    return {to: sorted(subjects) for to, subjects in found.items()}


def _sent_rows(app: Flask) -> int:
    with app.app_context():
        allow_system_access(db.session)
        return db.session.scalar(select(func.count(ReminderSent.id))) or 0


def test_each_kind_reaches_its_owner_once(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, owed = mailed
    summary = run(app)
    assert not summary.failed
    messages = received.wait_for_messages(4)
    workspace = "(Harbour Test Hotels)"
    expected = {
        "ana@example.org": [
            f"A reading is due: {one_line(HOSTILE)} {workspace}",
            f"A reading is overdue: Time to resolution {workspace}",
        ],
        "eve@example.org": [f"A goal needs attention: Net Promoter Score {workspace}"],
        "fran@example.org": [f"An initiative is late: Recovery playbook {workspace}"],
    }
    assert _by_recipient(messages) == {
        to: sorted(_squeezed(subject) for subject in subjects) for to, subjects in expected.items()
    }
    goal = next(m for m in messages if _to(m) == "eve@example.org")
    assert "at risk since 4 December 2025" in text_of(goal)
    link = (
        f"https://workbench.example/workspaces/{owed.workspace_id}/metrics/{owed.goal_metric}#goal"
    )
    assert link in text_of(goal) and link in html_of(goal)
    late = next(m for m in messages if _to(m) == "fran@example.org")
    assert f"/alignment/initiatives/{owed.late_initiative}" in text_of(late)
    assert "Was due to end on 1 November 2025" in text_of(late)
    for message in messages:
        assert str(message["List-Unsubscribe"]).startswith(
            "<https://workbench.example/reminders/unsubscribe/"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
    assert {s.kind for s in summary.sent} == {
        "metric_due", "metric_overdue", "goal_status", "initiative_late",
    }  # fmt: skip
    # The orphan metric's owner names nobody: listed, not sent, not dropped without a word.
    assert [(u.title, u.owner) for u in summary.unresolved] == [("Complaints", "Head of marketing")]

    # Running again, the same day or the next, sends nothing new.
    again = run(app)
    later = run(app, NOW + timedelta(days=1))
    assert again.sent == [] and later.sent == []
    assert again.already_sent == 4
    assert len(received.messages) == 4
    assert _sent_rows(app) == 4


def test_hostile_names_are_escaped_and_kept_whole(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, _owed = mailed
    run(app)
    messages = received.wait_for_messages(4)
    due = next(m for m in messages if str(m["Subject"]).startswith("A reading is due"))
    html = html_of(due)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "رضا 满意 😀" in text_of(due) and "رضا 满意 😀" in html
    assert "\n" not in str(due["Subject"])


def test_a_goal_is_reminded_once_per_change_of_status(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, owed = mailed
    run(app)
    received.wait_for_messages(4)
    # Still at risk a week on: no second message.
    assert [s.kind for s in run(app, NOW + timedelta(days=7)).sent] == []
    # The target date moves into the past: the goal turns off track, which is a change.
    with app.app_context():
        scope_session(db.session, owed.workspace_id)
        goal = metric_service.goal_of(db.session, owed.goal_metric)
        assert goal is not None
        metric_service.save_goal(
            db.session,
            owed.goal_metric,
            goal.version,
            {"baseline": 50, "baseline_date": goal.baseline_date, "target": 100,
             "target_date": NOW.date() + timedelta(days=3), "rationale": ""},
        )  # fmt: skip
        db.session.commit()
    changed = run(app, NOW + timedelta(days=8))
    assert [(s.to, s.kind) for s in changed.sent] == [("eve@example.org", "goal_status")]
    off = received.wait_for_messages(5)[-1]
    assert "off track since 12 December 2025" in text_of(off)
    with app.app_context():
        allow_system_access(db.session)
        states = {
            (row.subject, row.subject_id): row.status
            for row in db.session.scalars(select(ReminderState))
        }
    assert states[("initiative", owed.late_initiative)] == "late"
    assert states[("goal", goal.id)] == "off_track"


def test_no_reminder_goes_to_a_person_who_turned_it_off(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, received, owed = mailed
    with app.app_context():
        eve = db.session.get(User, owed.eve.id)
        fran = db.session.get(User, owed.fran.id)
        assert eve is not None and fran is not None
        reminder_prefs.save_choices(
            db.session, eve, 0, {**dict.fromkeys(reminder_prefs.KINDS, True), "goal_status": False}
        )
        reminder_prefs.turn_off(db.session, fran, reminder_prefs.ALL)
        db.session.commit()
    summary = run(app)
    assert sorted((to, kind) for to, kind, _title in summary.opted_out) == [
        ("eve@example.org", "goal_status"),
        ("fran@example.org", "initiative_late"),
    ]
    messages = received.wait_for_messages(2)
    assert {_to(m) for m in messages} == {"ana@example.org"}
    # Turned off is not sent: turning it on again later still delivers it.
    with app.app_context():
        eve = db.session.get(User, owed.eve.id)
        assert eve is not None
        version = reminder_prefs.choices_of(db.session, eve.id).version
        reminder_prefs.save_choices(
            db.session, eve, version, dict.fromkeys(reminder_prefs.KINDS, True)
        )
        db.session.commit()
    assert [s.to for s in run(app).sent] == ["eve@example.org"]


def test_a_dry_run_sends_and_records_nothing(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, _owed = mailed
    dry = run(app, dry_run=True)
    assert len(dry.sent) == 4 and dry.dry_run
    assert received.messages == []
    assert _sent_rows(app) == 0
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.scalar(select(func.count(ReminderState.id))) == 0
    assert len(run(app).sent) == 4


def test_a_failed_send_is_tried_again_by_the_next_run(mailed: tuple[Flask, Received, Owed]) -> None:
    app, received, _owed = mailed
    received.refusals.append("451 Try again later")
    first = run(app)
    assert len(first.failed) == 1 and len(first.sent) == 3
    assert _sent_rows(app) == 3  # the failed one's claim was given back
    second = run(app)
    assert [s.occurrences for s in second.sent] == [first.failed[0][0].occurrences]
    assert len(received.wait_for_messages(4)) == 4


def test_an_abandoned_claim_is_taken_over_and_a_live_one_is_not(
    mailed: tuple[Flask, Received, Owed],
) -> None:
    app, received, owed = mailed
    dry = run(app, dry_run=True)
    occurrence = {s.kind: s.occurrences[0] for s in dry.sent}
    with app.app_context(), db.engine.begin() as connection:
        # A run that stopped two hours ago mid-way, and one sending right now.
        for kind, claimed_at in (
            ("metric_due", utcnow() - timedelta(hours=2)),
            ("goal_status", utcnow()),
        ):
            connection.execute(
                insert(ReminderSent).values(
                    occurrence=occurrence[kind],
                    kind=kind,
                    workspace_id=owed.workspace_id,
                    claimed_at=claimed_at,
                )
            )
    summary = run(app)
    assert sorted(s.kind for s in summary.sent) == [
        "initiative_late",
        "metric_due",
        "metric_overdue",
    ]
    assert summary.already_sent == 1
    received.wait_for_messages(3)
    assert "eve@example.org" not in {_to(m) for m in received.messages}


def test_two_processes_at_once_send_each_reminder_once(database_url: str, tmp_path: Path) -> None:
    with smtp_server() as (port, received):
        first = smtp_app(database_url, tmp_path, port)
        second = smtp_app(database_url, tmp_path, port)
        fill(first)
        start = threading.Barrier(2)
        results: list[int] = []
        errors: list[BaseException] = []

        def go(app: Flask) -> None:
            try:
                start.wait(10)
                results.append(len(run(app).sent))
            except BaseException as error:  # reported below, not lost in the thread
                errors.append(error)

        threads = [threading.Thread(target=go, args=(app,)) for app in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        # Both runs have ended, so every message either sent has arrived.
        messages = list(received.messages)
        assert len(messages) == 4
        assert len({(_to(m), str(m["Subject"])) for m in messages}) == 4
        assert sum(results) == 4
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()
