"""Small multiples: one small line chart per site, all on the same scales so they compare.

Each panel draws one site's readings over time with the metric's target as a dashed level;
the value axis and the dates are shared by every panel, so a line higher in its panel is a
higher value, whichever panel it is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from workbench.charts.svg import GRID, MUTED, TEXT, Svg, shorten, tick_label, value_axis
from workbench.charts.trend import ENABLER, PRIMARY

PANEL_WIDTH, PANEL_HEIGHT = 200.0, 120.0
COLUMNS = 3
GAP = 14.0
LEFT_ROOM = 40.0
TITLE_ROOM = 20.0
BOTTOM_ROOM = 18.0
NAME_CHARACTERS = 28
INSET = 5.0  # room inside a panel's edge for a marker drawn on the first or last value


@dataclass(frozen=True)
class Panel:
    """One site's readings, oldest first."""

    title: str
    points: Sequence[tuple[date, float]]


def small_multiples_chart(
    panels: Sequence[Panel],
    unit: str,
    target: float | None = None,
    lowest: float | None = None,
    highest: float | None = None,
) -> Svg:
    """Draw one small line per panel on shared value and date scales."""
    columns = max(1, min(COLUMNS, len(panels)))
    rows = max(1, -(-len(panels) // columns))
    width = LEFT_ROOM + columns * (PANEL_WIDTH + GAP)
    height = 24 + rows * (PANEL_HEIGHT + GAP)
    svg = Svg(width, height, f"Each site's measurements over time ({unit or 'value'})")
    values = [v for panel in panels for _, v in panel.points]
    if target is not None:
        values.append(target)
    low, high, ticks = value_axis(values, lowest, highest)
    days = [d.toordinal() for panel in panels for d, _ in panel.points] or [0]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    svg.text(4, 14, unit or "value", size=11, fill=MUTED)
    step = min((b - a for a, b in pairwise(ticks)), default=1.0) or 1.0
    for index, panel in enumerate(panels):
        column, row = index % columns, index // columns
        left = LEFT_ROOM + column * (PANEL_WIDTH + GAP)
        top = 24 + row * (PANEL_HEIGHT + GAP) + TITLE_ROOM
        right = left + PANEL_WIDTH
        bottom = top + PANEL_HEIGHT - TITLE_ROOM - BOTTOM_ROOM

        def x_of(day: date, left: float = left, right: float = right) -> float:
            return left + INSET + (right - left - 2 * INSET) * (day.toordinal() - first) / span

        def y_of(value: float, top: float = top, bottom: float = bottom) -> float:
            return bottom - INSET - (bottom - top - 2 * INSET) * (value - low) / (high - low)

        svg.text(left, top - 6, shorten(panel.title, NAME_CHARACTERS), size=11, fill=TEXT)
        for tick in (ticks[0], ticks[-1]):
            svg.line(left, y_of(tick), right, y_of(tick), stroke=GRID, stroke_width=0.5)
            if column == 0:
                svg.text(
                    left - 4,
                    y_of(tick) + 4,
                    tick_label(tick, step),
                    anchor="end",
                    size=10,
                    fill=MUTED,
                )
        svg.line(left, bottom, right, bottom, stroke=TEXT, stroke_width=0.6)
        if target is not None:
            svg.line(
                left,
                y_of(target),
                right,
                y_of(target),
                stroke=ENABLER,
                stroke_width=1,
                stroke_dasharray="4 3",
            )
        line = [(x_of(d), y_of(v)) for d, v in panel.points]
        if len(line) >= 2:
            svg.polyline(line, stroke=PRIMARY, stroke_width=1.5)
        for x, y in line:
            svg.add("circle", cx=x, cy=y, r=2.2, fill=PRIMARY)
        if not line:
            svg.text(
                (left + right) / 2,
                (top + bottom) / 2,
                "no readings",
                anchor="middle",
                size=10,
                fill=MUTED,
            )
        if panel.points:
            svg.text(
                left, bottom + 13, date.fromordinal(first).strftime("%b %y"), size=10, fill=MUTED
            )
            svg.text(
                right,
                bottom + 13,
                date.fromordinal(last).strftime("%b %y"),
                anchor="end",
                size=10,
                fill=MUTED,
            )
    return svg


def small_multiples_svg(
    panels: Sequence[Panel],
    unit: str,
    target: float | None = None,
    lowest: float | None = None,
    highest: float | None = None,
) -> str:
    """Small multiples as an SVG document."""
    return small_multiples_chart(panels, unit, target, lowest, highest).render()
