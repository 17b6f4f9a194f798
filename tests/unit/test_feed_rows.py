"""Metric feeds, the pure part: the query check, the schedule and the rows' checks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from workbench.analysis.feed_rows import RawRow, check_query, check_rows, next_run, run_message

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT day AS date, value FROM readings",
        "select day as date, value, site from readings where site <> 'a;b'",
        "WITH r AS (SELECT * FROM readings) SELECT day AS date, value FROM r;",
        "SELECT day AS date, value FROM readings -- a comment; with DROP in it",
        "SELECT 'insert' AS note, day AS date, value FROM readings",
        'SELECT d AS date, v AS value FROM "Weird;Name"',
    ],
)
def test_a_single_reading_statement_passes(query: str) -> None:
    assert check_query(query) is None


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("INSERT INTO readings VALUES ('2026-01-01', 1)", "single SELECT"),
        ("DROP TABLE readings", "single SELECT"),
        ("SELECT 1 AS value; DROP TABLE readings", "one statement"),
        ("SELECT 1; SELECT 2", "one statement"),
        ("WITH gone AS (DELETE FROM readings RETURNING *) SELECT * FROM gone", "DELETE"),
        ("SELECT * INTO copy FROM readings", "INTO"),
        ("select 1 as value /* unclosed", "never closed"),
        ("SELECT 'unclosed", "never closed"),
        ("<script>alert(1)</script>", "single SELECT"),
        ('=HYPERLINK("http://example.org")', "single SELECT"),
        ("", "Write the query"),
        ("SELECT " + "x," * 6000 + " 1", "under 10,000"),
        ("SELECT pg_sleep(1); COPY readings TO '/tmp/x'", "one statement"),
        ("SELECT 1 AS value FROM readings FOR UPDATE", "UPDATE"),
    ],
)
def test_writing_or_several_statements_are_refused(query: str, words: str) -> None:
    problem = check_query(query)
    assert problem is not None and words in problem


def test_next_run_follows_the_schedule_at_the_hour_utc() -> None:
    moment = datetime(2026, 12, 4, 7, 30, tzinfo=UTC)  # a Friday
    assert next_run(moment, "daily", 6) == datetime(2026, 12, 5, 6, tzinfo=UTC)
    assert next_run(moment, "daily", 8) == datetime(2026, 12, 4, 8, tzinfo=UTC)
    assert next_run(moment, "weekly", 6) == datetime(2026, 12, 7, 6, tzinfo=UTC)
    assert next_run(moment, "monthly", 0) == datetime(2027, 1, 1, 0, tzinfo=UTC)
    # Exactly at the hour: the next one, never the same moment again.
    at = datetime(2026, 12, 7, 6, tzinfo=UTC)
    assert next_run(at, "weekly", 6) == datetime(2026, 12, 14, 6, tzinfo=UTC)
    with pytest.raises(ValueError):
        next_run(moment, "hourly", 6)


def test_rows_pass_or_are_each_named() -> None:
    sites = {"whitby": 1, "تنبي": 2}
    raw = [
        RawRow(1, "2026-01-31", "42.5", "Whitby"),
        RawRow(2, date(2026, 2, 28), Decimal("40"), None),
        RawRow(3, datetime(2026, 3, 31, 0, 0), 39, "تنبي"),
        RawRow(4, "31/01/2026", 1, None),
        RawRow(5, "2026-04-30", '=HYPERLINK("http://x")', None),
        RawRow(6, "2026-04-30", 5, "Nowhere 🏨"),
        RawRow(7, "2026-04-30", 500, None),
        RawRow(8, "2026-01-31", 41, "whitby"),
        RawRow(9, "2027-01-01", 5, None),
        RawRow(10, "2026-05-31", True, None),
        RawRow(11, None, 3, None),
    ]
    check = check_rows(raw, "percent", 0, 100, sites, TODAY)
    assert [row.number for row in check.rows] == [1, 2, 3]
    assert check.rows[2].site == 2 and check.rows[0].value == 42.5
    reasons = {item.number: item.reason for item in check.rejected}
    assert "not a date" in reasons[4]
    assert "not a number" in reasons[5]
    assert "Nowhere 🏨" in reasons[6]
    assert "outside this metric's range" in reasons[7]
    assert "appears twice" in reasons[8] and "row 1" in reasons[8]
    assert "future" in reasons[9]
    assert "not a number" in reasons[10]
    assert "not a date" in reasons[11]


@pytest.mark.parametrize(
    ("kept", "held", "said"),
    [
        (0, 0, ""),
        (1, 0, "1 reading entered by hand kept."),
        (0, 1, "1 row held out: deleted by hand."),
        (2, 3, "2 readings entered by hand kept. 3 rows held out: deleted by hand."),
    ],
)
def test_a_run_says_what_it_kept_and_held_out(kept: int, held: int, said: str) -> None:
    assert run_message(kept, held) == said
