"""Recovery drills beyond the pages: the backup and workbook, the API, the migration, the demo
and its storyboard."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
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
from tests.integration.test_drills import fill_playbook
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import User, Workspace
from workbench.services import drill_views, drills, exchange, exchange_workbook, seeding
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

REPORTS = Path(__file__).resolve().parents[2] / "reports"
TODAY = date.today()


def _with_drills(app: Flask, workspace_id: int) -> dict[str, int]:
    """The playbook with one drill met, one missed and one planned for next month."""
    ids = fill_playbook(app, workspace_id)
    with app.app_context():
        scope_session(db.session, workspace_id)
        held = {"status": "done", "detected": True, "detected_by": "Survey"}
        drills.create_drill(
            db.session,
            {
                **held,
                "scenario_id": ids["callback"],
                "planned_on": date(2026, 3, 2),
                "contact_minutes": 7,
                "compensation_amount": "12.50",
                "lessons": "Script worked",
            },
            TODAY,
        )
        drills.create_drill(
            db.session,
            {
                **held,
                "scenario_id": ids["delivery"],
                "planned_on": date(2026, 4, 9),
                "contact_minutes": 40,
                "escalated": True,
                "escalated_to": "Duty manager",
            },
            TODAY,
        )
        drills.create_drill(
            db.session,
            {"scenario_id": ids["billing"], "planned_on": TODAY + timedelta(days=30)},
            TODAY,
        )
        db.session.commit()
    return ids


def test_backup_and_workbook_carry_drills(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _with_drills(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    rows = first["registers"]["drills"]
    assert len(rows) == 3
    met = next(row for row in rows if row["contact_minutes"] == 7)
    assert (met["planned_on"], met["status"], met["lessons"]) == (
        "2026-03-02",
        "done",
        "Script worked",
    )
    assert met["scenario"] in {row["key"] for row in first["registers"]["scenarios"]}
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        second = json.loads(
            run_export(db.session, db.session.get_one(Workspace, report.workspace_id), "json")
        )
        copied = drill_views.board(db.session, TODAY)
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    assert [line.outcome for line in copied.lines] == ["met", "missed", "not_run"]
    assert [s.name for s in copied.never_drilled] == ["Double billing"]
    # A backup from before drills is still read, with none.
    del older["registers"]["drills"]
    assert backup.load(json.dumps(older).encode()).registers["drills"] == []
    # The workbook has a sheet of its own; an edited cell is one change, a bad one refused.
    book = load_workbook(io.BytesIO(raw))
    assert "Recovery drills" in book.sheetnames
    sheet = book["Recovery drills"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("contact_minutes") + 1).value = 11
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []
    assert result.counts() == (0, 1, 0)
    sheet.cell(row=2, column=header.index("contact_minutes") + 1).value = -3
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        refused = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert refused.problems and "contact_minutes" in " ".join(refused.problems)


def test_the_api_lists_creates_updates_and_deletes_drills(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _with_drills(app, wid)
    token = make_token(app, team["analyst"].id)
    url = f"{API}/workspaces/{wid}/drills"
    listed = call(client, "GET", url, token).get_json()
    assert [item["contact_minutes"] for item in listed["items"]] == [7, 40, None]
    first = listed["items"][0]
    assert first["scenario_id"] == ids["callback"] and first["status"] == "done"
    created = call(
        client,
        "POST",
        url,
        token,
        {"scenario_id": ids["billing"], "planned_on": "2026-05-05", "site": "Leeds"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["status"] == "planned"
    missing = call(client, "POST", url, token, {"scenario_id": 999999, "planned_on": "2026-05-05"})
    assert missing.status_code == 422
    future = (TODAY + timedelta(days=3)).isoformat()
    early = call(
        client,
        "POST",
        url,
        token,
        {"scenario_id": ids["billing"], "planned_on": future, "status": "done"},
    )
    assert early.status_code == 422
    negative = call(
        client,
        "POST",
        url,
        token,
        {"scenario_id": ids["billing"], "planned_on": "2026-05-05", "contact_minutes": -1},
    )
    assert negative.status_code in (400, 422)
    item = f"{url}/{first['id']}"
    patched = call(client, "PATCH", item, token, {"version": first["version"], "site": "Hull"})
    assert patched.status_code == 200
    assert (patched.get_json()["site"], patched.get_json()["contact_minutes"]) == ("Hull", 7)
    stale = call(client, "PATCH", item, token, {"version": first["version"], "site": "York"})
    assert stale.status_code == 409
    executive = make_token(app, team["executive"].id, "exec")
    assert call(client, "GET", url, executive).status_code == 200
    assert call(client, "DELETE", item, executive).status_code == 403
    assert call(client, "DELETE", item, token).status_code == 204
    outsider = make_token(app, team["outsider"].id, "out")
    foreign = f"{API}/workspaces/{team['foreign_id']}/drills/{first['id']}"
    assert call(client, "GET", foreign, outsider).status_code == 404
    spec = client.get(f"{API}/openapi.json").get_json()
    assert "/workspaces/{workspace_id}/drills" in spec["paths"]


def test_the_migration_adds_and_drops_the_drills(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    ids = _with_drills(app, team["workspace_id"])
    with app.app_context():
        downgrade(revision="0026_stories_training")
        assert "drill" not in set(inspect(db.engine).get_table_names())
        upgrade()
        inspector = inspect(db.engine)
        assert "drill" in set(inspector.get_table_names())
        checks = {c["name"] for c in inspector.get_check_constraints("drill")}
        assert "ck_drill_contact_not_negative" in checks
        scope_session(db.session, team["workspace_id"])
        row = drills.create_drill(
            db.session, {"scenario_id": ids["callback"], "planned_on": TODAY}, TODAY
        )
        db.session.commit()
        row.contact_minutes = -5
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()


def test_the_demo_and_its_storyboard_show_drills_and_the_never_drilled_gap(
    app: Flask, team: dict
) -> None:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        board = drill_views.board(db.session, TODAY)
        context = build_context(db.session, workspace, TODAY).as_dict()
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", TODAY, REPORTS, "1"
        )
        scope_session(db.session, team["workspace_id"])
        empty = db.session.get_one(Workspace, team["workspace_id"])
        empty_html, _ = render_document(db.session, empty, "Fran", TODAY, REPORTS, "1")
    assert [line.outcome for line in board.lines] == ["met", "missed"]
    assert board.never_drilled and len(board.never_drilled) == len(board.scenarios) - 2
    section = context["operating"]["drills"]
    assert [row[2] for row in section["held"]] == ["met", "missed"]
    assert section["last_missed"] == ["Wedding party keeping guests awake"]
    assert "Room not ready for an afternoon arrival" not in section["never_drilled"]
    assert "Critical review about an unclean bathroom" in section["never_drilled"]
    assert "Recovery drills" in html and "Never drilled:" in html
    assert (
        "The customer was reached after 22 minutes; the scenario&#39;s target is 10 minutes."
        in html
    )
    assert "above the escalation limit of GBP 20 but was not escalated" in html
    # A workspace without a playbook has no drills section to show.
    assert "<h3>Recovery drills</h3>" in html and "<h3>Recovery drills</h3>" not in empty_html
