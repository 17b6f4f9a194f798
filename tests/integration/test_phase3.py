"""Phase 3 pages: canvas, stakeholders, processes with RACI, organisation, playbook."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import (
    FailureScenario,
    OrgUnit,
    ProcessStep,
    RaciAssignment,
    Stakeholder,
)
from workbench.services.tenancy import scope_session

UNICODE = "فريق الاسترداد · 回復チーム · 🛎️"


def _rows(app: Flask, wid: int, model: type) -> list:
    with app.app_context():
        scope_session(db.session, wid)
        rows = list(db.session.scalars(select(model).order_by(model.id)))
        db.session.expunge_all()
        return rows


@pytest.fixture
def wid(app: Flask, client: FlaskClient, team: dict) -> int:
    seed(app)
    login(client, team["analyst"])
    return team["workspace_id"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Name is required."),
        ({"name": "x" * 161}, "under 160 characters"),
        ({"kind": "alien"}, "Choose one of"),
        ({"interest": "9"}, "Choose one of"),
        ({"influence": "0"}, "Choose one of"),
    ],
)
def test_stakeholder_bad_input(
    app: Flask, client: FlaskClient, wid: int, data: dict, message: str
) -> None:
    base = {"name": "Regulator", "kind": "external", "interest": "2", "influence": "5"}
    response = client.post(f"/workspaces/{wid}/operating/stakeholders", data={**base, **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _rows(app, wid, Stakeholder) == []


def test_stakeholder_grid_unicode_and_stale_edit(app: Flask, client: FlaskClient, wid: int) -> None:
    url = f"/workspaces/{wid}/operating/stakeholders"
    data = {"name": UNICODE, "kind": "team", "interest": "5", "influence": "1"}
    assert client.post(url, data=data).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "<svg" in page and "Keep informed" in page
    (row,) = _rows(app, wid, Stakeholder)
    assert row.name == UNICODE
    edit = f"{url}/{row.id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    assert client.post(edit, data={**data, "interest": "2", "version": version}).status_code == 303
    stale = client.post(edit, data={**data, "interest": "4", "version": version})
    assert stale.status_code == 409
    assert client.post(edit, data={**data, "version": version}).status_code == 303
    assert _rows(app, wid, Stakeholder)[0].interest == 2


def test_adopt_recovery_process_and_raci_rules(app: Flask, client: FlaskClient, wid: int) -> None:
    for name in ("Guest relations", "Front desk"):
        client.post(
            f"/workspaces/{wid}/operating/stakeholders",
            data={"name": name, "kind": "team", "interest": "4", "influence": "4"},
        )
    adopted = client.post(
        f"/workspaces/{wid}/operating/processes/adopt", data={"template": "service_recovery"}
    )
    assert adopted.status_code == 303
    process_url = adopted.headers["Location"].split("#")[0]
    steps = _rows(app, wid, ProcessStep)
    assert [s.name for s in steps] == [
        "Listen",
        "Empathise",
        "Apologise",
        "Act",
        "Follow up",
        "Compensate",
        "Report",
    ]
    page = client.get(process_url).get_data(as_text=True)
    assert "has no one Accountable" in page
    people = [s.id for s in _rows(app, wid, Stakeholder)]
    first = steps[0].id
    raci = f"{process_url}/raci"
    data = {
        f"r-{first}-{people[0]}": "A",
        f"v-{first}-{people[0]}": "0",
        f"r-{first}-{people[1]}": "A",
        f"v-{first}-{people[1]}": "0",
    }
    assert client.post(raci, data=data).status_code == 303
    two = client.get(process_url).get_data(as_text=True)
    assert "Step 1 “Listen” has 2 parties Accountable (Front desk and Guest relations)" in two
    stale = client.post(raci, data={f"r-{first}-{people[0]}": "R", f"v-{first}-{people[0]}": "0"})
    assert stale.status_code == 409
    bad = client.post(raci, data={f"r-{first}-{people[0]}": "X", f"v-{first}-{people[0]}": "1"})
    assert bad.status_code == 400
    garbage = client.post(raci, data={f"r-{first}-abc": "R", f"v-{first}-abc": "0"})
    assert garbage.status_code == 400
    roles = {(r.step_id, r.stakeholder_id): r.role for r in _rows(app, wid, RaciAssignment)}
    assert roles == {(first, people[0]): "A", (first, people[1]): "A"}


def test_steps_edit_move_and_stale(app: Flask, client: FlaskClient, wid: int) -> None:
    created = client.post(
        f"/workspaces/{wid}/operating/processes/", data={"name": "Escalation", "description": ""}
    )
    url = created.headers["Location"]
    assert client.post(f"{url}/steps", data={"name": ""}).status_code == 400
    for name in ("Spot", "Route"):
        assert client.post(f"{url}/steps", data={"name": name}).status_code == 303
    spot, route = _rows(app, wid, ProcessStep)
    client.post(f"{url}/steps/{route.id}/move", data={"direction": "up"})
    assert [s.name for s in sorted(_rows(app, wid, ProcessStep), key=lambda s: s.position)] == [
        "Route",
        "Spot",
    ]
    version = form_version(client.get(f"{url}/steps/{spot.id}").get_data(as_text=True))
    assert (
        client.post(
            f"{url}/steps/{spot.id}", data={"name": "Detect", "version": version}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{url}/steps/{spot.id}", data={"name": "Stale", "version": version}
        ).status_code
        == 409
    )


def test_organisation_copy_diff_and_rules(app: Flask, client: FlaskClient, wid: int) -> None:
    base = f"/workspaces/{wid}/operating/organisation"
    assert (
        client.post(
            f"{base}/current", data={"name": "Operations", "parent": "none", "source": "none"}
        ).status_code
        == 303
    )
    (ops,) = _rows(app, wid, OrgUnit)
    assert (
        client.post(
            f"{base}/current",
            data={"name": "Quality Assurance", "parent": str(ops.id), "source": "none"},
        ).status_code
        == 303
    )
    before_target = client.get(base).get_data(as_text=True)
    assert "Removed:" not in before_target and "No target structure yet" in before_target
    assert client.post(f"{base}/copy").status_code == 303
    again = client.post(f"{base}/copy")
    assert again.status_code == 400 and "already has units" in again.get_data(as_text=True)
    target = {u.name: u for u in _rows(app, wid, OrgUnit) if u.structure == "target"}
    qa = target["Quality Assurance"]
    version = form_version(client.get(f"{base}/units/{qa.id}").get_data(as_text=True))
    renamed = client.post(
        f"{base}/units/{qa.id}",
        data={
            "name": "Guest Recovery",
            "parent": "none",
            "source": str(qa.source_id),
            "version": version,
        },
    )
    assert renamed.status_code == 303
    assert (
        client.post(
            f"{base}/target", data={"name": UNICODE, "parent": "none", "source": "none"}
        ).status_code
        == 303
    )
    page = client.get(base).get_data(as_text=True)
    assert 'Renamed:</strong> <span dir="auto">Quality Assurance → Guest Recovery' in page
    assert "Moved:</strong>" in page and "Added:</strong>" in page
    loop = client.post(
        f"{base}/units/{target['Operations'].id}",
        data={
            "name": "Operations",
            "parent": str(qa.id),
            "source": "none",
            "version": form_version(
                client.get(f"{base}/units/{target['Operations'].id}").get_data(as_text=True)
            ),
        },
    )
    assert loop.status_code in (303, 400)
    foreign_parent = client.post(
        f"{base}/target", data={"name": "X", "parent": str(ops.id), "source": "none"}
    )
    assert foreign_parent.status_code == 400


def test_playbook_template_flags_and_bad_input(app: Flask, client: FlaskClient, wid: int) -> None:
    base = f"/workspaces/{wid}/operating/playbook"
    adopted = client.post(f"{base}/templates", data={"key": "hotel_room_not_ready"})
    assert adopted.status_code == 303
    playbook = client.get(base).get_data(as_text=True)
    assert "Room not ready at check-in" in playbook
    assert "reasonably foreseeable" in playbook  # the paradox note on a foreseeable failure
    data = {"name": "Lift out of order", "severity": "low", "compensation_type": "none"}
    assert client.post(f"{base}/new", data=data).status_code == 303
    flagged = client.get(base).get_data(as_text=True)
    assert "No responder" in flagged and "No message" in flagged and "No response target" in flagged
    for bad, message in (
        ({"severity": "apocalyptic"}, "Choose one of"),
        ({"detection_channels": "telepathy"}, "Choose detection channels from the list."),
        ({"compensation_amount": "25"}, "Choose the currency"),
        ({"compensation_amount": "-5", "currency": "GBP"}, "cannot be negative"),
        ({"target_response_minutes": "0"}, "Enter 1 to 10,080 minutes"),
        ({"name": ""}, "Scenario is required."),
    ):
        response = client.post(f"{base}/new", data={**data, **bad})
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    scenario = next(s for s in _rows(app, wid, FailureScenario) if s.name == "Lift out of order")
    version = form_version(client.get(f"{base}/{scenario.id}").get_data(as_text=True))
    full = {
        **data,
        "responder": "Duty manager",
        "customer_message": "Sorry; we are on it.",
        "target_response_minutes": "15",
        "version": version,
        "detection_channels": ["staff_report", "system_monitoring"],
        "response_channels": ["in_person"],
    }
    assert client.post(f"{base}/{scenario.id}", data=full).status_code == 303
    stale = {**full, "customer_message": "Another apology."}
    assert client.post(f"{base}/{scenario.id}", data=stale).status_code == 409
    assert client.post(f"{base}/{scenario.id}", data=full).status_code == 303
    card = client.get(f"{base}/{scenario.id}/card").get_data(as_text=True)
    assert "Sorry; we are on it." in card and "respond within <strong>15 minutes" in card


def test_canvas_pulls_phase1_factors(app: Flask, client: FlaskClient, wid: int) -> None:
    client.post(
        f"/workspaces/{wid}/assessment/factors",
        data={
            "category": "environmental_factor",
            "polarity": "barrier",
            "importance": "4",
            "titles": "New consumer-duty regulation",
        },
    )
    assert (
        client.post(
            f"/workspaces/{wid}/operating/items",
            data={"kind": "opportunity", "title": "Callbacks win back detractors"},
        ).status_code
        == 303
    )
    page = client.get(f"/workspaces/{wid}/operating/").get_data(as_text=True)
    assert re.search(r"Environment</h2>.*New consumer-duty regulation", page, re.S)
    assert "Callbacks win back detractors" in page
    bad = client.post(f"/workspaces/{wid}/operating/items", data={"kind": "threat", "title": "x"})
    assert bad.status_code == 400
