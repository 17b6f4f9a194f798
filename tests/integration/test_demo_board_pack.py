"""The demo's Board pack: the team's view on three of its sections, its logo and accent,
in the PDF and the editable deck alike."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import yaml
from flask import Flask
from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import SEEDS
from workbench.config import reports_dir
from workbench.extensions import db
from workbench.models import Workspace
from workbench.services import seeding
from workbench.services.board_packs import resolve_pack
from workbench.services.storyboard import render_deck, render_document
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.storyboard.render import render_pdf


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_demo_board_pack_carries_three_views_a_logo_and_an_accent(
    app: Flask, tmp_path: Path
) -> None:
    views = yaml.safe_load((SEEDS / "demo_commentary.yaml").read_text(encoding="utf-8"))
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, created, _new = seeding.create_demo(db.session, SEEDS, today=date.today())
        db.session.commit()
        workspace_id = created.id
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        board = resolve_pack(db.session, "Board")
        # Every view is on a section the Board pack prints.
        assert len(views) == 3 and set(views) <= set(board.sections)
        html, fingerprint = render_document(
            db.session, workspace, "Test", date.today(), reports_dir(app.config),
            "1", board,
        )  # fmt: skip
        deck, slides, deck_fingerprint = render_deck(
            db.session, workspace, "Test", date.today(), "1", board
        )
    pdf, pages = render_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    assert text.count("Our view") == 3
    assert "go-ahead with conditions" in text and "summer peak swamping the front desk" in text
    first_page = reader.pages[0]
    assert "/XObject" in first_page["/Resources"] or "Harbourline" in first_page.extract_text()
    assert 'class="cover-logo"' in html and "#0B4F6C".lower() in html.lower()
    assert deck_fingerprint == fingerprint and pages < 15
    titles = [
        shape.text_frame.text
        for slide in Presentation(io.BytesIO(deck)).slides
        for shape in slide.shapes
        if shape.has_text_frame and shape.name.startswith("Title")
    ]
    assert slides == len(Presentation(io.BytesIO(deck)).slides)
    assert sum(title.endswith("our view") for title in titles) == 3, titles
