"""The Excel workbook and CSV files: round trip, preview, apply, formulas, hostile files."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import add_member, login, make_user
from tests.integration.test_exchange_backup import make_demo, row_counts
from workbench.exchange.backup import ExchangeRefusedError
from workbench.extensions import db
from workbench.models import Factor, Role, Workspace
from workbench.services import exchange_workbook
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import allow_system_access, scope_session

LIMIT = 2 * 1024 * 1024
HOSTILE = "Night <script>alert(1)</script> مرحبا שלום 夜班 🎉 file:///etc/passwd"
FORMULAS = (
    '=HYPERLINK("http://evil.example/","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
)


def export(app: Flask, workspace_id: int, name: str = "xlsx") -> bytes:
    """One export of the workspace."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        return run_export(db.session, db.session.get_one(Workspace, workspace_id), name)


def plan(app: Flask, workspace_id: int, raw: bytes) -> exchange_workbook.WorkbookPlan:
    """The preview of importing a workbook (writes nothing)."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        result = exchange_workbook.plan_import(db.session, raw, LIMIT)
        db.session.rollback()
        return result


def edited(raw: bytes, edit: Any) -> bytes:
    """The workbook after an edit made with openpyxl."""
    book = load_workbook(io.BytesIO(raw))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_of(sheet: Any, name: str) -> int:
    """The 1-based index of a header."""
    return [cell.value for cell in sheet[1]].index(name) + 1


def test_workbook_has_styled_sheets_with_validation_and_frozen_panes(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    book = load_workbook(io.BytesIO(export(app, workspace_id)))
    for title in (
        "Factors",
        "Assessment answers",
        "Objectives",
        "Initiatives",
        "Alignment matrix",
        "TQM principles",
        "Stakeholders",
        "RACI",
        "Failure scenarios",
        "Metrics",
        "Goals",
        "Measurements",
    ):
        sheet = book[title]
        assert sheet.freeze_panes == "B2", title
        assert sheet["A1"].value == "key" and sheet["A1"].font.bold, title
        assert sheet.max_row > 1, f"{title} is empty in the demo"
        assert sheet.column_dimensions["B"].width >= 10, title
    factors = book["Factors"]
    lists = {
        str(v.sqref).split(":")[0]: v.formula1 for v in factors.data_validations.dataValidation
    }
    assert set(lists) >= {"B2", "C2"}  # category and polarity
    assert book["lists"].sheet_state == "hidden"


def test_unchanged_workbook_imports_as_no_change(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    result = plan(app, workspace_id, export(app, workspace_id))
    assert result.problems == []
    assert not result.has_changes
    assert sum(sheet.unchanged for sheet in result.sheets) > 300


def test_one_edited_cell_is_the_one_change_and_applies(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    _user_id, workspace_id = make_demo(app)
    analyst = make_user(app, "ana2@example.org", "Ana Two")
    add_member(app, workspace_id, analyst, Role.ANALYST)
    raw = export(app, workspace_id)

    def edit(book: Any) -> None:
        sheet = book["Factors"]
        sheet.cell(row=2, column=column_of(sheet, "importance")).value = 1

    changed = edited(raw, edit)
    login(client, analyst)
    url = f"/workspaces/{workspace_id}/exchange/workbook"
    preview = client.post(
        url,
        data={"action": "preview", "upload": (io.BytesIO(changed), "edited.xlsx")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:1000]
    result = plan(app, workspace_id, changed)
    assert result.counts() == (0, 1, 0)
    factors = next(s for s in result.sheets if s.name == "factors")
    assert len(factors.changed) == 1 and "importance: 5 → 1" in factors.changed[0]
    assert "importance: 5 → 1" in page
    expected = re.search(r'name="expected" value="([0-9a-f]{64})"', page)
    payload = re.search(r'name="payload" value="([^"]+)"', page)
    assert expected and payload
    applied = client.post(
        url, data={"action": "apply", "expected": expected[1], "payload": payload[1]}
    )
    assert applied.status_code == 303  # to the import's job page (run inline in tests)
    after = load_workbook(io.BytesIO(export(app, workspace_id)))["Factors"]
    assert after.cell(row=2, column=column_of(after, "importance")).value == 1
    # Applying the same preview again is refused: the workspace changed since.
    again = client.post(
        url, data={"action": "apply", "expected": expected[1], "payload": payload[1]}
    )
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "changed since the preview" in page


def test_add_change_remove_apply_all_together(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    raw = export(app, workspace_id)

    def edit(book: Any) -> None:
        sheet = book["Stakeholders"]
        sheet.append([None, HOSTILE, "team", 2, 3, "new"])
        sheet.cell(row=2, column=column_of(sheet, "name")).value = "Renamed group"
        measurements = book["Measurements"]
        measurements.delete_rows(measurements.max_row)

    changed = edited(raw, edit)
    result = plan(app, workspace_id, changed)
    sheets = {s.name: s for s in result.sheets if s.has_changes}
    assert set(sheets) == {"stakeholders", "measurements"}
    assert len(sheets["stakeholders"].added) == 1 and len(sheets["stakeholders"].changed) == 1
    assert len(sheets["measurements"].removed) == 1
    with app.app_context():
        scope_session(db.session, workspace_id)
        exchange_workbook.apply_import(db.session, changed, LIMIT, result.fingerprint)
        db.session.commit()
    assert not plan(app, workspace_id, export(app, workspace_id)).has_changes
    book = load_workbook(io.BytesIO(export(app, workspace_id)))
    names = [row[1] for row in book["Stakeholders"].iter_rows(min_row=2, values_only=True)]
    assert HOSTILE in names and "Renamed group" in names


def test_formula_looking_text_stays_text_both_ways(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    with app.app_context():
        scope_session(db.session, workspace_id)
        factors = db.session.scalars(select(Factor).order_by(Factor.id)).all()
        for factor, text in zip(factors, FORMULAS, strict=False):
            factor.title = text
        db.session.commit()
    raw = export(app, workspace_id)
    sheet = load_workbook(io.BytesIO(raw))["Factors"]
    title = column_of(sheet, "title")
    for row, text in enumerate(FORMULAS, start=2):
        cell = sheet.cell(row=row, column=title)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert not plan(app, workspace_id, raw).has_changes

    # A real formula typed into a cell is taken as its text, never calculated.
    def edit(book: Any) -> None:
        factors = book["Factors"]
        factors.append([None, "business_need", "driver", "=1+1", "=cmd|' /C calc'!A0", 3])

    changed = edited(raw, edit)
    typed = load_workbook(io.BytesIO(changed))["Factors"]
    assert typed.cell(row=typed.max_row, column=title).data_type == "f"
    result = plan(app, workspace_id, changed)
    assert result.counts() == (1, 0, 0)
    with app.app_context():
        scope_session(db.session, workspace_id)
        exchange_workbook.apply_import(db.session, changed, LIMIT, result.fingerprint)
        db.session.commit()
        added = db.session.scalar(select(Factor).order_by(Factor.id.desc()).limit(1))
        assert added is not None
        assert added.title == "=1+1" and added.description == "=cmd|' /C calc'!A0"
    zipped = zipfile.ZipFile(io.BytesIO(export(app, workspace_id, "csv")))
    rows = list(csv.reader(io.StringIO(zipped.read("factors.csv").decode("utf-8-sig"))))
    assert rows[1][3] == "'" + FORMULAS[0]
    assert rows[-1][3] == "'=1+1"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 * 1024 * 1024))
    return buffer.getvalue()


def _bad_workbooks(raw: bytes) -> dict[str, tuple[bytes, str]]:
    def drop_sheet(book: Any) -> None:
        del book["Goals"]

    def duplicate_key(book: Any) -> None:
        sheet = book["Objectives"]
        sheet.cell(row=3, column=1).value = sheet.cell(row=2, column=1).value

    def broken_reference(book: Any) -> None:
        sheet = book["Alignment matrix"]
        sheet.cell(row=2, column=column_of(sheet, "objective")).value = "O99999"

    def foreign_key(book: Any) -> None:
        book["Factors"].cell(row=2, column=1).value = "F99999"

    def bad_choice(book: Any) -> None:
        sheet = book["Initiatives"]
        sheet.cell(row=2, column=column_of(sheet, "status")).value = "<b>done</b>"

    def bad_header(book: Any) -> None:
        book["Metrics"].cell(row=1, column=2).value = "nom"

    def loop(book: Any) -> None:
        sheet = book["Objectives"]
        first, second = sheet.cell(row=2, column=1).value, sheet.cell(row=3, column=1).value
        parent = column_of(sheet, "parent")
        sheet.cell(row=2, column=parent).value = second
        sheet.cell(row=3, column=parent).value = first

    def stranger(book: Any) -> None:
        sheet = book["Assessment answers"]
        sheet.cell(row=2, column=column_of(sheet, "respondent")).value = "otto@example.org"

    return {
        "respondent not a member": (edited(raw, stranger), "is not a member of this workspace"),
        "not a workbook": (b"name,value\nx,1\n", "not an Excel workbook"),
        "zip without workbook": (_zip_of({"a.txt": b"hello"}), "not an Excel workbook"),
        "zip bomb": (_zip_bomb(), "unpacks to far more"),
        "oversized": (raw + b"\0" * LIMIT, "larger than"),
        "sheet missing": (edited(raw, drop_sheet), "Goals: the sheet is missing"),
        "duplicate keys": (edited(raw, duplicate_key), "used twice"),
        "broken reference": (edited(raw, broken_reference), "O99999"),
        "key of no row": (edited(raw, foreign_key), "F99999 is not a row"),
        "hostile choice": (edited(raw, bad_choice), "is not one of"),
        "headers": (edited(raw, bad_header), "headers do not match"),
        "parent loop": (edited(raw, loop), "loop"),
    }


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_bad_workbooks_are_refused_with_their_place_and_nothing_changes(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    raw = export(app, workspace_id)
    before = row_counts(app)
    for label, (bad, expected) in _bad_workbooks(raw).items():
        with app.app_context():
            scope_session(db.session, workspace_id)
            try:
                result = exchange_workbook.plan_import(db.session, bad, LIMIT)
                problems = result.problems
                assert problems, label
                try:
                    exchange_workbook.apply_import(db.session, bad, LIMIT, result.fingerprint)
                    raise AssertionError(f"{label}: applied")
                except ExchangeRefusedError:
                    pass
            except ExchangeRefusedError as refused:
                problems = refused.problems
            db.session.rollback()
        assert any(expected in p for p in problems), (label, problems[:3])
        assert row_counts(app) == before, label


def test_web_workbook_import_messages_and_roles(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    url = f"/workspaces/{workspace_id}/exchange/workbook"
    login(client, team["executive"])
    page = client.get(f"/workspaces/{workspace_id}/exchange")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "JSON backup" in body and "Excel workbook" in body and "CSV files" in body
    assert "Import an edited workbook" not in body
    download = client.get(f"/workspaces/{workspace_id}/export/xlsx")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('.xlsx"')
    raw = download.get_data()
    refused = client.post(
        url,
        data={"action": "preview", "upload": (io.BytesIO(raw), "w.xlsx")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403
    assert client.get(f"/workspaces/{workspace_id}/export/pdf").status_code == 404
    client.post("/logout")
    login(client, team["analyst"])
    wrong = client.post(
        url,
        data={"action": "preview", "upload": (io.BytesIO(b"{}"), "backup.json")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 400 and "ending in .xlsx" in wrong.get_data(as_text=True)
    damaged = client.post(
        url,
        data={"action": "preview", "upload": (io.BytesIO(b"PK\x03\x04broken"), "w.xlsx")},
        content_type="multipart/form-data",
    )
    assert damaged.status_code == 400
    assert "not an Excel workbook" in damaged.get_data(as_text=True)
    same = client.post(
        url,
        data={"action": "preview", "upload": (io.BytesIO(raw), "w.xlsx")},
        content_type="multipart/form-data",
    )
    assert same.status_code == 200 and "nothing to apply" in same.get_data(as_text=True)


def test_libreoffice_opens_the_workbook_and_its_copy_imports_unchanged(
    app: Flask, tmp_path: Path
) -> None:
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert soffice, "LibreOffice Calc is needed (libreoffice-calc-nogui)"
    _user, workspace_id = make_demo(app)
    with app.app_context():
        scope_session(db.session, workspace_id)
        first = db.session.scalar(select(Factor).order_by(Factor.id).limit(1))
        assert first is not None
        first.title = FORMULAS[0]
        db.session.commit()
    source = tmp_path / "in" / "workspace.xlsx"
    source.parent.mkdir()
    source.write_bytes(export(app, workspace_id))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    for target in (
        "xlsx",
        "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
    ):
        done = subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / "out"),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    resaved = (tmp_path / "out" / "workspace.xlsx").read_bytes()
    assert not plan(app, workspace_id, resaved).has_changes
    factors = (tmp_path / "out" / "workspace-Factors.csv").read_text(encoding="utf-8")
    assert FORMULAS[0].replace('"', '""') in factors
    assert "click" not in factors.replace(FORMULAS[0].replace('"', '""'), "")
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.get(Workspace, workspace_id) is not None
