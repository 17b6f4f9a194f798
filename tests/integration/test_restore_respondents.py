"""Restoring a backup never links, names or reveals another account; its workbook round-trips."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Person, login, make_user
from tests.integration.test_exchange_backup import Runner, export_json, make_demo
from tests.integration.test_exchange_jobs import DEMO_PASSWORD
from tests.integration.test_exchange_workbook import LIMIT, export, plan
from workbench.extensions import db
from workbench.models import AssessmentResponse, Membership, User, Workspace
from workbench.services import exchange_workbook, seeding
from workbench.services.tenancy import allow_system_access, scope_session

OTHERS = ("fiona.marsh@example.org", "tom.penrose@example.org")


def _rows_by_account(app: Flask) -> dict[str, tuple[int, int]]:
    """(answers, memberships) of every account, across all workspaces."""
    with app.app_context():
        allow_system_access(db.session)
        users = db.session.execute(select(User.id, User.email)).all()
        return {
            email: (
                db.session.scalar(
                    select(func.count(AssessmentResponse.id)).where(
                        AssessmentResponse.respondent_id == user_id
                    )
                )
                or 0,
                db.session.scalar(
                    select(func.count(Membership.id)).where(Membership.user_id == user_id)
                )
                or 0,
            )
            for user_id, email in users
        }


def _restore_by_web(
    app: Flask, person: Person, raw: bytes, name: str, password: str = PASSWORD
) -> tuple[int, str]:
    """Restore through the page as the person; return the new workspace and the message."""
    client = app.test_client()
    login(client, person, password)
    done = client.post(
        "/workspaces/restore",
        data={"upload": (io.BytesIO(raw), "backup.json"), "name": name},
        content_type="multipart/form-data",
    )
    assert done.status_code == 303, done.get_data(as_text=True)[:800]
    page = unescape(client.get(done.headers["Location"]).get_data(as_text=True))
    found = re.search(r"Backup restored as a new workspace:[^<]*", page)
    assert found, page[:2000]
    with app.app_context():
        allow_system_access(db.session)
        workspace_id = db.session.scalar(select(Workspace.id).where(Workspace.name == name))
    assert workspace_id is not None
    return workspace_id, found[0]


def test_a_restore_gives_no_other_account_rows_and_names_none(app: Flask) -> None:
    _user_id, workspace_id = make_demo(app)
    document = export_json(app, workspace_id)
    rhea = make_user(app, "rhea@example.org", "Rhea Restorer")
    before = _rows_by_account(app)
    assert all(before[email][0] > 0 for email in OTHERS)
    copy_id, message = _restore_by_web(app, rhea, json.dumps(document).encode(), "Rhea's copy")
    # The same file with respondents that have no account here: the same message.
    for answer in document["registers"]["responses"]:
        answer["respondent"] = "x-" + answer["respondent"].replace("@", ".at.") + "@nowhere.test"
    other_id, other_message = _restore_by_web(
        app, rhea, json.dumps(document).encode(), "Other copy"
    )
    answers = len(document["registers"]["responses"])
    assert message == other_message
    assert f"{answers} questionnaire answers of other respondents were left out" in message
    for email in (*OTHERS, seeding.DEMO_EMAIL, "nowhere.test", "no account"):
        assert email not in message
    after = _rows_by_account(app)
    # No other account gained an answer or a membership; the uploader has no answers it did
    # not give.
    assert {e: v for e, v in after.items() if e != "rhea@example.org"} == {
        e: v for e, v in before.items() if e != "rhea@example.org"
    }
    assert after["rhea@example.org"] == (0, 2)
    for restored in (copy_id, other_id):
        with app.app_context():
            scope_session(db.session, restored)
            assert db.session.scalar(select(func.count(AssessmentResponse.id))) == 0


def test_the_restored_demo_round_trips_through_its_workbook_unchanged(
    app: Flask, tmp_path: Path
) -> None:
    user_id, workspace_id = make_demo(app)
    document = export_json(app, workspace_id)
    demo = Person(user_id, seeding.DEMO_EMAIL, "Dana Demo")
    raw_backup = json.dumps(document).encode()
    copy_id, message = _restore_by_web(app, demo, raw_backup, "Demo copy", DEMO_PASSWORD)
    assert "left out" in message
    with app.app_context():
        scope_session(db.session, copy_id)
        kept = db.session.scalars(select(AssessmentResponse.respondent_id)).all()
    assert kept and set(kept) == {user_id}
    raw = export(app, copy_id)
    result = plan(app, copy_id, raw)
    assert not result.problems and not result.has_changes
    with app.app_context():
        scope_session(db.session, copy_id)
        applied = exchange_workbook.apply_import(db.session, raw, LIMIT, result.fingerprint)
        db.session.commit()
    assert not applied.problems and applied.counts() == (0, 0, 0)
    path = tmp_path / "copy.xlsx"
    path.write_bytes(raw)
    done = Runner(app).invoke(args=["import-workbook", str(copy_id), str(path), "--apply"])
    assert done.exit_code == 0, done.output
