"""Charts PowerPoint has no native kind for, drawn by `workbench.charts` and rasterised."""

from __future__ import annotations

from typing import Any

import cairosvg

from workbench.storyboard.render import chart_svg

# Pictures are drawn about as wide as a full-HD screen, so they stay sharp when projected.
PIXEL_WIDTH = 1800


def chart_png(kind: str, data: Any, alt: str) -> bytes:
    """The storyboard's SVG chart of `kind` as a PNG picture (no external reference is read)."""
    return svg_png(chart_svg(kind, data, alt))


def svg_png(svg: str) -> bytes:
    """SVG markup as a PNG picture PIXEL_WIDTH wide on white (no external reference is read)."""
    png = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"),
        output_width=PIXEL_WIDTH,
        background_color="white",
        unsafe=False,
    )
    return bytes(png)
