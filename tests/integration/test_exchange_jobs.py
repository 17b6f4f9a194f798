"""Exports and workbook imports as jobs: progress, the stored file, failures, retries, access."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from tests.conftest import BASE_CONFIG, add_member, login, make_user
from tests.integration.test_exchange_backup import make_demo, row_counts
from tests.integration.test_exchange_workbook import column_of, edited
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Change, Factor, Job, JobFile, Role
from workbench.models.base import utcnow
from workbench.services import exchange_jobs, job_kinds, jobs
from workbench.services.errors import ServiceError
from workbench.services.exchange_exports import EXPORTERS, Exporter
from workbench.services.tenancy import allow_system_access, scope_session

DEMO_PASSWORD = "harbourline-demo"


def job_of(app: Flask, workspace_id: int, job_id: int) -> Job:
    """The job as stored, detached from any session."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def ask_export(client: FlaskClient, workspace_id: int, name: str, register: str = "") -> int:
    """Ask for an export from the Exchange page; return the job's id."""
    data = {"export_format": name, **({"register": register} if register else {})}
    response = client.post(f"/workspaces/{workspace_id}/exchange/exports", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert re.fullmatch(rf"/workspaces/{workspace_id}/exchange/exports/\d+", location), location
    return int(location.rsplit("/", 1)[1])


def same_content(name: str, first: bytes, second: bytes) -> bool:
    """Whether two exports of one format hold the same, ignoring when they were written."""
    if name == "json":
        one, two = json.loads(first), json.loads(second)
        one.pop("exported_at"), two.pop("exported_at")
        return bool(one == two)
    if name == "xlsx":
        # docProps/core.xml carries the time the workbook was written; nothing else differs.
        def parts(raw: bytes) -> dict[str, bytes]:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                return {
                    part: archive.read(part)
                    for part in archive.namelist()
                    if part != "docProps/core.xml"
                }

        return parts(first) == parts(second)
    return first == second


def demo_client(app: Flask) -> tuple[FlaskClient, int]:
    """The demo workspace, with its facilitator logged in."""
    _user, workspace_id = make_demo(app)
    client = app.test_client()
    response = client.post("/login", data={"email": "demo@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client, workspace_id


def test_every_format_exports_as_a_job_the_same_as_a_direct_download(app: Flask) -> None:
    client, wid = demo_client(app)
    page = client.get(f"/workspaces/{wid}/exchange").get_data(as_text=True)
    assert f'action="/workspaces/{wid}/exchange/exports"' in page
    for name, exporter in EXPORTERS.items():
        assert f'name="export_format" value="{name}"' in page
        job_id = ask_export(client, wid, name)
        job_page = client.get(f"/workspaces/{wid}/exchange/exports/{job_id}")
        body = job_page.get_data(as_text=True)
        assert job_page.status_code == 200 and "The file is ready" in body, body[:2000]
        assert f"Export: {exporter.label}" in body and "hx-trigger" not in body
        download = client.get(f"/workspaces/{wid}/exchange/exports/{job_id}/download")
        direct = client.get(f"/workspaces/{wid}/export/{name}")
        assert download.status_code == direct.status_code == 200
        assert download.headers["Content-Type"] == exporter.mimetype
        assert download.headers["Content-Disposition"] == direct.headers["Content-Disposition"]
        assert download.headers["Content-Disposition"].endswith(f'{exporter.suffix}"')
        assert len(download.data) > 500, name
        assert same_content(name, download.data, direct.data), name
        finished = job_of(app, wid, job_id)
        assert (finished.status, finished.progress, finished.attempts) == ("done", 100, 1)
        assert finished.result == {
            "filename": "harbourline-hotels" + exporter.suffix,
            "size": len(download.data),
        }
    # One register alone: the same CSV as inside the zip of every register.
    job_id = ask_export(client, wid, "csv", "factors")
    alone = client.get(f"/workspaces/{wid}/exchange/exports/{job_id}/download")
    assert alone.headers["Content-Disposition"] == (
        'attachment; filename="harbourline-hotels-factors.csv"'
    )
    assert alone.headers["Content-Type"].startswith("text/csv")
    packed = client.get(f"/workspaces/{wid}/export/csv").data
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert alone.data == archive.read("factors.csv")
    listing = client.get(f"/workspaces/{wid}/exchange").get_data(as_text=True)
    assert "Recent exports and imports" in listing and "Factors (CSV)" in listing


def test_an_export_runs_in_the_worker_thread_and_the_page_follows_it(
    database_url: str, team: dict[str, Any]
) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "JOBS_INLINE": False})
    client = app.test_client()
    login(client, team["analyst"])
    wid = team["workspace_id"]
    job_id = ask_export(client, wid, "json")
    deadline = time.time() + 60
    while job_of(app, wid, job_id).status in jobs.ACTIVE and time.time() < deadline:
        time.sleep(0.1)
    assert job_of(app, wid, job_id).status == "done"
    fragment = client.get(f"/workspaces/{wid}/exchange/exports/{job_id}/status")
    assert "The file is ready" in fragment.get_data(as_text=True)
    download = client.get(f"/workspaces/{wid}/exchange/exports/{job_id}/download")
    direct = client.get(f"/workspaces/{wid}/export/json")
    assert same_content("json", download.data, direct.data)
    assert json.loads(download.data)["workspace"]["name"] == "Harbour Test Hotels"
    with app.app_context():
        db.engine.dispose()


def test_a_waiting_export_shows_progress_and_is_not_asked_for_twice(
    database_url: str, team: dict[str, Any]
) -> None:
    # The RQ backend with a queue nobody takes from: the job waits where we can look at it.
    app = create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "JOBS_INLINE": False,
            "JOBS_BACKEND": "rq",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "JOBS_QUEUE": f"wb-test-unread-{time.time_ns()}",
        }
    )
    client = app.test_client()
    login(client, team["executive"])
    wid = team["workspace_id"]
    try:
        first = ask_export(client, wid, "xlsx")
        assert ask_export(client, wid, "xlsx") == first  # the same request, still waiting
        assert ask_export(client, wid, "csv") != first
        page = client.get(f"/workspaces/{wid}/exchange/exports/{first}").get_data(as_text=True)
        assert "Waiting to start" in page and 'hx-trigger="every 1000ms"' in page
        assert '<meta http-equiv="refresh" content="2">' in page
        missing = client.get(f"/workspaces/{wid}/exchange/exports/{first}/download")
        assert missing.status_code == 404
    finally:
        from redis import Redis
        from rq import Queue

        Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"])).delete(
            delete_jobs=True
        )
        with app.app_context():
            db.engine.dispose()


def test_a_failing_export_says_why_and_can_be_retried(
    app: Flask, client: FlaskClient, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(_session: Any, workspace: Any) -> bytes:
        calls.append(workspace.id)
        if len(calls) == 1:
            raise ServiceError("The register of measurements is being rebuilt; try later.")
        if len(calls) == 2:
            raise RuntimeError("psycopg: password authentication failed for secret")
        return f"plain text of {workspace.name}".encode()

    monkeypatch.setitem(EXPORTERS, "text", Exporter("Plain text", ".txt", "text/plain", flaky))
    login(client, team["analyst"])
    wid = team["workspace_id"]
    job_id = ask_export(client, wid, "text")
    url = f"/workspaces/{wid}/exchange/exports/{job_id}"
    page = client.get(url).get_data(as_text=True)
    assert "The export failed:" in page and "being rebuilt; try later." in page
    assert "Try again" in page and f'action="{url}/retry"' in page
    assert client.get(f"{url}/download").status_code == 404
    assert client.post(f"{url}/retry").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert jobs.UNEXPECTED in page and "secret" not in page
    assert client.post(f"{url}/retry").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "The file is ready" in page and "Try again" not in page
    download = client.get(f"{url}/download")
    assert download.data == b"plain text of Harbour Test Hotels"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="harbour-test-hotels.txt"'
    )
    assert job_of(app, wid, job_id).attempts == 3 and calls == [wid, wid, wid]
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalar(select(func.count(JobFile.id))) == 1


def test_a_stale_running_export_becomes_retryable(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        lost = Job(
            kind=exchange_jobs.EXPORT,
            payload={"format": "csv"},
            status="running",
            stage="Gathering the data and writing the file",
            worker="gone-host:1:jobs_0",
            heartbeat_at=utcnow() - timedelta(hours=1),
            attempts=1,
        )
        db.session.add(lost)
        db.session.commit()
        job_id = lost.id
    login(client, team["executive"])
    url = f"/workspaces/{wid}/exchange/exports/{job_id}"
    fragment = client.get(f"{url}/status").get_data(as_text=True)
    assert "stopped before it finished" in fragment and "Try again" in fragment
    assert job_of(app, wid, job_id).status == "failed"
    assert client.post(f"{url}/retry").status_code == 303
    done = job_of(app, wid, job_id)
    assert (done.status, done.attempts, done.error) == ("done", 2, "")
    download = client.get(f"{url}/download")
    assert download.status_code == 200 and download.data.startswith(b"PK")


def test_export_jobs_by_role_and_workspace(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    wid, foreign = team["workspace_id"], team["foreign_id"]
    login(client, team["analyst"])
    job_id = ask_export(client, wid, "json")
    client.post("/logout")
    login(client, team["executive"])
    url = f"/workspaces/{wid}/exchange/exports/{job_id}"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}/download").status_code == 200
    assert ask_export(client, wid, "archimate") != job_id
    client.post("/logout")
    login(client, team["outsider"])
    before = row_counts(app)
    for path in ("", "/status", "/download"):
        assert client.get(f"{url}{path}").status_code == 404
        # The team's job id under the outsider's own workspace is not found either.
        own = client.get(f"/workspaces/{foreign}/exchange/exports/{job_id}{path}")
        assert own.status_code == 404
        assert "Harbour" not in own.get_data(as_text=True)
    assert client.post(f"{url}/retry").status_code == 404
    assert client.post(f"/workspaces/{foreign}/exchange/exports/{job_id}/retry").status_code == 404
    assert (
        client.post(
            f"/workspaces/{wid}/exchange/exports", data={"export_format": "json"}
        ).status_code
        == 404
    )
    # An import's pages do not show an export, nor an export's pages an import.
    assert client.get(f"/workspaces/{foreign}/exchange/imports/{job_id}").status_code == 404
    assert row_counts(app) == before
    client.post("/logout")
    login(client, team["facilitator"])
    assert client.get(f"/workspaces/{wid}/exchange/imports/{job_id}").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose one of the formats"),
        ({"export_format": "pdf"}, "Choose one of the formats"),
        ({"export_format": "<script>alert(1)</script>"}, "Choose one of the formats"),
        ({"export_format": "../../etc/passwd"}, "Choose one of the formats"),
        ({"export_format": "file:///etc/passwd"}, "Choose one of the formats"),
        ({"export_format": '=HYPERLINK("http://evil.example")'}, "Choose one of the formats"),
        ({"export_format": "json" * 5000}, "Choose one of the formats"),
        ({"export_format": "csv", "register": "users"}, "Choose one of the registers"),
        ({"export_format": "json", "register": "factors"}, "Choose one of the registers"),
        ({"export_format": "csv", "register": "مرحبا 夜班 🎉"}, "Choose one of the registers"),
    ],
)
def test_bad_export_requests_are_refused_and_record_nothing(
    app: Flask, client: FlaskClient, team: dict[str, Any], data: dict[str, str], message: str
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    response = client.post(f"/workspaces/{wid}/exchange/exports", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    assert "<script>alert(1)</script>" not in body
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.scalar(select(func.count(Job.id))) == 0


# --------------------------------------------------------------------------- workbook import


def _preview(client: FlaskClient, workspace_id: int, raw: bytes) -> tuple[str, str]:
    response = client.post(
        f"/workspaces/{workspace_id}/exchange/workbook",
        data={"action": "preview", "upload": (io.BytesIO(raw), "edited.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:1000]
    expected = re.search(r'name="expected" value="([0-9a-f]{64})"', page)
    payload = re.search(r'name="payload" value="([^"]+)"', page)
    assert expected and payload
    return expected[1], payload[1]


def _apply(client: FlaskClient, workspace_id: int, expected: str, payload: str) -> int:
    response = client.post(
        f"/workspaces/{workspace_id}/exchange/workbook",
        data={"action": "apply", "expected": expected, "payload": payload},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert re.fullmatch(rf"/workspaces/{workspace_id}/exchange/imports/\d+", location), location
    return int(location.rsplit("/", 1)[1])


def _importance_of_first_factor(app: Flask, workspace_id: int) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return db.session.scalars(select(Factor.importance).order_by(Factor.id)).first() or 0


def test_a_workbook_applies_as_a_job_and_a_stale_preview_is_refused(app: Flask) -> None:
    client, wid = demo_client(app)
    analyst = make_user(app, "ana2@example.org", "Ana Two")
    add_member(app, wid, analyst, Role.ANALYST)
    raw = client.get(f"/workspaces/{wid}/export/xlsx").data
    client.post("/logout")
    login(client, analyst)

    def edit(book: Any) -> None:
        sheet = book["Factors"]
        sheet.cell(row=2, column=column_of(sheet, "importance")).value = 1

    changed = edited(raw, edit)
    expected, payload = _preview(client, wid, changed)
    assert _importance_of_first_factor(app, wid) == 5  # the preview changed nothing
    job_id = _apply(client, wid, expected, payload)
    url = f"/workspaces/{wid}/exchange/imports/{job_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Workbook applied: 0 rows added, 1 changed, 0 removed." in page
    assert "importance: 5 → 1" in page and "Try again" not in page
    assert _importance_of_first_factor(app, wid) == 1
    done = job_of(app, wid, job_id)
    assert done.status == "done" and done.result["changed"] == 1
    with app.app_context():
        scope_session(db.session, wid)
        stored = db.session.scalars(select(JobFile).where(JobFile.job_id == job_id)).one()
        assert (stored.role, stored.size, stored.content) == ("input", len(changed), changed)
        change = db.session.scalars(
            select(Change).where(Change.entity == "Factor", Change.field == "importance")
        ).one()
        assert (change.user_id, change.user_label) == (analyst.id, analyst.email)

    # The same preview again: the workspace changed since, so the job applies nothing.
    before = row_counts(app)
    again = _apply(client, wid, expected, payload)
    page = client.get(f"/workspaces/{wid}/exchange/imports/{again}").get_data(as_text=True)
    assert "The import failed:" in page and "changed since the preview" in page
    assert "Try again" in page and "Upload and preview the workbook again" in page
    assert job_of(app, wid, again).status == "failed"
    assert client.post(f"/workspaces/{wid}/exchange/imports/{again}/retry").status_code == 303
    assert "changed since the preview" in client.get(
        f"/workspaces/{wid}/exchange/imports/{again}/status"
    ).get_data(as_text=True)
    after = row_counts(app)
    assert {k: v for k, v in after.items() if k not in ("Job", "JobFile")} == {
        k: v for k, v in before.items() if k not in ("Job", "JobFile")
    }

    # An executive sees what was applied but may neither apply nor retry.
    executive = make_user(app, "exec2@example.org", "Exec Two")
    add_member(app, wid, executive, Role.EXECUTIVE)
    client.post("/logout")
    login(client, executive)
    shown = client.get(url).get_data(as_text=True)
    assert "Workbook applied" in shown
    failed = client.get(f"/workspaces/{wid}/exchange/imports/{again}").get_data(as_text=True)
    assert "changed since the preview" in failed and "Try again" not in failed
    assert client.post(f"/workspaces/{wid}/exchange/imports/{again}/retry").status_code == 403
    refused = client.post(
        f"/workspaces/{wid}/exchange/workbook",
        data={"action": "apply", "expected": expected, "payload": payload},
    )
    assert refused.status_code == 403


def test_a_broken_workbook_fails_its_job_with_the_problems(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    import base64

    login(client, team["analyst"])
    wid = team["workspace_id"]
    before = row_counts(app)
    job_id = _apply(client, wid, "0" * 64, base64.b64encode(b"PK\x03\x04broken").decode())
    page = client.get(f"/workspaces/{wid}/exchange/imports/{job_id}").get_data(as_text=True)
    assert "The workbook was not imported, nothing changed:" in page
    assert "not an Excel workbook" in page
    after = row_counts(app)
    assert after["Job"] == before["Job"] + 1 and after["JobFile"] == before["JobFile"] + 1
    assert after["Change"] == before["Change"]
    for expected in ("", "not-a-fingerprint", "<script>", "0" * 63):
        refused = client.post(
            f"/workspaces/{wid}/exchange/workbook",
            data={"action": "apply", "expected": expected, "payload": "UEsDBA=="},
        )
        assert refused.status_code == 400
        assert "Preview the workbook before applying it." in refused.get_data(as_text=True)
    assert row_counts(app)["Job"] == after["Job"]


# --------------------------------------------------------------------------- old files


def test_old_job_files_are_purged_and_the_page_offers_a_new_export(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["analyst"])
    wid, foreign = team["workspace_id"], team["foreign_id"]
    old, recent = ask_export(client, wid, "json"), ask_export(client, wid, "csv")
    client.post("/logout")
    login(client, team["outsider"])
    elsewhere = ask_export(client, foreign, "json")
    with app.app_context():
        allow_system_access(db.session)
        long_ago = utcnow() - timedelta(days=8)
        db.session.execute(
            update(JobFile).where(JobFile.job_id.in_([old, elsewhere])).values(created_at=long_ago)
        )
        # A file of a job still running is kept, however old.
        running = Job(
            workspace_id=wid, kind=exchange_jobs.WORKBOOK, status="running", heartbeat_at=utcnow()
        )
        db.session.add(running)
        db.session.flush()
        db.session.add(
            JobFile(
                workspace_id=wid,
                job_id=running.id,
                role="input",
                filename="w.xlsx",
                media_type="x",
                size=1,
                content=b"x",
                created_at=long_ago,
            )
        )
        db.session.commit()
        running_id = running.id
        scope_session(db.session, wid)
        assert exchange_jobs.purge_old_files(db.session, timedelta(days=7)) == 1
        db.session.commit()
        allow_system_access(db.session)
        kept = set(db.session.scalars(select(JobFile.job_id)))
    assert kept == {recent, elsewhere, running_id}
    client.post("/logout")
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/exchange/exports/{old}"
    page = client.get(url).get_data(as_text=True)
    assert "no longer kept" in page and "Export again" in page
    assert 'name="export_format" value="json"' in page
    assert client.get(f"{url}/download").status_code == 404
    assert client.get(f"/workspaces/{wid}/exchange/exports/{recent}/download").status_code == 200

    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-job-files", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 job file(s) older than 7 day(s)." in result.output
    assert runner.invoke(args=["purge-job-files", "--days", "0"]).exit_code != 0
    with app.app_context():
        allow_system_access(db.session)
        assert set(db.session.scalars(select(JobFile.job_id))) == {recent, running_id}


def test_deleting_a_workspace_deletes_its_jobs_and_files(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    ask_export(client, wid, "json")
    page = client.get(f"/workspaces/{wid}/exchange").get_data(as_text=True)
    assert "Files are kept for 7 days." in page
    before = row_counts(app)
    assert before["Job"] == 1 and before["JobFile"] == 1
    deleted = client.post(f"/workspaces/{wid}/delete", data={"confirm_name": "Harbour Test Hotels"})
    assert deleted.status_code in (302, 303)
    after = row_counts(app)
    assert after["Job"] == 0 and after["JobFile"] == 0 and after["Workspace"] == 1


def test_an_export_of_a_format_no_longer_offered_fails_with_the_reason(
    app: Flask, team: dict[str, Any]
) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        job_id = jobs.create(db.session, exchange_jobs.EXPORT, {"format": "pdf"}).id
        db.session.commit()
    assert jobs.run(app, wid, job_id, job_kinds.HANDLERS) == "failed"
    failed = job_of(app, wid, job_id)
    assert failed.error == "This export is no longer offered. Choose another format."
    assert row_counts(app)["JobFile"] == 0
