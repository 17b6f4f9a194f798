"""The storyboard's pages: none near-empty, for the demo and for a small fresh workspace."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import make_user, make_workspace
from tests.integration.test_storyboard_board import REPORTS, TODAY, _demo
from tests.pdf_layout import page_fill
from tests.storyboard_samples import fill_small_workspace
from workbench.extensions import db
from workbench.models import Workspace
from workbench.services.storyboard import render_document
from workbench.services.tenancy import scope_session
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# A page whose text ends above a quarter of its height is near-empty.
QUARTER = 0.25


def _pdf(workspace_id: int) -> bytes:
    scope_session(db.session, workspace_id)
    workspace = db.session.get_one(Workspace, workspace_id)
    html, _fp = render_document(db.session, workspace, "Fiona Fresh", TODAY, REPORTS, "1")
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
        fills = {"demo": page_fill(_pdf(demo)), "small": page_fill(_pdf(small))}
    for name, pages in fills.items():
        near_empty = [number for number, fill in enumerate(pages, 1) if fill < QUARTER]
        assert not near_empty, f"{name}: pages {near_empty} are under a quarter full: {pages}"
