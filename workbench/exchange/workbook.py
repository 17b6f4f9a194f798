"""The Excel workbook: one sheet per register, written with openpyxl and read back strictly.

Each sheet starts with a `key` column: the stable key of an existing row (prefix and id,
such as F12), empty for a row to add. The other headers are the register's column names.
Text that a spreadsheet would run as a formula is written as text and read as text.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.analysis.text import clean_text
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.schema import (
    TABLES,
    Column,
    Problems,
    Table,
    ValueProblem,
    check_key,
    parse_value,
)
from workbench.exchange.xmltext import part_declares_doctype

# What a spreadsheet may run as a formula: = + - @, a tab or a carriage return first, and the
# look-alikes some spreadsheets fold into them (full-width = + - @, small plus and hyphen-minus,
# small equals sign).
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",  # full-width equals sign
    "\uff0b",  # full-width plus sign
    "\uff0d",  # full-width hyphen-minus
    "\uff20",  # full-width commercial at
    "\ufe62",  # small plus sign
    "\ufe63",  # small hyphen-minus
    "\ufe66",  # small equals sign
)
LISTS_SHEET = "lists"
ABOUT_SHEET = "About"
# The storyboard's accent colour travels on the About sheet: this label in column A, the
# colour in column B. A workbook without the label leaves the accent as it is; the logo
# never travels in a workbook (the JSON backup carries it).
ACCENT_LABEL = "Accent colour"
ACCENT_ROW = 9
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ZIP_ENTRIES = 400
MAX_RATIO = 200
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WIDTHS = {"text": 40, "int": 12, "float": 14, "decimal": 14, "bool": 12, "date": 13}


def _width(column: Column) -> int:
    if column.kind == "text":
        return 24 if column.max_length <= 200 else 48
    if column.kind in {"choice", "list", "user", "principle"}:
        return 24
    return WIDTHS.get(column.kind, 12)


def looks_like_formula(value: str) -> bool:
    """Return whether a spreadsheet would treat this text as a formula."""
    return value.startswith(FORMULA_STARTS)


def _put(cell: Any, column: Column | None, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        # openpyxl refuses most control characters outright: whatever text was stored, the
        # workbook is written (clean text passes unchanged).
        value = clean_text(value, trim=False)
    if column is not None and column.kind == "bool":
        cell.value = "yes" if value else "no"
    elif column is not None and column.kind == "list":
        cell.value = ", ".join(value)
    elif column is not None and column.kind == "date":
        cell.value = date.fromisoformat(value)
        cell.number_format = "yyyy-mm-dd"
    elif column is not None and column.kind == "decimal":
        cell.value = float(Decimal(value))
        cell.number_format = "#,##0.00"
    else:
        cell.value = value
    if isinstance(value, str) and looks_like_formula(value):
        # Stored as a string cell with a quote prefix: shown as typed, never calculated.
        cell.data_type = "s"
        cell.quotePrefix = True


def _about(book: Workbook, title: str, accent: str | None) -> None:
    sheet = book.active
    sheet.title = ABOUT_SHEET
    lines = [
        f"Service recovery workbook: {title}",
        "Each sheet is one register of the workspace. Edit the rows, then import the file.",
        "Keep the key of a row to update it; leave the key empty to add a row; delete a row "
        "to remove it. A key names a row of this workspace (a letter prefix and a number).",
        "References (such as an initiative's objective) are written as the key of the row.",
        "An answer's respondent is a member's email; anyone else is written by name in "
        "respondent_label instead.",
        "Text starting with = + - or @ stays text; nothing in this file is calculated.",
    ]
    for index, line in enumerate(lines, start=1):
        cell = sheet.cell(row=index, column=1)
        _put(cell, None, line)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110
    sheet.cell(row=ACCENT_ROW - 1, column=1).value = (
        "The storyboard's accent colour: # and six hexadecimal digits in column B, such as "
        "#0F5C63; empty for the storyboard's own colour."
    )
    sheet.cell(row=ACCENT_ROW, column=1).value = ACCENT_LABEL
    sheet.cell(row=ACCENT_ROW, column=1).font = Font(bold=True)
    _put(sheet.cell(row=ACCENT_ROW, column=2), None, accent or "")
    sheet.column_dimensions["B"].width = 14


def _choice_ranges(book: Workbook) -> dict[tuple[str, str], str]:
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    ranges: dict[tuple[str, str], str] = {}
    position = 1
    for table in TABLES:
        for column in table.columns:
            values = column.choices if column.kind == "choice" else ()
            if column.kind == "bool":
                values = ("yes", "no")
            if not values:
                continue
            letter = get_column_letter(position)
            lists.cell(row=1, column=position, value=f"{table.name}.{column.name}")
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=position, value=value)
            ranges[(table.name, column.name)] = (
                f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            )
            position += 1
    return ranges


def _sheet(
    book: Workbook, table: Table, rows: list[dict[str, Any]], ranges: dict[tuple[str, str], str]
) -> None:
    sheet = book.create_sheet(table.title)
    headers = ["key", *(column.name for column in table.columns)]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(vertical="center")
    sheet.column_dimensions["A"].width = 10
    for index, column in enumerate(table.columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    for row_index, row in enumerate(rows, start=2):
        _put(sheet.cell(row=row_index, column=1), None, row["key"])
        for index, column in enumerate(table.columns, start=2):
            _put(sheet.cell(row=row_index, column=index), column, row.get(column.name))
    sheet.freeze_panes = "B2"
    last = max(len(rows) + 1, 2) + 500
    for index, column in enumerate(table.columns, start=2):
        source = ranges.get((table.name, column.name))
        if source is None:
            continue
        validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        validation.error = f"Choose a value of {column.name} from the list."
        validation.errorTitle = "Not in the list"
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)


def write(
    registers: dict[str, list[dict[str, Any]]], title: str, accent: str | None = None
) -> bytes:
    """Write the registers (and the accent colour, on the About sheet) as a styled workbook."""
    book = Workbook()
    _about(book, title, accent)
    ranges = _choice_ranges(book)
    for table in TABLES:
        _sheet(book, table, registers.get(table.name, []), ranges)
    book.move_sheet(LISTS_SHEET, offset=len(TABLES))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check_archive(raw: bytes, max_bytes: int) -> None:
    """Refuse what is not a plausible .xlsx before any XML is parsed (size, zip bombs)."""
    if len(raw) > max_bytes:
        raise ExchangeRefusedError([f"The file is larger than {max_bytes // (1024 * 1024)} MB."])
    if not raw:
        raise ExchangeRefusedError(["The file is empty."])
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExchangeRefusedError(["The file is not an Excel workbook (.xlsx)."]) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ExchangeRefusedError(["The workbook holds too many parts to be one of ours."])
    unpacked = sum(info.file_size for info in infos)
    packed = max(sum(info.compress_size for info in infos), 1)
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise ExchangeRefusedError(["The workbook unpacks to far more data than it should."])
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ExchangeRefusedError(["The file is not an Excel workbook (.xlsx)."])
    _refuse_doctypes(archive, infos)


def _refuse_doctypes(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    # openpyxl's parser expands entities, so every part is checked before it sees any: a
    # part may be named anything, and unpacking is bounded by the sizes checked above.
    for info in infos:
        try:
            with archive.open(info) as part:
                declared = part_declares_doctype(part)
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            raise ExchangeRefusedError(["The workbook is damaged and cannot be read."]) from None
        if declared:
            raise ExchangeRefusedError(
                [
                    f"The workbook's part {info.filename[:80]} declares a DOCTYPE; a workbook "
                    "needs none, and entity declarations are refused for safety."
                ]
            )


def _cell_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _text_for(column: Column, value: Any) -> Any:
    # A number typed into a text column is meant as its digits.
    if column.kind in {"text", "ref", "user", "principle"} and isinstance(value, int | float):
        return str(value)
    if column.kind == "date" and isinstance(value, datetime):
        return value.date()
    return value


def _read_sheet(sheet: Any, table: Table, problems: Problems) -> list[tuple[str, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    names = [str(h).strip() if h is not None else "" for h in (header or ())]
    while names and not names[-1]:
        names.pop()
    expected = ["key", *(column.name for column in table.columns)]
    # A column added after a file was written is left out of its rows when the file lacks it,
    # so an import keeps what is stored there rather than emptying it.
    absent = [name for name in table.added_later if name not in names]
    missing = [name for name in expected if name not in names and name not in absent]
    unknown = [name for name in names if name not in expected]
    if missing or unknown or len(set(names)) != len(names):
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if unknown:
            detail.append("unknown " + ", ".join(n[:30] or "(blank)" for n in unknown[:5]))
        if len(set(names)) != len(names):
            detail.append("a column appears twice")
        problems.add(f"{table.title} row 1", "the headers do not match: " + "; ".join(detail))
        return []
    position = {name: names.index(name) for name in expected if name not in absent}
    parsed: list[tuple[str, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        cells = [_cell_value(v) for v in values]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(parsed) >= table.max_rows:
            problems.add(table.title, f"more than {table.max_rows} rows")
            break
        place = f"{table.title} row {number}"

        def get(name: str, cells: list[Any] = cells) -> Any:
            index = position.get(name, len(cells))
            return cells[index] if index < len(cells) else None

        row: dict[str, Any] = {"key": None}
        raw_key = get("key")
        if raw_key is not None and str(raw_key).strip():
            try:
                row["key"] = check_key(str(raw_key))
            except ValueProblem as problem:
                problems.add(place, str(problem))
        for column in table.columns:
            if column.name in absent:
                continue
            try:
                row[column.name] = parse_value(column, _text_for(column, get(column.name)))
            except ValueProblem as problem:
                problems.add(place, str(problem))
        parsed.append((place, row))
    return parsed


def _accent(book: Any, problems: Problems) -> str | None:
    """The accent colour's text on the About sheet ("" for none), or None without the label."""
    if ABOUT_SHEET not in book.sheetnames:
        return None
    for cells in book[ABOUT_SHEET].iter_rows(min_row=1, max_row=40, max_col=2, values_only=True):
        if not cells or cells[0] != ACCENT_LABEL:
            continue
        # A read-only sheet may end a row at its last filled cell.
        value = _cell_value(cells[1]) if len(cells) > 1 else None
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > 40:
            problems.add(f"{ABOUT_SHEET}: {ACCENT_LABEL}", "expected # and six hexadecimal digits")
            return None
        return clean_text(value)
    return None


def read(
    raw: bytes, max_bytes: int
) -> tuple[dict[str, list[tuple[str, dict[str, Any]]]], Problems]:
    """Read every register's sheet; return rows with their places and the problems found."""
    parsed, problems, _accent_text = read_book(raw, max_bytes)
    return parsed, problems


def read_book(
    raw: bytes, max_bytes: int
) -> tuple[dict[str, list[tuple[str, dict[str, Any]]]], Problems, str | None]:
    """Read every register's sheet and the accent colour's text (None when not given)."""
    check_archive(raw, max_bytes)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ExchangeRefusedError(["The workbook is damaged and cannot be read."]) from None
    problems = Problems()
    result: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    try:
        for table in TABLES:
            if table.title not in book.sheetnames:
                if not table.optional:
                    problems.add(table.title, "the sheet is missing")
                continue
            result[table.name] = _read_sheet(book[table.title], table, problems)
        accent = _accent(book, problems)
    except ExchangeRefusedError:
        raise
    except Exception:
        raise ExchangeRefusedError(["The workbook is damaged and cannot be read."]) from None
    finally:
        book.close()
    return result, problems, accent
