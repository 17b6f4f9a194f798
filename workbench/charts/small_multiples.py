"""Small multiples: one small line chart per site, all on the same scales so they compare.

Each panel draws one site's readings over time with the metric's target as a dashed level;
the value axis and the dates are shared by every panel, so a line higher in its panel is a
higher value, whichever panel it is in. A panel with a note (a site whose readings have
stopped: "No recent data since ...") says so under its title and draws its line muted,
so an old figure is not read as today's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from workbench.charts.svg import GRID, MUTED, TEXT, Svg, shorten, tick_label, value_axis
from workbench.charts.trend import DANGER, ENABLER, PRIMARY

PANEL_WIDTH, PANEL_HEIGHT = 200.0, 120.0
COLUMNS = 3
GAP = 14.0
LEFT_ROOM = 40.0
TITLE_ROOM = 20.0
NOTE_ROOM = 13.0  # a second title line, given to every panel when any panel has a note
BOTTOM_ROOM = 18.0
NAME_CHARACTERS = 28
NOTE_CHARACTERS = 34  # at size 10: "No recent data since 30 Sep 2026" fits
INSET = 5.0  # room inside a panel's edge for a marker drawn on the first or last value


@dataclass(frozen=True)
class Panel:
    """One site's readings, oldest first, and an optional warning under its title."""

    title: str
    points: Sequence[tuple[date, float]]
    note: str = ""


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
    noted = any(panel.note for panel in panels)
    title_room = TITLE_ROOM + (NOTE_ROOM if noted else 0.0)
    panel_height = PANEL_HEIGHT + (NOTE_ROOM if noted else 0.0)
    width = LEFT_ROOM + columns * (PANEL_WIDTH + GAP)
    height = 24 + rows * (panel_height + GAP)
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
        top = 24 + row * (panel_height + GAP) + title_room
        right = left + PANEL_WIDTH
        bottom = top + panel_height - title_room - BOTTOM_ROOM

        def x_of(day: date, left: float = left, right: float = right) -> float:
            return left + INSET + (right - left - 2 * INSET) * (day.toordinal() - first) / span

        def y_of(value: float, top: float = top, bottom: float = bottom) -> float:
            return bottom - INSET - (bottom - top - 2 * INSET) * (value - low) / (high - low)

        title_y = top - 6 - (NOTE_ROOM if noted else 0.0)
        svg.text(left, title_y, shorten(panel.title, NAME_CHARACTERS), size=11, fill=TEXT)
        if panel.note:
            svg.text(left, top - 6, shorten(panel.note, NOTE_CHARACTERS), size=10, fill=DANGER)
        colour = MUTED if panel.note else PRIMARY
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
            svg.polyline(line, stroke=colour, stroke_width=1.5)
        for x, y in line:
            svg.add("circle", cx=x, cy=y, r=2.2, fill=colour)
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
