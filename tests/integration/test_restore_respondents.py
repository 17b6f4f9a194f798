"""Restoring a backup keeps every answer, links or reveals no other account, and round-trips."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import BASE_CONFIG, PASSWORD, Person, login, make_user
from tests.integration.test_exchange_backup import Runner, export_json, make_demo
from tests.integration.test_exchange_jobs import DEMO_PASSWORD
from tests.integration.test_exchange_workbook import LIMIT, column_of, edited, export, plan
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import AssessmentResponse, Membership, User, Workspace
from workbench.services import exchange_workbook, instruments, seeding
from workbench.services.assessment import instruments_folder
from workbench.services.tenancy import allow_system_access, scope_session

OTHERS = ("fiona.marsh@example.org", "tom.penrose@example.org")
READINESS = "service_recovery_readiness"


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


def _answers(app: Flask, workspace_id: int) -> list[tuple[int | None, str | None]]:
    """(account, label) of every answer of a workspace."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = db.session.execute(
            select(AssessmentResponse.respondent_id, AssessmentResponse.respondent_label)
        ).all()
        return [(account, label) for account, label in rows]


def _readiness(app: Flask, workspace_id: int) -> tuple[int, int, float | None]:
    """Respondents, named respondents and overall score of the readiness questionnaire."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        catalogue = instruments.load_catalogue(instruments_folder())
        result = instruments.results(db.session, catalogue.get(READINESS))
        return result.respondents, result.named_respondents, result.overall_score


def test_a_restore_keeps_every_answer_by_name_and_gives_no_other_account_rows(
    app: Flask,
) -> None:
    _user_id, workspace_id = make_demo(app)
    document = export_json(app, workspace_id)
    source = document["registers"]["responses"]
    emails = {row["respondent"] for row in source}
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
    assert message == other_message
    assert f"{len(source)} questionnaire answers of other respondents are kept" in message
    for email in (*OTHERS, seeding.DEMO_EMAIL, "nowhere.test", "has no account", "left out"):
        assert email not in message
    after = _rows_by_account(app)
    # No other account gained an answer or a membership; the uploader has no answers it did
    # not give.
    assert {e: v for e, v in after.items() if e != "rhea@example.org"} == {
        e: v for e, v in before.items() if e != "rhea@example.org"
    }
    assert after["rhea@example.org"] == (0, 2)
    # Every answer is kept, each under the email text the file gave, linked to no account.
    copied = _answers(app, copy_id)
    assert len(copied) == len(source) == len(_answers(app, workspace_id))
    assert {account for account, _label in copied} == {None}
    assert {label for _account, label in copied} == emails == {*OTHERS, seeding.DEMO_EMAIL}
    strangers = _answers(app, other_id)
    assert len(strangers) == len(source)
    assert {label for _account, label in strangers} == {row["respondent"] for row in source}
    # The copy's results count the three named respondents like the source's three members.
    respondents, named, score = _readiness(app, workspace_id)
    assert respondents == 3 and named == 0
    assert _readiness(app, copy_id) == (3, 3, score)
    client = app.test_client()
    login(client, rhea)
    results = client.get(
        f"/workspaces/{copy_id}/assessment/questionnaires/{READINESS}/results"
    ).get_data(as_text=True)
    assert "3 respondents" in results and "3 of them known only by name" in results


def test_the_cli_restore_keeps_every_answer_and_names_nobody(app: Flask, tmp_path: Path) -> None:
    _user_id, workspace_id = make_demo(app)
    make_user(app, "rhea@example.org", "Rhea Restorer")
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export_json(app, workspace_id)), encoding="utf-8")
    done = Runner(app).invoke(["import", str(path), "--owner", "rhea@example.org"])
    assert done.exit_code == 0, done.output
    answers = len(_answers(app, workspace_id))
    assert f"{answers} questionnaire answers of other respondents are kept" in done.output
    for email in (*OTHERS, seeding.DEMO_EMAIL):
        assert email not in done.output


def test_the_restored_demo_round_trips_through_its_workbook_unchanged(
    app: Flask, tmp_path: Path
) -> None:
    user_id, workspace_id = make_demo(app)
    document = export_json(app, workspace_id)
    demo = Person(user_id, seeding.DEMO_EMAIL, "Dana Demo")
    raw_backup = json.dumps(document).encode()
    copy_id, message = _restore_by_web(app, demo, raw_backup, "Demo copy", DEMO_PASSWORD)
    assert "kept under the name the backup gives each respondent" in message
    source = document["registers"]["responses"]
    own = [row for row in source if row["respondent"] == seeding.DEMO_EMAIL]
    copied = _answers(app, copy_id)
    assert len(copied) == len(source)
    # The owner's own answers stay linked to the owner; the others carry their names.
    assert sorted(account for account, _label in copied if account) == [user_id] * len(own)
    assert {label for _account, label in copied if label} == set(OTHERS)
    assert _readiness(app, copy_id) == (3, 2, _readiness(app, workspace_id)[2])
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
    assert "Assessment answers: 0 added, 0 changed, 0 removed" in done.output
    assert sorted(_answers(app, copy_id), key=str) == sorted(copied, key=str)
    # The restored copy's own backup restores again with the same answers.
    again_id, _message = _restore_by_web(
        app, demo, json.dumps(export_json(app, copy_id)).encode(), "Copy of copy", DEMO_PASSWORD
    )
    assert sorted(_answers(app, again_id), key=str) == sorted(copied, key=str)


def test_a_workbook_adds_and_renames_named_respondents_and_refuses_both_or_neither(
    app: Flask,
) -> None:
    user_id, workspace_id = make_demo(app)
    demo = Person(user_id, seeding.DEMO_EMAIL, "Dana Demo")
    copy_id, _message = _restore_by_web(
        app, demo, json.dumps(export_json(app, workspace_id)).encode(), "Demo copy", DEMO_PASSWORD
    )
    raw = export(app, copy_id)
    sheet_name = "Assessment answers"

    def rename_and_add(book: object) -> None:
        sheet = book[sheet_name]  # type: ignore[index]
        label = column_of(sheet, "respondent_label")
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=label).value == OTHERS[0]:
                sheet.cell(row=row, column=label).value = "Fiona Marsh"
        new = sheet.max_row + 1
        for name, value in (
            ("instrument_key", READINESS),
            ("instrument_version", 1),
            ("question_key", sheet.cell(row=2, column=column_of(sheet, "question_key")).value),
            ("respondent_label", "A guest on paper"),
            ("value", 4),
        ):
            sheet.cell(row=new, column=column_of(sheet, name)).value = value

    changed = edited(raw, rename_and_add)
    preview = plan(app, copy_id, changed)
    assert not preview.problems, preview.problems
    answers_sheet = next(s for s in preview.sheets if s.title == sheet_name)
    assert len(answers_sheet.added) == 1 and answers_sheet.changed
    assert all("fiona.marsh@example.org → Fiona Marsh" in line for line in answers_sheet.changed)
    with app.app_context():
        scope_session(db.session, copy_id)
        exchange_workbook.apply_import(db.session, changed, LIMIT, preview.fingerprint)
        db.session.commit()
    labels = {label for _account, label in _answers(app, copy_id) if label}
    assert labels == {"Fiona Marsh", OTHERS[1], "A guest on paper"}

    def both(book: object) -> None:
        sheet = book[sheet_name]  # type: ignore[index]
        sheet.cell(row=2, column=column_of(sheet, "respondent")).value = seeding.DEMO_EMAIL
        sheet.cell(row=2, column=column_of(sheet, "respondent_label")).value = "Someone"

    def neither(book: object) -> None:
        sheet = book[sheet_name]  # type: ignore[index]
        sheet.cell(row=2, column=column_of(sheet, "respondent")).value = None
        sheet.cell(row=2, column=column_of(sheet, "respondent_label")).value = None

    def stranger(book: object) -> None:
        sheet = book[sheet_name]  # type: ignore[index]
        sheet.cell(row=2, column=column_of(sheet, "respondent")).value = OTHERS[1]
        sheet.cell(row=2, column=column_of(sheet, "respondent_label")).value = None

    raw = export(app, copy_id)
    for edit, expected in (
        (both, "fill in only one of respondent and respondent_label"),
        (neither, "fill in respondent or respondent_label"),
        (stranger, "not a member of this workspace; write the name of a respondent"),
    ):
        refused = plan(app, copy_id, edited(raw, edit))
        assert any(expected in problem for problem in refused.problems), refused.problems

    def old_layout(book: object) -> None:
        sheet = book[sheet_name]  # type: ignore[index]
        sheet.delete_cols(column_of(sheet, "respondent_label"))

    # A workbook written before the respondent_label column existed still reads; the named
    # respondents it cannot carry are refused by name, never dropped in silence.
    old = plan(app, copy_id, edited(raw, old_layout))
    assert old.problems and all("fill in respondent" in p for p in old.problems)


def test_a_backup_naming_one_respondent_twice_is_refused_plainly(app: Flask) -> None:
    user_id, workspace_id = make_demo(app)
    document = export_json(app, workspace_id)
    answers = document["registers"]["responses"]
    fiona = next(row for row in answers if row["respondent"] == OTHERS[0])
    # The same person as an email and as a name, answering the same question.
    answers.append({**fiona, "key": "R9999", "respondent": None, "respondent_label": OTHERS[0]})
    demo = Person(user_id, seeding.DEMO_EMAIL, "Dana Demo")
    client = app.test_client()
    login(client, demo, DEMO_PASSWORD)
    before = _rows_by_account(app)
    refused = client.post(
        "/workspaces/restore",
        data={"upload": (io.BytesIO(json.dumps(document).encode()), "b.json"), "name": "Twice"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "one respondent written twice" in unescape(refused.get_data(as_text=True))
    assert _rows_by_account(app) == before
    # A backup written before respondent_label existed restores as before.
    for row in answers:
        row.pop("respondent_label")
    answers.pop()
    copy_id, _message = _restore_by_web(
        app, demo, json.dumps(document).encode(), "Older file", DEMO_PASSWORD
    )
    assert len(_answers(app, copy_id)) == len(answers)


def test_the_label_migration_goes_both_ways_and_keeps_one_respondent_per_answer(
    database_url: str, team: dict
) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid, uid = team["workspace_id"], team["facilitator"].id
    insert = text(
        "INSERT INTO assessment_response (instrument_key, instrument_version, question_key, "
        "respondent_id, respondent_label, value, note, version, created_at, updated_at, "
        "workspace_id) VALUES ('i', 1, :question, :uid, :label, 3, '', 1, "
        "'2026-11-01 10:00:00', '2026-11-01 10:00:00', :wid)"
    )
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(insert, {"question": "q1", "uid": uid, "label": None, "wid": wid})
            connection.execute(insert, {"question": "q1", "uid": None, "label": "Ann", "wid": wid})
            connection.execute(insert, {"question": "q1", "uid": None, "label": "Bo", "wid": wid})
        for account, label in ((uid, "Both"), (None, None), (None, "Ann"), (uid, None)):
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                values = {"question": "q1", "uid": account, "label": label, "wid": wid}
                connection.execute(insert, values)
        downgrade(revision="0019_business_case")
        columns = inspect(db.engine).get_columns("assessment_response")
        assert "respondent_label" not in {column["name"] for column in columns}
        with db.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT respondent_id, question_key FROM assessment_response")
            ).all()
        # The account's answer stays; the labelled ones cannot exist without the column.
        assert [tuple(row) for row in kept] == [(uid, "q1")]
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(insert, {"question": "q2", "uid": None, "label": "Cy", "wid": wid})
            rows = connection.execute(
                text(
                    "SELECT respondent_id, respondent_label FROM assessment_response "
                    "ORDER BY question_key, id"
                )
            ).all()
        assert [tuple(row) for row in rows] == [(uid, None), (None, "Cy")]
        db.engine.dispose()
