"""The feed on the metric's pages: set up, refused input, a stale save, Run now and its job
page, delete, what each role sees, and the address never shown, exported or audited."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import SEEDS, form_version, login
from tests.integration.feed_support import QUERY, feed_root, make_metric, readings, sqlite_source
from workbench.extensions import db
from workbench.models import Change, FeedOutcome, FeedRun, Measurement, MetricFeed, Workspace
from workbench.services import seeding
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import allow_system_access, scope_session

SECRET = "postgresql+psycopg://reader:Sup3r-s3cret@db.example.org/sales"


def _form(**values: str) -> dict[str, str]:
    return {
        "kind": "sql",
        "database_url": "",
        "query": QUERY,
        "file_path": "",
        "schedule": "daily",
        "hour": "6",
        "enabled": "y",
        "version": "0",
    } | values


def test_a_feed_is_set_up_run_and_deleted_from_the_metric_page(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    source = sqlite_source(
        root / "desk.sqlite3", [("2026-01-31", 41.5, ""), ("2026-02-28", 43, "")]
    )
    metric = make_metric(app, wid)
    login(client, team["analyst"])
    detail = client.get(f"/workspaces/{wid}/metrics/{metric}").get_data(as_text=True)
    assert "Set up a feed" in detail
    url = f"/workspaces/{wid}/metrics/{metric}/feed"
    saved = client.post(url, data=_form(database_url=f"sqlite:///{source}"))
    assert saved.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "a database address is stored" in page and str(source) not in page
    assert "has not run yet" in page
    ran = client.post(f"{url}/run")
    assert ran.status_code == 303 and "/feed/runs/" in ran.headers["Location"]
    job_page = client.get(ran.headers["Location"]).get_data(as_text=True)
    assert "Succeeded" in job_page and "2 added" in job_page
    status = client.get(ran.headers["Location"] + "/status").get_data(as_text=True)
    assert "hx-get" not in status  # finished: the fragment stops asking
    detail = client.get(f"/workspaces/{wid}/metrics/{metric}").get_data(as_text=True)
    assert "Last run" in detail and "Succeeded" in detail and "Next run" not in detail
    assert "next run 20" in detail
    deleted = client.post(f"{url}/delete")
    assert deleted.status_code == 303
    assert [r[:2] for r in readings(app, wid, metric)] == [("2026-01-31", 41.5), ("2026-02-28", 43)]
    assert "Set up a feed" in client.get(f"/workspaces/{wid}/metrics/{metric}").get_data(
        as_text=True
    )


def test_a_rejected_run_names_its_rows_on_the_page(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    (root / "bad.csv").write_text(
        "date,value\n2026-01-31,41\n2026-02-30,40\n2026-03-31,<script>alert(1)</script>\n", "utf-8"
    )
    metric = make_metric(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/{metric}/feed"
    assert (
        client.post(url, data=_form(kind="file", file_path="bad.csv", query="")).status_code == 303
    )
    job = client.get(client.post(f"{url}/run").headers["Location"]).get_data(as_text=True)
    assert "Rejected: nothing was written" in job
    assert "Row 3:" in job and "2026-02-30" in job and "Row 4:" in job
    assert "<script>alert(1)</script>" not in job
    assert str(escape("“<script>alert(1)</script>")) in job
    assert readings(app, wid, metric) == []


def test_bad_input_is_refused_clearly_and_nothing_is_saved(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    metric = make_metric(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/{metric}/feed"
    cases = {
        "Enter the database address.": _form(),
        "“file” addresses are not allowed": _form(database_url="file:///etc/passwd"),
        "“http” addresses are not allowed": _form(database_url="http://evil.example/x"),
        "“mysql” addresses are not allowed": _form(database_url="mysql://u:p@h/d"),
        "must lie inside the feed folder": _form(database_url="sqlite:////etc/passwd"),
        "Keep the address under": _form(database_url="sqlite:///" + "x" * 1001),
        "single SELECT": _form(database_url=f"sqlite:///{root}/a.sqlite3", query="DROP TABLE x"),
        "one statement": _form(
            database_url=f"sqlite:///{root}/a.sqlite3", query="SELECT 1; DELETE FROM readings"
        ),
        "Keep the query under": _form(query="SELECT " + "1," * 6000),
        "Write the query": _form(database_url=f"sqlite:///{root}/a.sqlite3", query="  "),
        "<script>": _form(database_url=f"sqlite:///{root}/a.sqlite3", query="<script>x</script>"),
        "=HYPERLINK": _form(database_url=f"sqlite:///{root}/a.sqlite3", query="=HYPERLINK(1)"),
        "give its path on the server": _form(kind="file"),
        "inside the feed folder": _form(kind="file", file_path="../../etc/passwd.csv"),
        "not an address": _form(kind="file", file_path="file:///etc/passwd"),
        "a .csv or an .xlsx": _form(kind="file", file_path="فندق 港湾 🏨.txt"),
        "Keep the file path under": _form(kind="file", file_path="a" * 501),
        "whole number from 0 to 23": _form(hour="24"),
        "Choose one of: every day": _form(schedule="hourly"),
        "Choose one of: database query": _form(kind="ftp"),
        "missing the version": _form(version="x"),
    }
    for message, data in cases.items():
        response = client.post(url, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, message
        assert message in body or str(escape(message)) in body, message
        assert "p@h" not in body and "Sup3r" not in body
    # The unicode path of a real file is taken, as is a unicode site name in the query.
    (root / "فندق 港湾 🏨.csv").write_text("date,value\n2026-01-31,41\n", "utf-8")
    ok = client.post(url, data=_form(kind="file", file_path="فندق 港湾 🏨.csv", query=""))
    assert ok.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(MetricFeed.file_path)).all() == ["فندق 港湾 🏨.csv"]


def test_the_address_is_never_shown_exported_or_audited_and_a_stale_save_conflicts(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    feed_root(app, tmp_path)
    metric = make_metric(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/{metric}/feed"
    assert client.post(url, data=_form(database_url=SECRET)).status_code == 303
    page = client.get(url).get_data(as_text=True)
    version = form_version(page)
    # Saved again without an address: the stored one is kept.
    kept = client.post(url, data=_form(query=QUERY + " ", version=version, hour="7"))
    assert kept.status_code == 303
    stale = client.post(url, data=_form(hour="9", version=version, database_url=SECRET))
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Sup3r" not in body and "reader" not in body
    pages = [
        client.get(url).get_data(as_text=True),
        client.get(f"/workspaces/{wid}/metrics/{metric}").get_data(as_text=True),
        client.get(f"/workspaces/{wid}/history").get_data(as_text=True),
    ]
    for text in pages:
        assert "Sup3r" not in text and "db.example.org" not in text
    address = re.search(r'<input[^>]*name="database_url"[^>]*>', pages[0])
    assert address is not None and not re.search(r'value="[^"]', address.group(0))
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        exported = run_export(db.session, workspace, "json")
        raw = db.session.scalars(select(MetricFeed.url_encrypted)).one()
        changes = db.session.scalars(select(Change)).all()
    assert "Sup3r" not in exported.decode() and "metric_feed" not in json.loads(exported)
    assert "Sup3r" not in raw and raw.startswith("gAAAA")
    assert all("Sup3r" not in f"{c.old_value} {c.new_value}" for c in changes)
    assert all(c.field != "url_encrypted" for c in changes)


def test_executives_read_the_feed_and_cannot_change_or_run_it(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    wid = team["workspace_id"]
    feed_root(app, tmp_path)
    metric = make_metric(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/{metric}/feed"
    assert client.post(url, data=_form(database_url=SECRET)).status_code == 303
    reader = FlaskClient(app, use_cookies=True)
    login(reader, team["executive"])
    page = reader.get(url).get_data(as_text=True)
    assert "Save feed" not in page and "Run now" not in page and "Delete feed" not in page
    assert "SELECT day AS date" in page and "Sup3r" not in page
    assert reader.post(url, data=_form(version="1")).status_code == 403
    assert reader.post(f"{url}/run").status_code == 403
    assert reader.post(f"{url}/delete").status_code == 403


def test_the_demo_has_a_fed_metric_whose_last_run_succeeded(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    feed_root(app, tmp_path)
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        wid = workspace.id
        scope_session(db.session, wid)
        feed = db.session.scalars(select(MetricFeed)).one()
        metric_id = feed.metric_id
        runs = db.session.scalars(select(FeedRun)).all()
        assert [(r.outcome, r.rows_added, r.rows_rejected) for r in runs] == [
            (FeedOutcome.SUCCEEDED, 6, 0)
        ]
        # The other demo metrics keep their own readings, none written by a feed.
        others = db.session.scalars(
            select(Measurement).where(Measurement.metric_id != metric_id)
        ).all()
        assert others and all(m.feed_id is None for m in others)
    assert (tmp_path / "feeds" / "harbourline_front_desk.sqlite3").is_file()
    client.post("/login", data={"email": seeding.DEMO_EMAIL, "password": seeding.DEMO_PASSWORD})
    page = client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True)
    assert "Last run" in page and "Succeeded" in page and "6 added" in page
    assert "harbourline_front_desk" not in page
