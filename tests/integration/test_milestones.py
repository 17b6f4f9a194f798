"""Milestones, percentage complete, baselines and delivery health, through every way in."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, text

from tests.conftest import BASE_CONFIG, form_version, login, seed
from tests.integration.api_support import API, call, make_token
from tests.integration.test_exchange_backup import export_json, make_demo
from tests.integration.test_exchange_workbook import column_of, edited, export
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import Change, Initiative, InitiativeStatus, Milestone, User, Workspace
from workbench.services import exchange, exchange_workbook, initiatives, milestones
from workbench.services.report_context import build_context
from workbench.services.tenancy import allow_system_access, scope_session

TODAY = date.today()
LIMIT = 5 * 1024 * 1024


def _initiative(app: Flask, workspace_id: int, **values: Any) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        row = initiatives.create_initiative(db.session, {"title": "Case system", **values})
        db.session.commit()
        return row.id


def _milestone(app: Flask, workspace_id: int, initiative_id: int, **values: Any) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        row = milestones.create_milestone(
            db.session,
            initiative_id,
            {"title": "Pilot", "due_date": TODAY + timedelta(days=30), **values},
            TODAY,
        )
        db.session.commit()
        return row.id


def _rows(app: Flask, workspace_id: int) -> list[tuple[str, date, date | None, str]]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return [
            (m.title, m.due_date, m.done_date, m.owner)
            for m in db.session.scalars(select(Milestone).order_by(Milestone.id))
        ]


def test_baseline_is_kept_when_work_is_first_committed_and_then_left_alone(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    start, end = date(2027, 1, 4), date(2027, 6, 30)
    proposed = _initiative(app, wid, status=InitiativeStatus.PROPOSED, start_date=start)
    approved = _initiative(
        app, wid, status=InitiativeStatus.APPROVED, start_date=start, end_date=end
    )
    with app.app_context():
        scope_session(db.session, wid)
        first = db.session.get_one(Initiative, proposed)
        assert (first.baseline_start, first.baseline_end) == (None, None)
        second = db.session.get_one(Initiative, approved)
        assert (second.baseline_start, second.baseline_end) == (start, end)
        # Approving the proposed one keeps its dates of that moment.
        values = {name: getattr(first, name) for name in initiatives.FIELDS}
        values.update(status=InitiativeStatus.APPROVED, end_date=end)
        initiatives.update_initiative(db.session, proposed, first.version, values)
        assert (first.baseline_start, first.baseline_end) == (start, end)
        # A later move of the plan leaves the baseline where it was, so the slip shows.
        values = {name: getattr(second, name) for name in initiatives.FIELDS}
        values["end_date"] = end + timedelta(days=45)
        initiatives.update_initiative(db.session, approved, second.version, values)
        assert second.baseline_end == end
        db.session.commit()


def test_analyst_adds_edits_marks_done_and_deletes_a_milestone(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    iid = _initiative(
        app,
        wid,
        status=InitiativeStatus.IN_PROGRESS,
        start_date=TODAY - timedelta(days=100),
        end_date=TODAY + timedelta(days=100),
    )
    login(client, team["analyst"])
    page = f"/workspaces/{wid}/alignment/initiatives/{iid}"
    due = (TODAY - timedelta(days=3)).isoformat()
    added = client.post(
        f"{page}/milestones", data={"title": "Pilot at two hotels", "due_date": due, "owner": "IT"}
    )
    assert added.status_code == 303 and added.location.endswith("#milestones")
    html = client.get(page).get_data(as_text=True)
    # The overdue milestone is named among the delivery flags and puts the work at risk.
    assert "Milestone overdue" in html and "At risk" in html
    assert "The milestone “Pilot at two hotels” was due on" in html
    assert "0 of 1 milestone done." in html
    (mid,) = [m for m in _ids(app, wid)]
    edit = f"{page}/milestones/{mid}"
    version = form_version(client.get(edit).get_data(as_text=True))
    saved = client.post(
        edit, data={"title": "Pilot at three hotels", "due_date": due, "version": version}
    )
    assert saved.status_code == 303
    # A colleague's stale save of another title is a conflict, never a silent overwrite.
    stale = client.post(
        edit, data={"title": "Pilot everywhere", "due_date": due, "version": version}
    )
    assert stale.status_code == 409
    assert "Pilot at three hotels" in stale.get_data(as_text=True)
    done = client.post(f"{edit}/done", data={"version": str(int(version) + 1)})
    assert done.status_code == 303
    assert _rows(app, wid) == [("Pilot at three hotels", date.fromisoformat(due), TODAY, "")]
    html = client.get(page).get_data(as_text=True)
    assert "1 of 1 milestone done." in html and "Milestone overdue" not in html
    deleted = client.post(f"{edit}/delete")
    assert deleted.status_code == 303
    assert _rows(app, wid) == []
    # Each step is in the audit trail.
    with app.app_context():
        allow_system_access(db.session)
        actions = db.session.scalars(
            select(Change.action).where(Change.entity == "Milestone").order_by(Change.id)
        ).all()
    assert actions[0] == "create" and "update" in actions and actions[-1] == "delete"


def _ids(app: Flask, workspace_id: int) -> list[int]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return list(db.session.scalars(select(Milestone.id).order_by(Milestone.id)))


def test_bad_milestone_input_is_refused_beside_its_field_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    iid = _initiative(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/initiatives/{iid}/milestones"
    due = "2027-03-31"
    refusals = [
        ({"title": "", "due_date": due}, "Name the milestone."),
        ({"title": "   ", "due_date": due}, "Name the milestone."),
        ({"title": "x" * 201, "due_date": due}, "under 200 characters"),
        ({"title": "Pilot", "due_date": ""}, "Enter the due date."),
        ({"title": "Pilot", "due_date": "31/03/2027"}, "Enter a date as yyyy-mm-dd"),
        ({"title": "Pilot", "due_date": "2027-02-30"}, "Enter a date as yyyy-mm-dd"),
        ({"title": "Pilot", "due_date": due, "owner": "o" * 121}, "under 120 characters"),
        (
            {"title": "Pilot", "due_date": due, "done_date": "2999-01-01"},
            "cannot be done on a day still to come",
        ),
    ]
    for data, message in refusals:
        answer = client.post(url, data=data)
        assert answer.status_code == 400, data
        assert message in answer.get_data(as_text=True), data
    assert _rows(app, wid) == []
    # A malformed or missing version on "mark done" is refused, never a 500.
    mid = _milestone(app, wid, iid)
    for version in ("abc", "", "99999999999999999999"):
        answer = client.post(f"{url}/{mid}/done", data={"version": version})
        assert answer.status_code in (303, 409), version
    with app.app_context():
        scope_session(db.session, wid)
        db.session.delete(db.session.get_one(Milestone, mid))
        db.session.commit()
    kept = [
        "مرحلة التجربة",  # right to left
        "试点上线",
        "Pilot 🚀 live",
        "<script>alert(1)</script>",
        "file:///etc/passwd",
        "http://example.org/x",
        '=HYPERLINK("http://x")',
    ]
    for title in kept:
        assert client.post(url, data={"title": title, "due_date": due}).status_code == 303
    assert [row[0] for row in _rows(app, wid)] == kept
    html = client.get(f"/workspaces/{wid}/alignment/initiatives/{iid}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_percentage_complete_on_the_initiative_form(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/initiatives"
    base = {"title": "Playbook", "status": "in_progress", "priority": "medium"}
    for bad in ("101", "-1", "abc", "50.5"):
        answer = client.post(url, data={**base, "percent_complete": bad})
        assert answer.status_code == 400, bad
        assert "Enter a whole percentage from 0 to 100" in answer.get_data(as_text=True) or (
            "Not a valid integer" in answer.get_data(as_text=True)
        )
    assert client.post(url, data={**base, "percent_complete": "40"}).status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Initiative)).one()
        assert row.percent_complete == 40
    html = client.get(f"{url}/{row.id}").get_data(as_text=True)
    assert "40% as entered for the initiative." in html


def test_executives_read_delivery_and_milestones_but_change_nothing(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    iid = _initiative(app, wid, status=InitiativeStatus.IN_PROGRESS)
    mid = _milestone(app, wid, iid, title="Go live")
    login(client, team["executive"])
    page = f"/workspaces/{wid}/alignment/initiatives/{iid}"
    html = client.get(page).get_data(as_text=True)
    assert "Go live" in html and "Delivery" in html and "On track" in html
    assert "Add milestone" not in html and "Mark done" not in html
    assert client.get(f"{page}/milestones/{mid}").status_code == 200
    for url, data in (
        (f"{page}/milestones", {"title": "More", "due_date": "2027-01-01"}),
        (f"{page}/milestones/{mid}", {"title": "More", "due_date": "2027-01-01", "version": "1"}),
        (f"{page}/milestones/{mid}/done", {"version": "1"}),
        (f"{page}/milestones/{mid}/delete", {}),
    ):
        assert client.post(url, data=data).status_code == 403, url
    assert _rows(app, wid) == [("Go live", TODAY + timedelta(days=30), None, "")]
    # The list shows each initiative's health.
    listing = client.get(f"/workspaces/{wid}/alignment/initiatives").get_data(as_text=True)
    assert "status-pill status-on_track" in listing


def test_another_workspaces_milestone_or_another_initiatives_is_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid, foreign = team["workspace_id"], team["foreign_id"]
    own = _initiative(app, wid)
    other_own = _initiative(app, wid)
    theirs = _initiative(app, foreign)
    foreign_mid = _milestone(app, foreign, theirs, title="Foreign step")
    own_mid = _milestone(app, wid, own)
    login(client, team["analyst"])
    base = f"/workspaces/{wid}/alignment/initiatives"
    for url in (
        f"{base}/{own}/milestones/{foreign_mid}",
        f"{base}/{theirs}/milestones/{foreign_mid}",
        f"{base}/{other_own}/milestones/{own_mid}",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(f"{url}/delete").status_code == 404, url
        assert client.post(f"{url}/done", data={"version": "1"}).status_code == 404, url
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.get_one(Milestone, foreign_mid).done_date is None


def test_api_lists_adds_changes_and_deletes_milestones_under_their_initiative(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    iid = _initiative(app, wid, status=InitiativeStatus.APPROVED, start_date=date(2027, 1, 4))
    theirs = _initiative(app, team["foreign_id"])
    token = make_token(app, team["analyst"].id)
    reader = make_token(app, team["executive"].id)
    base = f"{API}/workspaces/{wid}/initiatives/{iid}/milestones"
    created = call(client, "POST", base, token, {"title": "Pilot", "due_date": "2027-02-01"})
    assert created.status_code == 201, created.get_json()
    row = created.get_json()
    assert row["initiative_id"] == iid and row["done_date"] is None
    assert created.headers["Location"].endswith(f"/milestones/{row['id']}")
    item = f"{base}/{row['id']}"
    assert call(client, "GET", base, reader).get_json()["items"][0]["title"] == "Pilot"
    bad = call(client, "POST", base, token, {"title": "", "due_date": "soon"})
    assert bad.status_code == 422
    assert {"title", "due_date"} <= set(bad.get_json()["error"]["fields"])
    assert (
        call(client, "POST", base, reader, {"title": "X", "due_date": "2027-02-01"}).status_code
        == 403
    )
    changed = call(client, "PATCH", item, token, {"version": 1, "title": "Pilot in Falmouth"})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    stale = call(client, "PATCH", item, token, {"version": 1, "title": "Pilot in Truro"})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current"]["title"] == "Pilot in Falmouth"
    # Nested under another initiative, or another workspace's, the milestone is not found.
    assert (
        call(
            client,
            "GET",
            f"{API}/workspaces/{wid}/initiatives/{theirs}/milestones/{row['id']}",
            token,
        ).status_code
        == 404
    )
    assert (
        call(
            client,
            "GET",
            f"{API}/workspaces/{team['foreign_id']}/initiatives/{theirs}/milestones",
            token,
        ).status_code
        == 404
    )
    # The initiative carries its percentage and (read-only) baseline.
    initiative = call(client, "GET", f"{API}/workspaces/{wid}/initiatives/{iid}", token).get_json()
    assert initiative["baseline_start"] == "2027-01-04" and initiative["percent_complete"] is None
    patched = call(
        client,
        "PATCH",
        f"{API}/workspaces/{wid}/initiatives/{iid}",
        token,
        {"version": initiative["version"], "percent_complete": 101},
    )
    assert patched.status_code == 422
    patched = call(
        client,
        "PATCH",
        f"{API}/workspaces/{wid}/initiatives/{iid}",
        token,
        {"version": initiative["version"], "percent_complete": 35},
    )
    assert patched.status_code == 200 and patched.get_json()["percent_complete"] == 35
    assert call(client, "DELETE", item, token).status_code == 204
    assert call(client, "GET", item, token).status_code == 404
    paths = call(client, "GET", f"{API}/openapi.json").get_json()["paths"]
    assert "/workspaces/{workspace_id}/initiatives/{initiative_id}/milestones" in paths
    assert (
        "patch"
        in paths["/workspaces/{workspace_id}/initiatives/{initiative_id}/milestones/{milestone_id}"]
    )


def test_backup_round_trip_keeps_milestones_percentages_and_baselines(app: Flask) -> None:
    user_id, workspace_id = make_demo(app)
    first = export_json(app, workspace_id)
    rows = first["registers"]["milestones"]
    assert len(rows) >= 8 and any(row["done_date"] is None for row in rows)
    assert any(row["baseline_end"] for row in first["registers"]["initiatives"])
    assert any(row["percent_complete"] == 80 for row in first["registers"]["initiatives"])
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, user_id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
    second = export_json(app, report.workspace_id)
    assert second["registers"]["milestones"] == rows
    assert second["registers"]["initiatives"] == first["registers"]["initiatives"]
    # A backup written before milestones existed is still read, as having none.
    del first["registers"]["milestones"]
    for row in first["registers"]["initiatives"]:
        for name in ("percent_complete", "baseline_start", "baseline_end"):
            del row[name]
    older = backup.load(json.dumps(first).encode())
    assert older.registers["milestones"] == []
    assert all(row["baseline_end"] is None for row in older.registers["initiatives"])


def test_workbook_has_a_milestones_sheet_whose_edits_apply(app: Flask) -> None:
    _user_id, workspace_id = make_demo(app)
    raw = export(app, workspace_id)
    book = load_workbook(io.BytesIO(raw))
    assert "Milestones" in book.sheetnames

    def rename(book: Any) -> None:
        sheet = book["Milestones"]
        sheet.cell(2, column_of(sheet, "title")).value = "Case tool chosen"

    changed = edited(raw, rename)
    with app.app_context():
        scope_session(db.session, workspace_id)
        preview = exchange_workbook.plan_import(db.session, changed, LIMIT)
        assert preview.problems == []
        sheet = next(s for s in preview.sheets if s.name == "milestones")
        assert len(sheet.changed) == 1 and "Case tool chosen" in sheet.changed[0]
        exchange_workbook.apply_import(db.session, changed, LIMIT, preview.fingerprint)
        db.session.commit()
        titles = db.session.scalars(select(Milestone.title)).all()
        assert "Case tool chosen" in titles


def test_storyboard_context_carries_progress_forecast_and_health(app: Flask) -> None:
    _user_id, workspace_id = make_demo(app)
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        context = build_context(db.session, workspace, date(2026, 12, 4))
    rows = {row.title: row for row in context.alignment.initiatives}
    case = rows["Launch a hosted complaint case system across all 14 hotels"]
    assert case.percent_complete == 50
    assert case.health == "at_risk" and case.health_label == "At risk"
    assert "Milestone overdue" in case.flags
    assert any("“Live at all 14 hotels”" in reason for reason in case.reasons)
    assert case.forecast_end is not None and case.forecast_end > "2026-12-31"
    playbook = rows["Write a recovery playbook for the ten most common failures"]
    assert (playbook.percent_complete, playbook.health) == (80, "late")
    done = rows["Gather every online review into one monitored queue"]
    assert done.health == "" and done.forecast_risk == ""
    assert "after the planned end of 31 December 2026" in case.forecast_risk
    # A forecast within the plan gives no such sentence, even for late work.
    assert playbook.forecast_risk == ""


def test_migration_adds_milestones_and_baselines_and_goes_back(
    database_url: str, team: dict
) -> None:
    from flask_migrate import downgrade, upgrade

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid = team["workspace_id"]
    with app.app_context():
        downgrade(revision="0019_departments")
        columns = "(title, description, owner, department, status, priority, position, "
        columns += "version, created_at, updated_at, workspace_id, start_date, end_date)"
        with db.engine.begin() as connection:
            for title, status in (("A", "approved"), ("B", "proposed"), ("C", "done")):
                connection.execute(
                    text(
                        f"INSERT INTO initiative {columns} VALUES (:title, '', '', '', :status, "
                        "'medium', 0, 1, '2026-11-01 10:00:00', '2026-11-01 10:00:00', :wid, "
                        "'2027-01-04', '2027-06-30')"
                    ),
                    {"title": title, "status": status, "wid": wid},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT title, baseline_start, baseline_end FROM initiative ORDER BY title")
            ).all()
        baselines = {row[0]: (str(row[1]) if row[1] else None) for row in rows}
        assert baselines == {"A": "2027-01-04", "B": None, "C": "2027-01-04"}
        scope_session(db.session, wid)
        a = db.session.scalars(select(Initiative).where(Initiative.title == "A")).one()
        milestones.create_milestone(
            db.session, a.id, {"title": "Step", "due_date": date(2027, 2, 1)}, TODAY
        )
        db.session.commit()
        db.session.remove()
        downgrade(revision="0019_departments")
        inspector = db.inspect(db.engine)
        assert "milestone" not in inspector.get_table_names()
        assert "baseline_start" not in {c["name"] for c in inspector.get_columns("initiative")}
        upgrade()
        db.engine.dispose()
