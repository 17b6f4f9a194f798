"""Hostile, unicode, oversized and malformed input on every workshop form: a clear answer,
nothing half-saved, never a 500, and text shown as text."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login
from tests.integration.workshop_helpers import (
    factor_titles,
    join,
    latest_vote,
    open_session,
    participant_id,
    session_row,
)
from workbench.extensions import db
from workbench.models import WorkshopParticipant, WorkshopSession
from workbench.services.tenancy import allow_system_access

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "file:///etc/passwd",
    "http://evil.example/x.png",
    '=HYPERLINK("http://evil.example","click")',
    "مطالبات الاسترداد بطيئة",
    "החזרים איטיים",
    "退款太慢了",
    "Refunds 🐢 slow 👎🏽",
    "Tab\there and a\x00null",
]


@pytest.fixture
def fac(app: Flask, team: dict[str, Any]) -> FlaskClient:
    """The facilitator, logged in."""
    client = app.test_client()
    login(client, team["facilitator"])
    return client


def url(team: dict[str, Any], session_id: int, tail: str = "") -> str:
    return f"/workspaces/{team['workspace_id']}/workshop/{session_id}{tail}"


def test_session_titles(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    base = f"/workspaces/{team['workspace_id']}/workshop/"
    for bad, message in (("", "Session title is required"), ("x" * 121, "under 120")):
        response = fac.post(base, data={"title": bad, "minutes": "10"})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    for minutes in ("0", "241", "ten", "=1+1", "1e9", ""):
        assert fac.post(base, data={"title": "Fine", "minutes": minutes}).status_code == 400
    for value in HOSTILE:
        response = fac.post(base, data={"title": value, "minutes": "10"})
        assert response.status_code == 303, value
        page = fac.get(response.headers["Location"]).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
    with app.app_context():
        allow_system_access(db.session)
        titles = set(db.session.scalars(select(WorkshopSession.title)))
    assert "Tab\there and anull" in titles  # control characters dropped, tab kept
    assert "مطالبات الاسترداد بطيئة" in titles and "Refunds 🐢 slow 👎🏽" in titles


def test_join_form(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    session_id, code = open_session(app, fac, team)
    visitor = app.test_client()
    for bad in ("", "x" * 5000, "退款太慢了退款太", "<script>", "=HYPERLINK(1)", "ABCD-EFG\x00"):
        response = join(visitor, bad, "Someone")
        assert response.status_code in (400, 413), bad
        assert "code" in response.get_data(as_text=True).lower()
    assert join(visitor, code, "").status_code == 400
    assert join(visitor, code, "n" * 61).status_code == 400
    app.config["WORKSHOP_JOIN_ATTEMPT_LIMIT"] = 1000
    for name in HOSTILE:
        guest = app.test_client()
        assert join(guest, code, name).status_code == 303, name
    board = fac.get(url(team, session_id, "/board")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in board
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board
    assert "החזרים איטיים" in board
    with app.app_context():
        allow_system_access(db.session)
        names = db.session.scalars(
            select(WorkshopParticipant.display_name).where(WorkshopParticipant.is_guest)
        ).all()
    assert len(names) == len(HOSTILE)


def test_item_form(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    session_id, _code = open_session(app, fac, team)
    target = url(team, session_id, "/items")
    good = {"step": "gather", "category": "technology_driver", "polarity": "enabler"}
    refusals = [
        {**good, "title": ""},
        {**good, "title": "x" * 201},
        {**good, "title": "Fine", "category": "everything"},
        {**good, "title": "Fine", "polarity": "<script>"},
        {**good, "title": "Fine", "step": ""},
        {**good, "title": "Fine", "step": "x" * 5000},
    ]
    for data in refusals:
        response = fac.post(target, data=data, follow_redirects=True)
        assert response.status_code == 200
        assert "flash--error" in response.get_data(as_text=True), data
    assert factor_titles(app, team["workspace_id"]) == []
    for value in HOSTILE:
        assert fac.post(target, data={**good, "title": value}).status_code == 303
    titles = factor_titles(app, team["workspace_id"])
    assert len(titles) == len(HOSTILE)
    assert '=HYPERLINK("http://evil.example","click")' in titles
    board = fac.get(url(team, session_id, "/board")).get_data(as_text=True)
    assert "<img src=x" not in board and "&lt;img src=x" in board
    presenter = fac.get(url(team, session_id, "/presenter")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in presenter


def test_the_other_steps_take_their_own_input(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, _code = open_session(app, fac, team)
    steps = {
        2: ("objectives", {"perspective": "financial"}, "objective"),
        3: ("initiatives", {"approach": "prevent"}, "initiative"),
        6: ("operating_model", {"kind": "opportunity"}, "canvas"),
        7: ("organisation", {}, "unit"),
        8: ("functions", {}, "function"),
    }
    for index, (key, extra, _kind) in steps.items():
        version = session_row(app, session_id).version
        fac.post(url(team, session_id, "/step"), data={"target": str(index), "version": version})
        added = fac.post(
            url(team, session_id, "/items"), data={"step": key, "title": f"From {key} ✓", **extra}
        )
        assert added.status_code == 303
        board = fac.get(url(team, session_id, "/board")).get_data(as_text=True)
        assert f"From {key} ✓" in board, key
    # A step without an input refuses politely.
    version = session_row(app, session_id).version
    fac.post(url(team, session_id, "/step"), data={"target": "1", "version": version})
    refused = fac.post(
        url(team, session_id, "/items"),
        data={"step": "viability", "title": "Nope"},
        follow_redirects=True,
    )
    assert "nothing to add here" in refused.get_data(as_text=True)


def test_leading_forms(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    session_id, code = open_session(app, fac, team)
    for target in ("<script>", "-1", "99999999999", "", "next; drop table"):
        response = fac.post(url(team, session_id, "/step"), data={"target": target, "version": "1"})
        assert response.status_code in (303, 400), target
    assert session_row(app, session_id).step_index == 0
    for version in ("", "abc", "-1", "1" * 50):
        response = fac.post(
            url(team, session_id, "/step"), data={"target": "next", "version": version}
        )
        assert response.status_code == 303
    assert session_row(app, session_id).step_index == 0
    for minutes in ("0", "=1+1", "<b>5</b>", "9" * 40):
        fac.post(url(team, session_id, "/timer"), data={"minutes": minutes, "version": "1"})
    assert session_row(app, session_id).step_minutes == 10
    guest = app.test_client()
    join(guest, code, "Quinn")
    pid = participant_id(app, session_id, "Quinn")
    for decision in ("", "promote", "<script>"):
        fac.post(url(team, session_id, f"/participants/{pid}"), data={"decision": decision})
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.get(WorkshopParticipant, pid).status.value == "waiting"
    assert (
        fac.post(
            url(team, session_id, "/participants/999999"), data={"decision": "admit"}
        ).status_code
        == 404
    )


def test_vote_question(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    from tests.integration.workshop_helpers import add_factors

    add_factors(app, team["workspace_id"], ["A barrier"])
    session_id, _code = open_session(app, fac, team)
    long = fac.post(
        url(team, session_id, "/votes"),
        data={"kind": "barriers", "dots": "3", "question": "q" * 201},
        follow_redirects=True,
    )
    assert "under 200" in long.get_data(as_text=True)
    for value in HOSTILE:
        fac.post(
            url(team, session_id, "/votes"),
            data={"kind": "barriers", "dots": "3", "question": value},
        )
        vote = latest_vote(app, session_id)
        page = fac.get(url(team, session_id, f"/votes/{vote.id}")).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
    assert latest_vote(app, session_id).question == "Tab\there and anull"
