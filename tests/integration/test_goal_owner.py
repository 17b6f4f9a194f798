"""A goal's own owner: the goal form and page, bad input, a stale save, the audit trail, the
API, the backup and the workbook (older files without the column), the storyboard's owner
cell and the migration on both databases."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import inspect, select, text

from tests.conftest import BASE_CONFIG, login, seed
from tests.integration.api_support import API, call, make_token
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import Change, Goal, User, Workspace
from workbench.services import exchange, exchange_workbook
from workbench.services import metrics as metric_service
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.tenancy import allow_system_access, scope_session

OWNER_MAX = 120


@pytest.fixture
def metric_id(app: Flask, client: FlaskClient, team: dict) -> int:
    """A first-contact-resolution metric owned by Ana, without a goal, as the analyst."""
    seed(app)
    login(client, team["analyst"])
    response = client.post(
        f"/workspaces/{team['workspace_id']}/metrics/library",
        data={"template_key": "first_contact_resolution", "department": "service"},
    )
    assert response.status_code == 303
    found = int(re.search(r"/metrics/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        metric = metric_service.get_metric(db.session, found)
        metric.owner = "Ana Analyst"
        db.session.commit()
    return found


def _post_goal(client: FlaskClient, wid: int, metric_id: int, version: str, owner: str):
    data = {
        "baseline": "40",
        "baseline_date": "2026-01-01",
        "target": "70",
        "target_date": "2027-12-31",
        "rationale": "Most small complaints settled at the desk.",
        "owner": owner,
        "version": version,
    }
    return client.post(f"/workspaces/{wid}/metrics/{metric_id}/goal", data=data)


def _goal(app: Flask, wid: int) -> Goal | None:
    with app.app_context():
        scope_session(db.session, wid)
        goal = db.session.scalar(select(Goal))
        db.session.expunge_all()
        return goal


def test_the_goal_form_sets_shows_and_clears_the_owner(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    page_url = f"/workspaces/{wid}/metrics/{metric_id}"
    page = client.get(page_url).get_data(as_text=True)
    # Before a goal exists, the form says whom an empty owner means.
    assert 'name="owner"' in page
    assert "Leave it empty for the metric&#39;s owner (Ana Analyst)" in page
    # The metric's form has an owner field too: the goal's has an id of its own.
    assert page.count('id="owner"') == 1 and page.count('id="goal_owner"') == 1
    assert _post_goal(client, wid, metric_id, "0", "").status_code == 303
    page = client.get(page_url).get_data(as_text=True)
    assert 'Goal owner: the metric\'s owner, <strong dir="auto">Ana Analyst</strong>' in page
    assert _goal(app, wid).owner == ""
    assert _post_goal(client, wid, metric_id, "1", "  Eve Executive ").status_code == 303
    page = client.get(page_url).get_data(as_text=True)
    assert 'Goal owner: <strong dir="auto">Eve Executive</strong>' in page
    assert _goal(app, wid).owner == "Eve Executive"
    # A member who only reads sees the owner, not the form.
    reader = app.test_client()
    login(reader, team["executive"])
    page = reader.get(page_url).get_data(as_text=True)
    assert 'Goal owner: <strong dir="auto">Eve Executive</strong>' in page
    assert 'name="owner"' not in page
    # The audit trail records who changed the goal's owner, from what to what.
    with app.app_context():
        scope_session(db.session, wid)
        changes = db.session.scalars(
            select(Change).where(Change.entity == "Goal", Change.field == "owner")
        ).all()
        assert [(c.old_value, c.new_value, c.user_id) for c in changes] == [
            ("", "Eve Executive", team["analyst"].id)
        ]


def test_a_stale_goal_save_is_refused_and_keeps_the_owner(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    assert _post_goal(client, wid, metric_id, "0", "Eve Executive").status_code == 303
    stale = _post_goal(client, wid, metric_id, "0", "Fran Facilitator")
    assert stale.status_code == 409
    # The conflict page keeps what was typed, to be saved again on purpose.
    assert "Fran Facilitator" in stale.get_data(as_text=True)
    again = _post_goal(client, wid, metric_id, "1", "Fran Facilitator")
    assert again.status_code == 303
    older = _post_goal(client, wid, metric_id, "1", "")
    assert older.status_code == 409
    assert _goal(app, wid).owner == "Fran Facilitator"


@pytest.mark.parametrize(
    "owner",
    [
        "مدير علاقات الضيوف",
        "客户关系经理 王芳",
        "Fiona 😀 Marsh",
        "<b>Head</b> <script>alert(1)</script>",
        '=HYPERLINK("http://evil.example/","Click")',
        "file:///etc/passwd",
        "http://evil.example/owner",
        "x" * OWNER_MAX,
    ],
)
def test_unusual_owners_are_kept_as_text_and_shown_escaped(
    app: Flask, client: FlaskClient, team: dict, metric_id: int, owner: str
) -> None:
    wid = team["workspace_id"]
    assert _post_goal(client, wid, metric_id, "0", owner).status_code == 303
    assert _goal(app, wid).owner == owner
    page = client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<b>Head</b>" not in page
    shown = owner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shown = shown.replace('"', "&#34;")
    assert f'Goal owner: <strong dir="auto">{shown}</strong>' in page


@pytest.mark.parametrize(
    ("owner", "message"),
    [
        ("x" * (OWNER_MAX + 1), f"Keep the goal owner under {OWNER_MAX} characters."),
        ("y" * 5000, f"Keep the goal owner under {OWNER_MAX} characters."),
    ],
)
def test_an_oversized_owner_is_refused_and_nothing_is_saved(
    app: Flask, client: FlaskClient, team: dict, metric_id: int, owner: str, message: str
) -> None:
    wid = team["workspace_id"]
    response = _post_goal(client, wid, metric_id, "0", owner)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _goal(app, wid) is None


def test_blank_and_control_character_owners_mean_the_metrics_owner(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    assert _post_goal(client, wid, metric_id, "0", " \t ").status_code == 303
    assert _goal(app, wid).owner == ""
    assert _post_goal(client, wid, metric_id, "1", "Eve\x00 Executive\x07").status_code in {
        303,
        400,
    }
    stored = _goal(app, wid).owner
    assert "\x00" not in stored and "\x07" not in stored


def test_the_api_reads_writes_and_checks_the_goal_owner(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    token = make_token(app, team["analyst"].id)
    url = f"{API}/workspaces/{wid}/metrics/{metric_id}/goal"
    made = call(client, "PUT", url, token, {"version": 0, "target": 70, "owner": "رضا 满意 😀"})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["owner"] == "رضا 满意 😀"
    read = call(client, "GET", url, token)
    assert read.get_json()["owner"] == "رضا 满意 😀"
    version = read.get_json()["version"]
    too_long = call(client, "PUT", url, token, {"version": version, "owner": "z" * 121})
    assert too_long.status_code == 422
    assert "owner" in too_long.get_json()["error"]["fields"]
    wrong_type = call(client, "PUT", url, token, {"version": version, "owner": ["Ana"]})
    assert wrong_type.status_code == 422
    stale = call(client, "PUT", url, token, {"version": 0, "owner": "Someone else"})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current"]["owner"] == "رضا 满意 😀"
    # Omitted fields are cleared, the owner among them: the metric's owner hears again.
    cleared = call(client, "PUT", url, token, {"version": version, "target": 71})
    assert cleared.status_code == 200 and cleared.get_json()["owner"] == ""
    spec = client.get(f"{API}/openapi.json").get_json()
    goal_schema = json.dumps(spec)
    assert '"owner"' in goal_schema


def _export(app: Flask, wid: int, kind: str) -> bytes | str:
    with app.app_context():
        scope_session(db.session, wid)
        return run_export(db.session, db.session.get_one(Workspace, wid), kind)


def _restore(app: Flask, person_id: int, document: dict) -> int:
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, person_id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(document).encode()))
        db.session.commit()
        return report.workspace_id


def test_backup_and_workbook_carry_the_goal_owner_and_older_files_import(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    assert _post_goal(client, wid, metric_id, "0", "Eve <b>Executive</b>").status_code == 303
    document = json.loads(_export(app, wid, "json"))
    (goal_row,) = document["registers"]["goals"]
    assert goal_row["owner"] == "Eve <b>Executive</b>"
    restored = _restore(app, team["facilitator"].id, document)
    assert _goal(app, restored).owner == "Eve <b>Executive</b>"
    # A backup written before goals had owners restores with the metric's owner meant.
    del goal_row["owner"]
    older = _restore(app, team["facilitator"].id, document)
    assert _goal(app, older).owner == ""
    # An oversized owner in a backup is refused with its place.
    goal_row["owner"] = "o" * 121
    with pytest.raises(backup.ExchangeRefusedError) as refusal:
        backup.load(json.dumps(document).encode())
    assert "goals row 1" in str(refusal.value.problems)
    # The workbook: an edited owner cell is one change; a sheet without the column imports.
    raw = _export(app, wid, "xlsx")
    assert isinstance(raw, bytes)
    book = load_workbook(io.BytesIO(raw))
    sheet = book["Goals"]
    header = [cell.value for cell in sheet[1]]
    assert "owner" in header
    column = header.index("owner") + 1
    assert sheet.cell(row=2, column=column).value == "Eve <b>Executive</b>"
    formula = '=HYPERLINK("http://evil.example/","x")'
    sheet.cell(row=2, column=column).value = formula
    buffer = io.BytesIO()
    book.save(buffer)
    plan = _plan(app, wid, buffer.getvalue())
    goal_id = _goal(app, wid).id
    assert plan.problems == [] and plan.counts() == (0, 1, 0)
    assert [s.changed for s in plan.sheets if s.changed] == [
        [f"G{goal_id}: owner: Eve <b>Executive</b> → {formula}"]
    ]
    with app.app_context():
        scope_session(db.session, wid)
        exchange_workbook.apply_import(db.session, buffer.getvalue(), 10_000_000, plan.fingerprint)
        db.session.commit()
    assert _goal(app, wid).owner == formula
    # Written back out, the owner is text, never a live formula.
    again = load_workbook(io.BytesIO(_export(app, wid, "xlsx")))["Goals"]
    assert again.cell(row=2, column=column).data_type == "s"
    # A workbook written before goals had owners imports and keeps the stored owner: a file
    # that cannot say who owns a goal does not undo the person who named one.
    sheet.delete_cols(column)
    buffer = io.BytesIO()
    book.save(buffer)
    plan = _plan(app, wid, buffer.getvalue())
    assert plan.problems == [] and plan.counts() == (0, 0, 0)
    with app.app_context():
        scope_session(db.session, wid)
        exchange_workbook.apply_import(db.session, buffer.getvalue(), 10_000_000, plan.fingerprint)
        db.session.commit()
    assert _goal(app, wid).owner == formula


def _plan(app: Flask, wid: int, raw: bytes) -> exchange_workbook.WorkbookPlan:
    with app.app_context():
        scope_session(db.session, wid)
        plan = exchange_workbook.plan_import(db.session, raw, 10_000_000)
        db.session.rollback()
    return plan


def test_the_storyboard_names_the_goal_owner_beside_the_metric_owner(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    assert _post_goal(client, wid, metric_id, "0", "Eve Executive").status_code == 303

    def owner_cell() -> str:
        with app.app_context():
            scope_session(db.session, wid)
            workspace = db.session.get_one(Workspace, wid)
            context = build_context(db.session, workspace, date(2026, 12, 4)).as_dict()
        (department,) = context["metrics"]["departments"]
        return department["lines"][0][0]

    assert owner_cell() == "Ana Analyst; goal: Eve Executive"
    # The same person written twice is said once.
    assert _post_goal(client, wid, metric_id, "1", "ana  ANALYST").status_code == 303
    assert owner_cell() == "Ana Analyst"
    assert _post_goal(client, wid, metric_id, "2", "").status_code == 303
    assert owner_cell() == "Ana Analyst"


def test_the_migration_adds_and_drops_the_goal_owner(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        metric = metric_service.create_metric(
            db.session, {"name": "Score", "unit": "score", "direction": "higher"}
        )
        metric_service.save_goal(db.session, metric.id, 0, {"target": 9, "owner": "Eve"})
        db.session.commit()
        downgrade(revision="0036_feed_holds")
        assert "owner" not in {c["name"] for c in inspect(db.engine).get_columns("goal")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT target FROM goal")).scalars().all() == [9]
        upgrade()
        assert "owner" in {c["name"] for c in inspect(db.engine).get_columns("goal")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT owner FROM goal")).scalars().all() == [""]
        db.engine.dispose()
