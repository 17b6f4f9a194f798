"""Parsing pasted or uploaded measurements."""

import csv
from datetime import date

import pytest

from workbench.analysis.measurement_import import (
    LINE_MAX,
    clean_note,
    parse_measurements,
    parse_value,
    reading_problem,
)


def test_valid_lines_with_header_separators_and_notes() -> None:
    text = "date,value,note\n2026-01-31,62.5,January\n\n2026-02-28;64\n2026-03-31\t66%\t\n"
    result = parse_measurements(text, "percent", 0, 100)
    assert result.ok
    assert [(r.line, r.value, r.note) for r in result.rows] == [
        (2, 62.5, "January"),
        (4, 64.0, ""),
        (5, 66.0, ""),
    ]
    clean = parse_measurements("2026-01-31;62.5;Jan\n2026-02-28;64%\n", "percent", 0, 100)
    assert clean.ok
    assert [(r.line, r.on, r.value, r.note) for r in clean.rows] == [
        (1, date(2026, 1, 31), 62.5, "Jan"),
        (2, date(2026, 2, 28), 64.0, ""),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2026-01-31,=1+1", "looks like a spreadsheet formula"),
        ("2026-01-31,+5", "looks like a spreadsheet formula"),
        ("2026-01-31,@SUM(A1)", "looks like a spreadsheet formula"),
        ("31/01/2026,5", "is not a date in the form yyyy-mm-dd"),
        ("2026-02-30,5", "is not a date"),
        ("2026-01-31,five", "is not a plain number"),
        ("2026-01-31,\u0665", "is not a plain number"),
        ("2026-01-31,85 minutes", "is not a plain number"),
        ("2026-01-31,1e3", "is not a plain number"),
        ("2026-01-31,NaN", "is not a plain number"),
        ("2026-01-31,101", "outside this metric's range 0 to 100"),
        ("2026-01-31", "expected a date and a value"),
    ],
)
def test_bad_lines_are_named(line: str, message: str) -> None:
    result = parse_measurements(f"2026-01-01,50\n{line}\n", "percent", 0, 100)
    assert not result.ok
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Line 2: ")
    assert message in result.errors[0]


def test_duplicates_in_file_and_already_recorded() -> None:
    result = parse_measurements(
        "2026-01-31,1\n2026-01-31,2\n2026-02-28,3\n",
        "count",
        0,
        None,
        existing_dates=[date(2026, 2, 28)],
    )
    assert result.errors == (
        "Line 2: 2026-01-31 already appears on line 1.",
        "Line 3: a value for 2026-02-28 is already recorded; edit or delete it first.",
    )


def test_empty_input_and_percent_sign_only_for_percentages() -> None:
    assert parse_measurements("\n  \n", "score", None, None).errors == (
        "There is nothing to import: give one measurement per line, date first.",
    )
    assert parse_value("45%", "percent") == 45.0
    assert parse_value("45%", "score") is None
    assert parse_value("-12.5", "score") == -12.5


def test_future_dates_are_refused_when_today_is_given() -> None:
    result = parse_measurements("2026-11-26,5\n", "count", 0, None, today=date(2026, 11, 25))
    assert result.errors == ("Line 1: 2026-11-26 is in the future; measure it on the day.",)


def test_one_rule_set_for_a_reading_wherever_it_comes_from() -> None:
    day = date(2026, 3, 31)
    assert reading_problem(day, 50.0, "", 0, 100, today=day) is None
    assert reading_problem(day, 50.0, "", 0, 100, today=date(2026, 3, 30)) == (
        "measured_on",
        "2026-03-31 is in the future; measure it on the day.",
    )
    assert reading_problem(day, float("nan"), "", None, None) == (
        "value",
        "enter a plain number such as 42 or -3.5.",
    )
    assert reading_problem(day, -2e12, "", None, None) == (
        "value",
        "-2e+12 is too large a number to record.",
    )
    assert reading_problem(day, 101.0, "", 0, 100)[0] == "value"  # type: ignore[index]
    assert reading_problem(day, 1.0, "", None, None, taken={day})[0] == "measured_on"  # type: ignore[index]
    assert reading_problem(day, 1.0, "n" * 501, None, None) == (
        "note",
        "keep the note under 500 characters.",
    )
    # The import names the line and then exactly the same words.
    result = parse_measurements(f"2026-03-31,1,{'n' * 501}\n", "count", None, None)
    assert result.errors == ("Line 1: keep the note under 500 characters.",)


def test_notes_are_cleaned_the_same_way_for_every_source() -> None:
    # clean_text's rule (controls dropped, NFC, trimmed), then one line.
    assert clean_note("  Cafe\u0301\x00 ok\x07\x9b  ") == "Caf\u00e9 ok"
    assert clean_note("two\nlines\tand a tab\r\n") == "two lines and a tab"
    assert clean_note("مرحبا <b>=SUM(A1)</b>") == "مرحبا <b>=SUM(A1)</b>"
    (row,) = parse_measurements('2026-01-31,5,"Cafe\u0301\x07 ✓"\n', "count", None, None).rows
    assert row.note == "Caf\u00e9 ✓"


# Every C0 control but tab and line feed, and DEL: what clean_text drops. A carriage return
# becomes a line break, and the separators str.splitlines knows (VT, FF, FS, GS, RS) are
# dropped before the text is split, so they neither end a line nor stay in a note.
DROPPED = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"]


@pytest.mark.parametrize("control", DROPPED, ids=[f"U+{ord(c):04X}" for c in DROPPED])
def test_every_control_character_is_dropped_from_a_note(control: str) -> None:
    text = f"2026-01-31,5,before{control}after\n2026-02-28,6,{control}\n"
    result = parse_measurements(text, "count", None, None)
    assert result.ok, result.errors
    assert [(r.line, r.note) for r in result.rows] == [(1, "beforeafter"), (2, "")]


def test_a_line_at_the_reader_limit_is_read_and_a_longer_one_is_named() -> None:
    prefix = "2026-01-31,5,"
    for length in (LINE_MAX - 1, LINE_MAX):
        result = parse_measurements(
            "2026-01-01,1\n" + prefix + "n" * (length - len(prefix)), "count", None, None
        )
        assert result.errors == ("Line 2: keep the note under 500 characters.",)
    # One field alone as long as a line may be: the reader still takes it.
    assert parse_measurements("x" * LINE_MAX, "count", None, None).errors == (
        "Line 1: expected a date and a value, separated by a comma.",
    )
    for line in (prefix + "n" * (LINE_MAX + 1 - len(prefix)), "x" * 200_000):
        result = parse_measurements(f"2026-01-01,1\n{line}\n2026-02-01,2\n", "count", 0, None)
        assert not result.ok and result.rows[0].line == 1 and result.rows[1].line == 3
        assert result.errors == (
            f"Line 2: the line is {len(line):,} characters long, more than the 131,072 a "
            "line may have; give a date, a value and a note of up to 500 characters.",
        )


def test_a_line_the_reader_refuses_is_named_not_raised() -> None:
    # The reader's limit is process-wide: lowered here for a moment to reach that refusal.
    previous = csv.field_size_limit(8)
    try:
        result = parse_measurements("2026-01-31,5,a long note\n", "count", None, None)
    finally:
        csv.field_size_limit(previous)
    assert result.errors == ("Line 1: the line cannot be read as comma-separated values.",)


@pytest.mark.parametrize(
    "note",
    [
        "تأخر استرداد المبالغ",
        "עיכוב בהחזר כספי",
        "退款延迟 返金の遅れ",
        "Refund delays 🙈🔥 👩🏽‍💻",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://evil.example/","x")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\uff1d1+1",
    ],
)
def test_unicode_and_hostile_notes_are_kept_as_text(note: str) -> None:
    quoted = '"' + note.replace('"', '""') + '"'
    (row,) = parse_measurements(f"2026-01-31,5,{quoted}\n", "count", None, None).rows
    assert row.note == note


def test_malformed_lines_are_named() -> None:
    text = '2026-01-31,"5"x\n,,,\n2026-02-30\t\n\ufeff\n"2026-03-31","7","a, b"'
    result = parse_measurements(text, "count", None, None)
    assert result.errors == (
        "Line 1: “5x” is not a plain number.",
        "Line 3: “2026-02-30” is not a date in the form yyyy-mm-dd.",
        "Line 4: expected a date and a value, separated by a comma.",
    )
    assert parse_measurements(text.split("\n")[-1], "count", None, None).rows[0].note == "a, b"
