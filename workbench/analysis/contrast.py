"""Colour contrast by the WCAG 2 formula, and the accent colour check built on it.

The storyboard draws its accent behind white text (the cover band, the page rule) and as
the colour of headings on the white page, so an accent must reach 4.5:1 against white.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")

# WCAG 2 level AA for normal text.
MINIMUM_RATIO = 4.5
WHITE = (255, 255, 255)

Rgb = tuple[int, int, int]


def parse_hex(text: str) -> Rgb | None:
    """Return the colour of "#RRGGBB" (the hash optional), or None when it is not one."""
    found = _HEX.fullmatch(text.strip())
    if found is None:
        return None
    value = found.group(1)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def to_hex(colour: Rgb) -> str:
    """Return a colour as "#RRGGBB" in capitals."""
    return "#{:02X}{:02X}{:02X}".format(*colour)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: Rgb) -> float:
    """Return the relative luminance of a colour (0 for black, 1 for white)."""
    red, green, blue = (_linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Rgb, second: Rgb) -> float:
    """Return the WCAG 2 contrast ratio of two colours, from 1 (none) to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darker_passing(colour: Rgb, against: Rgb = WHITE, minimum: float = MINIMUM_RATIO) -> Rgb:
    """Return the nearest shade of the colour, darkened towards black, that passes `minimum`.

    The colour is scaled towards black in steps of 1/255, so its hue is kept; black itself
    passes against white, so a shade is always found.
    """
    for step in range(256):
        scale = 1 - step / 255
        shade = (
            round(colour[0] * scale),
            round(colour[1] * scale),
            round(colour[2] * scale),
        )
        if contrast_ratio(shade, against) >= minimum:
            return shade
    return (0, 0, 0)


@dataclass(frozen=True)
class AccentCheck:
    """The verdict on an accent colour: its ratio against white and a passing shade."""

    colour: str
    ratio: float
    passes: bool
    suggestion: str

    def message(self) -> str:
        """Explain a refusal in a sentence (empty when the colour passes)."""
        if self.passes:
            return ""
        # Rounded down: a refused colour never reads as reaching the minimum.
        shown = math.floor(self.ratio * 100) / 100
        return (
            f"{self.colour} against white reaches only {shown:.2f}:1; headings and the "
            f"white text on the cover band need at least {MINIMUM_RATIO:g}:1. "
            f"The nearest darker shade that passes is {self.suggestion}."
        )


def check_accent(colour: Rgb) -> AccentCheck:
    """Check an accent colour against white text on it and against the white page."""
    ratio = contrast_ratio(colour, WHITE)
    passes = ratio >= MINIMUM_RATIO
    suggestion = to_hex(colour if passes else darker_passing(colour))
    return AccentCheck(to_hex(colour), ratio, passes, suggestion)
