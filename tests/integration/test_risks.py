"""The risk register's pages: add, edit, conflict, delete, roles, tenancy and bad input."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import form_version, login
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
)
from workbench.services import risks
from workbench.services.tenancy import scope_session

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
