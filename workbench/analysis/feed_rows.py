"""Metric feeds, the pure part: the query text check, the schedule and the rows' checks.

A feed's rows come from a database query or a file; each row is one reading (a date, a value,
optionally a site by name). `check_rows` accepts them all or names every row it refuses,
so a run is all or nothing. `check_query` is the first of two guards against a query that
writes: the text must be one SELECT or WITH statement with no writing keyword; the second
guard is the read-only transaction the query runs in (services/feed_sources.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from workbench.analysis.measurement_import import parse_value, reading_problem
from workbench.analysis.text import clean_text

QUERY_MAX = 10_000
# A file feed's path, as the form, the service and a backup accept it.
PATH_MAX = 500
# Rejected rows kept with a run: enough to fix a source, small enough for the page.
REJECTED_KEPT = 200
SCHEDULES = ("daily", "weekly", "monthly")
# Words that change data or the database, or reach outside it; matched as whole words
# outside string literals and comments. INTO catches SELECT ... INTO, which creates a table.
WRITING_WORDS = frozenset(
    {
        "insert",
        "update",
        "delete",
        "merge",
        "upsert",
        "drop",
        "alter",
        "create",
        "truncate",
        "grant",
        "revoke",
        "copy",
        "attach",
        "detach",
        "pragma",
        "vacuum",
        "reindex",
        "analyze",
        "call",
        "execute",
        "exec",
        "into",
        "lock",
        "load",
        "listen",
        "notify",
        "set",
        "reset",
        "begin",
        "commit",
        "rollback",
        "savepoint",
        "prepare",
        "deallocate",
        "discard",
    }
)
_LITERAL_OR_COMMENT = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\$(\w*)\$.*?\$\1\$", re.S
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_query(text: str) -> str | None:
    """Return why a feed's query is refused, or None for a single SELECT or WITH statement."""
    query = text.strip()
    if not query:
        return "Write the query that returns the readings (columns date, value and site)."
    if len(query) > QUERY_MAX:
        return f"Keep the query under {QUERY_MAX:,} characters."
    # Literals and comments are blanked first: a ';' or a word inside a quoted value is data.
    bare = _LITERAL_OR_COMMENT.sub(" ", query)
    if "'" in bare or "/*" in bare or '"' in bare:
        return "The query has a quote or a comment that is never closed."
    bare = bare.strip()
    if bare.endswith(";"):
        bare = bare[:-1].rstrip()
    if ";" in bare:
        return "Give one statement only: the query may not hold a ';' between statements."
    words = [word.lower() for word in _WORD.findall(bare)]
    if not words or words[0] not in {"select", "with"}:
        return "The query must be a single SELECT (or WITH … SELECT) statement that only reads."
    writing = sorted({word for word in words if word in WRITING_WORDS})
    if writing:
        named = ", ".join(word.upper() for word in writing)
        return f"The query may only read: it may not use {named}."
    return None


def next_run(after: datetime, schedule: str, hour: int) -> datetime:
    """Return the first time strictly after `after` (UTC) when a feed of this schedule runs.

    Daily runs at the hour, weekly on Mondays at the hour, monthly on the 1st at the hour.
    """
    moment = after.astimezone(UTC)
    day = moment.date()
    for _ in range(400):  # at most a little over a year of days is ever looked at
        candidate = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        if candidate > moment and (
            schedule == "daily"
            or (schedule == "weekly" and day.weekday() == 0)
            or (schedule == "monthly" and day.day == 1)
        ):
            return candidate
        day += timedelta(days=1)
    raise ValueError(f"unknown schedule {schedule!r}")


@dataclass(frozen=True)
class RawRow:
    """One row as a source gave it: its number in the source and its three cells."""

    number: int
    on: Any
    value: Any
    site: Any = None


@dataclass(frozen=True)
class FeedRow:
    """A row that passed every check: its number, day, value and site (None: organisation)."""

    number: int
    on: date
    value: float
    site: int | None


@dataclass(frozen=True)
class Rejection:
    """A row refused, with its number in the source and the reason in words."""

    number: int
    reason: str


@dataclass(frozen=True)
class RowCheck:
    """The rows that may be written, or the rows that stop the run."""

    rows: tuple[FeedRow, ...]
    rejected: tuple[Rejection, ...]


def _day(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = clean_text(str(cell or ""))
    # A timestamp's date part is the day ("2026-01-31 00:00:00", "2026-01-31T08:00").
    head = text[:10]
    if not _ISO_DAY.fullmatch(head) or text[10:11] not in ("", " ", "T"):
        return None
    try:
        return date.fromisoformat(head)
    except ValueError:
        return None


def _number(cell: Any, unit: str) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        return float(cell)
    return parse_value(clean_text(str(cell or "")), unit)


def check_rows(
    raw: Iterable[RawRow],
    unit: str,
    minimum: float | None,
    maximum: float | None,
    sites: Mapping[str, int],
    today: date,
) -> RowCheck:
    """Check every row; `sites` maps each site's case-folded name to its id."""
    rows: list[FeedRow] = []
    rejected: list[Rejection] = []
    seen: dict[tuple[date, int | None], int] = {}
    for row in raw:
        on = _day(row.on)
        if on is None:
            shown = clean_text(str(row.on if row.on is not None else ""))[:30]
            rejected.append(Rejection(row.number, f"“{shown}” is not a date (yyyy-mm-dd)."))
            continue
        value = _number(row.value, unit)
        if value is None:
            shown = clean_text(str(row.value if row.value is not None else ""))[:30]
            rejected.append(Rejection(row.number, f"“{shown}” is not a number."))
            continue
        site_name = clean_text(str(row.site or "")).strip()
        site: int | None = None
        if site_name:
            site = sites.get(site_name.casefold())
            if site is None:
                rejected.append(Rejection(row.number, f"no site is called “{site_name[:60]}”."))
                continue
        key = (on, site)
        if key in seen:
            where = f" for {site_name}" if site_name else ""
            rejected.append(
                Rejection(
                    row.number,
                    f"{on.isoformat()}{where} appears twice (also row {seen[key]}).",
                )
            )
            continue
        problem = reading_problem(on, value, "", minimum, maximum, today)
        if problem is not None:
            rejected.append(Rejection(row.number, problem[1]))
            continue
        seen[key] = row.number
        rows.append(FeedRow(row.number, on, value, site))
    return RowCheck(tuple(rows), tuple(rejected))


def run_message(kept: int, held: int) -> str:
    """The sentence a successful run ends with: the hand readings kept, the rows held out.

    A row is held out when a person deleted the reading the feed wrote for its day and site.
    """
    parts = []
    if kept:
        parts.append(f"{kept} reading{'s' if kept != 1 else ''} entered by hand kept.")
    if held:
        parts.append(f"{held} row{'s' if held != 1 else ''} held out: deleted by hand.")
    return " ".join(parts)
