"""The workbook carries the storyboard's accent colour on its About sheet (never the logo)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.integration.test_branding import SVG
from tests.integration.test_exchange_backup import row_counts
from tests.integration.test_exchange_workbook import LIMIT, edited, export, plan
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.workbook import ABOUT_SHEET, ACCENT_LABEL, ACCENT_ROW
from workbench.extensions import db
from workbench.services import branding, exchange_workbook
from workbench.services.tenancy import scope_session


def _branded(app: Flask, team: dict) -> int:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        branding.set_accent(db.session, 0, "#0f5c63")
        branding.set_logo(db.session, 1, SVG)
        db.session.commit()
    return int(wid)


def _accent(app: Flask, wid: int) -> str | None:
    with app.app_context():
        scope_session(db.session, wid)
        row = branding.get_branding(db.session)
        return row.accent if row else None


def _set_cell(value: Any) -> Any:
    def edit(book: Any) -> None:
        book[ABOUT_SHEET].cell(row=ACCENT_ROW, column=2).value = value

    return edit


def _apply(app: Flask, wid: int, raw: bytes) -> exchange_workbook.WorkbookPlan:
    with app.app_context():
        scope_session(db.session, wid)
        preview = exchange_workbook.plan_import(db.session, raw, LIMIT)
        result = exchange_workbook.apply_import(db.session, raw, LIMIT, preview.fingerprint)
        db.session.commit()
        return result


def test_the_accent_travels_and_an_edit_applies_but_the_logo_stays_out(
    app: Flask, team: dict
) -> None:
    wid = _branded(app, team)
    raw = export(app, wid)
    about = load_workbook(io.BytesIO(raw))[ABOUT_SHEET]
    assert about.cell(row=ACCENT_ROW, column=1).value == ACCENT_LABEL
    assert about.cell(row=ACCENT_ROW, column=2).value == "#0F5C63"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = b"".join(archive.read(info) for info in archive.infolist())
    assert b"<svg" not in parts and b"&lt;svg" not in parts and b"PHN2Zy" not in parts

    unchanged = plan(app, wid, raw)
    assert not unchanged.problems and not unchanged.has_changes
    assert unchanged.sheets[-1].title == "Branding (About sheet)"
    assert unchanged.sheets[-1].unchanged == 1

    changed = plan(app, wid, edited(raw, _set_cell(" #7a1f5c ")))
    assert [s.changed for s in changed.sheets if s.has_changes] == [
        ["Accent colour: #0F5C63 → #7A1F5C"]
    ]
    _apply(app, wid, edited(raw, _set_cell("#7a1f5c")))
    assert _accent(app, wid) == "#7A1F5C"
    # An empty cell returns the storyboard to its own colour; the logo is untouched.
    _apply(app, wid, edited(raw, _set_cell(None)))
    assert _accent(app, wid) is None
    with app.app_context():
        scope_session(db.session, wid)
        assert branding.view(db.session).logo_kind == "svg"


def test_a_workbook_without_the_accent_line_leaves_the_accent_alone(app: Flask, team: dict) -> None:
    wid = _branded(app, team)

    def older(book: Any) -> None:
        book[ABOUT_SHEET].delete_rows(ACCENT_ROW - 1, 2)

    raw = edited(export(app, wid), older)
    result = plan(app, wid, raw)
    assert not result.problems and not result.has_changes
    assert all(sheet.name != "branding" for sheet in result.sheets)
    _apply(app, wid, raw)
    assert _accent(app, wid) == "#0F5C63"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', "Write the colour as #"),
        ("<script>alert(1)</script>", "Write the colour as #"),
        ("file:///etc/passwd", "Write the colour as #"),
        ("#FFFF00", "About: Accent colour: "),
        ("漢字 مرحبا 🎉", "Write the colour as #"),
        (12, "expected # and six hexadecimal digits"),
        ("#" + "0" * 60, "expected # and six hexadecimal digits"),
    ],
)
def test_a_bad_accent_refuses_the_workbook_and_nothing_changes(
    app: Flask, team: dict, value: Any, expected: str
) -> None:
    wid = _branded(app, team)
    raw = edited(export(app, wid), _set_cell(value))
    result = plan(app, wid, raw)
    assert any(p.startswith("About: Accent colour") and expected in p for p in result.problems), (
        result.problems
    )
    before = row_counts(app)
    with app.app_context():
        scope_session(db.session, wid)
        with pytest.raises(ExchangeRefusedError):
            exchange_workbook.apply_import(db.session, raw, LIMIT, result.fingerprint)
        db.session.rollback()
    assert row_counts(app) == before and _accent(app, wid) == "#0F5C63"
