"""Recovery drills: pages, verdicts, gaps, conflict, roles, tenancy and bad input."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import BASE_CONFIG, SEEDS, form_version, login
from tests.integration.api_support import API, call, make_token
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import Change, Drill, DrillStatus, FailureScenario, User, Workspace
from workbench.services import drill_views, drills, exchange, exchange_workbook, seeding
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

REPORTS = Path(__file__).resolve().parents[2] / "reports"

ARABIC = "مرحبا بالعالم"
CJK = "服务恢复战略 サービス回復"
EMOJI = "👩🏽‍💻 🏳️‍🌈"
HOSTILE = (
    "<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://evil.example/x",
    '=HYPERLINK("http://evil")',
)
TODAY = date.today()
PAST = (TODAY - timedelta(days=10)).isoformat()


def _playbook(app: Flask, workspace_id: int) -> dict[str, int]:
    """Three scenarios: one with a 10-minute target and a 20 GBP limit, one without a target."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = {
            "callback": FailureScenario(
                name="Missed callback",
                target_response_minutes=10,
                escalation_limit=20.0,
                currency="GBP",
            ),
            "delivery": FailureScenario(name="Wrong delivery"),
            "billing": FailureScenario(name="Double billing", target_response_minutes=30),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


def _plan(scenario: int, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "scenario_id": str(scenario),
        "planned_on": PAST,
        "site": "Leeds contact centre",
        "customer_role": "Sam from finance",
        "facilitator": "",
        "status": "planned",
    }
    base.update(values)
    return base


def _result(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "detected": "y",
        "detected_by": "Call analytics",
        "detection_minutes": "4",
        "contact_minutes": "8",
        "message_used": "We are sorry; we are calling you back now.",
        "remedy_given": "Callback and a voucher",
        "escalated_to": "",
        "compensation_amount": "",
        "lessons": "",
    }
    base.update(values)
    return {k: v for k, v in base.items() if v is not None}


def _drill_ids(app: Flask, workspace_id: int) -> list[int]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return list(db.session.scalars(select(Drill.id).order_by(Drill.id)))


def test_plan_record_and_judge_drills_with_gaps(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _playbook(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/drills"
    empty = client.get(url).get_data(as_text=True)
    assert "No drill yet." in empty
    assert empty.count("no drill planned.") == 3
    # A scenario's page offers the plan form with the scenario chosen.
    form = client.get(f"{url}/new?scenario={ids['callback']}").get_data(as_text=True)
    assert f'<option selected value="{ids["callback"]}">' in form
    assert client.post(f"{url}/new", data=_plan(ids["callback"])).status_code == 303
    assert client.post(f"{url}/new", data=_plan(ids["callback"])).status_code == 303
    assert client.post(f"{url}/new", data=_plan(ids["delivery"])).status_code == 303
    first, second, third = _drill_ids(app, wid)
    page = client.get(url).get_data(as_text=True)
    assert page.count(">overdue<") == 3  # planned ten days ago, never recorded
    # The first callback drill: slow and above the limit without escalation.
    result = f"{url}/{first}/result"
    version = form_version(client.get(result).get_data(as_text=True))
    slow = _result(contact_minutes="25", compensation_amount="30", version=version)
    assert client.post(result, data=slow).status_code == 303
    # The second: within the 10-minute target, escalated.
    result = f"{url}/{second}/result"
    version = form_version(client.get(result).get_data(as_text=True))
    good = _result(contact_minutes="9", compensation_amount="30", escalated="y", version=version)
    assert client.post(result, data=good).status_code == 303
    # The delivery drill: no target of its own, so the 15-minute bar; reached in 20.
    result = f"{url}/{third}/result"
    version = form_version(client.get(result).get_data(as_text=True))
    assert (
        client.post(result, data=_result(contact_minutes="20", version=version)).status_code == 303
    )
    page = client.get(url).get_data(as_text=True)
    assert "3 drills: 1 met, 2 missed, 0 planned, 0 cancelled." in page
    assert (
        "The customer was reached after 25 minutes; the scenario&#39;s target is 10 minutes."
        in page
    )
    assert (
        "Compensation of GBP 30 is above the escalation limit of GBP 20 but was not escalated."
        in page
    )
    assert "the 15-minute good-practice bar is 15 minutes" in page
    assert ">overdue<" not in page
    board = _board(app, wid)
    assert [s.name for s in board.never_drilled] == ["Double billing"]
    assert [s.name for s in board.last_missed] == ["Wrong delivery"]
    callback = next(s for s in board.scenarios if s.name == "Missed callback")
    assert [p.minutes for p in callback.trend.points] == [25, 9]
    assert callback.trend.direction == "improving"
    # The scenario's page lists its drills; a scenario never drilled says so.
    scenario_page = client.get(f"/workspaces/{wid}/operating/playbook/{ids['callback']}")
    text = scenario_page.get_data(as_text=True)
    assert "2 drills held against a target of 10 minutes" in text and "improving" in text
    never = client.get(f"/workspaces/{wid}/operating/playbook/{ids['billing']}")
    assert "Never drilled" in never.get_data(as_text=True)
    assert "Never drilled" in client.get(f"/workspaces/{wid}/operating/playbook").get_data(
        as_text=True
    )
    # Every change is in the audit trail.
    with app.app_context():
        scope_session(db.session, wid)
        fields = set(
            db.session.scalars(
                select(Change.field).where(Change.entity == "Drill", Change.action == "update")
            )
        )
        assert {"status", "contact_minutes", "escalated"} <= fields
    # Deleting asks first (the form carries the question) and removes the drill.
    plan_page = client.get(f"{url}/{first}").get_data(as_text=True)
    assert "data-confirm=" in plan_page and "Delete drill" in plan_page
    assert client.post(f"{url}/{first}/delete").status_code == 303
    assert _drill_ids(app, wid) == [second, third]
    # Deleting the scenario takes its drills with it.
    client.post(f"/workspaces/{wid}/operating/playbook/{ids['callback']}/delete")
    assert _drill_ids(app, wid) == [third]


def _board(app: Flask, workspace_id: int) -> drill_views.DrillBoard:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return drill_views.board(db.session, TODAY)


def test_a_stale_save_of_the_same_field_is_a_conflict(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _playbook(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/drills"
    client.post(f"{url}/new", data=_plan(ids["callback"]))
    (drill_id,) = _drill_ids(app, wid)
    edit = f"{url}/{drill_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    saved = client.post(edit, data={**_plan(ids["callback"], site="Harbour"), "version": version})
    assert saved.status_code == 303
    stale = client.post(edit, data={**_plan(ids["callback"], site="Dock"), "version": version})
    assert stale.status_code == 409
    assert "Harbour" in stale.get_data(as_text=True)
    # The result form is versioned too.
    result = f"{url}/{drill_id}/result"
    old = form_version(client.get(result).get_data(as_text=True))
    assert client.post(result, data=_result(contact_minutes="5", version=old)).status_code == 303
    clash = client.post(result, data=_result(contact_minutes="50", version=old))
    assert clash.status_code == 409
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get_one(Drill, drill_id)
        assert (row.site, row.contact_minutes, row.status) == ("Harbour", 5, DrillStatus.DONE)


def test_executives_read_and_other_workspaces_are_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _playbook(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        row = drills.create_drill(
            db.session,
            {"scenario_id": ids["callback"], "planned_on": TODAY, "site": "Quay"},
            TODAY,
        )
        db.session.commit()
        drill_id = row.id
    url = f"/workspaces/{wid}/operating/drills"
    login(client, team["executive"])
    page = client.get(url).get_data(as_text=True)
    assert "Quay" in page and "Plan a drill" not in page and "Record the result" not in page
    detail = client.get(f"{url}/{drill_id}").get_data(as_text=True)
    assert "Quay" in detail and "Save drill" not in detail and "Delete drill" not in detail
    result = client.get(f"{url}/{drill_id}/result").get_data(as_text=True)
    assert "No result recorded yet" in result and "Save the result" not in result
    scenario = client.get(f"/workspaces/{wid}/operating/playbook/{ids['callback']}")
    assert "Plan a drill of this scenario" not in scenario.get_data(as_text=True)
    assert client.post(f"{url}/new", data=_plan(ids["callback"])).status_code == 403
    assert client.post(f"{url}/{drill_id}/delete").status_code == 403
    assert client.post(f"{url}/{drill_id}/result", data=_result()).status_code == 403
    other = app.test_client()
    login(other, team["outsider"])
    foreign = f"/workspaces/{team['foreign_id']}/operating/drills/{drill_id}"
    assert other.get(foreign).status_code == 404
    assert other.post(f"{foreign}/delete").status_code in (403, 404)
    assert other.get(f"{url}/{drill_id}").status_code in (403, 404)


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _playbook(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/drills"
    new = f"{url}/new"
    future = (TODAY + timedelta(days=5)).isoformat()
    cases = {
        "Choose a scenario of the playbook.": _plan(ids["callback"], scenario_id="999999"),
        "Choose a scenario of the playbook": _plan(ids["callback"], scenario_id="1; DROP"),
        "Enter the drill date.": _plan(ids["callback"], planned_on=""),
        "Enter a date as yyyy-mm-dd": _plan(ids["callback"], planned_on="31/31/2026"),
        "Keep the site or location under 160 characters.": _plan(ids["callback"], site="s" * 161),
        "Choose one of: planned": _plan(ids["callback"], status="deleted"),
        "cannot be done yet": _plan(ids["callback"], planned_on=future, status="done"),
    }
    for message, data in cases.items():
        response = client.post(new, data=data)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    assert _drill_ids(app, wid) == []
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        response = client.post(new, data=_plan(ids["callback"], site=value, customer_role=value))
        assert response.status_code == 303, value
    page = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert str(escape("<script>alert(1)</script>")) in page
    with app.app_context():
        scope_session(db.session, wid)
        sites = set(db.session.scalars(select(Drill.site)))
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= sites
    drill_id = _drill_ids(app, wid)[0]
    result = f"{url}/{drill_id}/result"
    version = form_version(client.get(result).get_data(as_text=True))
    bad_results = {
        "Enter whole minutes from 0 to 10,080.": _result(contact_minutes="-1"),
        "Enter whole minutes from 0 to 10,080": _result(detection_minutes="99999"),
        "Not a valid integer value.": _result(contact_minutes="ten"),
        "Enter an amount such as 1250": _result(compensation_amount="NaN"),
        "Keep the notes and lessons under 4,000 characters.": _result(lessons="l" * 4001),
    }
    for message, data in bad_results.items():
        response = client.post(result, data={**data, "version": version})
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    malformed = client.post(result, data={**_result(), "version": "x1"})
    assert malformed.status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get_one(Drill, drill_id).status == DrillStatus.PLANNED
    hostile = client.post(
        result, data={**_result(lessons=HOSTILE[0], message_used=ARABIC), "version": version}
    )
    assert hostile.status_code == 303
    assert str(escape(HOSTILE[0])) in client.get(url).get_data(as_text=True)


def _with_drills(app: Flask, workspace_id: int) -> dict[str, int]:
    """The playbook with one drill met, one missed and one planned for next month."""
    ids = _playbook(app, workspace_id)
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
        downgrade(revision="0023_risks")
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
