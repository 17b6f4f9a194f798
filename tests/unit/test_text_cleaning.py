"""Submitted text is normalised before validation."""

from workbench.web.forms import clean_text


def test_control_characters_are_removed_but_newlines_and_tabs_kept() -> None:
    assert clean_text("a\x00b\x07c\x1fd\x7f") == "abcd"
    assert clean_text("line one\r\nline two\rthree\tend") == "line one\nline two\nthree\tend"


def test_unicode_is_normalised_to_nfc_and_trimmed() -> None:
    assert clean_text("  Cafe\u0301  ") == "Caf\u00e9"
    assert clean_text("مرحبا 你好 👩🏽‍💻") == "مرحبا 你好 👩🏽‍💻"


def test_non_text_passes_through() -> None:
    assert clean_text(None) is None
    assert clean_text(5) == 5
