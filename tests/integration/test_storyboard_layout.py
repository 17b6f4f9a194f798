"""The storyboard's pages: none near-empty, for the demo and for a small fresh workspace."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from pypdf import PdfReader

from tests.conftest import make_user, make_workspace
from tests.integration.test_storyboard_board import REPORTS, TODAY, _demo
from tests.pdf_layout import page_fill
from tests.storyboard_samples import fill_small_workspace
from workbench.extensions import db
from workbench.models import Workspace
from workbench.services.board_packs import resolve_pack
from workbench.services.storyboard import render_document
from workbench.services.tenancy import scope_session
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# A page whose text ends above a quarter of its height is near-empty.
QUARTER = 0.25


def _pdf(workspace_id: int, pack: str | None = None) -> bytes:
    scope_session(db.session, workspace_id)
    workspace = db.session.get_one(Workspace, workspace_id)
    choice = resolve_pack(db.session, pack) if pack else None
    html, _fp = render_document(db.session, workspace, "Fiona Fresh", TODAY, REPORTS, "1", choice)
    return render_pdf(html)[0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_page_of_the_demo_or_a_small_workspace_is_near_empty(app: Flask) -> None:
    demo = _demo(app)
    owner = make_user(app, "fresh@example.org", "Fiona Fresh")
    small = make_workspace(app, owner, "Northgate Libraries")
    with app.app_context():
        scope_session(db.session, small)
        fill_small_workspace(db.session)
        db.session.commit()
        board = _pdf(demo, "Board")
        fills = {
            "demo": page_fill(_pdf(demo)),
            "demo's Board pack": page_fill(board),
            "small": page_fill(_pdf(small)),
        }
    for name, pages in fills.items():
        near_empty = [number for number, fill in enumerate(pages, 1) if fill < QUARTER]
        assert not near_empty, f"{name}: pages {near_empty} are under a quarter full: {pages}"

    # The demo's short risk register keeps its heat map beside what the register leaves open,
    # rather than on a page of its own.
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(board)).pages]
    (with_map,) = [text for text in pages if "Risks not closed, by likelihood" in text]
    assert "What the register leaves open" in with_map
