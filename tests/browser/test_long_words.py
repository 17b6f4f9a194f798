"""A long unbroken word never makes a page wider than the window."""

from __future__ import annotations

from tests.conftest import PASSWORD, seed
from workbench.extensions import db
from workbench.models import Initiative, Workspace
from workbench.services.tenancy import scope_session

LONG = "Supercalifragilisticexpialidocious" * 6


def test_long_words_wrap_in_the_sidebar_title_and_tables(page, live_server: str, app, team) -> None:
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        db.session.get_one(Workspace, wid).name = "Harbour" + LONG[:90]
        db.session.add(Initiative(title=f"Launch {LONG} now", department="service"))
        db.session.commit()
        initiative_id = db.session.query(Initiative.id).scalar()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["facilitator"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    for path in (
        f"/workspaces/{wid}/",
        f"/workspaces/{wid}/alignment/initiatives",
        f"/workspaces/{wid}/alignment/initiatives/{initiative_id}",
        f"/workspaces/{wid}/alignment/matrix",
    ):
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, (path, width)
        sidebar = page.locator(".sidebar").bounding_box()
        heading = page.locator(".sidebar").first.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert sidebar is not None and heading, path
