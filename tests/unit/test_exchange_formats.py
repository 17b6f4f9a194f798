"""The exchange formats without the app: value checks, loops, strict JSON, workbook and CSV."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from workbench.exchange import backup, csv_files, workbook
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.schema import (
    TABLE_BY_NAME,
    TABLES,
    Column,
    Problems,
    ValueProblem,
    check_key,
    check_rows,
    find_cycle,
    parse_value,
)


def _column(table: str, name: str) -> Column:
    return TABLE_BY_NAME[table].column(name)


@pytest.mark.parametrize(
    ("table", "name", "raw", "expected"),
    [
        ("factors", "importance", "4", 4),
        ("factors", "importance", 4.0, 4),
        ("factors", "importance", None, 3),
        ("factors", "title", "  مرحبا 漢字 🎉  ", "  مرحبا 漢字 🎉  "),
        ("factors", "description", "a\x00b\r\nc", "ab\nc"),
        ("initiatives", "budget", "1200.5", Decimal("1200.50")),
        ("initiatives", "approach", "", None),
        ("initiatives", "start_date", "2026-03-31", date(2026, 3, 31)),
        ("scenarios", "foreseeable", "yes", True),
        ("scenarios", "detection_channels", "survey, chat, survey", ["survey", "chat"]),
        ("scenarios", "detection_channels", None, []),
        ("metrics", "min_value", "-5", -5.0),
    ],
)
def test_values_are_checked_and_converted(
    table: str, name: str, raw: object, expected: object
) -> None:
    assert parse_value(_column(table, name), raw) == expected


@pytest.mark.parametrize(
    ("table", "name", "raw", "fragment"),
    [
        ("factors", "importance", "6", "at most 5"),
        ("factors", "importance", "2.5", "whole number"),
        ("factors", "importance", True, "expected a number"),
        ("factors", "title", "", "required"),
        ("factors", "title", "x" * 201, "longer than 200"),
        ("factors", "polarity", "<script>", "is not one of"),
        ("initiatives", "budget", "-1", "negative"),
        ("initiatives", "budget", "1e20", "out of range"),
        ("initiatives", "start_date", "31/03/2026", "date such as"),
        ("metrics", "min_value", "nan", "finite"),
        ("scenarios", "detection_channels", "survey, carrier pigeon", "is not one of"),
        ("scenarios", "foreseeable", "maybe", "yes or no"),
        ("factors", "title", {"a": 1}, "expected text"),
    ],
)
def test_bad_values_are_refused_with_the_column_named(
    table: str, name: str, raw: object, fragment: str
) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_value(_column(table, name), raw)
    assert fragment in str(problem.value) and name in str(problem.value)


def test_keys_are_short_and_plain() -> None:
    assert check_key(" F12 ") == "F12"
    for bad in ("", "a b", "<x>", "k" * 41, 12, None, "=1+1"):
        with pytest.raises(ValueProblem):
            check_key(bad)


def test_loops_are_found_and_named() -> None:
    assert find_cycle([("a", "b"), ("b", "c")]) is None
    assert find_cycle([("a", "a")]) == ["a", "a"]
    loop = find_cycle([("a", "b"), ("b", "c"), ("c", "a"), ("x", "a")])
    assert loop is not None and loop[0] == loop[-1] and set(loop) == {"a", "b", "c"}


def test_rows_are_checked_across_registers() -> None:
    problems = Problems()
    rows = {
        "initiatives": [("i1", {"key": "I1"}), ("i2", {"key": "I1"})],
        "objectives": [("o1", {"key": "O1", "parent": "O9"})],
        "alignment": [
            ("a1", {"key": "A1", "initiative": "I1", "objective": "O1"}),
            ("a2", {"key": "A2", "initiative": "I1", "objective": "O1"}),
        ],
    }
    check_rows(rows, problems)
    text = " | ".join(problems.items)
    assert "i2: key I1 is used twice" in text
    assert "o1: parent: O9 is not a row" in text
    assert "a2: the same initiative, objective appears twice" in text


def test_a_risk_comes_only_from_a_barrier_in_the_file() -> None:
    problems = Problems()
    factors = [
        ("f1", {"key": "F1", "polarity": "barrier", "title": "Complaints get lost"}),
        ("f2", {"key": "F2", "polarity": "enabler", "title": "<b>Staff pride</b> " + "x" * 80}),
    ]
    rows = {
        "factors": factors,
        "risks": [("r1", {"key": "RK1"})],
        "risk_factors": [
            ("rf1", {"key": "RF1", "risk": "RK1", "factor": "F1"}),
            ("rf2", {"key": "RF2", "risk": "RK1", "factor": "F2"}),
            ("rf3", {"key": "RF3", "risk": "RK1", "factor": "F9"}),
        ],
    }
    check_rows(rows, problems)
    assert len(problems.items) == 2, problems.items
    refused, missing = problems.items
    assert refused.startswith("rf2: factor: F2 “<b>Staff pride</b> xxx")
    assert "...” is not a barrier (its polarity is enabler)" in refused
    assert "a risk can only come from a barrier" in refused and len(refused) < 300
    assert missing == "rf3: factor: F9 is not a row of that register"


def _document(**changes: object) -> bytes:
    import json

    registers = {table.name: [] for table in TABLES}
    registers["factors"] = [
        {
            "key": "F1",
            "category": "business_need",
            "polarity": "barrier",
            "title": "Complaints get lost",
            "description": "",
            "importance": 4,
            "evidence": "",
            "position": 1,
        }
    ]
    document = {
        "format": backup.FORMAT_NAME,
        "version": backup.FORMAT_VERSION,
        "workspace": {"name": "Test"},
        "registers": registers,
    }
    document.update(changes)
    return json.dumps(document).encode()


def test_a_minimal_backup_loads() -> None:
    loaded = backup.load(_document())
    assert loaded.workspace["name"] == "Test"
    assert loaded.registers["factors"][0]["title"] == "Complaints get lost"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "empty"),
        (b"\xff\xfe", "not UTF-8"),
        (b"{'single': 'quotes'}", "not JSON"),
        (b'{"a": 1, "a": 2}', "appears twice"),
        (b'{"a": NaN}', "NaN"),
        (b"[" * 50000 + b"]" * 50000, "not JSON"),
        (b"[1, 2]", "not a workbench backup"),
        (_document(version="1"), "format version 1"),
        (_document(version=True), "format version True"),
        (_document(registers=[]), "no 'registers'"),
        (_document(extra=1), "unknown top-level field"),
        (_document(workspace={"name": "x", "owner": "me"}), "unknown field 'owner'"),
    ],
)
def test_malformed_backups_are_refused(raw: bytes, fragment: str) -> None:
    with pytest.raises(ExchangeRefusedError) as refused:
        backup.load(raw)
    assert any(fragment in p for p in refused.value.problems), refused.value.problems


def test_a_backup_over_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(ExchangeRefusedError, match="larger than 1 MB"):
        backup.load(b"{" + b" " * (1024 * 1024), max_bytes=1024 * 1024)


def test_workbook_writes_formulas_as_text_and_reads_them_back() -> None:
    registers: dict[str, list[dict[str, object]]] = {table.name: [] for table in TABLES}
    registers["factors"] = [
        {
            "key": "F1",
            "category": "business_need",
            "polarity": "driver",
            "title": '=HYPERLINK("http://evil.example/","x")',
            "description": "@SUM(A1)",
            "importance": 2,
            "evidence": "-1",
            "position": 0,
        }
    ]
    raw = workbook.write(registers, "Unit")
    sheet = load_workbook(io.BytesIO(raw))["Factors"]
    assert sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix
    assert sheet["G2"].value == "-1" and sheet["G2"].data_type == "s"
    parsed, problems = workbook.read(raw, 10**7)
    assert not problems
    row = parsed["factors"][0][1]
    assert row["title"] == '=HYPERLINK("http://evil.example/","x")'
    assert row["description"] == "@SUM(A1)" and row["evidence"] == "-1"


def test_archives_that_are_not_workbooks_are_refused() -> None:
    with pytest.raises(ExchangeRefusedError, match="not an Excel workbook"):
        workbook.check_archive(b"plain text", 10**6)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("xl/workbook.xml", b" " * (2 * 1024 * 1024))
    with pytest.raises(ExchangeRefusedError, match="unpacks"):
        workbook.check_archive(buffer.getvalue(), 10**6)


def test_csv_marks_formula_looking_text_and_is_deterministic() -> None:
    table = TABLE_BY_NAME["stakeholders"]
    rows = [
        {"key": "S1", "name": "=1+1", "kind": "team", "interest": 3, "influence": 2, "notes": ""}
    ]
    text = csv_files.write_register(table, rows).decode("utf-8-sig")
    assert text.splitlines()[1] == "S1,'=1+1,team,3,2,"
    registers = {"stakeholders": rows}
    assert csv_files.write_zip(registers) == csv_files.write_zip(registers)
