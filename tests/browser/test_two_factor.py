"""In real Chromium: turn on two-factor sign-in from the QR page, then sign in with a code."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _password_step(page, live_server: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_enrol_with_the_qr_page_and_sign_in_with_a_code(page, live_server: str, app, team) -> None:
    email = team["analyst"].email
    _password_step(page, live_server, email)
    page.wait_for_url(f"{live_server}/workspaces/")

    page.get_by_role("link", name="Two-factor").click()
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code of your new two-factor secret")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 120 and box["height"] >= 120
    # The text fallback under the QR code holds the same secret, in groups of four.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url(f"{live_server}/account/two-factor/")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert page.locator("#two-factor-secret").count() == 0

    page.get_by_role("button", name="Log out").click()
    _password_step(page, live_server, email)
    page.wait_for_url(f"{live_server}/login/code")
    assert "Enter your two-factor code" in page.content()
    # The next step's code: newer than the one that confirmed the enrolment.
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    assert "Harbour Test Hotels" in page.content()
    assert page.errors == [], page.errors
