"""The deck's text-extent estimator: lines grow as the column narrows or the type grows,
wide scripts take more room, and a word longer than the line is broken, never lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.storyboard.deck_fit import line_count, text_height

WORDS = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc")),
        min_size=1,
        max_size=30,
    ),
    min_size=1,
    max_size=60,
).map(" ".join)


@given(WORDS, st.floats(0.5, 12), st.floats(0.1, 6), st.sampled_from([10.0, 12.0, 18.0]))
def test_a_narrower_column_never_needs_fewer_lines(
    text: str, width: float, less: float, size: float
) -> None:
    assert line_count(text, max(width - less, 0.05), size) >= line_count(text, width, size)
    assert line_count(text, width, size + 4) >= line_count(text, width, size)


def test_wide_scripts_and_long_words_take_their_room() -> None:
    latin = "service recovery " * 10
    cjk = "服务恢复战略服务恢复战略 " * 10
    assert line_count(cjk, 3, 12) > line_count(latin, 3, 12)
    # One unbroken 400-letter word in a one-inch column runs over many lines.
    assert line_count("x" * 400, 1, 12) >= 20
    assert line_count("", 2, 12) == 1
    assert line_count("one\ntwo\nthree", 5, 12) == 3
    # Insets and line height: one line of 12 pt text is a quarter inch and a little.
    assert 0.3 < text_height("Short", 4, 12) < 0.4
