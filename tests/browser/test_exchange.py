"""In real Chromium: export the workbook, download it, upload an edited copy, preview, apply."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.integration.test_exchange_backup import make_demo
from tests.integration.test_exchange_workbook import column_of

pytestmark = pytest.mark.browser


def test_workbook_round_trip_through_the_exchange_page(
    page, live_server: str, app, tmp_path: Path
) -> None:
    _user, wid = make_demo(app)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("demo@example.org")
    page.get_by_label("Password").fill("harbourline-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    page.goto(f"{live_server}/workspaces/{wid}/")
    page.get_by_role("link", name="Exchange").click()
    page.wait_for_url(f"**/workspaces/{wid}/exchange")
    # Jobs run in the app's worker thread, as without Redis: the page polls until done.
    app.config["JOBS_INLINE"] = False
    page.get_by_role("button", name="Excel workbook").click()
    page.wait_for_url(f"**/workspaces/{wid}/exchange/exports/*")
    page.get_by_text("The file is ready").wait_for(timeout=60000)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "harbourline-hotels.xlsx"

    book = load_workbook(io.BytesIO(saved.read_bytes()))
    sheet = book["Stakeholders"]
    sheet.cell(row=2, column=column_of(sheet, "interest")).value = 1
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    page.get_by_role("link", name="Back to Exchange").click()
    page.wait_for_url(f"**/workspaces/{wid}/exchange")
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(edited))
    page.get_by_role("button", name="Preview the changes").click()
    # The preview is a new page: wait for it rather than reading the one being left.
    page.get_by_text("0 rows to add, 1 to change, 0 to remove").wait_for(timeout=30000)
    assert "interest:" in page.locator("section.card", has_text="Stakeholders").inner_text()
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_url(f"**/workspaces/{wid}/exchange/imports/*")
    page.get_by_text("Workbook applied: 0 rows added, 1 changed, 0 removed.").wait_for(
        timeout=60000
    )
    assert "interest:" in page.locator("#job-status").inner_text()
    page.get_by_role("link", name="Back to Exchange").click()
    assert page.get_by_role("link", name="Workbook import").count() == 1
    assert page.errors == [], page.errors
