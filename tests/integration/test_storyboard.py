"""The storyboard: a real PDF read back, snapshots, comparisons, share links, hostile text."""

from __future__ import annotations

import io
import re
import socket
import threading
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import ShareLink
from workbench.models.base import utcnow
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _strategy(client: FlaskClient, wid: int, **values: str) -> None:
    url = f"/workspaces/{wid}/strategy"
    version = form_version(client.get(url).get_data(as_text=True))
    response = client.post(url, data={**values, "version": version})
    assert response.status_code == 302, response.status_code


def _publish(client: FlaskClient, wid: int) -> str:
    response = client.post(f"/workspaces/{wid}/storyboard/publish")
    assert response.status_code == 303
    assert "/storyboard/jobs/" in response.headers["Location"]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_published_pdf_has_metadata_tags_text_and_no_attachments(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _strategy(
        client,
        wid,
        current_state="Complaints wait nine days for a reply.",
        future_state="Every complaint answered within fifteen minutes.",
        analyst_perspective="The desk can fix most problems if it is allowed to.",
    )
    page = _publish(client, wid)
    assert "Version 1 published." in page
    pdf = client.get(f"/workspaces/{wid}/storyboard/1.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    info = reader.metadata
    assert info.title == "Harbour Test Hotels: service recovery strategy"
    assert info.author == "Fran Facilitator"
    assert info.subject == "Service recovery strategy storyboard"
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "en-GB"
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    text = _text(pdf.data)
    assert "Complaints wait nine days for a reply." in text
    assert "The analyst's perspective" in text
    assert "The desk can fix most problems if it is allowed to." in text
    assert "Summary for the board" in text and "Appendix" in text
    assert len(reader.pages) >= 6


def test_unchanged_workspace_reuses_the_last_pdf_and_changes_are_compared(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _publish(client, wid)
    again = _publish(client, wid)
    assert "Nothing has changed since version 1" in again
    _strategy(client, wid, vision="A new vision")
    third = _publish(client, wid)
    assert "Version 2 published." in third
    compare = client.get(f"/workspaces/{wid}/storyboard/compare?old=1&new=2")
    html = compare.get_data(as_text=True)
    assert compare.status_code == 200
    assert re.search(r"Corporate strategy <span[^>]*>\(changed\)", html)
    assert "The vision was written" in html
    assert re.search(r"Organisational assessment <span[^>]*>\(unchanged\)", html)


def test_roles_share_links_and_their_refusals(app: Flask, client: FlaskClient, team: dict) -> None:
    seed(app)
    wid = team["workspace_id"]
    analyst = app.test_client()
    login(analyst, team["analyst"])
    assert analyst.post(f"/workspaces/{wid}/storyboard/publish").status_code == 403
    login(client, team["facilitator"])
    _publish(client, wid)
    executive = app.test_client()
    login(executive, team["executive"])
    assert executive.get(f"/workspaces/{wid}/storyboard/1.pdf").status_code == 200
    assert (
        executive.post(f"/workspaces/{wid}/storyboard/1/share", data={"hours": "24"}).status_code
        == 403
    )
    shared = client.post(f"/workspaces/{wid}/storyboard/1/share", data={"hours": "24"})
    link = re.search(r'value="(http[^"]+/shared/[^"]+)"', shared.get_data(as_text=True)).group(1)
    path = link.split("localhost", 1)[1]
    stranger = app.test_client()
    opened = stranger.get(path)
    assert opened.status_code == 200 and opened.data.startswith(b"%PDF")
    assert stranger.get(path[:-4] + "abcd").status_code == 404
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(ShareLink)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        link_id = row.id
    assert stranger.get(path).status_code == 404
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get(ShareLink, link_id)
        row.expires_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    assert stranger.get(path).status_code == 200
    client.post(f"/workspaces/{wid}/storyboard/links/{link_id}/revoke")
    assert stranger.get(path).status_code == 404
    assert (
        client.post(f"/workspaces/{wid}/storyboard/1/share", data={"hours": "99999"}).status_code
        == 400
    )


def test_hostile_and_unicode_text_only_appear_as_text(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    listener = Listener()
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    hostile = (
        '<script>alert(1)</script><img src="file:///etc/passwd">'
        '<link rel="attachment" href="file:///etc/passwd">'
        f'<div style="background:url(http://127.0.0.1:{listener.port}/x)">styled</div>'
        f"<style>@import url(http://127.0.0.1:{listener.port}/y);</style>"
    )
    long_word = "Supercalifragilistic" * 12
    try:
        _strategy(
            client,
            wid,
            current_state=hostile,
            future_state=long_word,
            vision="مرحبا بالعالم — 顧客第一",
        )
        _publish(client, wid)
        pdf = client.get(f"/workspaces/{wid}/storyboard/1.pdf").data
        preview = client.get(f"/workspaces/{wid}/storyboard/preview")
    finally:
        listener.close()
    assert listener.connections == 0
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not reader.attachments
    text = _text(pdf)
    assert "<script>alert(1)</script>" in text.replace("\n", "")
    assert "root:x:0:0" not in text
    assert "<script>alert(1)</script>" not in preview.get_data(as_text=True)
    assert "&lt;script&gt;" in preview.get_data(as_text=True)
    assert "script-src" not in preview.headers["Content-Security-Policy"]
    assert "default-src 'none'" in preview.headers["Content-Security-Policy"]
    # The preview leads back to the app; the published PDF carries no such link.
    assert f'href="/workspaces/{wid}/storyboard/"' in preview.get_data(as_text=True)
    assert "Back to the storyboard page" not in text


def test_rtl_and_cjk_text_render_and_extract(app: Flask, client: FlaskClient, team: dict) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _strategy(client, wid, current_state="顧客第一の対応 · 服务补救")
    _publish(client, wid)
    text = _text(client.get(f"/workspaces/{wid}/storyboard/1.pdf").data)
    assert "顧客第一の対応" in text
    assert "服务补救" in text


def test_rendering_runs_in_the_background_and_shows_progress(database_url: str, team: dict) -> None:
    """With background jobs on, publish returns at once and the job page reports progress."""
    import time

    from tests.conftest import BASE_CONFIG
    from workbench.app import create_app

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "JOBS_INLINE": False})
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    started = time.perf_counter()
    response = client.post(f"/workspaces/{wid}/storyboard/publish")
    answered = time.perf_counter() - started
    assert response.status_code == 303
    status_url = response.headers["Location"] + "/status"
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'hx-trigger="every 1000ms"' in first or "Version 1 published." in first
    deadline = time.time() + 120
    while time.time() < deadline:
        fragment = client.get(status_url).get_data(as_text=True)
        if "Version 1 published." in fragment:
            break
        assert "Rendering failed" not in fragment, fragment
        time.sleep(0.3)
    else:
        raise AssertionError("the storyboard was not published in time")
    assert client.get(f"/workspaces/{wid}/storyboard/1.pdf").data.startswith(b"%PDF")
    # The request that asked for it returned without waiting for the render.
    assert answered < 2.0, answered
