"""In real Chromium: create an API token, use it once, revoke it after confirming."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _status(url: str, secret: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_a_token(page, live_server: str, app, team) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["analyst"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")

    page.get_by_role("link", name="API tokens").click()
    page.get_by_text("no API tokens yet").wait_for()
    page.get_by_label("Name").fill("Quarterly report script")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("New API token").input_value()
    assert secret.startswith("wbt_")
    assert _status(f"{live_server}/api/v1/workspaces", secret) == 200

    page.reload()
    assert secret not in page.content()
    dialogs: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_role("button", name="Revoke Quarterly report script").click()
    page.wait_for_load_state()
    assert dialogs and "Quarterly report script" in dialogs[0]
    assert "is revoked" in page.content()
    assert _status(f"{live_server}/api/v1/workspaces", secret) == 401
    assert page.errors == [], page.errors
