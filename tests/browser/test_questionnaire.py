"""In real Chromium: two members answer a questionnaire and the disagreement flag appears."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from workbench.services.instruments import READINESS_KEY

pytestmark = pytest.mark.browser


def _log_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")


def test_two_members_disagree_and_the_flag_appears(chromium, live_server: str, team) -> None:
    wid = team["workspace_id"]
    url = f"{live_server}/workspaces/{wid}/assessment/questionnaires/{READINESS_KEY}"
    contexts = [chromium.new_context() for _ in range(2)]
    try:
        pages = [context.new_page() for context in contexts]
        errors: list[str] = []
        for page in pages:
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _log_in(pages[0], live_server, team["analyst"].email)
        _log_in(pages[1], live_server, team["facilitator"].email)
        for page in pages:
            page.goto(url)
        first_question = pages[0].locator(".question").first
        statement = first_question.locator("legend").inner_text()
        # Both members have the form open at once; each answers differently.
        first_question.get_by_label("1", exact=False).first.check()
        pages[1].locator(".question").first.locator("input[value='5']").check()
        pages[0].get_by_role("button", name="Save my answers").click()
        pages[1].get_by_role("button", name="Save my answers").click()
        for page in pages:
            page.wait_for_url("**/results")
        pages[0].reload()
        flagged = pages[0].locator(".discussion")
        assert flagged.is_visible()
        assert statement.strip() in flagged.inner_text()
        assert "2 respondents" in pages[0].content()
        assert errors == [], errors
    finally:
        for context in contexts:
            context.close()
