"""The deck beside each published PDF: stored by the same publish, downloaded with its type
and name by the roles that read the storyboard, refused to others, absent from versions
published before decks (and from the database after a downgrade), and the CLI's formats."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from pptx import Presentation
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, login, seed
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import ShareLink, StoryboardSnapshot
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WORKBENCH = str(Path(sys.executable).with_name("workbench"))


def _publish(client: FlaskClient, wid: int) -> str:
    response = client.post(f"/workspaces/{wid}/storyboard/publish")
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_publish_keeps_the_deck_beside_the_pdf(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    job = _publish(client, wid)
    assert "Version 1 published." in job and f"/workspaces/{wid}/storyboard/1.pptx" in job
    with app.app_context():
        scope_session(db.session, wid)
        snapshot = db.session.scalars(select(StoryboardSnapshot)).one()
        stored, slides = snapshot.pptx, snapshot.slide_count
    assert stored is not None and slides is not None and slides > 10
    response = client.get(f"/workspaces/{wid}/storyboard/1.pptx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == PPTX_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="storyboard-Harbour-Test-Hotels-v1.pptx"'
    )
    assert response.data == stored
    deck = Presentation(io.BytesIO(response.data))
    assert len(deck.slides) == slides
    assert deck.core_properties.title == "Harbour Test Hotels: service recovery strategy"
    assert deck.core_properties.author == "Fran Facilitator"
    page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
    assert f"/workspaces/{wid}/storyboard/1.pptx" in page and f"({slides} slides)" in page
    # Nothing changed: the publish reuses version 1, deck and all.
    assert "Nothing has changed since version 1" in _publish(client, wid)


def test_the_deck_is_for_members_only(app: Flask, client: FlaskClient, team: dict) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _publish(client, wid)
    url = f"/workspaces/{wid}/storyboard/1.pptx"
    for role in ("analyst", "executive"):
        member = app.test_client()
        login(member, team[role])
        answer = member.get(url)
        assert answer.status_code == 200 and answer.data.startswith(b"PK"), role
    outsider = app.test_client()
    login(outsider, team["outsider"])
    refused = outsider.get(url)
    assert refused.status_code in (403, 404) and not refused.data.startswith(b"PK")
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(f"/workspaces/{wid}/storyboard/2.pptx").status_code == 404
    foreign = client.get(f"/workspaces/{team['foreign_id']}/storyboard/1.pptx")
    assert foreign.status_code in (403, 404)


def test_a_share_link_also_offers_the_deck(app: Flask, client: FlaskClient, team: dict) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _publish(client, wid)
    page = client.post(f"/workspaces/{wid}/storyboard/1/share", data={"hours": "24"})
    html = page.get_data(as_text=True)
    pdf_link = re.search(r'id="share-link"[^>]*value="http://localhost([^"]+)"', html)
    deck_link = re.search(r'id="share-deck-link"[^>]*value="http://localhost([^"]+)"', html)
    assert pdf_link and deck_link and deck_link.group(1) == pdf_link.group(1) + "/deck"
    stranger = app.test_client()
    answer = stranger.get(deck_link.group(1))
    assert answer.status_code == 200 and answer.data.startswith(b"PK")
    assert answer.headers["Content-Type"] == PPTX_TYPE
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert (
        answer.headers["Content-Disposition"] == 'attachment; filename="storyboard-shared-v1.pptx"'
    )
    assert stranger.get(deck_link.group(1).replace("/shared/", "/shared/x")).status_code == 404
    assert stranger.get("/shared/" + "a" * 501 + "/deck").status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        link = db.session.scalars(select(ShareLink)).one()
        assert link.opened == 1
        link_id = link.id
    client.post(f"/workspaces/{wid}/storyboard/links/{link_id}/revoke")
    assert stranger.get(deck_link.group(1)).status_code == 404


def test_a_version_published_before_decks_says_it_has_none(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _publish(client, wid)
    with app.app_context():
        scope_session(db.session, wid)
        snapshot = db.session.scalars(select(StoryboardSnapshot)).one()
        snapshot.pptx = None
        snapshot.slide_count = None
        db.session.commit()
    page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
    assert "no PowerPoint (published before decks were kept)" in page
    assert f"/workspaces/{wid}/storyboard/1.pptx" not in page
    missing = client.get(f"/workspaces/{wid}/storyboard/1.pptx")
    assert missing.status_code == 404
    assert "published before decks were kept" in missing.get_data(as_text=True)
    assert client.get(f"/workspaces/{wid}/storyboard/1.pdf").data.startswith(b"%PDF")


def test_the_migration_drops_and_restores_the_deck_columns(
    app: Flask, client: FlaskClient, team: dict, database_url: str
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _publish(client, wid)
    client.post(f"/workspaces/{wid}/storyboard/1/share", data={"hours": "24"})
    migrating = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    with migrating.app_context():
        downgrade(revision="0031_schedule_claims")
        columns = {c["name"] for c in inspect(db.engine).get_columns("storyboard_snapshot")}
        assert not {"pptx", "slide_count"} & columns
        upgrade()
        columns = {c["name"] for c in inspect(db.engine).get_columns("storyboard_snapshot")}
        assert {"pptx", "slide_count"} <= columns
        scope_session(db.session, wid)
        snapshot = db.session.scalars(select(StoryboardSnapshot)).one()
        # The version and its share link survive; only the deck is gone.
        assert snapshot.pptx is None and snapshot.slide_count is None
        assert snapshot.pdf.startswith(b"%PDF")
        assert len(db.session.scalars(select(ShareLink)).all()) == 1
        db.session.rollback()
        db.engine.dispose()
    assert client.get(f"/workspaces/{wid}/storyboard/1.pptx").status_code == 404


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "WORKBENCH_SECRET_KEY": "cli-test"}
    return subprocess.run(
        [WORKBENCH, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def test_the_cli_writes_a_deck_by_format_or_by_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deck.sqlite3'}"
    assert _cli(url, "db", "upgrade").returncode == 0
    assert _cli(url, "demo").returncode == 0
    named = tmp_path / "board.pptx"
    result = _cli(url, "storyboard", "Harbourline Hotels", "--out", str(named))
    assert result.returncode == 0, result.stderr
    assert "PowerPoint written to" in result.stdout and " slides, fingerprint " in result.stdout
    slides = len(Presentation(str(named)).slides)
    assert f": {slides} slides" in result.stdout
    chosen = tmp_path / "board.deck"
    result = _cli(url, "storyboard", "Harbourline Hotels", "--format", "pptx", "--out", str(chosen))
    assert result.returncode == 0, result.stderr
    assert len(Presentation(str(chosen)).slides) == slides
    wrong = _cli(url, "storyboard", "Harbourline Hotels", "--format", "key", "--out", str(named))
    assert wrong.returncode != 0 and "'key' is not one of 'pdf', 'pptx'" in wrong.stderr
