"""A metric's trend: measurements, baseline, target, the forecast to the target date, today.

The value axis is chosen from everything drawn, so no mark ever falls outside the plot; a
forecast that would cross one of the metric's bounds (100% for a percentage, say) stops
where it meets the bound, because the metric cannot go further.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from workbench.charts.svg import (
    GRID,
    MUTED,
    TEXT,
    Svg,
    month_ticks,
    text_width,
    tick_label,
    value_axis,
    wrap_to,
)

PRIMARY = "#0f5c63"
DANGER = "#b42318"
ENABLER = "#3a8d5b"

WIDTH, HEIGHT = 480.0, 290.0
TOP, BOTTOM = 66.0, 252.0
INSET = 9.0  # room inside the plot edge for markers drawn on the first or last value
TICK_SIZE = 12.0
MAX_TICK_WIDTH = 150.0

UNIT_LABELS = {
    "percent": "%",
    "score": "points",
    "minutes": "minutes",
    "hours": "hours",
    "count": "count",
    "stars": "stars",
    "ratio": "ratio",
}


def unit_label(unit: str | None, currency: str) -> str:
    """The unit as a reader knows it: the workspace's currency code for money, % for percent."""
    if not unit:
        return ""
    if unit == "currency":
        return currency
    return UNIT_LABELS.get(unit, unit)


@dataclass(frozen=True)
class Trend:
    """Everything a trend chart draws; dates and values as recorded."""

    points: Sequence[tuple[date, float]]
    baseline: tuple[date, float] | None
    target: tuple[date, float] | None
    forecast: Sequence[tuple[date, float]] | None
    unit: str
    today: date
    lowest: float | None = None
    highest: float | None = None


def _clip_to_bounds(
    line: Sequence[tuple[date, float]], lowest: float | None, highest: float | None
) -> list[tuple[date, float]]:
    """End a straight forecast where it reaches a bound the metric cannot pass."""
    if len(line) < 2:
        return list(line)
    (d1, v1), (d2, v2) = line[0], line[-1]
    for bound, beyond in ((highest, v2 > (highest or 0)), (lowest, v2 < (lowest or 0))):
        if bound is None or not beyond or v1 == v2:
            continue
        share = min(max((bound - v1) / (v2 - v1), 0.0), 1.0)
        end = d1.toordinal() + round((d2.toordinal() - d1.toordinal()) * share)
        return [(d1, v1), (date.fromordinal(end), bound)]
    return [(d1, v1), (d2, v2)]


def trend_chart(trend: Trend) -> Svg:
    """Draw measurements over time with the baseline, the target, the forecast and today."""
    unit = trend.unit
    svg = Svg(WIDTH, HEIGHT, f"Measurements over time ({unit or 'value'}) against the target")
    forecast = _clip_to_bounds(trend.forecast or [], trend.lowest, trend.highest)
    marks = [*trend.points, *forecast]
    marks += [mark for mark in (trend.baseline, trend.target) if mark]
    low, high, ticks = value_axis([v for _, v in marks], trend.lowest, trend.highest)
    step = min((b - a for a, b in pairwise(ticks)), default=1.0) or 1.0
    labels = [tick_label(tick, step) for tick in ticks]
    if max(text_width(label, TICK_SIZE) for label in labels) > MAX_TICK_WIDTH:
        # Values far from zero that differ only in late digits: six significant figures.
        labels = [f"{tick:,.6g}" for tick in ticks]
    left = max(46.0, 12 + max(text_width(label, TICK_SIZE) for label in labels))
    right = WIDTH - 34
    svg.plot = (left, TOP, right, BOTTOM)
    days = [day.toordinal() for day, _ in marks] + [trend.today.toordinal()]
    first, last = min(days), max(days)
    span = max(last - first, 1)

    def x_of(day: date) -> float:
        return left + INSET + (right - left - 2 * INSET) * (day.toordinal() - first) / span

    def y_of(value: float) -> float:
        return BOTTOM - INSET - (BOTTOM - TOP - 2 * INSET) * (value - low) / (high - low)

    for tick, label in zip(ticks, labels, strict=True):
        svg.line(left, y_of(tick), right, y_of(tick), stroke=GRID, stroke_width=0.6)
        svg.text(left - 6, y_of(tick) + 4, label, anchor="end", size=TICK_SIZE, fill=MUTED)
    for month in month_ticks(date.fromordinal(first), date.fromordinal(last), 5):
        svg.text(
            x_of(month), BOTTOM + 18, month.strftime("%b %y"), anchor="middle", size=12, fill=MUTED
        )
    svg.line(left, BOTTOM, right, BOTTOM, stroke=TEXT, stroke_width=0.8)
    _today(svg, x_of(trend.today), left, right)
    legend: list[tuple[str, str]] = []
    if trend.points:
        legend.append((PRIMARY, "Measured"))
    if trend.target:
        _target(svg, x_of(trend.target[0]), y_of(trend.target[1]), left, right)
        legend.append((ENABLER, "Target"))
    if len(forecast) >= 2:
        svg.polyline(
            [(x_of(d), y_of(v)) for d, v in forecast],
            stroke=DANGER,
            stroke_width=1.5,
            stroke_dasharray="4 3",
        )
        legend.append((DANGER, "Forecast"))
    if trend.points:
        line = [(x_of(d), y_of(v)) for d, v in trend.points]
        svg.polyline(line, stroke=PRIMARY, stroke_width=1.8)
        for x, y in line:
            svg.add("circle", cx=x, cy=y, r=2.6, fill=PRIMARY)
    if trend.baseline:
        x, y = x_of(trend.baseline[0]), y_of(trend.baseline[1])
        svg.add("rect", x=x - 4, y=y - 4, width=8, height=8, fill=MUTED)
        legend.append((MUTED, "Baseline"))
    unit_lines = wrap_to(unit or "value", WIDTH - 8, 12, 1)
    svg.text(4, 44, unit_lines[0], size=12, fill=MUTED, tooltip=unit)
    _legend(svg, 4, 18, legend)
    return svg


def _today(svg: Svg, x: float, left: float, right: float) -> None:
    """A dotted line at today's date, labelled just above the plot where no data can hide it."""
    svg.line(x, TOP, x, BOTTOM, stroke=MUTED, stroke_width=1, stroke_dasharray="1 2")
    width = text_width("Today", 11)
    # Centred on the line, moved sideways when that would leave the plot's width.
    centre = min(max(x, left + width / 2), right - width / 2)
    svg.text(centre, TOP - 5, "Today", anchor="middle", size=11, fill=MUTED)


def _target(svg: Svg, x: float, y: float, left: float, right: float) -> None:
    """The target as a dashed level across the plot and a star on its date."""
    svg.line(left, y, right, y, stroke=ENABLER, stroke_width=1.2, stroke_dasharray="5 3")
    star = [
        (
            x + r * math.cos(math.pi / 2 + i * math.pi / 5),
            y - r * math.sin(math.pi / 2 + i * math.pi / 5),
        )
        for i, r in enumerate([7.0, 3.0] * 5)
    ]
    svg.polygon(star, fill=ENABLER)


def _legend(svg: Svg, x: float, y: float, entries: Sequence[tuple[str, str]]) -> None:
    """Colour swatches with their names in one row."""
    size = 12.0
    for colour, label in entries:
        svg.add("rect", x=x, y=y - size * 0.8, width=size, height=size, fill=colour)
        svg.text(x + size * 1.4, y + 1, label, size=size, fill=MUTED)
        x += size * 2.4 + text_width(label, size)


def trend_svg(trend: Trend) -> str:
    """A metric's trend as an SVG document."""
    return trend_chart(trend).render()
