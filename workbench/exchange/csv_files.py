"""CSV per register: one UTF-8 CSV file per register, alone or packed in a zip.

Text that a spreadsheet would run as a formula gets a leading apostrophe, the usual sign
for "this is text", so opening a CSV never calculates anything typed into the workbench.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from workbench.exchange.schema import TABLE_BY_NAME, TABLES, Column, Table
from workbench.exchange.workbook import looks_like_formula

# Columns holding numbers: a negative number stays a number a spreadsheet can add up.
NUMBER_KINDS = frozenset({"int", "float", "decimal"})

# A fixed time for every zip entry, so the same workspace always gives the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _cell(value: Any, column: Column | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    text = str(value)
    if not isinstance(value, str) or (column is not None and column.kind in NUMBER_KINDS):
        return text  # a checked number, never a formula
    return "'" + text if looks_like_formula(text) else text


def write_register(table: Table, rows: list[dict[str, Any]]) -> bytes:
    """One register as CSV (UTF-8 with a byte order mark, so spreadsheets detect it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["key", *(column.name for column in table.columns)])
    for row in rows:
        writer.writerow([_cell(row["key"]), *(_cell(row.get(c.name), c) for c in table.columns)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_zip(registers: dict[str, list[dict[str, Any]]]) -> bytes:
    """Every register as `<name>.csv` in one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            info = zipfile.ZipInfo(f"{table.name}.csv", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, write_register(table, registers.get(table.name, [])))
    return buffer.getvalue()


def register_names() -> list[str]:
    """The names accepted by `--register`."""
    return [table.name for table in TABLES]


def table_named(name: str) -> Table | None:
    """Return the register called `name`, if there is one."""
    return TABLE_BY_NAME.get(name)
