"""The WCAG 2 contrast ratio and the accent colour check (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis.contrast import (
    MINIMUM_RATIO,
    WHITE,
    check_accent,
    contrast_ratio,
    darker_passing,
    luminance,
    parse_hex,
    to_hex,
)

channels = st.integers(min_value=0, max_value=255)
colours = st.tuples(channels, channels, channels)


def test_known_ratios() -> None:
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    # Published figures: #767676 is the lightest grey passing 4.5:1 on white, #777777 fails.
    assert contrast_ratio((0x76, 0x76, 0x76), WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((0x77, 0x77, 0x77), WHITE) < MINIMUM_RATIO
    # The storyboard's own teal passes comfortably.
    assert contrast_ratio((0x0F, 0x5C, 0x63), WHITE) > 7


def test_parse_hex_accepts_only_six_digits() -> None:
    assert parse_hex("#0f5c63") == (15, 92, 99)
    assert parse_hex(" 0F5C63 ") == (15, 92, 99)
    for bad in ("", "#fff", "#0f5c6", "#0f5c633", "red", "#GGGGGG", "rgb(1,2,3)", "#٠١٢٣٤٥"):
        assert parse_hex(bad) is None, bad
    assert parse_hex("<script>#000000") is None


def test_a_light_colour_is_refused_with_its_ratio_and_a_darker_shade() -> None:
    verdict = check_accent((0xFF, 0xCC, 0x00))
    assert not verdict.passes
    message = verdict.message()
    assert "#FFCC00" in message and "1.51:1" in message and "4.5:1" in message
    assert verdict.suggestion in message
    suggested = parse_hex(verdict.suggestion)
    assert suggested is not None and contrast_ratio(suggested, WHITE) >= MINIMUM_RATIO


def test_a_ratio_just_below_the_minimum_never_reads_as_reaching_it() -> None:
    verdict = check_accent((0x77, 0x77, 0x77))
    assert not verdict.passes
    assert "4.47:1" in verdict.message()


@given(colours, colours)
def test_ratio_is_symmetric_and_bounded(
    first: tuple[int, int, int], second: tuple[int, int, int]
) -> None:
    ratio = contrast_ratio(first, second)
    assert ratio == pytest.approx(contrast_ratio(second, first))
    assert 1.0 <= ratio <= 21.0 + 1e-9


@given(colours)
def test_the_suggestion_passes_and_is_never_lighter(colour: tuple[int, int, int]) -> None:
    verdict = check_accent(colour)
    suggested = parse_hex(verdict.suggestion)
    assert suggested is not None
    assert contrast_ratio(suggested, WHITE) >= MINIMUM_RATIO
    assert all(new <= old for new, old in zip(suggested, colour, strict=True))
    assert luminance(suggested) <= luminance(colour)
    if verdict.passes:
        assert verdict.suggestion == to_hex(colour) and verdict.message() == ""
    else:
        assert verdict.ratio < MINIMUM_RATIO


@given(colours)
def test_the_suggestion_is_the_nearest_passing_shade(colour: tuple[int, int, int]) -> None:
    shade = darker_passing(colour)
    # Every lighter shade on the way from the colour towards black fails.
    for step in range(256):
        scale = 1 - step / 255
        candidate = tuple(round(c * scale) for c in colour)
        if candidate == shade:
            break
        assert contrast_ratio(candidate, WHITE) < MINIMUM_RATIO
    else:
        assert shade == (0, 0, 0)


@given(colours)
def test_hex_round_trip(colour: tuple[int, int, int]) -> None:
    assert parse_hex(to_hex(colour)) == colour
    assert parse_hex(to_hex(colour).lower()) == colour
