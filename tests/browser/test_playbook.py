"""In real Chromium: add a scenario from an industry template and see it in the playbook."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, seed

pytestmark = pytest.mark.browser


def test_scenario_from_template_appears_in_playbook(page, live_server: str, app, team) -> None:
    seed(app)
    wid = team["workspace_id"]
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["analyst"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")

    page.goto(f"{live_server}/workspaces/{wid}/operating/playbook")
    assert "The playbook is empty" in page.content()
    page.get_by_role("link", name="Add from the templates").click()
    card = page.locator("article.card", has_text="Room not ready at check-in")
    card.get_by_role("button", name="Add to the playbook").click()
    page.wait_for_url("**/operating/playbook/*")
    assert "added to the playbook" in page.content()
    page.get_by_label("Responding team or person").fill("Harbour desk duty manager")
    page.get_by_role("button", name="Save scenario").click()
    page.wait_for_url("**/operating/playbook#scenario-*")
    scenario = page.locator("article.scenario", has_text="Room not ready at check-in")
    assert scenario.is_visible()
    assert "Harbour desk duty manager" in scenario.inner_text()
    assert page.errors == [], page.errors
