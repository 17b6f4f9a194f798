"""Success stories and training plans: exchange round trip, API, migration and storyboard."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from tests.conftest import BASE_CONFIG, SEEDS
from tests.integration.api_support import API, call, make_token
from tests.integration.test_stories_training import fill
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import User, Workspace
from workbench.services import exchange, exchange_workbook, seeding, stories, training
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

REPORTS = Path(__file__).resolve().parents[2] / "reports"
REGISTERS = ("stories", "training", "training_scenarios")


def _with_rows(app: Flask, workspace_id: int) -> dict[str, int]:
    ids = fill(app, workspace_id)
    with app.app_context():
        scope_session(db.session, workspace_id)
        story = stories.create_story(
            db.session,
            {
                "title": "Review turned round",
                "happened_on": date(2026, 10, 1),
                "quote": "They rang me the same day.",
                "customer_name": "Ana Silva",
                "permission": "anonymous",
                "scenario_id": ids["review"],
                "department": "marketing",
                "rating": 5,
                "featured": True,
            },
        )
        item = training.create_item(
            db.session,
            {
                "department": "Marketing",
                "topic": "Answering reviews",
                "head_count": 4,
                "planned_on": date(2026, 11, 1),
                "done_on": date(2026, 11, 2),
                "empowerment": True,
            },
            {ids["review"], ids["room"]},
        )
        db.session.commit()
        return {**ids, "story": story.id, "item": item.id}


def test_backup_and_workbook_carry_stories_training_and_their_links(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _with_rows(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    registers = first["registers"]
    (story,) = registers["stories"]
    assert (story["title"], story["permission"], story["rating"], story["featured"]) == (
        "Review turned round",
        "anonymous",
        5,
        True,
    )
    # Files name departments and scenarios as people read them, by their keys in the file.
    assert story["department"] == "Marketing" and story["scenario"].startswith("SC")
    (item,) = registers["training"]
    assert (item["topic"], item["done_on"], item["head_count"]) == (
        "Answering reviews",
        "2026-11-02",
        4,
    )
    assert len(registers["training_scenarios"]) == 2
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        second = json.loads(
            run_export(db.session, db.session.get_one(Workspace, report.workspace_id), "json")
        )
        copied = training.plan_view(db.session, date(2026, 12, 4))
        (copied_story,) = stories.list_stories(db.session)
        assert copied_story.scenario_id is not None and copied_story.department == "marketing"
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    (plan,) = copied.summary.plans
    assert (plan.name, plan.done, plan.scenarios, plan.people_trained) == ("Marketing", 1, 2, 4)
    # A backup from before these registers is still read, with none of them.
    for name in REGISTERS:
        del older["registers"][name]
    loaded = backup.load(json.dumps(older).encode())
    assert all(loaded.registers[name] == [] for name in REGISTERS)
    # The workbook has their sheets; an edited cell is one change, a bad one refused.
    book = load_workbook(io.BytesIO(raw))
    assert {"Success stories", "Training sessions", "Training scenarios"} <= set(book.sheetnames)
    sheet = book["Success stories"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("rating") + 1).value = 3
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == [] and result.counts() == (0, 1, 0)
    sheet.cell(row=2, column=header.index("permission") + 1).value = '=HYPERLINK("http://evil")'
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        refused = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert refused.problems and "permission" in " ".join(refused.problems)


def test_the_api_lists_creates_updates_and_deletes_both_registers(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _with_rows(app, wid)
    token = make_token(app, team["analyst"].id)
    base = f"{API}/workspaces/{wid}"
    (listed,) = call(client, "GET", f"{base}/stories", token).get_json()["items"]
    assert listed["scenario_id"] == ids["review"] and listed["department_name"] == "Marketing"
    (session_item,) = call(client, "GET", f"{base}/training", token).get_json()["items"]
    assert session_item["scenario_ids"] == sorted([ids["review"], ids["room"]])
    created = call(
        client,
        "POST",
        f"{base}/stories",
        token,
        {"title": "Saved wedding", "permission": "named", "customer_name": "Li Wei"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["rating"] == 3 and created.get_json()["scenario_id"] is None
    for body in (
        {"title": "X", "rating": 6},
        {"title": "X", "permission": "maybe"},
        {"title": "X", "permission": "named"},  # named, but no name
        {"title": "X", "scenario_id": 999999},
    ):
        refused = call(client, "POST", f"{base}/stories", token, body)
        assert refused.status_code in (400, 422), body
    missing = call(
        client,
        "POST",
        f"{base}/training",
        token,
        {"department": "it", "topic": "T", "scenario_ids": [999999]},
    )
    assert missing.status_code == 422
    patched = call(
        client,
        "PATCH",
        f"{base}/training/{ids['item']}",
        token,
        {"version": session_item["version"], "done_on": None},
    )
    assert patched.status_code == 200 and patched.get_json()["done_on"] is None
    # The links stay as they were when a patch leaves them out.
    assert patched.get_json()["scenario_ids"] == sorted([ids["review"], ids["room"]])
    stale = call(
        client,
        "PATCH",
        f"{base}/training/{ids['item']}",
        token,
        {"version": session_item["version"], "done_on": "2026-12-01"},
    )
    assert stale.status_code == 409
    executive = make_token(app, team["executive"].id, "exec")
    assert call(client, "GET", f"{base}/stories", executive).status_code == 200
    assert call(client, "DELETE", f"{base}/stories/{ids['story']}", executive).status_code == 403
    assert call(client, "DELETE", f"{base}/stories/{ids['story']}", token).status_code == 204
    outsider = make_token(app, team["outsider"].id, "out")
    foreign = f"{API}/workspaces/{team['foreign_id']}/training/{ids['item']}"
    assert call(client, "GET", foreign, outsider).status_code == 404
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    assert "/workspaces/{workspace_id}/stories" in paths
    assert "/workspaces/{workspace_id}/training/{training_session_id}" in paths


def test_the_migration_adds_and_drops_the_tables(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    _with_rows(app, team["workspace_id"])
    tables = {"success_story", "training_item", "training_scenario"}
    with app.app_context():
        downgrade(revision="0027_method_text")
        assert not tables & set(inspect(db.engine).get_table_names())
        upgrade()
        inspector = inspect(db.engine)
        assert tables <= set(inspector.get_table_names())
        checks = {c["name"] for c in inspector.get_check_constraints("success_story")}
        assert {"ck_success_story_rating_range", "ck_success_story_permission_known"} <= checks
        scope_session(db.session, team["workspace_id"])
        row = stories.create_story(db.session, {"title": "Again", "rating": 2})
        db.session.commit()
        row.rating = 9
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()


def test_the_storyboard_quotes_only_permitted_stories_and_sums_up_training(
    app: Flask, team: dict
) -> None:
    today = date.today()  # the demo's dates are days from the day it is loaded
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        # A strong, featured story whose customer never agreed to be quoted.
        secret = stories.create_story(
            db.session,
            {
                "title": "Never to be printed",
                "quote": "Unprintable words",
                "customer_name": "Hidden Person",
                "permission": "none",
                "rating": 5,
                "featured": True,
            },
        )
        db.session.commit()
        context = build_context(db.session, workspace, today).as_dict()
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", today, REPORTS, "1"
        )
        # Once permission is given, the same story is quoted.
        stories.update_story(
            db.session,
            secret.id,
            secret.version,
            {
                "title": secret.title,
                "quote": secret.quote,
                "permission": "anonymous",
                "rating": 5,
                "featured": True,
            },
        )
        db.session.commit()
        allowed = build_context(db.session, workspace, today).as_dict()["front_line"]
        scope_session(db.session, team["workspace_id"])
        empty = db.session.get_one(Workspace, team["workspace_id"])
        empty_html, _ = render_document(db.session, empty, "Fran", today, REPORTS, "1")
    section = context["front_line"]
    assert [s["title"] for s in section["stories"]] == [
        "A birthday stay rescued after the room was not ready",
        "A critical review answered the same afternoon",
    ]
    first, second = section["stories"]
    assert first["attribution"] == "Margaret Holt"
    assert first["scenario"] == "Room not ready for an afternoon arrival"
    # Anonymous permission: the name is in the data, never in the report.
    assert second["attribution"] == "a customer"
    for text in (json.dumps(context), html):
        for hidden in ("Colin Barker", "Never to be printed", "Unprintable words", "Hidden Person"):
            assert hidden not in text
        assert "Priya Raman" not in text and "wedding ring" not in text
    assert "Margaret Holt" in html and "Recoveries that went well" in html
    quoted = {s["title"]: s["attribution"] for s in allowed["stories"]}
    assert quoted["Never to be printed"] == "a customer"
    assert "Hidden Person" not in json.dumps(allowed)
    training_rows = {row["department"]: row for row in section["training"]}
    assert set(training_rows) == {"Guest services", "Marketing"}
    service = training_rows["Guest services"]
    assert (service["done"], service["overdue"], service["people_trained"]) == (1, 1, 24)
    assert training_rows["Marketing"]["planned"] == 1
    assert (
        "Belongings left in the room not returned: no department has training for it."
        in section["gaps"]
    )
    assert not [g for g in section["gaps"] if g.startswith("Room not ready")]
    assert "Service training by department" in html and "24 people" in html
    assert "No customer has agreed to be quoted yet." in empty_html
    assert "No department has a training plan yet." in empty_html
