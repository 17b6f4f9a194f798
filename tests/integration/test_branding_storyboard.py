"""Branding in the storyboard: the context carries it, the PDF shows it, nothing is fetched."""

from __future__ import annotations

import base64
import io
import logging
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, SEEDS
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Branding, Workspace
from workbench.services import branding, seeding
from workbench.services.report_context import build_context
from workbench.services.report_values import fingerprint as fingerprint_of
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.storyboard.render import render_pdf

REPORTS = Path(__file__).resolve().parents[2] / "reports"
TODAY = date(2026, 12, 4)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
    b'<rect width="40" height="40" fill="#123456"/><circle cx="80" cy="20" r="16"/></svg>'
)
# How the PDF's content sets the drawing's fill colour #123456.
SVG_FILL = "0.070588 0.203922 0.337255 rg"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 30), (122, 31, 92)).save(out, format="PNG")
    return out.getvalue()


def _render(app: Flask, wid: int) -> tuple[dict, str, str, bytes]:
    """The context, fingerprint, print HTML and PDF of the workspace's storyboard."""
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        report = build_context(db.session, workspace, TODAY)
        html, fingerprint = render_document(db.session, workspace, "Fran", TODAY, REPORTS, "1")
        pdf, _pages = render_pdf(html)
        return report.as_dict(), fingerprint, html, pdf


def _page_one_images(pdf: bytes) -> list[str]:
    """The subtypes of the XObjects drawn on page 1."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"].get_object().get("/XObject")
    if xobjects is None:
        return []
    return [str(xobjects.get_object()[name].get_object()["/Subtype"]) for name in xobjects]


def _set(app: Flask, wid: int, logo: bytes | None, accent: str | None) -> None:
    with app.app_context():
        scope_session(db.session, wid)
        row = branding.get_branding(db.session)
        if logo is not None:
            row = branding.set_logo(db.session, row.version if row else 0, logo)
        branding.set_accent(db.session, row.version if row else 0, accent or "")
        db.session.commit()


def test_the_storyboard_carries_the_logo_and_accent_without_fetching_anything(
    app: Flask, team: dict, caplog: pytest.LogCaptureFixture
) -> None:
    wid = team["workspace_id"]
    plain_context, plain_fp, plain_html, plain_pdf = _render(app, wid)
    assert "branding" not in plain_context
    assert "brand-head" not in plain_html and "cover-logo" not in plain_html
    assert "/Image" not in _page_one_images(plain_pdf)
    _set(app, wid, png_bytes(), "#7A1F5C")
    caplog.set_level(logging.WARNING)
    context, fingerprint, html, pdf = _render(app, wid)
    brand = context["branding"]
    assert brand["accent"] == "#7A1F5C" and brand["logo_alt"] == "Harbour Test Hotels"
    assert brand["logo_uri"].startswith("data:image/png;base64,")
    assert (brand["logo_width"], brand["logo_height"]) == (90, 30) and brand["logo_png"]
    assert fingerprint != plain_fp
    assert ".cover .band { background: #7A1F5C; }" in html
    assert 'alt="Harbour Test Hotels"' in html
    assert "/Image" in _page_one_images(pdf)
    # The fetcher refuses anything but data: and WeasyPrint logs what it could not load.
    problems = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert not problems, problems[:3]
    # A drawing logo is drawn from its data: URI too, and its PNG rendition rides along.
    _set(app, wid, SVG, "#7A1F5C")
    context, _fp, _html, pdf = _render(app, wid)
    assert context["branding"]["logo_uri"].startswith("data:image/svg+xml;base64,")
    rendition = Image.open(io.BytesIO(base64.b64decode(context["branding"]["logo_png"])))
    assert rendition.size == (1024, 341)
    # WeasyPrint draws an SVG into the page itself, as a tagged figure: its colour is there.
    cover = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert SVG_FILL in cover and "/Figure" in cover
    assert SVG_FILL not in PdfReader(io.BytesIO(plain_pdf)).pages[
        0
    ].get_contents().get_data().decode("latin-1")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]


def test_without_branding_the_storyboard_is_as_before(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    context, fingerprint, html, _pdf = _render(app, wid)
    # A logo and an accent set and taken away again leave a row but no branding.
    _set(app, wid, png_bytes(), "#7A1F5C")
    with app.app_context():
        scope_session(db.session, wid)
        row = branding.get_branding(db.session)
        assert row is not None
        branding.remove_logo(db.session, row.version)
        branding.set_accent(db.session, row.version, "")
        db.session.commit()
    again, _fingerprint, html_again, _ = _render(app, wid)
    assert "branding" not in again
    # Only the time of the last recorded change moved (the history keeps the branding's).
    assert {k: v for k, v in again.items() if k != "changes"} == {
        k: v for k, v in context.items() if k != "changes"
    }
    assert _steady(html_again) == _steady(html)
    assert fingerprint == fingerprint_of({**again, "changes": context["changes"]})


def _steady(html: str) -> str:
    """The document without the time of the last change and the fingerprint it moves."""
    return re.sub(r"last changed on [^<]*? UTC|[0-9a-f]{64}|fingerprint [0-9a-f]{12}", "", html)


def test_the_stored_logo_is_still_fetched_only_through_the_locked_fetcher(
    app: Flask, team: dict, caplog: pytest.LogCaptureFixture
) -> None:
    """Were a stored drawing ever to point outside (written around the check), nothing loads."""
    wid = team["workspace_id"]
    _set(app, wid, SVG, None)
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'viewBox="0 0 10 10"><image xlink:href="http://127.0.0.1:9/x.png" width="10" '
        b'height="10"/><image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>'
    )
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Branding)).one()
        row.logo = hostile
        db.session.commit()
    caplog.set_level(logging.WARNING)
    _context, _fp, _html, pdf = _render(app, wid)
    assert pdf.startswith(b"%PDF")
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert "127.0.0.1:9" in refused and "/etc/hostname" in refused
    assert b"/etc/hostname" not in pdf


def test_the_migration_adds_and_drops_branding(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid = team["workspace_id"]
    _set(app, wid, png_bytes(), "#7A1F5C")
    with app.app_context():
        downgrade(revision="0033_board_packs")
        assert "branding" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "branding" in inspect(db.engine).get_table_names()
        scope_session(db.session, wid)
        assert branding.get_branding(db.session) is None
        branding.set_accent(db.session, 0, "#0F5C63")
        db.session.commit()
        assert branding.view(db.session).accent == "#0F5C63"
        db.engine.dispose()


def test_the_demo_comes_branded_and_keeps_its_own_changes(app: Flask) -> None:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        shown = branding.view(db.session)
        assert shown.accent == "#0B4F6C" and shown.logo_kind == "svg"
        branding.set_accent(db.session, shown.version, "#7A1F5C")
        db.session.commit()
        allow_system_access(db.session)
        seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        assert branding.view(db.session).accent == "#7A1F5C"
