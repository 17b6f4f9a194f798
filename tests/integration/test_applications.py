"""The application portfolio: pages, conflict, roles, bad input, API, exchange, storyboard."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal
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
from workbench.models import Application, Change, Department, User, Workspace
from workbench.services import applications, business_case, exchange, exchange_workbook, seeding
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


def _text(html: str) -> str:
    """The page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")


def _form(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "Guest desk",
        "kind": "case_management",
        "vendor": "Deskly",
        "owner": "Priya",
        "department": "",
        "new_department": "",
        "annual_cost": "24000",
        "contract_end": "",
        "capabilities": ["routing", "customer_history"],
        "notes": "",
    }
    base.update(values)
    return base


def _add(app: Flask, workspace_id: int, **values: object) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        row = applications.create_application(db.session, values)
        db.session.commit()
        return row.id


def test_the_portfolio_adds_totals_and_shows_gaps_overlaps_and_contracts(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/applications"
    empty = client.get(url).get_data(as_text=True)
    assert "No applications yet." in empty
    # With nothing recorded, all five CSM capabilities are gaps.
    assert "Analytics and reporting" in empty and "Agents see the customer" in empty
    soon = (date.today() + timedelta(days=40)).isoformat()
    added = client.post(
        f"{url}/new", data=_form(contract_end=soon, new_department="Guest relations")
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    second = client.post(
        f"{url}/new",
        data=_form(
            name="Survey box",
            kind="reviews_surveys",
            annual_cost="6000.50",
            capabilities=["routing", "feedback_capture"],
        ),
    )
    assert second.status_code == 303
    page = client.get(url).get_data(as_text=True)
    words = _text(page)
    assert "2 applications, GBP 30,000 a year in all" in words
    # Both cover routing: an overlap with the combined cost.
    assert "Escalating and routing to the right party: Guest desk, Survey box" in words
    assert "together GBP 30,000 a year" in words
    # Still uncovered: self-service, practices and analytics.
    gaps = page.split('id="gaps-title"')[1].split("</section>")[0]
    assert "Analytics and reporting" in gaps and "Escalating" not in gaps
    assert "in 40 days" in page
    assert "Guest relations" in page  # the new department joined the register
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Application).where(Application.name == "Guest desk")).one()
        assert row.capabilities == ["routing", "customer_history"]
        assert row.annual_cost == Decimal("24000.00")
        assert db.session.scalars(select(Department.name)).all() == ["Guest relations"]
        # The department cannot be deleted while the application names it.
        department_id = db.session.scalars(select(Department.id)).one()
        assert db.session.scalars(select(Change).where(Change.entity == "Application")).first()
    refused = client.post(f"/workspaces/{wid}/operating/departments/{department_id}/delete")
    assert refused.status_code == 303
    assert "application" in client.get(refused.headers["Location"]).get_data(as_text=True)
    # The coverage matrix ticks what each application covers.
    matrix = page.split('id="coverage-title"')[1]
    assert matrix.count("✓") == 4
    # The operating model navigation links the page.
    assert f'href="{url}"' in client.get(f"/workspaces/{wid}/operating/playbook").get_data(
        as_text=True
    )


def test_edit_saves_merges_and_a_stale_save_of_the_same_field_is_a_conflict(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    app_id = _add(app, wid, name="Guest desk", annual_cost=1000, capabilities=["routing"])
    login(client, team["analyst"])
    edit = f"/workspaces/{wid}/operating/applications/{app_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    first = client.post(edit, data={**_form(owner="Sam"), "version": version})
    assert first.status_code == 303
    stale = client.post(edit, data={**_form(owner="Kim"), "version": version})
    assert stale.status_code == 409
    assert "Sam" in stale.get_data(as_text=True)
    merged = client.post(edit, data={**_form(owner="Sam", notes="Renewal due"), "version": version})
    assert merged.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get_one(Application, app_id)
        assert (row.owner, row.notes) == ("Sam", "Renewal due")
    # The capabilities conflict too, and the page offers them as choices, not free text.
    version = form_version(client.get(edit).get_data(as_text=True))
    mine = client.post(edit, data={**_form(capabilities=["analytics"]), "version": version})
    assert mine.status_code == 303
    theirs = client.post(edit, data={**_form(capabilities=["self_service"]), "version": version})
    assert theirs.status_code == 409
    conflict = theirs.get_data(as_text=True)
    assert "Analytics and reporting" in conflict and 'type="checkbox"' in conflict
    deleted = client.post(f"{edit}/delete")
    assert deleted.status_code == 303
    assert client.get(edit).status_code == 404


def test_executives_read_and_other_workspaces_are_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    app_id = _add(app, wid, name="Phones", kind="telephony", annual_cost=500)
    url = f"/workspaces/{wid}/operating/applications"
    login(client, team["executive"])
    page = client.get(url).get_data(as_text=True)
    assert "Phones" in page and "Add an application" not in page
    detail = client.get(f"{url}/{app_id}").get_data(as_text=True)
    assert "Telephony" in detail and "Save application" not in detail
    assert "Delete application" not in detail
    assert client.post(f"{url}/new", data=_form()).status_code == 403
    assert client.post(f"{url}/{app_id}/delete").status_code == 403
    other = app.test_client()
    login(other, team["outsider"])
    foreign = f"/workspaces/{team['foreign_id']}/operating/applications/{app_id}"
    assert other.get(foreign).status_code == 404
    assert other.post(f"{foreign}/delete").status_code in (403, 404)


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    new = f"/workspaces/{wid}/operating/applications/new"
    cases = {
        "Name the application.": _form(name="   "),
        "Keep the application under 160 characters.": _form(name="x" * 161),
        "Keep the notes under 2,000 characters.": _form(notes="n" * 2001),
        "Choose one of: case management or csm, quality management": _form(kind="mainframe"),
        "Choose capabilities it covers from the list.": _form(capabilities=["teleport"]),
        "Enter an amount from 0": _form(annual_cost="-5"),
        "Keep the owner under 120 characters.": _form(owner="o" * 121),
    }
    for message, data in cases.items():
        response = client.post(new, data=data)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    for bad in ("12,000 GBP", "NaN", "1e400", "=1+1"):
        assert client.post(new, data=_form(annual_cost=bad)).status_code == 400, bad
    assert client.post(new, data=_form(contract_end="31/31/2026")).status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Application)).all() == []
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        response = client.post(new, data=_form(name=value, vendor=value, notes=value))
        assert response.status_code == 303, value
    page = client.get(f"/workspaces/{wid}/operating/applications").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert str(escape("<script>alert(1)</script>")) in page
    with app.app_context():
        scope_session(db.session, wid)
        names = set(db.session.scalars(select(Application.name)))
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= names
        app_id = db.session.scalars(select(Application.id)).first()
    bad = client.post(
        f"/workspaces/{wid}/operating/applications/{app_id}", data={**_form(), "version": "x1"}
    )
    assert bad.status_code == 400


def test_the_api_lists_creates_updates_and_deletes_applications(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    app_id = _add(app, wid, name="Guest desk", annual_cost=1000, capabilities=["routing"])
    token = make_token(app, team["analyst"].id)
    url = f"{API}/workspaces/{wid}/applications"
    (item,) = call(client, "GET", url, token).get_json()["items"]
    assert item["capabilities"] == ["routing"] and item["name"] == "Guest desk"
    created = call(
        client,
        "POST",
        url,
        token,
        {
            "name": "Chatter",
            "kind": "chat",
            "annual_cost": 300.5,
            "capabilities": ["self_service", "routing"],
            "department": "Digital",
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["capabilities"] == ["routing", "self_service"]
    assert body["department_name"] == "Digital"
    for bad in (
        {"name": "X", "kind": "mainframe"},
        {"name": "X", "capabilities": ["teleport"]},
        {"name": "X", "annual_cost": -1},
        {"name": ""},
    ):
        assert call(client, "POST", url, token, bad).status_code in (400, 422), bad
    patched = call(
        client, "PATCH", f"{url}/{app_id}", token, {"version": item["version"], "owner": "Li"}
    )
    assert patched.status_code == 200 and patched.get_json()["owner"] == "Li"
    assert patched.get_json()["capabilities"] == ["routing"]
    stale = call(
        client, "PATCH", f"{url}/{app_id}", token, {"version": item["version"], "owner": "Jo"}
    )
    assert stale.status_code == 409
    executive = make_token(app, team["executive"].id, "exec")
    assert call(client, "GET", url, executive).status_code == 200
    assert call(client, "DELETE", f"{url}/{app_id}", executive).status_code == 403
    assert call(client, "DELETE", f"{url}/{app_id}", token).status_code == 204
    outsider = make_token(app, team["outsider"].id, "out")
    foreign = f"{API}/workspaces/{team['foreign_id']}/applications/{app_id}"
    assert call(client, "GET", foreign, outsider).status_code == 404
    spec = client.get(f"{API}/openapi.json").get_json()
    assert "/workspaces/{workspace_id}/applications" in spec["paths"]


def test_backup_and_workbook_carry_the_portfolio(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _add(
        app,
        wid,
        name="Guest desk",
        kind="case_management",
        annual_cost=Decimal("1200.50"),
        contract_end=date(2027, 3, 31),
        capabilities=["routing", "analytics"],
        department="Front office",
        notes=CJK,
    )
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    (row,) = first["registers"]["applications"]
    assert (row["name"], row["kind"], row["contract_end"]) == (
        "Guest desk",
        "case_management",
        "2027-03-31",
    )
    assert row["capabilities"] == ["routing", "analytics"]
    assert row["department"] == "Front office"
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        second = json.loads(
            run_export(db.session, db.session.get_one(Workspace, report.workspace_id), "json")
        )
        copied = applications.portfolio_view(db.session, date(2026, 12, 4))
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    assert copied.portfolio.total_cost == 1200.5
    assert [c.key for c in copied.portfolio.gaps] == [
        "self_service",
        "customer_history",
        "practice_insight",
    ]
    # A backup from before the portfolio is still read, with no applications.
    del older["registers"]["applications"]
    assert backup.load(json.dumps(older).encode()).registers["applications"] == []
    book = load_workbook(io.BytesIO(raw))
    assert "Applications" in book.sheetnames
    sheet = book["Applications"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("annual_cost") + 1).value = 1500
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []
    assert result.counts() == (0, 1, 0)
    sheet.cell(row=2, column=header.index("kind") + 1).value = "mainframe"
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        refused = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert refused.problems and "kind" in " ".join(refused.problems)


def test_the_migration_adds_and_drops_the_portfolio(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    _add(app, team["workspace_id"], name="Guest desk", annual_cost=10)
    with app.app_context():
        downgrade(revision="0023_risks")
        assert "application" not in set(inspect(db.engine).get_table_names())
        upgrade()
        inspector = inspect(db.engine)
        assert "application" in set(inspector.get_table_names())
        checks = {c["name"] for c in inspector.get_check_constraints("application")}
        assert "ck_application_annual_cost_not_negative" in checks
        scope_session(db.session, team["workspace_id"])
        row = applications.create_application(
            db.session, {"name": "Again", "capabilities": ["analytics"]}
        )
        db.session.commit()
        assert row.capabilities == ["analytics"]
        row.annual_cost = Decimal("-1")
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()


def test_the_demo_portfolio_reaches_the_storyboard_with_its_gap_and_overlaps(
    app: Flask, team: dict
) -> None:
    today = date.today()  # the demo's contract ends are days from the day it is loaded
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        section = build_context(db.session, workspace, today).as_dict()["operating"]
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", today, REPORTS, "1"
        )
        scope_session(db.session, team["workspace_id"])
        empty = db.session.get_one(Workspace, team["workspace_id"])
        empty_html, _ = render_document(db.session, empty, "Fran", today, REPORTS, "1")
    portfolio = section["applications"]
    assert portfolio["currency"] == "GBP" and portfolio["total_cost"] == 70900
    assert [row[0] for row in portfolio["rows"]] == [
        "Contact centre telephony",
        "Guest case desk",
        "Post-stay survey",
        "Review monitor",
    ]
    words = " ".join(portfolio["sentences"])
    assert "The 4 applications cost GBP 70,900 a year in all." in words
    assert "Gap: no application covers self-service portal and knowledge base" in words
    assert (
        "Overlap: analytics and reporting is covered by Guest case desk and Review monitor" in words
    )
    assert "GBP 47,600 a year" in words
    assert "The contract for Review monitor ends on" in words and "in 75 days" in words
    text = _text(html)
    assert "Applications that serve recovery" in text
    assert "Annual cost, GBP" in text and "Total a year 70,900" in text
    assert "Case management or CSM" in text
    assert (
        "Beside the case, not in it: the applications that serve recovery cost GBP 70,900" in text
    )
    assert "No application is recorded yet" in _text(empty_html)
    assert "Beside the case, not in it" not in _text(empty_html)


def test_the_business_case_shows_the_portfolio_beside_it_and_keeps_its_result(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        before = business_case.build_view(db.session, date(2026, 12, 4)).case
    _add(app, wid, name="Guest desk", annual_cost=Decimal("12500"), capabilities=["routing"])
    _add(app, wid, name="Phones", annual_cost=None)
    with app.app_context():
        scope_session(db.session, wid)
        after = business_case.build_view(db.session, date(2026, 12, 4)).case
    # Not added to the case: the same costs, value and NPV with the portfolio as without it.
    assert (after.total_cost, after.npv, after.roi) == (before.total_cost, before.npv, before.roi)
    login(client, team["analyst"])
    page = _text(client.get(f"/workspaces/{wid}/metrics/economics").get_data(as_text=True))
    assert "Applications: GBP 12,500 a year, the annual cost of the 2 applications" in page
    assert "not added to it" in page
