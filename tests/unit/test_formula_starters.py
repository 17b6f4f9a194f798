"""Every formula starter, look-alikes included, is neutralised in XLSX and CSV; numbers are not."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from workbench.exchange import csv_files, workbook
from workbench.exchange.schema import TABLE_BY_NAME, TABLES

STARTERS = {
    "equals": "=",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "tab": "\t",
    "carriage return": "\r",
    "full-width equals U+FF1D": "\uff1d",
    "full-width plus U+FF0B": "\uff0b",
    "full-width hyphen-minus U+FF0D": "\uff0d",
    "full-width at U+FF20": "\uff20",
    "small plus U+FE62": "\ufe62",
    "small hyphen-minus U+FE63": "\ufe63",
    "small equals U+FE66": "\ufe66",
}
ORDINARY = ("Plain words", "1+1 is two", "Café = good", "e-mail", "x@example.org")


def _factor(title: str) -> dict[str, object]:
    return {
        "key": "F1",
        "category": "business_need",
        "polarity": "driver",
        "title": title,
        "description": "",
        "importance": 3,
        "evidence": "",
        "position": 0,
    }


def _answer(value: int) -> dict[str, object]:
    return {
        "key": "R1",
        "instrument_key": "readiness",
        "instrument_version": 1,
        "question_key": "q1",
        "respondent": "a@example.org",
        "value": value,
        "note": "- a bullet point",
    }


def _book(registers: dict[str, list[dict[str, object]]]) -> bytes:
    return workbook.write({t.name: [] for t in TABLES} | registers, "Unit")


def _csv_rows(name: str, rows: list[dict[str, object]]) -> list[list[str]]:
    text = csv_files.write_register(TABLE_BY_NAME[name], rows).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("starter", STARTERS.values(), ids=list(STARTERS))
def test_each_starter_is_a_quoted_text_cell_and_reads_back_unchanged(starter: str) -> None:
    title = f'{starter}HYPERLINK("http://evil.example/","x")'
    assert workbook.looks_like_formula(title)
    raw = _book({"factors": [_factor(title)]})
    cell = load_workbook(io.BytesIO(raw))["Factors"]["D2"]
    # Exports write a lone carriage return as a line break, which starts no formula: the
    # cell is then plain text; every other starter is kept and the cell quoted.
    written = title.replace("\r", "\n")
    assert cell.value == written and cell.data_type == "s"
    assert cell.quotePrefix == workbook.looks_like_formula(written)
    assert cell.quotePrefix or starter == "\r"
    parsed, problems = workbook.read(raw, 10**7)
    assert not problems
    # A carriage return is read back as the workbook stores it; the text keeps its meaning.
    assert parsed["factors"][0][1]["title"].replace("\r", "\n") == title.replace("\r", "\n")


@pytest.mark.parametrize("starter", STARTERS.values(), ids=list(STARTERS))
def test_each_starter_gets_an_apostrophe_in_csv(starter: str) -> None:
    title = f"{starter}1+1"
    rows = _csv_rows("factors", [_factor(title)])
    assert rows[1][3] == "'" + title


def test_ordinary_text_and_numbers_keep_their_meaning() -> None:
    for text in ORDINARY:
        assert not workbook.looks_like_formula(text)
        raw = _book({"factors": [_factor(text)]})
        cell = load_workbook(io.BytesIO(raw))["Factors"]["D2"]
        assert cell.value == text and not cell.quotePrefix
        assert _csv_rows("factors", [_factor(text)])[1][3] == text
    # A negative number is a number in both formats, never turned into text.
    raw = _book({"responses": [_answer(-3)]})
    sheet = load_workbook(io.BytesIO(raw))["Assessment answers"]
    value = [c.value for c in sheet[1]].index("value") + 1
    assert sheet.cell(row=2, column=value).value == -3
    assert sheet.cell(row=2, column=value).data_type == "n"
    parsed, problems = workbook.read(raw, 10**7)
    assert not problems and parsed["responses"][0][1]["value"] == -3
    header, row = _csv_rows("responses", [_answer(-3)])[:2]
    assert row[header.index("value")] == "-3"
    # A "-" bullet in text is kept word for word: quoted in the workbook, apostrophe in CSV.
    assert parsed["responses"][0][1]["note"] == "- a bullet point"
    assert row[header.index("note")] == "'- a bullet point"
