"""An uploaded workbook declaring a DOCTYPE in any part is refused before openpyxl reads it."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from tests.integration.test_exchange_backup import Runner, make_demo, row_counts
from tests.integration.test_exchange_jobs import _apply, demo_client
from tests.integration.test_exchange_workbook import LIMIT, export, plan
from workbench.exchange import workbook
from workbench.exchange.backup import ExchangeRefusedError

SHEET = "xl/worksheets/sheet3.xml"
INTERNAL = '<!DOCTYPE worksheet [<!ENTITY boom "EXPANDED-ENTITY-TEXT">]>'
EXTERNAL = '<!DOCTYPE worksheet [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x.dtd"> %ext;]>'
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)
SHARED = (
    '<?xml version="1.0" encoding="UTF-8"?><sst count="1" uniqueCount="1" '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&boom;</t></si></sst>'
)
SYSTEM = '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">'


def _with_doctype(raw: bytes, part: str, doctype: str, entity: str = "") -> bytes:
    """The workbook with a DOCTYPE put after the XML declaration of one part (added if absent)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        if part not in source.namelist():
            target.writestr(part, SHARED.replace("<sst", doctype + "<sst", 1))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                end = text.index("?>") + 2 if text.startswith("<?xml") else 0
                text = text[:end] + doctype + text[end:]
                if entity:
                    # The entity used in a cell's text, where the preview would show it.
                    text = text.replace("<t>", f"<t>{entity}", 1)
                data = text.encode("utf-8")
            target.writestr(info.filename, data)
    return buffer.getvalue()


def _utf16(raw: bytes, part: str) -> bytes:
    """The workbook with one part re-encoded as UTF-16 and given an internal entity."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                body = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
                declaration = '<?xml version="1.0" encoding="UTF-16"?>'
                data = (declaration + INTERNAL + body).encode("utf-16")
            target.writestr(info.filename, data)
    return buffer.getvalue()


def _hostile(raw: bytes) -> dict[str, bytes]:
    return {
        "internal entity in a sheet": _with_doctype(raw, SHEET, INTERNAL),
        "external parameter entity": _with_doctype(raw, SHEET, EXTERNAL),
        "billion laughs": _with_doctype(raw, SHEET, LAUGHS),
        "external DTD": _with_doctype(raw, SHEET, SYSTEM),
        "shared strings": _with_doctype(raw, "xl/sharedStrings.xml", INTERNAL, "&boom;"),
        "workbook.xml": _with_doctype(raw, "xl/workbook.xml", INTERNAL),
        "content types": _with_doctype(raw, "[Content_Types].xml", INTERNAL),
        "relationships": _with_doctype(raw, "_rels/.rels", INTERNAL),
        "utf-16 part": _utf16(raw, "xl/styles.xml"),
    }


def test_every_part_declaring_a_doctype_is_refused_by_the_reader(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    raw = export(app, workspace_id)
    assert not plan(app, workspace_id, raw).has_changes
    before = row_counts(app)
    for label, bad in _hostile(raw).items():
        with pytest.raises(ExchangeRefusedError) as refused:
            workbook.read(bad, LIMIT)
        assert any("declares a DOCTYPE" in p for p in refused.value.problems), label
        with pytest.raises(ExchangeRefusedError, match="DOCTYPE"):
            plan(app, workspace_id, bad)
    assert row_counts(app) == before


def test_a_doctype_inside_text_or_a_comment_is_not_a_declaration() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><!-- <!DOCTYPE x> --></Types>")
        archive.writestr("xl/workbook.xml", "<workbook><t>&lt;!DOCTYPE x&gt;</t></workbook>")
        archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    workbook.check_archive(buffer.getvalue(), LIMIT)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/media/image2.bin", b"\x00\x01<!ENTITY x 'y'>")
    with pytest.raises(ExchangeRefusedError, match="DOCTYPE"):
        workbook.check_archive(buffer.getvalue(), LIMIT)


def test_the_web_preview_and_the_job_refuse_a_doctype_and_store_nothing(app: Flask) -> None:
    client, workspace_id = demo_client(app)
    raw = client.get(f"/workspaces/{workspace_id}/export/xlsx").data
    bad = _with_doctype(raw, SHEET, INTERNAL, "&boom;")
    before = row_counts(app)
    for label, hostile in (("entity in a cell", bad), *_hostile(raw).items()):
        page = client.post(
            f"/workspaces/{workspace_id}/exchange/workbook",
            data={"action": "preview", "upload": (io.BytesIO(hostile), "w.xlsx")},
            content_type="multipart/form-data",
        )
        body = page.get_data(as_text=True)
        assert page.status_code == 400, (label, page.status_code)
        assert "declares a DOCTYPE" in body and "EXPANDED-ENTITY-TEXT" not in body, label
    assert row_counts(app) == before
    job_id = _apply(client, workspace_id, "0" * 64, base64.b64encode(bad).decode())
    job_page = client.get(f"/workspaces/{workspace_id}/exchange/imports/{job_id}")
    text = job_page.get_data(as_text=True)
    assert "The workbook was not imported, nothing changed:" in text
    assert "declares a DOCTYPE" in text and "EXPANDED-ENTITY-TEXT" not in text
    after = row_counts(app)
    assert after["Change"] == before["Change"] and after["Factor"] == before["Factor"]


def test_the_cli_refuses_a_workbook_with_a_doctype(app: Flask, tmp_path: Path) -> None:
    _user, workspace_id = make_demo(app)
    raw = export(app, workspace_id)
    runner = Runner(app)
    good = tmp_path / "good.xlsx"
    good.write_bytes(raw)
    accepted = runner.invoke(args=["import-workbook", str(workspace_id), str(good)])
    assert accepted.exit_code == 0, accepted.output
    before = row_counts(app)
    for label, bad in _hostile(raw).items():
        path = tmp_path / "bad.xlsx"
        path.write_bytes(bad)
        for extra in ([], ["--apply"]):
            refused = runner.invoke(args=["import-workbook", str(workspace_id), str(path), *extra])
            assert refused.exit_code != 0, (label, refused.output)
            assert "declares a DOCTYPE" in refused.output, label
            assert "EXPANDED-ENTITY-TEXT" not in refused.output
    assert row_counts(app) == before
