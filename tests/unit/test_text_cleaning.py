"""Submitted and imported text is normalised by one function before it is checked."""

import pytest

from workbench.analysis.text import clean_text


def test_control_characters_are_removed_but_newlines_and_tabs_kept() -> None:
    assert clean_text("a\x00b\x07c\x1fd\x7f\x85e") == "abcde"
    assert clean_text("one\ttwo") == "one\ttwo"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("line one\r\nline two", "line one\nline two"),
        ("line one\rline two\rthree", "line one\nline two\nthree"),
        ("mixed\r\n\r\rend", "mixed\n\n\nend"),
        ("unix\nstays", "unix\nstays"),
    ],
    ids=["crlf", "lone-cr", "mixed", "lf"],
)
def test_line_endings_become_line_feeds(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert "\r" not in clean_text(raw, trim=False)


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا بالعالم",  # Arabic, right to left
        "שלום עולם",  # Hebrew
        "你好\uff0c世界 漢字 かな",  # CJK with a full-width comma
        "👩🏽‍💻 🎉 🇬🇧",  # emoji with skin tone, joiner and a flag
        "a\u200fb\u200ec",  # right-to-left and left-to-right marks are not control characters
    ],
)
def test_scripts_and_emoji_are_untouched(text: str) -> None:
    assert clean_text(text) == text
    assert clean_text(f"  {text}\r\n") == text


def test_surrounding_whitespace_is_trimmed_unless_asked_to_keep_it() -> None:
    assert clean_text("  \t title \n\u3000") == "title"
    assert clean_text(" \r\n ") == ""
    assert clean_text("\tTabbed ", trim=False) == "\tTabbed "
    assert clean_text(" a\r\nb ", trim=False) == " a\nb "


def test_unicode_is_normalised_to_nfc_even_around_a_removed_control() -> None:
    assert clean_text("  Cafe\u0301  ") == "Caf\u00e9"
    assert clean_text("Cafe\x00\u0301") == "Caf\u00e9"


def test_non_text_passes_through() -> None:
    assert clean_text(None) is None
    assert clean_text(5) == 5
