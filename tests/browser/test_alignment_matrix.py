"""In real Chromium: set a contribution in the matrix and see the gap list change."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, seed
from workbench.extensions import db
from workbench.models import Initiative, Objective, Perspective
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.browser


def test_setting_a_cell_saves_in_place_and_closes_a_gap(page, live_server: str, app, team) -> None:
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        objective = Objective(title="Raise NPS to +30", perspective=Perspective.CUSTOMER)
        initiative = Initiative(title="Callback team for detractors")
        db.session.add_all([objective, initiative])
        db.session.commit()
        iid, oid = initiative.id, objective.id
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["analyst"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")

    page.goto(f"{live_server}/workspaces/{wid}/alignment/")
    unaligned = page.locator("section.gap", has_text="Initiatives serving no objective")
    assert "Callback team for detractors" in unaligned.inner_text()

    page.goto(f"{live_server}/workspaces/{wid}/alignment/matrix")
    page.evaluate("window.__samePage = true")
    cell = page.locator(f"#cell-{iid}-{oid}")
    cell.locator("select").select_option("strong")
    # htmx swaps the cell in place with its new version; no page load happens.
    page.locator(f"td.contribution-strong#cell-{iid}-{oid}").wait_for()
    page.locator(f"td#cell-{iid}-{oid}:not(.htmx-swapping) input[value='1']").wait_for(
        state="attached"
    )
    assert page.evaluate("window.__samePage") is True

    page.goto(f"{live_server}/workspaces/{wid}/alignment/")
    unaligned = page.locator("section.gap", has_text="Initiatives serving no objective")
    assert "Callback team for detractors" not in unaligned.inner_text()
    assert "None: every active initiative serves an objective." in unaligned.inner_text()
    assert page.errors == [], page.errors
