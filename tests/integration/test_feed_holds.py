"""A person's edit of a feed's reading is never undone by the feed: a reading deleted by hand
is held out of later runs (until someone lets the feed fill it again), and a reading edited
by hand, through any path, becomes the person's and is kept."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login
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
from workbench.extensions import db
from workbench.models import JobStatus, Measurement
from workbench.services import exchange_workbook
from workbench.services.tenancy import scope_session

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
    assert "Ana Analyst" in detail or "ana@example.org" in detail
    assert "Let the feed fill it again" in detail
    # An executive reads the held days but has no button and may not release one.
    reader = FlaskClient(app, use_cookies=True)
    login(reader, team["executive"])
    seen = reader.get(page).get_data(as_text=True)
    assert "2026-01-31" in seen and "Let the feed fill it again" not in seen
    with app.app_context():
        scope_session(db.session, wid)
        from workbench.models import FeedHold

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
    gone = call(client, "DELETE", f"{API}/workspaces/{wid}/metrics/{metric}/measurements/{february}", token)
    assert gone.status_code == 204
    upload = io.BytesIO("2026-02-28,44,checked at the desk\n".encode())
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

    def correct(book: object) -> None:
        sheet = book["Measurements"]  # type: ignore[index]
        values = column_of(sheet, "value")
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, values).value == 41.5:
                sheet.cell(row, values).value = 40
        sheet.cell(2, 1)

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
