"""The branding forms in Chromium: upload a logo, try a weak accent, all without a violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.accessibility import Auditor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
    '<rect width="40" height="40" fill="#7A1F5C"/><text x="48" y="26">Harbour</text></svg>'
)


def test_the_branding_forms_work_and_pass_the_audit(
    chromium: Any, live_server: str, team: dict, tmp_path: Path
) -> None:
    auditor = Auditor(chromium, live_server)
    context = auditor.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill(team["facilitator"].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server}/workspaces/")
        settings = f"/workspaces/{team['workspace_id']}/settings"
        page.goto(live_server + settings)
        logo = tmp_path / "ロゴ 🚢.svg"
        logo.write_text(SVG, encoding="utf-8")
        page.get_by_label("Logo file").set_input_files(str(logo))
        page.get_by_role("button", name="Upload the logo").click()
        page.locator("img.logo-preview").wait_for()
        assert "an SVG drawing" in page.content()
        auditor.check("facilitator", page, f"{settings} with a logo")
        page.get_by_label("Accent colour").fill("#FFCC00")
        page.get_by_role("button", name="Save the accent colour").click()
        page.locator(".field-error").first.wait_for()
        assert "#907300" in page.locator(".field-error").first.inner_text()
        auditor.check("facilitator", page, f"{settings}, weak accent refused")
        page.get_by_label("Accent colour").fill("#907300")
        page.get_by_role("button", name="Save the accent colour").click()
        page.get_by_text("Now in use: #907300.").wait_for()
        auditor.check("facilitator", page, f"{settings} with an accent")
    finally:
        context.close()
    assert not auditor.result.blocking(), auditor.result.report(details=True)
