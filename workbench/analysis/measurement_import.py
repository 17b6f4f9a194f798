"""Reading measurements from pasted text or a CSV file: every bad line named, nothing partial.

Accepted lines: ``date,value`` or ``date,value,note`` (comma, semicolon or tab separated,
chosen line by line),
with an optional header line whose first cell is ``date``. Dates are ISO ``yyyy-mm-dd``.
The text is cleaned as a whole by `clean_text` first, as the paste box's field is, so a
pasted and an uploaded file read the same. A line longer than `LINE_MAX` characters is
refused before the CSV reader sees it (the reader cannot take a field that long).
Values use plain digits with an optional minus sign and decimal point; a trailing ``%``
is accepted for percentage metrics. Anything a spreadsheet would treat as a formula
(starting with ``=``, ``+``, ``@``, a tab or a carriage return), any other text, a value
outside the metric's range, a date in the future, a date given twice, or a date already
recorded is refused
with the line number. If any line is refused, nothing is imported.

A file may name sites: then its first line is a header naming the columns ``date``,
``value``, ``site`` and optionally ``note``, in any order. Each site is matched by name,
ignoring case; an empty site cell is a reading for the whole organisation, and a name no
site has is refused with the line number. A day may then hold one reading per site.

`reading_problem` holds the rules one reading must meet wherever it comes from (a line of
an import, the single-measurement form, the API), so every way in agrees.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from workbench.analysis.text import clean_text

MAX_LINES = 5000
NOTE_MAX = 500
# The largest magnitude a reading may have, as for every other number the app takes in.
VALUE_LIMIT = 1e12
# The standard CSV reader refuses a field over 131,072 characters (its default
# `field_size_limit`, left alone because it is process-wide); no line at most this long
# can hold such a field, and a real line (a date, a value, a note under NOTE_MAX) is far
# shorter.
LINE_MAX = 131_072
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
FORMULA_START = ("=", "+", "@", "\t", "\r")
# What `clean_text` keeps that a one-line note may not hold.
_LINE_BREAK = re.compile(r"[\t\n]")


@dataclass(frozen=True)
class ParsedRow:
    """A valid line: its number in the input, the date, the value, a note and the site."""

    line: int
    on: date
    value: float
    note: str
    site: int | None = None


@dataclass(frozen=True)
class ImportResult:
    """The rows that would be imported, or the problems that stop the import."""

    rows: tuple[ParsedRow, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the import may go ahead."""
        return not self.errors and bool(self.rows)


def _cells(line: str) -> list[str] | None:
    # Each line may use its own separator: pasted spreadsheet rows bring tabs.
    delimiter = next((d for d in ("\t", ";", ",") if d in line), ",")
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None


def parse_value(raw: str, unit: str) -> float | None:
    """Return the number in a cell, or None if it is not a plain number for this unit."""
    text = raw.strip()
    if unit == "percent" and text.endswith("%"):
        text = text[:-1].strip()
    if not NUMBER.fullmatch(text):
        return None
    return float(text)


def clean_note(text: str) -> str:
    """A note as stored: `clean_text`'s rule, on one line (tabs and line breaks as spaces)."""
    return _LINE_BREAK.sub(" ", clean_text(text)).strip()


def reading_problem(
    on: date,
    value: float,
    note: str,
    minimum: float | None,
    maximum: float | None,
    today: date | None = None,
    taken: Collection[date] = (),
) -> tuple[str, str] | None:
    """Return (field, problem) if this reading may not be recorded, else None.

    The note is checked as given: clean it first. Problems read after "Line n: ".
    """
    if today is not None and on > today:
        return "measured_on", f"{on.isoformat()} is in the future; measure it on the day."
    if not math.isfinite(value):
        return "value", "enter a plain number such as 42 or -3.5."
    if abs(value) > VALUE_LIMIT:
        return "value", f"{value:g} is too large a number to record."
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "-∞" if minimum is None else f"{minimum:g}"
        high = "∞" if maximum is None else f"{maximum:g}"
        return "value", f"{value:g} is outside this metric's range {low} to {high}."
    if on in taken:
        return (
            "measured_on",
            f"a value for {on.isoformat()} is already recorded; edit or delete it first.",
        )
    if len(note) > NOTE_MAX:
        return "note", f"keep the note under {NOTE_MAX} characters."
    return None


HEADER_STARTS = {"date", "day", "measured_on"}
COLUMN_NAMES = {"date": "date", "day": "date", "measured_on": "date", "value": "value"}


def _site_columns(cells: list[str]) -> dict[str, int] | None:
    """The positions of the named columns of a header that has a site column, else None."""
    names = [cell.strip().lower() for cell in cells]
    if "site" not in names:
        return None
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        key = COLUMN_NAMES.get(name, name)
        if key in {"date", "value", "site", "note"}:
            found.setdefault(key, index)
    return found


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def parse_measurements(
    text: str,
    unit: str,
    minimum: float | None,
    maximum: float | None,
    existing_dates: Iterable[date] = (),
    today: date | None = None,
    sites: Mapping[str, int] | None = None,
    existing_site_dates: Iterable[tuple[date, int]] = (),
) -> ImportResult:
    """Parse pasted or uploaded measurements; return rows or every problem found.

    `existing_dates` are the days the organisation already has a reading for,
    `existing_site_dates` the (day, site) pairs already recorded, and `sites` maps each
    site's case-folded name to its id.
    """
    errors: list[str] = []
    rows: list[ParsedRow] = []
    taken: set[tuple[date, int | None]] = {(on, None) for on in existing_dates}
    taken |= set(existing_site_dates)
    seen: dict[tuple[date, int | None], int] = {}
    layout: dict[str, int] | None = None
    for number, line in enumerate(clean_text(text, trim=False).splitlines(), start=1):
        if number > MAX_LINES:
            errors.append(f"More than {MAX_LINES:,} lines: split the file and import it in parts.")
            break
        where = f"Line {number}"
        if len(line) > LINE_MAX:
            errors.append(
                f"{where}: the line is {len(line):,} characters long, more than the "
                f"{LINE_MAX:,} a line may have; give a date, a value and a note of up to "
                f"{NOTE_MAX} characters."
            )
            continue
        cells = _cells(line)
        if cells is None:
            errors.append(f"{where}: the line cannot be read as comma-separated values.")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if number == 1 and cells[0].strip().lower() in HEADER_STARTS:
            layout = _site_columns(cells)
            if layout is not None and not {"date", "value"} <= layout.keys():
                errors.append(f"{where}: a header with a site column must name date and value.")
                break
            continue
        site: int | None = None
        if layout is not None:
            raw_date, raw_value = (
                _cell(cells, layout["date"]).strip(),
                _cell(cells, layout["value"]),
            )
            note = _cell(cells, layout.get("note")).strip()
            raw_site = clean_note(_cell(cells, layout["site"]))
            if raw_site:
                site = (sites or {}).get(raw_site.casefold())
                if site is None:
                    errors.append(
                        f"{where}: no site is called “{raw_site[:60]}”; add it to the sites "
                        "first or correct the name."
                    )
                    continue
        elif len(cells) < 2:
            errors.append(f"{where}: expected a date and a value, separated by a comma.")
            continue
        else:
            raw_date, raw_value = cells[0].strip(), cells[1]
            note = ",".join(cells[2:]).strip() if len(cells) > 2 else ""
        if raw_value.startswith(FORMULA_START) or raw_value.strip().startswith(("=", "+", "@")):
            errors.append(
                f"{where}: “{raw_value.strip()[:30]}” looks like a spreadsheet "
                "formula; enter the number itself."
            )
            continue
        try:
            on = date.fromisoformat(raw_date)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_date):
                raise ValueError(raw_date)
        except ValueError:
            errors.append(f"{where}: “{raw_date[:30]}” is not a date in the form yyyy-mm-dd.")
            continue
        value = parse_value(raw_value, unit)
        if value is None:
            suffix = " (a % sign is allowed)" if unit == "percent" else ""
            errors.append(f"{where}: “{raw_value.strip()[:30]}” is not a plain number{suffix}.")
            continue
        if (on, site) in seen:
            also = "" if site is None else " for the same site"
            errors.append(
                f"{where}: {on.isoformat()} already appears on line {seen[(on, site)]}{also}."
            )
            continue
        note = clean_note(note)
        already = (on,) if (on, site) in taken else ()
        problem = reading_problem(on, value, note, minimum, maximum, today, already)
        if problem is not None:
            errors.append(f"{where}: {problem[1]}")
            continue
        seen[(on, site)] = number
        rows.append(ParsedRow(number, on, value, note, site))
    if not rows and not errors:
        errors.append("There is nothing to import: give one measurement per line, date first.")
    return ImportResult(tuple(rows), tuple(errors))
