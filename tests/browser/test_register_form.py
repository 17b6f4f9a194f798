"""In real Chromium: the register form states the password rules and the browser checks them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_browser_refuses_a_short_password_and_reads_the_rules(page, live_server: str) -> None:
    page.goto(f"{live_server}/register")
    password = page.get_by_label("Password", exact=True)
    # The hint is the field's description, as a screen reader announces it.
    hint = page.locator("#" + password.get_attribute("aria-describedby"))
    assert "At least 10 characters" in hint.inner_text()
    page.get_by_label("Your name").fill("Robin Browser")
    page.get_by_label("Email").fill("robin@example.org")
    password.fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Create account").click()
    # The browser keeps the form: the field is too short, and says so before any request.
    assert page.url == f"{live_server}/register"
    assert password.evaluate("field => field.validity.tooShort") is True
    assert page.get_by_role("heading", name="Check your inbox").count() == 0
