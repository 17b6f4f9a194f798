"""The JSON backup carries the branding and the feeds' settings, never a feed's address."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login
from tests.integration.feed_support import feed_root, make_metric, save
from tests.integration.test_branding import SVG, png_bytes
from tests.integration.test_exchange_backup import row_counts
from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.extensions import db
from workbench.models import Branding, FeedKind, MetricFeed, User, Workspace
from workbench.services import branding, exchange
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import allow_system_access, scope_session

SECRET_URL = "postgresql+psycopg://reader:Pa55-w0rd-secret@db.example.org:5432/sales"
HOSTILE = (
    'SELECT \'<script>alert(1)</script> =HYPERLINK("http://evil") file:///etc/passwd '
    "مرحبا שלום 漢字 🎉' AS date, 1 AS value\n-- ‮ reversed note"
)


def _make_source(app: Flask, team: dict, tmp_path: Path) -> dict[str, Any]:
    """A workspace with an accent, an SVG logo and three feeds (two databases, one file)."""
    wid = team["workspace_id"]
    root = feed_root(app, tmp_path)
    (root / "فندق 港湾 🏨.csv").write_text("date,value\n")
    metrics = {
        "sql": make_metric(app, wid, "Share resolved"),
        "hostile": make_metric(app, wid, "<b>Complaints</b> 苦情"),
        "file": make_metric(app, wid, "First contact resolution"),
    }
    save(app, wid, metrics["sql"], database_url=SECRET_URL, query="SELECT 1 AS date, 2 AS value")
    save(app, wid, metrics["hostile"], database_url=SECRET_URL, query=HOSTILE, hour="23")
    save(
        app,
        wid,
        metrics["file"],
        kind="file",
        file_path="فندق 港湾 🏨.csv",
        schedule="weekly",
        hour="0",
        enabled=False,
    )
    with app.app_context():
        scope_session(db.session, wid)
        branding.set_accent(db.session, 0, "#0f5c63")
        branding.set_logo(db.session, 1, SVG)
        db.session.commit()
    return {"workspace_id": wid, "metrics": metrics, "root": root}


def _export(app: Flask, wid: int, format_name: str = "json") -> bytes:
    with app.app_context():
        scope_session(db.session, wid)
        return run_export(db.session, db.session.get_one(Workspace, wid), format_name)


def _restore(app: Flask, owner_id: int, raw: bytes, name: str = "Copy") -> exchange.RestoreReport:
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, owner_id)
        try:
            report = exchange.restore(db.session, owner, backup.load(raw), name)
        except ExchangeRefusedError:
            db.session.rollback()
            raise
        db.session.commit()
        return report


def _feeds(app: Flask, wid: int) -> list[MetricFeed]:
    with app.app_context():
        scope_session(db.session, wid)
        rows = list(db.session.scalars(select(MetricFeed).order_by(MetricFeed.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_branding_and_feeds_round_trip_without_any_address(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    raw = _export(app, source["workspace_id"])
    for secret in ("Pa55-w0rd-secret", "db.example.org", "reader:", SECRET_URL, "gAAAA"):
        assert secret.encode() not in raw
    first = json.loads(raw)
    assert first["branding"]["accent"] == "#0F5C63"
    assert first["branding"]["logo"]["media_type"] == "image/svg+xml"
    assert [feed["kind"] for feed in first["feeds"]] == ["sql", "sql", "file"]
    assert first["feeds"][1]["query"] == HOSTILE
    assert all(
        set(feed) == {"metric", "kind", "schedule", "hour", "enabled", "query", "file_path"}
        for feed in first["feeds"]
    )

    report = _restore(app, team["facilitator"].id, raw)
    copy = report.workspace_id
    assert copy != source["workspace_id"]
    assert len(report.notes) == 2
    assert all(
        "Whether it should read its database again is a facilitator's decision" in note
        for note in report.notes
    )
    assert "“<b>Complaints</b> 苦情”" in report.notes[1]

    second = json.loads(_export(app, copy))
    assert second["branding"] == first["branding"]
    # Database feeds come back switched off; everything else is exactly as it was.
    expected = [
        {**feed, "enabled": False if feed["kind"] == "sql" else feed["enabled"]}
        for feed in first["feeds"]
    ]
    assert second["feeds"] == expected
    restored = _feeds(app, copy)
    assert [feed.url_encrypted for feed in restored] == ["", "", ""]
    assert [feed.enabled for feed in restored] == [False, False, False]
    assert all(feed.next_run_at is None for feed in restored)
    assert restored[1].query == HOSTILE and restored[1].hour == 23
    assert restored[2].file_path == "فندق 港湾 🏨.csv" and restored[2].kind is FeedKind.FILE
    with app.app_context():
        scope_session(db.session, copy)
        row = branding.get_branding(db.session, with_images=True)
        assert row is not None and row.accent == "#0F5C63" and row.logo_kind == "svg"
        assert row.logo_png and row.logo_width and row.logo_height
        assert branding.report_branding(db.session, "Copy") is not None

    # The metric page says what the facilitator has to decide; it never shows an address.
    login(client, team["facilitator"])
    page = client.get(f"/workspaces/{copy}/metrics/{restored[0].metric_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "until its database address is entered again" in text
    assert "is a facilitator&#39;s decision" in text
    assert "Pa55" not in text and "db.example.org" not in text
    # The file feed's path is allowed here, so its page raises nothing.
    file_page = client.get(f"/workspaces/{copy}/metrics/{restored[2].metric_id}")
    assert "until its file path is corrected" not in file_page.get_data(as_text=True)


def test_secrets_are_absent_from_every_part_of_the_workbook(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    raw = _export(app, source["workspace_id"], "xlsx")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = [archive.read(info) for info in archive.infolist()]
    for secret in ("Pa55-w0rd-secret", "db.example.org", "reader:", "gAAAA"):
        assert secret.encode() not in raw
        assert all(secret.encode() not in part for part in parts)


def test_a_file_feed_outside_this_installations_folders_comes_back_off_with_the_reason(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    document = json.loads(_export(app, source["workspace_id"]))
    document["feeds"][2]["enabled"] = True
    document["feeds"][2]["file_path"] = "/etc/passwd.csv"
    report = _restore(app, team["facilitator"].id, json.dumps(document).encode())
    assert report.notes[2] == (
        "The feed of “First contact resolution” came back switched off: The file must lie "
        f"inside the feed folder ({source['root']})."
    )
    restored = _feeds(app, report.workspace_id)
    assert restored[2].enabled is False and restored[2].file_path == "/etc/passwd.csv"
    login(client, team["facilitator"])
    page = client.get(f"/workspaces/{report.workspace_id}/metrics/{restored[2].metric_id}")
    assert "stays switched off until its file path is corrected" in page.get_data(as_text=True)

    # An enabled file feed inside the folder stays on, with its next run planned.
    document["feeds"][2]["file_path"] = "فندق 港湾 🏨.csv"
    again = _restore(app, team["facilitator"].id, json.dumps(document).encode(), "Again")
    kept = _feeds(app, again.workspace_id)[2]
    assert len(again.notes) == 2 and kept.enabled is True and kept.next_run_at is not None


def test_a_backup_made_before_branding_and_feeds_travelled_still_restores(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    document = json.loads(_export(app, source["workspace_id"]))
    del document["branding"], document["feeds"]
    report = _restore(app, team["facilitator"].id, json.dumps(document).encode())
    assert report.notes == [] and _feeds(app, report.workspace_id) == []
    with app.app_context():
        scope_session(db.session, report.workspace_id)
        assert db.session.scalars(select(Branding)).first() is None
    again = json.loads(_export(app, report.workspace_id))
    assert again["branding"] is None and again["feeds"] == []
    # Null branding and an empty list read the same way.
    restored = _restore(app, team["facilitator"].id, json.dumps(again).encode(), "Third")
    assert restored.notes == []


def _logo(raw: bytes, media_type: str = "image/svg+xml") -> dict[str, Any]:
    return {"media_type": media_type, "base64": base64.b64encode(raw).decode()}


HOSTILE_BRANDING: dict[str, tuple[Any, str]] = {
    "script in the svg": (
        {
            "accent": None,
            "logo": _logo(
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ),
        },
        "branding: logo: ",
    ),
    "outside reference": (
        {
            "accent": None,
            "logo": _logo(
                b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                b'<use xlink:href="file:///etc/passwd#x"/></svg>'
            ),
        },
        "branding: logo: ",
    ),
    "oversized": (
        {"accent": None, "logo": _logo(b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024))},
        "branding: logo: the logo is larger than 512 KB",
    ),
    "a jpeg": ({"accent": None, "logo": _logo(b"\xff\xd8\xff\xe0" + b"0" * 40)}, "a JPEG"),
    "media type lies": (
        {"accent": None, "logo": _logo(SVG, "image/png")},
        "branding: logo: media_type says image/png, but the file is an SVG image",
    ),
    "other media type": ({"logo": _logo(SVG, "text/html")}, "image/png or image/svg+xml"),
    "not base64": (
        {"logo": {"media_type": "image/png", "base64": "<script>"}},
        "not valid base64",
    ),
    "unreadable accent": ({"accent": "javascript:alert(1)"}, "branding: accent: Write the"),
    "pale accent": ({"accent": "#FFFF00"}, "branding: accent: "),
    "accent a number": ({"accent": 12}, "branding: accent: expected a colour"),
    "unknown field": ({"accent": None, "onload": "x"}, "unknown field 'onload'"),
    "not an object": ('=HYPERLINK("http://evil")', "branding: expected an object"),
}


@pytest.mark.parametrize("label", sorted(HOSTILE_BRANDING))
def test_a_hostile_logo_or_accent_refuses_the_whole_backup(
    app: Flask, team: dict, tmp_path: Path, label: str
) -> None:
    source = _make_source(app, team, tmp_path)
    document = json.loads(_export(app, source["workspace_id"]))
    document["branding"], expected = HOSTILE_BRANDING[label]
    before = row_counts(app)
    with pytest.raises(ExchangeRefusedError) as refused:
        _restore(app, team["facilitator"].id, json.dumps(document).encode())
    assert any(expected in problem for problem in refused.value.problems), refused.value.problems
    assert all(len(problem) < 400 for problem in refused.value.problems)
    assert row_counts(app) == before


def test_a_logo_from_a_backup_is_remade_like_an_upload(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    document = json.loads(_export(app, source["workspace_id"]))
    document["branding"] = {
        "accent": None,
        "logo": _logo(png_bytes(note="<script>x</script>"), "image/png"),
    }
    report = _restore(app, team["facilitator"].id, json.dumps(document).encode())
    with app.app_context():
        scope_session(db.session, report.workspace_id)
        row = branding.get_branding(db.session, with_images=True)
        assert row is not None and row.logo and row.accent is None
        assert b"<script>" not in row.logo and row.logo_kind == "png"
        assert (row.logo_width, row.logo_height) == (60, 30)


def _bad_feeds(document: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    feed = document["feeds"][0]
    return {
        "an address": ([{**feed, "database_url": SECRET_URL}], "unknown field 'database_url'"),
        "a kind": ([{**feed, "kind": "<script>"}], "kind: expected sql or file"),
        "an hour": ([{**feed, "hour": 24}], "hour: expected a whole number"),
        "a yes/no hour": ([{**feed, "hour": True}], "hour: expected a whole number"),
        "a schedule": ([{**feed, "schedule": "hourly"}], "schedule: expected one of"),
        "enabled as text": ([{**feed, "enabled": "yes"}], "enabled: expected true or false"),
        "a writing query": ([{**feed, "query": "DELETE FROM measurement"}], "query: The query"),
        "an empty query": ([{**feed, "query": ""}], "query: Write the query"),
        "a long query": ([{**feed, "query": "SELECT 1 " + "x" * 10_000}], "query: Keep"),
        "a missing metric": ([{**feed, "metric": "M999"}], "'M999' is not a row of metrics"),
        "two feeds of one metric": ([feed, feed], "has a feed already"),
        "a file feed without a path": (
            [{**feed, "kind": "file", "file_path": ""}],
            "file_path: a file feed needs",
        ),
        "a long path": ([{**feed, "kind": "file", "file_path": "a" * 501}], "longer than 500"),
        "query as a number": ([{**feed, "query": 5}], "query: expected text"),
        "not a list": ({"metric": "M1"}, "feeds: expected a list"),
        "not an object": (['=HYPERLINK("http://evil")'], "feeds row 1: expected an object"),
    }


def test_malformed_feeds_refuse_the_whole_backup(app: Flask, team: dict, tmp_path: Path) -> None:
    source = _make_source(app, team, tmp_path)
    good = json.loads(_export(app, source["workspace_id"]))
    before = row_counts(app)
    for label, (feeds, expected) in _bad_feeds(good).items():
        document = {**good, "feeds": feeds}
        with pytest.raises(ExchangeRefusedError) as refused:
            _restore(app, team["facilitator"].id, json.dumps(document).encode())
        problems = refused.value.problems
        assert any(expected in problem for problem in problems), (label, problems)
        assert row_counts(app) == before, label


def test_web_restore_names_a_hostile_logo_and_says_which_feeds_came_back_off(
    app: Flask, client: FlaskClient, team: dict, tmp_path: Path
) -> None:
    source = _make_source(app, team, tmp_path)
    good = json.loads(_export(app, source["workspace_id"]))
    hostile = {
        **good,
        "branding": {
            "accent": "#0F5C63",
            "logo": _logo(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        },
    }
    login(client, team["facilitator"])
    before = row_counts(app)
    refused = client.post(
        "/workspaces/restore",
        data={"upload": (io.BytesIO(json.dumps(hostile).encode()), "b.json"), "name": "Bad"},
        content_type="multipart/form-data",
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "branding: logo: " in body
    assert row_counts(app) == before
    done = client.post(
        "/workspaces/restore",
        data={"upload": (io.BytesIO(json.dumps(good).encode()), "b.json"), "name": "Good"},
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Backup restored as a new workspace" in page
    assert page.count("came back switched off: a backup never carries a database address") == 2
    assert "Pa55" not in page and "db.example.org" not in page
