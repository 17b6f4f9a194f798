"""In real Chromium: register and confirm, create a workspace, fill the strategy, reload."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STRATEGY = {
    "purpose": "Put things right for every traveller",
    "vision": "مسافرون سعداء · 顧客第一 · happy travellers 🚆",
    "corporate_goals": "Raise NPS from -12 to +20\nHalve repeat complaints",
    "current_state": "<b>Complaints</b> wait a week for a reply.",
}


def test_register_create_workspace_fill_strategy_and_reload(page, live_server: str, app) -> None:
    from tests.mail_support import link_path, outbox

    page.goto(f"{live_server}/register")
    page.get_by_label("Your name").fill("Robin Browser")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    [message] = outbox(app)
    page.goto(live_server + link_path(message, "/register/confirm/"))
    page.get_by_label("The password you chose").fill("a long enough password")
    page.get_by_role("button", name="Confirm and log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    assert "not in any workspace yet" in page.content()

    page.get_by_label("Organisation name").fill("Coastal Rail")
    page.get_by_label("Industry").fill("rail")
    page.get_by_role("button", name="Create workspace").click()
    page.wait_for_url("**/strategy")

    for name, value in STRATEGY.items():
        page.locator(f"#{name}").fill(value)
    page.get_by_role("button", name="Save strategy").click()
    page.wait_for_url("**/strategy")
    assert "Corporate strategy saved." in page.content()

    page.reload()
    for name, value in STRATEGY.items():
        assert page.locator(f"#{name}").input_value() == value
    # Markup typed into a field is shown as text, never interpreted.
    assert page.locator("b", has_text="Complaints").count() == 0

    page.get_by_role("link", name="Overview", exact=True).click()
    assert "Coastal Rail" in page.locator("h1").inner_text()
    assert page.errors == [], page.errors


def test_keyboard_only_login(page, live_server: str, app) -> None:
    from tests.conftest import PASSWORD, make_user

    person = make_user(app, "keys@example.org", "Kay Board")
    page.goto(f"{live_server}/login")
    # The email field has focus on arrival; Tab moves to the password, Enter submits.
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/workspaces/")
    assert "Kay Board" in page.content()
    assert page.errors == [], page.errors


def test_history_filters_update_in_place_with_htmx(page, live_server: str, app, team) -> None:
    from tests.conftest import PASSWORD

    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["facilitator"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    page.goto(f"{live_server}/workspaces/{team['workspace_id']}/history")
    # The workspace, its 3 members and its 3 starting storyboard packs.
    assert page.locator("#history-results tbody tr").count() == 7
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("What changed").select_option("Workspace")
    page.wait_for_url("**entity=Workspace**")
    page.locator("#history-results", has_text="Added workspace").wait_for()
    assert page.locator("#history-results tbody tr").count() == 1
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped, not reloaded
    assert page.errors == [], page.errors


def test_quick_add_puts_factors_on_the_board_in_place(page, live_server: str, app, team) -> None:
    from tests.conftest import PASSWORD, seed

    seed(app)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["analyst"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    page.goto(f"{live_server}/workspaces/{team['workspace_id']}/assessment/factors")
    page.evaluate("window.__stillTheSamePage = true")
    cell = page.locator("#cell-technology_driver-barrier")
    assert cell.locator(".factor-card").count() == 0
    assert page.locator(".board-cell", has=cell).get_by_text("Nothing yet").is_visible()
    assert page.locator("#factors-empty").is_visible()

    page.get_by_label("Category").select_option("technology_driver")
    page.get_by_label("Polarity").select_option("barrier")
    titles = page.locator("#titles")
    arabic = "\u0646\u0638\u0627\u0645 \u0642\u062f\u064a\u0645"  # "old system", right to left
    titles.fill(f"Legacy CRM <script>x()</script>\n{arabic} 顧客 🚧")
    titles.press("Control+Enter")
    page.locator("#quick-add-status", has_text="2 factors added.").wait_for()

    assert cell.locator(".factor-card").count() == 2
    assert "Legacy CRM <script>x()</script>" in cell.inner_text()
    assert not page.locator(".board-cell", has=cell).get_by_text("Nothing yet").is_visible()
    # "No factors yet" leaves with the first factor, without a reload.
    assert not page.locator("#factors-empty").is_visible()
    assert page.locator("#count-technology_driver").inner_text() == "(2)"
    assert page.locator("#factor-total").inner_text() == "(2 factors)"
    # The form is ready for the next batch: choices kept, titles empty and focused.
    assert page.locator("#titles").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "titles"
    assert page.get_by_label("Polarity").input_value() == "barrier"
    assert page.evaluate("window.__stillTheSamePage") is True

    page.locator("#titles").press("Control+Enter")  # nothing typed
    page.locator("#quick-add .field-error").wait_for()
    assert cell.locator(".factor-card").count() == 2
    assert page.locator("#quick-add-status").inner_text() == ""  # no stale "added" line
    page.reload()
    assert page.locator("#cell-technology_driver-barrier .factor-card").count() == 2
    # The only console entry is the browser noting the refused empty batch (400).
    assert page.errors == [
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    ], page.errors
