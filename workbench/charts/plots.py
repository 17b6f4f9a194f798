"""The charts of the app and the storyboard, written as lean SVG (see svg.py).

Each chart is a few dozen shapes with its labels as text, so it stays sharp in print,
its words can be searched, and equal data gives byte-identical output.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence

from workbench.charts.svg import GRID, MUTED, TEXT, Svg, text_width, wrap_to

PRIMARY = "#0f5c63"
PRIMARY_TINT = "#9cc9cd"
DANGER = "#b42318"
ENABLER = "#3a8d5b"

STATUS_COLOURS = {
    "proposed": "#9aa7a9",
    "approved": PRIMARY_TINT,
    "in_progress": PRIMARY,
    "done": ENABLER,
}
STATUS_LABELS = {
    "proposed": "Proposed",
    "approved": "Approved",
    "in_progress": "In progress",
    "done": "Done",
}


def data_uri(svg: str) -> str:
    """Return an SVG as a data: URI for an <img> (allowed by the content security policy)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _legend(
    svg: Svg, x: float, y: float, entries: Sequence[tuple[str, str]], size: float = 12
) -> float:
    """Draw colour swatches with their names in one row starting at x; return where it ends."""
    for colour, label in entries:
        svg.add("rect", x=x, y=y - size * 0.8, width=size, height=size, fill=colour)
        svg.text(x + size * 1.4, y + 1, label, size=size, fill=MUTED)
        x += size * 2.4 + text_width(label, size)
    return x - size


RADAR_WIDTH, RADAR_HEIGHT = 640.0, 460.0
RADAR_LABEL_SIZE = 15.0


def radar_chart(labels: Sequence[str], scores: Sequence[float | None]) -> Svg:
    """Draw dimension scores (0-100) around a circle; unanswered dimensions plot as 0.

    Each label wraps between words onto up to three lines beside its spoke, and its score
    always follows on the last line; a label too long even for that ends with an ellipsis
    and keeps its full text as a tooltip.
    """
    values = [float(s) if s is not None else 0.0 for s in scores]
    if len(labels) < 3:
        return _score_bars(labels, values)
    svg = Svg(RADAR_WIDTH, RADAR_HEIGHT, "Readiness by dimension, 0 to 100")
    cx, cy, radius = RADAR_WIDTH / 2, RADAR_HEIGHT / 2 + 4, 120.0
    svg.plot = (cx - radius - 4, cy - radius - 4, cx + radius + 4, cy + radius + 4)
    angles = [-math.pi / 2 + 2 * math.pi * i / len(labels) for i in range(len(labels))]

    def at(angle: float, value: float) -> tuple[float, float]:
        return cx + math.cos(angle) * radius * value / 100, cy + math.sin(
            angle
        ) * radius * value / 100

    for ring in (25, 50, 75, 100):
        svg.polygon([at(a, ring) for a in angles], fill="none", stroke=GRID, stroke_width=0.8)
        svg.text(cx + 3, cy - radius * ring / 100 + 13, str(ring), size=12, fill=MUTED)
    for angle in angles:
        svg.line(cx, cy, *at(angle, 100), stroke=GRID, stroke_width=0.8)
    # Scores outside 0-100 are drawn at the rim or the centre, never outside the circle.
    shape = [at(a, min(max(v, 0.0), 100.0)) for a, v in zip(angles, values, strict=True)]
    svg.polygon(shape, fill=PRIMARY_TINT, fill_opacity=0.55, stroke=PRIMARY, stroke_width=2)
    for x, y in shape:
        svg.add("circle", cx=x, cy=y, r=3, fill=PRIMARY)
    for angle, label, value in zip(angles, labels, values, strict=True):
        _radar_label(svg, at(angle, 112), angle, label, value)
    return svg


def _radar_label(
    svg: Svg, point: tuple[float, float], angle: float, label: str, value: float
) -> None:
    """Set one dimension's name and score beside its spoke, wrapped to the room there."""
    x, y = point
    cos, sin = math.cos(angle), math.sin(angle)
    size, line_height = RADAR_LABEL_SIZE, RADAR_LABEL_SIZE * 1.2
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    room = {
        "middle": 2 * min(x, svg.width - x) - 8,
        "start": svg.width - x - 4,
        "end": x - 4,
    }[anchor]
    room = min(room, 190.0)
    score = f"({value:.0f})"
    lines = wrap_to(label, room, size, 3)
    if text_width(f"{lines[-1]} {score}", size) <= room:
        lines[-1] = f"{lines[-1]} {score}".strip()
    else:
        lines.append(score)
    height = line_height * len(lines)
    # Above the centre the block grows upwards, below it downwards, beside it both ways.
    top = y - height if sin < -0.3 else (y if sin > 0.3 else y - height / 2)
    top = min(max(top, 4.0), svg.height - height - 4)
    for number, line in enumerate(lines):
        svg.text(
            x,
            top + size * 0.85 + line_height * number,
            line,
            anchor=anchor,
            size=size,
            tooltip=f"{label} ({value:.0f})",
        )


def _score_bars(labels: Sequence[str], values: Sequence[float]) -> Svg:
    """Plain bars on the 0-100 scale, for fewer than three dimensions."""
    svg = Svg(440, 40 + 40 * len(labels), "Readiness by dimension, 0 to 100")
    left, width = 150.0, 250.0
    svg.plot = (left, 0, left + width, svg.height)
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 20 + row * 40
        shown = min(max(value, 0.0), 100.0)
        lines = wrap_to(label, left - 14, 12, 2)
        for number, line in enumerate(lines):
            offset = 15 + 13 * (number - (len(lines) - 1) / 2)
            svg.text(left - 8, y + offset, line, anchor="end", size=12, tooltip=label)
        svg.add("rect", x=left, y=y, width=width, height=22, fill="#eef3f3")
        svg.add("rect", x=left, y=y, width=width * shown / 100, height=22, fill=PRIMARY)
        svg.text(left + width * shown / 100 + 4, y + 16, f"{value:.0f}", size=13)
    return svg


def balance_chart(categories: Sequence[str], sums: Mapping[str, Sequence[int]]) -> Svg:
    """Draw importance sums per category: drivers and enablers right, barriers left."""
    count = len(categories)
    drivers = list(sums.get("driver", [0] * count))
    enablers = list(sums.get("enabler", [0] * count))
    barriers = list(sums.get("barrier", [0] * count))
    widest = max([1, *(d + e for d, e in zip(drivers, enablers, strict=True)), *barriers])
    svg = Svg(600, 70 + 40 * count, "Summed importance of drivers and enablers against barriers")
    left, right = 215.0, 590.0
    zero = (left + right) / 2
    # Room beyond the longest bar for its number.
    scale = (right - zero - 8 - text_width(f"{widest:,}", 14)) / widest
    svg.plot = (left, 28, right, 34 + count * 40)
    # The legend says which side is which: barriers to the left of the line, the rest right.
    svg.add("rect", x=zero - 14 - 13, y=16 - 10.4, width=13, height=13, fill=DANGER)
    svg.text(zero - 14 - 13 - 5, 17, "Barriers", anchor="end", size=13, fill=MUTED)
    _legend(svg, zero + 14, 16, [(PRIMARY, "Drivers"), (ENABLER, "Enablers")], size=13)
    for row, category in enumerate(categories):
        y = 38 + row * 40
        lines = wrap_to(category, left - 18, 15, 2)
        for number, line in enumerate(lines):
            offset = 18 + 16 * (number - (len(lines) - 1) / 2)
            svg.text(left - 10, y + offset, line, anchor="end", size=15, tooltip=category)
        pushing = drivers[row] + enablers[row]
        svg.add("rect", x=zero, y=y, width=drivers[row] * scale, height=26, fill=PRIMARY)
        svg.add(
            "rect",
            x=zero + drivers[row] * scale,
            y=y,
            width=enablers[row] * scale,
            height=26,
            fill=ENABLER,
        )
        svg.add(
            "rect",
            x=zero - barriers[row] * scale,
            y=y,
            width=barriers[row] * scale,
            height=26,
            fill=DANGER,
        )
        if pushing:
            svg.text(zero + pushing * scale + 5, y + 18, f"{pushing:,}", size=14, fill=MUTED)
        if barriers[row]:
            svg.text(
                zero - barriers[row] * scale - 5,
                y + 18,
                f"{barriers[row]:,}",
                anchor="end",
                size=14,
                fill=MUTED,
            )
    svg.line(zero, 28, zero, 34 + count * 40, stroke=TEXT, stroke_width=0.8)
    return svg


def radar_svg(labels: Sequence[str], scores: Sequence[float | None]) -> str:
    """The readiness radar as an SVG document."""
    return radar_chart(labels, scores).render()


def balance_svg(categories: Sequence[str], sums: Mapping[str, Sequence[int]]) -> str:
    """The driver/enabler/barrier balance as an SVG document."""
    return balance_chart(categories, sums).render()
