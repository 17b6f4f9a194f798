"""Processes linked to the department that runs them and the initiatives that change them:
the process page (edit, merge, conflict, bad input, roles), the initiative page and the list,
the department register's refusal, the API, the exchange, the storyboard and the migration."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, SEEDS, form_version, login
from tests.integration.api_support import API, call, make_token
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import (
    Change,
    Department,
    Initiative,
    Process,
    ProcessInitiative,
    User,
    Workspace,
)
from workbench.services import departments, exchange, exchange_workbook, process_links, seeding
from workbench.services.errors import ServiceError
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
    """Two departments, three initiatives and one process."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        departments.create_department(db.session, {"name": "Guest services"})
        departments.create_department(db.session, {"name": "IT"})
        rows = {
            "callback": Initiative(title="Callback team"),
            "portal": Initiative(title="Self-service portal"),
            "bot": Initiative(title="Complaint bot"),
            "process": Process(name="Recover a guest"),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


def _form(version: str, *initiatives: int, loaded: str = "", **values: object) -> dict:
    data: dict[str, object] = {
        "name": "Recover a guest",
        "description": "",
        "department": "",
        "new_department": "",
        "loaded_initiatives": loaded,
        "version": version,
        "initiative": [str(i) for i in initiatives],
    }
    data.update(values)
    return data


def _loaded(html: str) -> str:
    """The initiative ids the process page was loaded with (its hidden field)."""
    match = re.search(r'name="loaded_initiatives"[^>]*value="([\d,]*)"', html) or re.search(
        r'value="([\d,]*)"[^>]*name="loaded_initiatives"', html
    )
    assert match, "no loaded_initiatives field on the page"
    return match.group(1)


def _save(app: Flask, workspace_id: int, process_id: int, department: str, *linked: int) -> None:
    """Save a process's department and initiatives through the service, at its version."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        process = db.session.get_one(Process, process_id)
        process_links.save_process(
            db.session,
            process_id,
            process.version,
            {"name": process.name, "description": process.description, "department": department},
            None,
            set(linked),
        )
        db.session.commit()


def _links(app: Flask, workspace_id: int, process_id: int) -> tuple[str, set[int]]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        process = db.session.get_one(Process, process_id)
        return process.department, process_links.initiative_ids(db.session, process_id)


def test_the_process_page_links_a_department_and_initiatives(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/processes/{ids['process']}"
    page = client.get(url).get_data(as_text=True)
    assert "Initiatives that change this process" in page and "Complaint bot" in page
    version = form_version(page)
    saved = client.post(
        url, data=_form(version, ids["callback"], ids["portal"], department="guest-services")
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    assert _links(app, wid, ids["process"]) == ("guest-services", {ids["callback"], ids["portal"]})
    # A department typed as new joins the register and is named by its key.
    page = client.get(url).get_data(as_text=True)
    assert _loaded(page) == f"{ids['callback']},{ids['portal']}"
    version = form_version(page)
    client.post(
        url, data=_form(version, ids["callback"], loaded=_loaded(page), new_department="Finance")
    )
    department, linked = _links(app, wid, ids["process"])
    assert (department, linked) == ("finance", {ids["callback"]})
    # The initiative page, the process list and the process page all say so.
    initiative = client.get(f"/workspaces/{wid}/alignment/initiatives/{ids['callback']}")
    text = initiative.get_data(as_text=True)
    assert "Processes it changes" in text and "Recover a guest" in text and "Finance" in text
    other = client.get(f"/workspaces/{wid}/alignment/initiatives/{ids['bot']}")
    assert "It changes no process of the operating model yet." in other.get_data(as_text=True)
    listing = client.get(f"/workspaces/{wid}/operating/processes/").get_data(as_text=True)
    assert 'Run by: <span dir="auto">Finance</span>' in listing and "Callback team" in listing
    # Each change is in the audit trail: the department field and the links.
    with app.app_context():
        scope_session(db.session, wid)
        entities = {
            (c.entity, c.action, c.field)
            for c in db.session.scalars(
                select(Change).where(Change.entity.in_(("Process", "ProcessInitiative")))
            )
        }
    assert ("Process", "update", "department") in entities
    assert ("ProcessInitiative", "create", None) in {(e, a, None) for e, a, _f in entities}
    assert ("ProcessInitiative", "delete", None) in {(e, a, None) for e, a, _f in entities}


def test_a_stale_save_merges_links_and_refuses_the_same_field(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/processes/{ids['process']}"
    version = form_version(client.get(url).get_data(as_text=True))
    # A colleague links the portal and names IT; this page was loaded before.
    assert client.post(url, data=_form(version, ids["portal"], department="it")).status_code == 303
    # This stale save adds the bot and leaves the department alone: both survive.
    merged = client.post(url, data=_form(version, ids["bot"]))
    assert merged.status_code == 303, merged.get_data(as_text=True)[:500]
    assert _links(app, wid, ids["process"]) == ("it", {ids["portal"], ids["bot"]})
    # A stale save naming another department over the colleague's is a conflict.
    stale = client.post(url, data=_form(version, department="guest-services"))
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "changed by someone else" in body
    assert _links(app, wid, ids["process"]) == ("it", {ids["portal"], ids["bot"]})
    # A link change alone raises the version, so the next stale form is caught too.
    current = form_version(client.get(url).get_data(as_text=True))
    loaded = f"{ids['portal']},{ids['bot']}"
    client.post(url, data=_form(current, ids["portal"], loaded=loaded, department="it"))
    assert int(form_version(client.get(url).get_data(as_text=True))) == int(current) + 1


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/processes/{ids['process']}"
    version = form_version(client.get(url).get_data(as_text=True))
    cases = {
        "Process is required.": _form(version, name="   "),
        "Keep the process under 160 characters.": _form(version, name="p" * 161),
        "A chosen initiative was not recognised": _form(version, initiative=["1; DROP"]),
        "not recognised; choose again": _form(version, loaded="1,<b>"),
        "Some chosen initiatives no longer exist": _form(version, 999_999),
        "Keep the or add a new department under 80 characters.": _form(
            version, new_department="d" * 81
        ),
    }
    for message, data in cases.items():
        response = client.post(url, data=data)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    assert client.post(url, data=_form("x1")).status_code == 400
    assert _links(app, wid, ids["process"]) == ("", set())
    # Unicode and hostile text are kept as typed and shown escaped, department names too.
    listing = f"/workspaces/{wid}/operating/processes/"
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        version = form_version(client.get(url).get_data(as_text=True))
        response = client.post(url, data=_form(version, name=value, new_department=value[:80]))
        assert response.status_code == 303, value
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert str(escape(value)) in client.get(listing).get_data(as_text=True), value
    with app.app_context():
        scope_session(db.session, wid)
        names = set(db.session.scalars(select(Department.name)))
    assert {ARABIC, CJK, EMOJI, '=HYPERLINK("http://evil")'} <= names


def test_executives_read_and_other_workspaces_are_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    _save(app, wid, ids["process"], "it", ids["callback"])
    url = f"/workspaces/{wid}/operating/processes/{ids['process']}"
    login(client, team["executive"])
    page = client.get(url).get_data(as_text=True)
    assert "Callback team" in page and "IT" in page
    assert 'name="initiative"' not in page and "Initiatives that change this process" not in page
    initiative = client.get(f"/workspaces/{wid}/alignment/initiatives/{ids['callback']}")
    text = initiative.get_data(as_text=True)
    assert "Recover a guest" in text and "tick this initiative" not in text
    assert client.post(url, data=_form("1", ids["bot"])).status_code == 403
    assert _links(app, wid, ids["process"])[1] == {ids["callback"]}
    other = app.test_client()
    login(other, team["outsider"])
    assert other.get(url).status_code == 404
    foreign = f"/workspaces/{team['foreign_id']}/operating/processes/{ids['process']}"
    assert other.get(foreign).status_code == 404


def test_a_department_running_a_process_cannot_be_deleted(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    _save(app, wid, ids["process"], "it")
    with app.app_context():
        scope_session(db.session, wid)
        it = db.session.scalars(select(Department).where(Department.key == "it")).one()
        try:
            departments.delete_department(db.session, it.id)
        except ServiceError as error:
            message = error.message
        else:
            raise AssertionError("the department was deleted while a process names it")
        db.session.rollback()
        assert "1 process (“Recover a guest”)" in message
        removed = departments.refuse_removal_in_use(db.session, {"it": "IT"})
        assert removed and "1 process" in removed[0]


def test_the_api_reads_a_process_with_its_links(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    _save(app, wid, ids["process"], "Guest services", ids["callback"], ids["bot"])
    token = make_token(app, team["executive"].id, "exec")
    (item,) = call(client, "GET", f"{API}/workspaces/{wid}/processes", token).get_json()["items"]
    assert item["department"] == "guest-services"
    assert item["department_name"] == "Guest services"
    assert item["initiative_ids"] == sorted([ids["callback"], ids["bot"]])
    links = call(client, "GET", f"{API}/workspaces/{wid}/process-initiatives", token).get_json()
    assert {row["initiative_id"] for row in links["items"]} == {ids["callback"], ids["bot"]}
    outsider = make_token(app, team["outsider"].id, "out")
    foreign = f"{API}/workspaces/{wid}/process-initiatives"
    assert call(client, "GET", foreign, outsider).status_code == 404
    spec = client.get(f"{API}/openapi.json").get_json()
    assert "/workspaces/{workspace_id}/process-initiatives" in spec["paths"]


def test_backup_and_workbook_carry_the_links(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    _save(app, wid, ids["process"], "IT", ids["portal"])
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    (process,) = first["registers"]["processes"]
    assert process["department"] == "IT"  # files name departments as people read them
    assert len(first["registers"]["process_initiatives"]) == 1
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        copy = db.session.get_one(Workspace, report.workspace_id)
        second = json.loads(run_export(db.session, copy, "json"))
        (copied,) = db.session.scalars(select(Process)).all()
        titles = [
            i.title
            for i in db.session.scalars(
                select(Initiative).join(
                    ProcessInitiative, ProcessInitiative.initiative_id == Initiative.id
                )
            )
        ]
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    assert copied.department == "it" and titles == ["Self-service portal"]
    # A backup from before the links (no register, no department column) still restores.
    del older["registers"]["process_initiatives"]
    for row in older["registers"]["processes"]:
        del row["department"]
    loaded = backup.load(json.dumps(older).encode())
    assert loaded.registers["process_initiatives"] == []
    assert loaded.registers["processes"][0]["department"] == ""
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        restored = exchange.restore(db.session, owner, loaded)
        db.session.commit()
        scope_session(db.session, restored.workspace_id)
        assert db.session.scalars(select(Process.department)).all() == [""]
    # The workbook has a sheet of its own; an unchanged workbook plans no change.
    book = load_workbook(io.BytesIO(raw))
    assert "Process changes" in book.sheetnames
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, raw, 10_000_000)
        db.session.rollback()
    assert result.problems == [] and result.counts() == (0, 0, 0)
    # A workbook from before the links still reads, leaving them unchanged.
    del book["Process changes"]
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []


def test_the_storyboard_names_each_process_department_and_changers(app: Flask) -> None:
    today = date.today()
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
    (process,) = context["operating"]["processes"]
    assert process["department"] == "Guest services"
    assert sorted(process["initiatives"]) == [
        "Alert the right responder and contact the guest within 15 minutes",
        "Write a recovery playbook for the ten most common failures",
    ]
    assert "<th>Run by</th>" in html and "Initiatives that change it" in html


def test_the_migration_adds_and_drops_the_links(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    ids = _fill(app, team["workspace_id"])
    with app.app_context():
        downgrade(revision="0025_drills")
        inspector = inspect(db.engine)
        assert "process_initiative" not in inspector.get_table_names()
        assert "department" not in {c["name"] for c in inspector.get_columns("process")}
        assert "involved" not in {c["name"] for c in inspector.get_columns("department")}
        upgrade()
        inspector = inspect(db.engine)
        assert "process_initiative" in inspector.get_table_names()
        workspace_columns = {c["name"] for c in inspector.get_columns("workspace")}
        assert {"approach_prevent_target", "approach_rationale"} <= workspace_columns
        scope_session(db.session, team["workspace_id"])
        # The process kept its row and takes links again.
        process_links.save_process(
            db.session,
            ids["process"],
            db.session.get_one(Process, ids["process"]).version,
            {"name": "Recover a guest", "department": "it"},
            None,
            {ids["callback"]},
        )
        db.session.commit()
        assert process_links.initiative_ids(db.session, ids["process"]) == {ids["callback"]}
        db.engine.dispose()
