"""Recovery drills: pages, verdicts, gaps, conflict, roles, tenancy and bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import Change, Drill, DrillStatus, FailureScenario
from workbench.services import drill_views, drills
from workbench.services.errors import ServiceError
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
TODAY = date.today()
PAST = (TODAY - timedelta(days=10)).isoformat()


def fill_playbook(app: Flask, workspace_id: int) -> dict[str, int]:
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
    ids = fill_playbook(app, wid)
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
    recorded = client.get(result).get_data(as_text=True)
    assert "Missed" in recorded and "reached after 25 minutes" in recorded
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
    ids = fill_playbook(app, wid)
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
    ids = fill_playbook(app, wid)
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
    # A drill cannot rehearse another workspace's scenario, whichever way it is written.
    foreign_ids = fill_playbook(app, team["foreign_id"])
    with app.app_context():
        scope_session(db.session, wid)
        with pytest.raises(ServiceError, match="Choose a scenario of the playbook"):
            drills.create_drill(
                db.session, {"scenario_id": foreign_ids["callback"], "planned_on": TODAY}, TODAY
            )
        db.session.rollback()
    other = app.test_client()
    login(other, team["outsider"])
    foreign_form = _plan(foreign_ids["callback"])
    assert other.post(f"{url}/new", data=foreign_form).status_code in (403, 404)
    foreign = f"/workspaces/{team['foreign_id']}/operating/drills/{drill_id}"
    assert other.get(foreign).status_code == 404
    assert other.post(f"{foreign}/delete").status_code in (403, 404)
    assert other.get(f"{url}/{drill_id}").status_code in (403, 404)


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill_playbook(app, wid)
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
