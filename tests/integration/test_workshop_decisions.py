"""The workshop's functions recap (its input and its check) and the guided prevent-or-recover
decision (its input, its conflict, bad input, roles), and where the decision is shown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import SEEDS, form_version, login
from tests.integration.workshop_helpers import open_session, session_row
from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.extensions import db
from workbench.models import Department, Initiative, InitiativeStatus, User, Workspace
from workbench.services import (
    approach_decision,
    departments,
    exchange,
    progress,
    seeding,
    workshop_guide,
)
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

REPORTS = Path(__file__).resolve().parents[2] / "reports"
STEPS = {step.key: index for index, step in enumerate(workshop_guide.GUIDE)}
HOSTILE = (
    "<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://evil.example/x",
    '=HYPERLINK("http://evil")',
    "مرحبا بالعالم",
    "服务恢复 サービス",
    "👩🏽‍💻 team",
)


@pytest.fixture
def fac(app: Flask, team: dict[str, Any]) -> FlaskClient:
    """The facilitator, logged in."""
    client = app.test_client()
    login(client, team["facilitator"])
    return client


def _url(team: dict[str, Any], session_id: int, tail: str = "") -> str:
    return f"/workspaces/{team['workspace_id']}/workshop/{session_id}{tail}"


def _go(fac: FlaskClient, app: Flask, team: dict[str, Any], session_id: int, key: str) -> None:
    version = session_row(app, session_id).version
    target = str(STEPS[key])
    moved = fac.post(_url(team, session_id, "/step"), data={"target": target, "version": version})
    assert moved.status_code == 303


def _functions_check(app: Flask, workspace_id: int) -> bool:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        checks = progress.all_checks(db.session, workspace)["metrics"]
        return next(check.done for check in checks if check.key == "functions")


def _workspace(app: Flask, workspace_id: int) -> tuple[int | None, str, int]:
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get_one(Workspace, workspace_id)
        return row.approach_prevent_target, row.approach_rationale, row.version


def test_the_functions_recap_takes_functions_and_checks_the_initiatives(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        departments.create_department(db.session, {"name": "Guest services"})
        departments.create_department(db.session, {"name": "IT"})
        db.session.add_all(
            [
                Initiative(title="Callback team", department="guest-services"),
                Initiative(title="Portal", department="it"),
                Initiative(title="Old plan", department="finance", status=InitiativeStatus.DROPPED),
            ]
        )
        db.session.commit()
    session_id, _code = open_session(app, fac, team)
    _go(fac, app, team, session_id, "functions")
    room = fac.get(_url(team, session_id)).get_data(as_text=True)
    # The rule is said on the page, and the register's names are offered.
    assert "every department that runs an active initiative" in room
    assert 'list="function-names"' in room and '<option value="Guest services">' in room
    assert not _functions_check(app, wid)
    items = _url(team, session_id, "/items")
    # A registered department found by its name in another case; nothing new is added.
    assert fac.post(items, data={"step": "functions", "title": "guest SERVICES"}).status_code == 303
    assert not _functions_check(app, wid)
    board = fac.get(_url(team, session_id, "/board")).get_data(as_text=True)
    assert (
        "Functions named as involved" in board and "Initiative departments still to name" in board
    )
    fac.post(items, data={"step": "functions", "title": "IT"})
    # Every active initiative's department is named: the dropped one's does not count.
    assert _functions_check(app, wid)
    state = fac.get(_url(team, session_id, "/state")).get_data(as_text=True)
    assert "Everything this step needs is there." in state
    # A name not in the register is added to it; oversized and empty names are refused.
    for value in HOSTILE:
        assert fac.post(items, data={"step": "functions", "title": value}).status_code == 303
    refused = fac.post(
        items, data={"step": "functions", "title": "x" * 81}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Keep the name to 80 characters." in refused
    empty = fac.post(items, data={"step": "functions", "title": "  "}, follow_redirects=True)
    assert "flash--error" in empty.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        named = {row.name: row.involved for row in db.session.scalars(select(Department))}
    assert named["Guest services"] and named["IT"] and all(named.values())
    # Lower-case names start with a capital in the register, as any typed department does.
    assert {v.casefold() for v in HOSTILE} <= {name.casefold() for name in named}
    assert not any(len(name) > 80 for name in named)
    board = fac.get(_url(team, session_id, "/board")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in board
    assert str(escape("<script>alert(1)</script>")) in board


def test_the_room_records_the_decision_beside_today(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add_all(
            [
                Initiative(title="Proactive texts", approach="prevent", budget=25_000),
                Initiative(title="Callback team", approach="recover", budget=75_000),
            ]
        )
        db.session.commit()
    session_id, _code = open_session(app, fac, team)
    decision = _url(team, session_id, "/decision")
    version = str(_workspace(app, wid)[2])
    good = {"approach_prevent_target": "40", "approach_rationale": "Small failures dominate."}
    # On another step the room refuses and writes nothing.
    off_step = fac.post(decision, data={**good, "version": version}, follow_redirects=True)
    assert "moved to another step" in off_step.get_data(as_text=True)
    assert _workspace(app, wid)[0] is None
    _go(fac, app, team, session_id, "approach")
    room = fac.get(_url(team, session_id)).get_data(as_text=True)
    assert "Record the decision" in room and "today: 25% prevent, 75% recover" in room
    assert "once a share of the budget for prevention is recorded" in room
    for bad, message in (
        ({"approach_prevent_target": ""}, "whole per cent from 0 to 100"),
        ({"approach_prevent_target": "101"}, "whole per cent from 0 to 100"),
        ({"approach_prevent_target": "-1"}, "whole per cent from 0 to 100"),
        ({"approach_prevent_target": "=1+1"}, "Not a valid integer value."),
        ({"approach_prevent_target": "40.5"}, "Not a valid integer value."),
        ({"approach_rationale": ""}, "Say in a sentence or two why the room chose it."),
        ({"approach_rationale": "r" * 2001}, "under 2,000 characters"),
    ):
        response = fac.post(decision, data={**good, **bad, "version": version})
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    assert _workspace(app, wid)[0] is None
    saved = fac.post(decision, data={**good, "version": version})
    assert saved.status_code == 303
    assert _workspace(app, wid)[:2] == (40, "Small failures dominate.")
    board = fac.get(_url(team, session_id, "/board")).get_data(as_text=True)
    assert "Decided: 40% prevent, 60% recover; today: 25% prevent, 75% recover" in board
    assert "15 percentage points less on prevention than decided" in board
    # A stale save of the same decision with another share is a conflict, not an overwrite.
    stale = fac.post(
        decision,
        data={"approach_prevent_target": "20", "approach_rationale": "Other.", "version": version},
    )
    assert stale.status_code == 409
    assert _workspace(app, wid)[:2] == (40, "Small failures dominate.")
    # Hostile and unicode reasons are kept as typed and shown as text.
    for value in HOSTILE:
        current = str(_workspace(app, wid)[2])
        response = fac.post(
            decision,
            data={"approach_prevent_target": "40", "approach_rationale": value, "version": current},
        )
        assert response.status_code == 303, value
        assert _workspace(app, wid)[1] == value
    # An executive reads the room but cannot decide.
    executive = app.test_client()
    login(executive, team["executive"])
    refused = executive.post(decision, data={**good, "version": str(_workspace(app, wid)[2])})
    assert refused.status_code == 403


def test_the_gaps_page_and_the_decision_page(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    gaps = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert "Decided: not yet" in gaps and "Record the decision" in gaps
    page_url = f"/workspaces/{wid}/alignment/approach-decision"
    page = client.get(page_url).get_data(as_text=True)
    assert "The room has not recorded a balance yet." in page
    version = form_version(page)
    data = {"approach_prevent_target": "0", "approach_rationale": "All recovery for now."}
    saved = client.post(page_url, data={**data, "version": version})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#approach")
    assert _workspace(app, wid)[0] == 0  # nought is a decision, not a missing value
    gaps = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert "Decided: 0% prevent, 100% recover" in gaps and "Change the decision" in gaps
    # A malformed version is refused, not merged.
    assert client.post(page_url, data={**data, "version": "x"}).status_code == 400
    executive = app.test_client()
    login(executive, team["executive"])
    read = executive.get(page_url).get_data(as_text=True)
    assert "All recovery for now." in read and "Record the decision" not in read
    assert executive.post(page_url, data={**data, "version": version}).status_code == 403
    outsider = app.test_client()
    login(outsider, team["outsider"])
    assert outsider.get(page_url).status_code == 404


def test_the_demo_decides_and_the_storyboard_says_so(app: Flask) -> None:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        context = build_context(db.session, workspace, date.today()).as_dict()
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", date.today(), REPORTS, "1"
        )
        checks = progress.all_checks(db.session, workspace)
    approach = context["alignment"]["approach"]
    assert approach["decision"].startswith("decided: 40% prevent, 60% recover; today: ")
    assert "percentage points" in approach["decision_gap"]
    assert "Decided: 40% prevent, 60% recover; today:" in html
    assert "The reason given:" in html
    done = {check.key: check.done for phase in checks.values() for check in phase}
    assert done["approach_decision"] and done["functions"]


def test_a_backup_carries_the_decision_and_the_functions_named(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        departments.involve(db.session, "Guest services")
        departments.create_department(db.session, {"name": "IT"})
        workspace = db.session.get_one(Workspace, wid)
        approach_decision.record(
            db.session,
            workspace,
            workspace.version,
            {"approach_prevent_target": 30, "approach_rationale": "Stop repeat failures."},
        )
        db.session.commit()
        first = json.loads(run_export(db.session, workspace, "json"))
    assert first["workspace"]["approach_prevent_target"] == 30
    involved = {row["name"]: row["involved"] for row in first["registers"]["departments"]}
    assert involved == {"Guest services": True, "IT": False}
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        copy = db.session.get_one(Workspace, report.workspace_id)
        assert (copy.approach_prevent_target, copy.approach_rationale) == (
            30,
            "Stop repeat failures.",
        )
        scope_session(db.session, report.workspace_id)
        assert [row.name for row in departments.involved(db.session)] == ["Guest services"]
    # A file from before the decision and the recap still restores, with neither recorded.
    older = json.loads(json.dumps(first))
    del older["workspace"]["approach_prevent_target"], older["workspace"]["approach_rationale"]
    for row in older["registers"]["departments"]:
        del row["involved"]
    loaded = backup.load(json.dumps(older).encode())
    assert loaded.workspace["approach_prevent_target"] is None
    assert {row["involved"] for row in loaded.registers["departments"]} == {False}
    # Out of range, the decision is refused with its place.
    older["workspace"]["approach_prevent_target"] = 140
    with pytest.raises(ExchangeRefusedError) as refused:
        backup.load(json.dumps(older).encode())
    assert "approach_prevent_target" in " ".join(refused.value.problems)
