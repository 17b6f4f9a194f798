"""A person's edit of a feed's reading is never undone by the feed: a reading deleted by hand
is held out of later runs (until someone lets the feed fill it again), and a reading edited
by hand, through any path, becomes the person's and is kept."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, login
from tests.integration.api_support import API, call, make_token
from tests.integration.feed_support import (
    QUERY,
    feed_root,
    make_metric,
    readings,
    run,
    save,
    sqlite_source,
)
from tests.integration.test_exchange_workbook import LIMIT, column_of, edited, export
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Change, FeedHold, JobStatus, Measurement, Workspace
from workbench.services import exchange_workbook, sites, workspaces
from workbench.services.audit import set_actor
from workbench.services.tenancy import allow_system_access, scope_session

ROWS = [("2026-01-31", 41.5, ""), ("2026-02-28", 43.0, "")]


def _fed(app: Flask, team: dict, tmp_path: Path) -> tuple[int, int, int, Path]:
    """A metric whose feed has run once: (workspace, metric, feed, source)."""
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    source = sqlite_source(root / "s.sqlite3", ROWS)
    metric = make_metric(app, wid)
    feed_id = save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE and found is not None and found.rows_added == 2
    return wid, metric, feed_id, source


def _reading_id(app: Flask, wid: int, metric: int, day: str) -> int:
    with app.app_context():
        scope_session(db.session, wid)
        return db.session.scalars(
            select(Measurement.id).where(
                Measurement.metric_id == metric, Measurement.measured_on == date.fromisoformat(day)
            )
        ).one()


def test_a_feed_reading_deleted_by_hand_is_held_out_until_released(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid, metric, feed_id, _source = _fed(app, team, tmp_path)
    login(client, team["analyst"])
    page = f"/workspaces/{wid}/metrics/{metric}"
    january = _reading_id(app, wid, metric, "2026-01-31")
    # Deleting a feed's reading says, before it is done, that the feed will leave the day.
    assert "The feed wrote it; it will leave this day alone" in client.get(page).get_data(
        as_text=True
    )
    deleted = client.post(f"{page}/measurements/{january}/delete")
    assert deleted.status_code == 303
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE and found is not None
    assert (found.rows_added, found.rows_unchanged) == (0, 1)
    assert readings(app, wid, metric) == [("2026-02-28", 43.0, None, feed_id)]
    assert found.rows_held == 1 and "1 row held out: deleted by hand" in found.message
    assert job.result["held"] == 1
    detail = client.get(page).get_data(as_text=True)
    assert "1 held out: deleted by hand" in detail
    assert "Days the feed leaves alone" in detail and "2026-01-31" in detail
    # The person who deleted it is named as they call themselves, not by their email.
    held = detail[detail.index("Days the feed leaves alone") :]
    held = held[: held.index("</table>")]
    assert team["analyst"].name in held and team["analyst"].email not in held
    assert "Let the feed fill it again" in detail
    # An executive reads the held days but has no button and may not release one.
    reader = FlaskClient(app, use_cookies=True)
    login(reader, team["executive"])
    seen = reader.get(page).get_data(as_text=True)
    assert "2026-01-31" in seen and "Let the feed fill it again" not in seen
    with app.app_context():
        scope_session(db.session, wid)
        hold_id = db.session.scalars(select(FeedHold.id)).one()
    release = f"{page}/feed/holds/{hold_id}/release"
    assert reader.post(release).status_code == 403
    released = client.post(release)
    assert released.status_code == 303
    follow = client.get(released.headers["Location"]).get_data(as_text=True)
    assert "next run" in follow and "2026-01-31" in follow
    assert client.post(release).status_code == 404  # already released
    _job, again = run(app, wid, metric)
    assert again is not None and (again.rows_added, again.rows_held) == (1, 0)
    assert [r[0] for r in readings(app, wid, metric)] == ["2026-01-31", "2026-02-28"]


def test_a_feed_reading_deleted_and_entered_again_by_hand_is_kept(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid, metric, feed_id, _source = _fed(app, team, tmp_path)
    login(client, team["facilitator"])
    page = f"/workspaces/{wid}/metrics/{metric}"
    # The measurement form: delete the feed's reading, then enter the person's own value.
    january = _reading_id(app, wid, metric, "2026-01-31")
    assert client.post(f"{page}/measurements/{january}/delete").status_code == 303
    entered = client.post(
        f"{page}/measurements", data={"mode": "one", "measured_on": "2026-01-31", "value": "39"}
    )
    assert entered.status_code == 303
    # The API: delete the other, then a CSV upload enters it again.
    token = make_token(app, team["facilitator"].id)
    february = _reading_id(app, wid, metric, "2026-02-28")
    gone = call(
        client, "DELETE", f"{API}/workspaces/{wid}/metrics/{metric}/measurements/{february}", token
    )
    assert gone.status_code == 204
    upload = io.BytesIO(b"2026-02-28,44,checked at the desk\n")
    uploaded = client.post(
        f"{page}/measurements", data={"mode": "paste", "text": "", "upload": (upload, "r.csv")}
    )
    assert uploaded.status_code == 303
    job, found = run(app, wid, metric)
    assert job.status == JobStatus.DONE and found is not None
    assert (found.rows_added, found.rows_updated) == (0, 0)
    assert job.result["kept"] == 2
    assert readings(app, wid, metric) == [
        ("2026-01-31", 39.0, None, None),
        ("2026-02-28", 44.0, None, None),
    ]
    assert feed_id


def test_a_feed_reading_added_by_the_api_again_is_kept(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid, metric, _feed_id, _source = _fed(app, team, tmp_path)
    token = make_token(app, team["analyst"].id)
    base = f"{API}/workspaces/{wid}/metrics/{metric}/measurements"
    january = _reading_id(app, wid, metric, "2026-01-31")
    assert call(client, "DELETE", f"{base}/{january}", token).status_code == 204
    body = {"measured_on": "2026-01-31", "value": 12.5, "note": "recount"}
    assert call(client, "POST", base, token, body).status_code == 201
    _job, found = run(app, wid, metric)
    assert found is not None and (found.rows_added, found.rows_held) == (0, 0)
    assert readings(app, wid, metric)[0][:2] == ("2026-01-31", 12.5)
    assert readings(app, wid, metric)[0][3] is None


def test_a_feed_reading_edited_in_the_workbook_becomes_the_persons(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    wid, metric, feed_id, source = _fed(app, team, tmp_path)
    raw = export(app, wid)

    def correct(book: Any) -> None:
        sheet = book["Measurements"]
        values = column_of(sheet, "value")
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, values).value == 41.5:
                sheet.cell(row, values).value = 40

    changed = edited(raw, correct)
    with app.app_context():
        scope_session(db.session, wid)
        preview = exchange_workbook.plan_import(db.session, changed, LIMIT)
        assert preview.problems == []
        exchange_workbook.apply_import(db.session, changed, LIMIT, preview.fingerprint)
        db.session.commit()
    assert readings(app, wid, metric) == [
        ("2026-01-31", 40.0, None, None),
        ("2026-02-28", 43.0, None, feed_id),
    ]
    # The source corrects both days; the person's value stays, the feed's own is updated.
    sqlite_source(source, [("2026-01-31", 42.0, ""), ("2026-02-28", 45.0, "")])
    job, found = run(app, wid, metric)
    assert found is not None and (found.rows_updated, job.result["kept"]) == (1, 1)
    assert readings(app, wid, metric) == [
        ("2026-01-31", 40.0, None, None),
        ("2026-02-28", 45.0, None, feed_id),
    ]


def _holds(app: Flask, wid: int) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(select(FeedHold).order_by(FeedHold.measured_on))
        return [(h.measured_on.isoformat(), h.site_id, h.deleted_by) for h in rows]


def test_holds_are_audited_and_go_with_their_feed_or_metric(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid, metric, _feed_id, source = _fed(app, team, tmp_path)
    login(client, team["facilitator"])
    page = f"/workspaces/{wid}/metrics/{metric}"
    january = _reading_id(app, wid, metric, "2026-01-31")
    assert client.post(f"{page}/measurements/{january}/delete").status_code == 303
    assert _holds(app, wid) == [("2026-01-31", None, "fran@example.org")]
    with app.app_context():
        scope_session(db.session, wid)
        hold = db.session.scalars(select(FeedHold)).one()
        hold_id = hold.id
        assert hold.deleted_by_id == team["facilitator"].id
    assert client.post(f"{page}/feed/holds/{hold_id}/release").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        changes = db.session.scalars(
            select(Change).where(Change.entity == "FeedHold").order_by(Change.id)
        ).all()
        assert [(c.action, c.entity_id, c.user_label) for c in changes] == [
            ("create", hold_id, "fran@example.org"),
            ("delete", hold_id, "fran@example.org"),
        ]
        assert changes[0].details and changes[0].details["measured_on"] == "2026-01-31"
    history = client.get(f"/workspaces/{wid}/history").get_data(as_text=True)
    assert "Day a feed leaves alone" in history
    # Deleting the feed takes its holds with it.
    run(app, wid, metric)
    january = _reading_id(app, wid, metric, "2026-01-31")
    assert client.post(f"{page}/measurements/{january}/delete").status_code == 303
    assert len(_holds(app, wid)) == 1
    assert client.post(f"{page}/feed/delete").status_code == 303
    assert _holds(app, wid) == []
    # And deleting a metric takes its feed's holds (a new metric: the first one's readings
    # are no feed's any more, so a new feed of it keeps them as entered by hand).
    metric = make_metric(app, wid, "Second")
    page = f"/workspaces/{wid}/metrics/{metric}"
    save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    run(app, wid, metric)
    february = _reading_id(app, wid, metric, "2026-02-28")
    assert client.post(f"{page}/measurements/{february}/delete").status_code == 303
    assert len(_holds(app, wid)) == 1
    assert client.post(f"{page}/delete").status_code == 303
    assert _holds(app, wid) == []


def test_a_workbook_that_moves_or_removes_feed_readings_holds_their_days(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    wid, metric, _feed_id, _source = _fed(app, team, tmp_path)

    def move_and_remove(book: Any) -> None:
        sheet = book["Measurements"]
        day, value = column_of(sheet, "measured_on"), column_of(sheet, "value")
        rows = {sheet.cell(r, value).value: r for r in range(2, sheet.max_row + 1)}
        sheet.cell(rows[41.5], day).value = "2026-01-30"
        sheet.delete_rows(rows[43])

    changed = edited(export(app, wid), move_and_remove)
    with app.app_context():
        scope_session(db.session, wid)
        set_actor(db.session, team["analyst"].id, "ana@example.org")
        preview = exchange_workbook.plan_import(db.session, changed, LIMIT)
        assert preview.problems == []
        exchange_workbook.apply_import(db.session, changed, LIMIT, preview.fingerprint)
        db.session.commit()
    assert readings(app, wid, metric) == [("2026-01-30", 41.5, None, None)]
    assert _holds(app, wid) == [
        ("2026-01-31", None, "ana@example.org"),
        ("2026-02-28", None, "ana@example.org"),
    ]
    job, found = run(app, wid, metric)
    assert found is not None and (found.rows_added, found.rows_held) == (0, 2)
    assert "2 rows held out: deleted by hand" in found.message
    assert [item["kind"] for item in found.rejected] == ["held", "held"]
    assert job.result["held"] == 2
    assert readings(app, wid, metric) == [("2026-01-30", 41.5, None, None)]


HOSTILE = '<script>alert(1)</script> مركز 東京 🏨 =HYPERLINK("http://evil.example","x")'


def test_held_days_of_a_site_with_a_hostile_name_are_shown_as_text(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    with app.app_context():
        scope_session(db.session, wid)
        site = sites.create_site(db.session, {"name": HOSTILE[:80], "kind": "hotel"})
        db.session.commit()
        site_id, name = site.id, site.name
    source = sqlite_source(root / "h.sqlite3", [("2026-01-31", 41.5, name)])
    metric = make_metric(app, wid)
    save(app, wid, metric, database_url=f"sqlite:///{source}", query=QUERY)
    run(app, wid, metric)
    login(client, team["analyst"])
    page = f"/workspaces/{wid}/metrics/{metric}"
    reading = _reading_id(app, wid, metric, "2026-01-31")
    assert client.post(f"{page}/measurements/{reading}/delete").status_code == 303
    assert _holds(app, wid) == [("2026-01-31", site_id, "ana@example.org")]
    html = client.get(page).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "مركز 東京 🏨" in html
    _job, found = run(app, wid, metric)
    assert found is not None and found.rows_held == 1 and readings(app, wid, metric) == []
    # Ids that are not holds of this metric's feed are not found; nothing is released.
    for bad in ("999999", "0", "-1", "abc", "99999999999999999999"):
        assert client.post(f"{page}/feed/holds/{bad}/release").status_code == 404
    assert len(_holds(app, wid)) == 1


def test_the_migration_adds_and_drops_feed_holds(
    database_url: str, team: dict, tmp_path: Path
) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid, metric, _feed_id, _source = _fed(app, team, tmp_path)
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get_one(Measurement, _reading_id(app, wid, metric, "2026-01-31"))
        db.session.delete(row)
        db.session.commit()
    assert len(_holds(app, wid)) == 1
    with app.app_context():
        downgrade(revision="0034_branding")
        inspector = inspect(db.engine)
        assert "feed_hold" not in inspector.get_table_names()
        assert "rows_held" not in {c["name"] for c in inspector.get_columns("feed_run")}
        upgrade()
        inspector = inspect(db.engine)
        assert "feed_hold" in inspector.get_table_names()
        assert "rows_held" in {c["name"] for c in inspector.get_columns("feed_run")}
        db.engine.dispose()
    # The hold went with the downgrade: the feed writes the day again.
    assert _holds(app, wid) == []
    _job, found = run(app, wid, metric)
    assert found is not None and (found.rows_added, found.rows_held) == (1, 0)


def test_a_workspace_with_held_days_is_deleted_whole(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid, metric, _feed_id, _source = _fed(app, team, tmp_path)
    login(client, team["facilitator"])
    reading = _reading_id(app, wid, metric, "2026-01-31")
    page = f"/workspaces/{wid}/metrics/{metric}"
    assert client.post(f"{page}/measurements/{reading}/delete").status_code == 303
    assert len(_holds(app, wid)) == 1
    with app.app_context():
        scope_session(db.session, wid)
        workspaces.delete_workspace(
            db.session, db.session.get_one(Workspace, wid), "Harbour Test Hotels"
        )
        db.session.commit()
        allow_system_access(db.session)
        assert db.session.scalars(select(FeedHold)).all() == []
