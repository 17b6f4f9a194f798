"""The risk register: pages, conflict, roles, tenancy, bad input, exchange, API and migration."""

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
from workbench.models import (
    Change,
    Factor,
    FactorCategory,
    Initiative,
    InitiativeStatus,
    Polarity,
    Risk,
    RiskFactor,
    RiskInitiative,
    User,
    Workspace,
)
from workbench.services import exchange, exchange_workbook, risk_views, risks, seeding
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


def _fill(app: Flask, workspace_id: int) -> dict[str, int]:
    """Two barriers (one important), an enabler and two initiatives (one dropped)."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = {
            "crm": Factor(
                title="Legacy CRM",
                category=FactorCategory.TECHNOLOGY_DRIVER,
                polarity=Polarity.BARRIER,
                importance=5,
            ),
            "silos": Factor(
                title="Silos",
                category=FactorCategory.ORGANISATIONAL_DRIVER,
                polarity=Polarity.BARRIER,
                importance=2,
            ),
            "pride": Factor(
                title="Staff pride",
                category=FactorCategory.ORGANISATIONAL_DRIVER,
                polarity=Polarity.ENABLER,
                importance=4,
            ),
            "callback": Initiative(title="Callback team"),
            "old": Initiative(title="Old plan", status=InitiativeStatus.DROPPED),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


def _form(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "title": "Agents leave",
        "cause": "",
        "likelihood": "4",
        "impact": "5",
        "owner": "Priya",
        "mitigation": "",
        "review_date": "",
        "status": "open",
    }
    base.update(values)
    return base


def test_the_register_adds_links_rates_and_lists_gaps(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/risks"
    empty = client.get(url).get_data(as_text=True)
    assert "No risks yet." in empty
    # The important barrier shows as a gap even before the first risk.
    assert "Legacy CRM" in empty and "no risk records it" in empty
    past = (date.today() - timedelta(days=3)).isoformat()
    added = client.post(
        f"{url}/new",
        data={**_form(review_date=past), "factor": [str(ids["crm"])]},
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Agents leave" in page and ">20 <" in page.replace("20 <span", "20 <")
    assert "Critical" in page and "overdue" in page
    # Recorded as a risk but mitigated by nothing: still a gap, and a serious unmitigated risk.
    assert "which no initiative mitigates" in page
    assert "Serious risks without a mitigation" in page and "no initiative mitigates it" in page
    assert "critical 20 to 25" in page and "<svg" in page
    with app.app_context():
        scope_session(db.session, wid)
        risk_id = db.session.scalars(select(Risk.id)).one()
    edit = f"{url}/{risk_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    saved = client.post(
        edit,
        data={
            **_form(status="mitigating"),
            "version": version,
            "factor": [str(ids["crm"])],
            "initiative": [str(ids["callback"])],
        },
    )
    assert saved.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "which no initiative mitigates" not in page
    assert "Every barrier of importance 4 or 5 is addressed" in page
    # A dropped initiative mitigates nothing.
    version = form_version(client.get(edit).get_data(as_text=True))
    client.post(
        edit,
        data={
            **_form(),
            "version": version,
            "factor": [str(ids["crm"])],
            "initiative": [str(ids["old"])],
        },
    )
    assert "which no initiative mitigates" in client.get(url).get_data(as_text=True)
    # The status filter.
    closed = client.get(f"{url}?status=closed").get_data(as_text=True)
    assert f'id="risk-{risk_id}"' not in closed and "No risk has this status." in closed
    assert f'id="risk-{risk_id}"' in client.get(f"{url}?status=open").get_data(as_text=True)
    assert client.get(f"{url}?status=<x>").status_code == 200
    # Every change is in the history.
    with app.app_context():
        scope_session(db.session, wid)
        fields = set(
            db.session.scalars(
                select(Change.field).where(Change.entity == "Risk", Change.action == "update")
            )
        )
        assert "status" in fields
        assert db.session.scalars(
            select(Change.id).where(Change.entity == "RiskInitiative")
        ).first()
    assert "Risk" in client.get(f"/workspaces/{wid}/history").get_data(as_text=True)
    # Deleting takes the links with it.
    assert client.post(f"{edit}/delete").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Risk)).all() == []
        assert db.session.scalars(select(RiskFactor)).all() == []
        assert db.session.scalars(select(RiskInitiative)).all() == []


def test_a_stale_save_of_the_same_field_is_a_conflict(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/risks"
    client.post(f"{url}/new", data=_form())
    with app.app_context():
        scope_session(db.session, wid)
        risk_id = db.session.scalars(select(Risk.id)).one()
    edit = f"{url}/{risk_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    assert client.post(edit, data={**_form(owner="Sam"), "version": version}).status_code == 303
    stale = client.post(edit, data={**_form(owner="Kim"), "version": version})
    assert stale.status_code == 409
    assert "Sam" in stale.get_data(as_text=True)
    # Another field nobody else changed merges.
    merged = client.post(edit, data={**_form(owner="Sam", impact="2"), "version": version})
    assert merged.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get_one(Risk, risk_id)
        assert (row.owner, row.impact) == ("Sam", 2)


def test_executives_read_and_other_workspaces_are_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        row = risks.create_risk(
            db.session, {"title": "Data breach", "likelihood": 2, "impact": 5}, {ids["crm"]}, set()
        )
        db.session.commit()
        risk_id = row.id
    url = f"/workspaces/{wid}/alignment/risks"
    login(client, team["executive"])
    page = client.get(url).get_data(as_text=True)
    assert "Data breach" in page and "Add a risk" not in page
    detail = client.get(f"{url}/{risk_id}").get_data(as_text=True)
    assert "Legacy CRM" in detail and "Save risk" not in detail and "Delete risk" not in detail
    # The barrier's own page names the risk it gives rise to.
    factor_page = client.get(f"/workspaces/{wid}/assessment/factors/{ids['crm']}")
    assert "Risks it gives rise to" in factor_page.get_data(as_text=True)
    assert "Data breach" in factor_page.get_data(as_text=True)
    assert client.post(f"{url}/new", data=_form()).status_code == 403
    assert client.post(f"{url}/{risk_id}/delete").status_code == 403
    # The outsider's own workspace does not reach this risk.
    other = app.test_client()
    login(other, team["outsider"])
    foreign = f"/workspaces/{team['foreign_id']}/alignment/risks/{risk_id}"
    assert other.get(foreign).status_code == 404
    assert other.post(f"{foreign}/delete").status_code in (403, 404)
    assert other.get(f"{url}/{risk_id}").status_code in (403, 404)


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    login(client, team["analyst"])
    new = f"/workspaces/{wid}/alignment/risks/new"
    cases = {
        "Risk is required.": _form(title="   "),
        "Keep the risk under 200 characters.": _form(title="x" * 201),
        "Keep the cause under 4,000 characters.": _form(cause="c" * 4001),
        "Choose one of: 1 - rare": _form(likelihood="9"),
        "Choose one of: 1 - negligible": _form(impact="<script>"),
        "Choose one of: open": _form(status="deleted"),
        "Keep the owner under 120 characters.": _form(owner="o" * 121),
    }
    for message, data in cases.items():
        response = client.post(new, data=data)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    malformed_date = client.post(new, data=_form(review_date="31/31/2026"))
    assert malformed_date.status_code == 400
    # Choices that are not ids, or not barriers, are refused without a 500.
    assert client.post(new, data={**_form(), "factor": ["1; DROP"]}).status_code == 400
    enabler = client.post(new, data={**_form(), "factor": [str(ids["pride"])]})
    assert enabler.status_code == 400
    assert "no longer barriers" in enabler.get_data(as_text=True)
    missing = client.post(new, data={**_form(), "initiative": ["999999"]})
    assert missing.status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Risk)).all() == []
    # Unicode and hostile text are stored exactly and shown escaped.
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        response = client.post(new, data=_form(title=value[:200], owner=value[:120], cause=value))
        assert response.status_code == 303, value
    page = client.get(f"/workspaces/{wid}/alignment/risks").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert str(escape("<script>alert(1)</script>")) in page
    with app.app_context():
        scope_session(db.session, wid)
        titles = set(db.session.scalars(select(Risk.title)))
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= titles
    # A malformed version is refused, not merged.
    with app.app_context():
        scope_session(db.session, wid)
        risk_id = db.session.scalars(select(Risk.id)).first()
    bad = client.post(
        f"/workspaces/{wid}/alignment/risks/{risk_id}", data={**_form(), "version": "x1"}
    )
    assert bad.status_code == 400


def _with_risk(app: Flask, workspace_id: int) -> tuple[dict[str, int], int]:
    ids = _fill(app, workspace_id)
    with app.app_context():
        scope_session(db.session, workspace_id)
        row = risks.create_risk(
            db.session,
            {
                "title": "Refunds stall",
                "likelihood": 4,
                "impact": 3,
                "owner": "Ops",
                "review_date": date(2027, 2, 1),
                "status": "mitigating",
            },
            {ids["crm"], ids["silos"]},
            {ids["callback"]},
        )
        db.session.commit()
        return ids, row.id


def test_backup_and_workbook_carry_risks_and_their_links(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _with_risk(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    registers = first["registers"]
    (row,) = registers["risks"]
    assert (row["title"], row["likelihood"], row["impact"], row["status"]) == (
        "Refunds stall",
        4,
        3,
        "mitigating",
    )
    assert row["review_date"] == "2027-02-01"
    assert len(registers["risk_factors"]) == 2 and len(registers["risk_initiatives"]) == 1
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        second = json.loads(
            run_export(db.session, db.session.get_one(Workspace, report.workspace_id), "json")
        )
        copied = risk_views.register(db.session, date(2026, 12, 4))
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    (line,) = copied.lines
    assert [f.title for f in line.factors] == ["Legacy CRM", "Silos"]
    assert [i.title for i in line.initiatives] == ["Callback team"]
    # A backup from before the register is still read, with no risks.
    for name in ("risks", "risk_factors", "risk_initiatives"):
        del older["registers"][name]
    assert backup.load(json.dumps(older).encode()).registers["risks"] == []
    # The workbook has a sheet of its own; an edited cell is one change.
    book = load_workbook(io.BytesIO(raw))
    assert {"Risks", "Risk barriers", "Risk mitigations"} <= set(book.sheetnames)
    sheet = book["Risks"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("likelihood") + 1).value = 5
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []
    assert result.counts() == (0, 1, 0)
    # Out of range in the workbook is refused with its place.
    sheet.cell(row=2, column=header.index("likelihood") + 1).value = 9
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        refused = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert refused.problems and "likelihood" in " ".join(refused.problems)


def test_the_api_lists_creates_updates_and_deletes_risks(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids, risk_id = _with_risk(app, wid)
    token = make_token(app, team["analyst"].id)
    url = f"{API}/workspaces/{wid}/risks"
    listed = call(client, "GET", url, token).get_json()
    (item,) = listed["items"]
    assert item["factor_ids"] == sorted([ids["crm"], ids["silos"]])
    assert item["initiative_ids"] == [ids["callback"]]
    created = call(
        client,
        "POST",
        url,
        token,
        {"title": "Peak season", "likelihood": 5, "impact": 4, "factor_ids": [ids["crm"]]},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["status"] == "open"
    bad = call(client, "POST", url, token, {"title": "X", "likelihood": 6, "impact": 1})
    assert bad.status_code in (400, 422)
    enabler = call(
        client,
        "POST",
        url,
        token,
        {"title": "X", "likelihood": 1, "impact": 1, "factor_ids": [ids["pride"]]},
    )
    assert enabler.status_code == 422
    patched = call(
        client, "PATCH", f"{url}/{risk_id}", token, {"version": item["version"], "status": "closed"}
    )
    assert patched.status_code == 200 and patched.get_json()["status"] == "closed"
    # The links stay as they were when a patch leaves them out.
    assert patched.get_json()["initiative_ids"] == [ids["callback"]]
    stale = call(
        client, "PATCH", f"{url}/{risk_id}", token, {"version": item["version"], "status": "open"}
    )
    assert stale.status_code == 409
    executive = make_token(app, team["executive"].id, "exec")
    assert call(client, "GET", url, executive).status_code == 200
    assert call(client, "DELETE", f"{url}/{risk_id}", executive).status_code == 403
    assert call(client, "DELETE", f"{url}/{risk_id}", token).status_code == 204
    foreign = f"{API}/workspaces/{team['foreign_id']}/risks/{risk_id}"
    outsider = make_token(app, team["outsider"].id, "out")
    assert call(client, "GET", foreign, outsider).status_code == 404
    spec = client.get(f"{API}/openapi.json").get_json()
    assert "/workspaces/{workspace_id}/risks" in spec["paths"]


def test_the_migration_adds_and_drops_the_register(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    _with_risk(app, team["workspace_id"])
    tables = {"risk", "risk_factor", "risk_initiative"}
    with app.app_context():
        downgrade(revision="0022_milestones")
        assert not tables & set(inspect(db.engine).get_table_names())
        upgrade()
        inspector = inspect(db.engine)
        assert tables <= set(inspector.get_table_names())
        checks = {c["name"] for c in inspector.get_check_constraints("risk")}
        assert {"ck_risk_likelihood_range", "ck_risk_impact_range"} <= checks
        scope_session(db.session, team["workspace_id"])
        # The upgraded tables take a risk again, and refuse a likelihood outside 1 to 5.
        ids = {f.title: f.id for f in db.session.scalars(select(Factor))}
        row = risks.create_risk(
            db.session, {"title": "Again", "likelihood": 2, "impact": 2}, {ids["Legacy CRM"]}, set()
        )
        db.session.commit()
        assert risks.linked_ids(db.session, row.id)[0] == {ids["Legacy CRM"]}
        row.likelihood = 7
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()


def test_the_storyboard_orders_the_register_and_decides_its_gaps(app: Flask, team: dict) -> None:
    today = date.today()  # the demo's review dates are days from the day it is loaded
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        context = build_context(db.session, workspace, today).as_dict()
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", today, REPORTS, "1"
        )
        scope_session(db.session, team["workspace_id"])
        empty = db.session.get_one(Workspace, team["workspace_id"])
        empty_html, _ = render_document(db.session, empty, "Fran", today, REPORTS, "1")
    section = context["risks"]
    scores = [row["score"] for row in section["rows"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 6
    assert section["rows"][0]["title"] == "Summer peak complaints swamp the front desk"
    assert [row["status"] for row in section["top"]] == ["Open", "Mitigating", "Open"]
    assert sum(map(sum, section["heat_map"])) == 5  # the closed risk is left out
    assert section["overdue"] == 1
    decisions = context["decisions"]
    mine = [d for d in decisions if d[0] == "risks"]
    assert len(mine) == 1
    assert "Summer peaks strain staff" in mine[0][2]
    assert mine[0][3] == "Tom Penrose, general manager, Falmouth" and mine[0][5]
    # The barrier is decided once: the alignment gap gives way to the register's decision.
    assert not [
        d
        for d in decisions
        if d[0] == "alignment" and d[1] == "Summer peaks strain staff and multiply complaints"
    ]
    assert 'id="risks"' in html and "What the register leaves open" in html
    assert "Critical, 20 of 25" in html and "(review overdue)" in html
    assert "The risk register" in html and "data:image/svg+xml;base64," in html
    assert "The risk register is empty" in empty_html
    assert "The risk register holds no open risk." in empty_html
