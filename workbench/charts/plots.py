"""The charts of the app and the storyboard, written as lean SVG (see svg.py).

Each chart is a few dozen shapes with its labels as text, so it stays sharp in print,
its words can be searched, and equal data gives byte-identical output.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from workbench.charts.svg import (
    GRID,
    MUTED,
    TEXT,
    Svg,
    month_ticks,
    nice_ticks,
    shorten,
    tick_label,
    wrap,
)

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
) -> None:
    """Draw colour swatches with their names in one row starting at x."""
    for colour, label in entries:
        svg.add("rect", x=x, y=y - size * 0.8, width=size, height=size, fill=colour)
        svg.text(x + size * 1.4, y + 1, label, size=size, fill=MUTED)
        x += size * 2.6 + size * 0.6 * len(label)


def radar_chart(labels: Sequence[str], scores: Sequence[float | None]) -> Svg:
    """Draw dimension scores (0-100) around a circle; unanswered dimensions plot as 0."""
    values = [float(s) if s is not None else 0.0 for s in scores]
    if len(labels) < 3:
        return _score_bars(labels, values)
    svg = Svg(580, 440, "Readiness by dimension, 0 to 100")
    cx, cy, radius = 290.0, 222.0, 130.0
    angles = [-math.pi / 2 + 2 * math.pi * i / len(labels) for i in range(len(labels))]

    def at(angle: float, value: float) -> tuple[float, float]:
        return cx + math.cos(angle) * radius * value / 100, cy + math.sin(
            angle
        ) * radius * value / 100

    for ring in (25, 50, 75, 100):
        svg.polygon([at(a, ring) for a in angles], fill="none", stroke=GRID, stroke_width=0.8)
        svg.text(cx + 3, cy - radius * ring / 100 + 12, str(ring), size=11, fill=MUTED)
    for angle in angles:
        svg.line(cx, cy, *at(angle, 100), stroke=GRID, stroke_width=0.8)
    shape = [at(a, v) for a, v in zip(angles, values, strict=True)]
    svg.polygon(shape, fill=PRIMARY_TINT, fill_opacity=0.55, stroke=PRIMARY, stroke_width=2)
    for x, y in shape:
        svg.add("circle", cx=x, cy=y, r=3, fill=PRIMARY)
    for angle, label, value in zip(angles, labels, values, strict=True):
        x, y = at(angle, 116)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = wrap(f"{label} ({value:.0f})", 16)
        y -= 8 * (len(lines) - 1) if math.sin(angle) < 0.3 else 0
        for number, line in enumerate(lines):
            svg.text(x, y + 5 + 16 * number, line, anchor=anchor, size=14)
    return svg


def _score_bars(labels: Sequence[str], values: Sequence[float]) -> Svg:
    """Plain bars on the 0-100 scale, for fewer than three dimensions."""
    svg = Svg(440, 40 + 34 * len(labels), "Readiness by dimension, 0 to 100")
    left, width = 150.0, 260.0
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 20 + row * 34
        svg.text(left - 8, y + 16, shorten(label, 18), anchor="end", size=13)
        svg.add("rect", x=left, y=y, width=width, height=22, fill="#eef3f3")
        svg.add("rect", x=left, y=y, width=width * value / 100, height=22, fill=PRIMARY)
        svg.text(left + width * value / 100 + 4, y + 16, f"{value:.0f}", size=13)
    return svg


def balance_chart(categories: Sequence[str], sums: Mapping[str, Sequence[int]]) -> Svg:
    """Draw importance sums per category: drivers and enablers right, barriers left."""
    count = len(categories)
    drivers = list(sums.get("driver", [0] * count))
    enablers = list(sums.get("enabler", [0] * count))
    barriers = list(sums.get("barrier", [0] * count))
    widest = max([1, *(d + e for d, e in zip(drivers, enablers, strict=True)), *barriers])
    svg = Svg(560, 80 + 40 * count, "Summed importance of drivers and enablers against barriers")
    left, right = 200.0, 545.0
    zero = (left + right) / 2
    scale = (right - zero - 22) / widest
    _legend(
        svg,
        left,
        16,
        [(PRIMARY, "Drivers"), (ENABLER, "Enablers"), (DANGER, "Barriers")],
    )
    for row, category in enumerate(categories):
        y = 38 + row * 40
        svg.text(left - 10, y + 18, shorten(category, 24), anchor="end", size=14)
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
            svg.text(zero + pushing * scale + 5, y + 18, str(pushing), size=13, fill=MUTED)
        if barriers[row]:
            svg.text(
                zero - barriers[row] * scale - 5,
                y + 18,
                str(barriers[row]),
                anchor="end",
                size=13,
                fill=MUTED,
            )
    bottom = 34 + count * 40
    svg.line(zero, 30, zero, bottom, stroke=TEXT, stroke_width=0.8)
    svg.text(zero - 6, bottom + 22, "barriers", anchor="end", size=12, fill=MUTED)
    svg.text(zero + 6, bottom + 22, "drivers and enablers", size=12, fill=MUTED)
    return svg


def _date_scale(first: date, last: date, left: float, right: float) -> Callable[[date], float]:
    """Map dates between first and last onto left..right."""
    span = max((last - first).days, 1)
    return lambda day: left + (right - left) * (day - first).days / span


def timeline_chart(items: Sequence[tuple[str, date, date, str]]) -> Svg:
    """Draw initiatives as bars from start to end date, coloured by status."""
    ordered = sorted(items, key=lambda item: (item[1], item[2], item[0]))
    first = min(item[1] for item in ordered)
    last = max(item[2] for item in ordered)
    left, right = 250.0, 780.0
    height = 64 + 22 * len(ordered)
    svg = Svg(800, height, "Initiatives from start to end date, coloured by status")
    x_of = _date_scale(first, last, left, right)
    bottom = 32 + 22 * len(ordered)
    for tick in month_ticks(first, last):
        x = x_of(tick)
        svg.line(x, 24, x, bottom, stroke=GRID, stroke_width=0.6)
        svg.text(x, bottom + 16, tick.strftime("%b %Y"), anchor="middle", size=11, fill=MUTED)
    for row, (title, start, end, status) in enumerate(ordered):
        y = 32 + row * 22
        svg.text(left - 8, y + 13, shorten(title, 38), anchor="end", size=11)
        svg.add(
            "rect",
            x=x_of(start),
            y=y + 2,
            width=max(x_of(end) - x_of(start), 2.0),
            height=13,
            rx=2,
            fill=STATUS_COLOURS.get(status, "#9aa7a9"),
        )
    used = [s for s in STATUS_COLOURS if any(item[3] == s for item in ordered)]
    _legend(svg, left, 16, [(STATUS_COLOURS[s], STATUS_LABELS[s]) for s in used], size=11)
    return svg


def trend_chart(
    points: Sequence[tuple[date, float]],
    baseline: tuple[date, float] | None,
    target: tuple[date, float] | None,
    forecast_line: Sequence[tuple[date, float]] | None,
    unit: str,
    today: date,
) -> Svg:
    """Draw measurements over time with the baseline, the target and the forecast to it."""
    svg = Svg(480, 280, f"Measurements over time ({unit or 'value'}) against the target")
    left, right, top, bottom = 58.0, 468.0, 62.0, 244.0
    marks = [*points, *([baseline] if baseline else []), *([target] if target else [])]
    marks += list(forecast_line or [])
    days = [day for day, _ in marks] + [today]
    values = [value for _, value in marks] or [0.0]
    first, last = min(days), max(days)
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    x_of = _date_scale(first, last, left, right)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value - low) / (high - low)

    for tick in ticks:
        svg.line(left, y_of(tick), right, y_of(tick), stroke=GRID, stroke_width=0.6)
        svg.text(left - 6, y_of(tick) + 4, tick_label(tick), anchor="end", size=12, fill=MUTED)
    for month in month_ticks(first, last, 5):
        svg.text(
            x_of(month), bottom + 18, month.strftime("%b %y"), anchor="middle", size=12, fill=MUTED
        )
    svg.line(left, bottom, right, bottom, stroke=TEXT, stroke_width=0.8)
    svg.line(x_of(today), top, x_of(today), bottom, stroke=GRID, stroke_width=1.2)
    legend = []
    if target:
        svg.line(
            left,
            y_of(target[1]),
            right,
            y_of(target[1]),
            stroke=ENABLER,
            stroke_width=1.2,
            stroke_dasharray="5 3",
        )
        x, y = x_of(target[0]), y_of(target[1])
        star = [
            (
                x + r * math.cos(math.pi / 2 + i * math.pi / 5),
                y - r * math.sin(math.pi / 2 + i * math.pi / 5),
            )
            for i, r in enumerate([7.0, 3.0] * 5)
        ]
        svg.polygon(star, fill=ENABLER)
        legend.append((ENABLER, "Target"))
    if forecast_line:
        svg.polyline(
            [(x_of(d), y_of(v)) for d, v in forecast_line],
            stroke=DANGER,
            stroke_width=1.5,
            stroke_dasharray="2 3",
        )
        legend.append((DANGER, "Forecast"))
    if points:
        line = [(x_of(d), y_of(v)) for d, v in points]
        svg.polyline(line, stroke=PRIMARY, stroke_width=1.8)
        for x, y in line:
            svg.add("circle", cx=x, cy=y, r=2.6, fill=PRIMARY)
        legend.insert(0, (PRIMARY, "Measured"))
    if baseline:
        x, y = x_of(baseline[0]), y_of(baseline[1])
        svg.add("rect", x=x - 4, y=y - 4, width=8, height=8, fill=MUTED)
        legend.append((MUTED, "Baseline"))
    svg.text(4, 40, shorten(unit or "value", 24), size=12, fill=MUTED)
    _legend(svg, 4, 18, legend)
    return svg


def radar_svg(labels: Sequence[str], scores: Sequence[float | None]) -> str:
    """The readiness radar as an SVG document."""
    return radar_chart(labels, scores).render()


def balance_svg(categories: Sequence[str], sums: Mapping[str, Sequence[int]]) -> str:
    """The driver/enabler/barrier balance as an SVG document."""
    return balance_chart(categories, sums).render()


def timeline_svg(items: Sequence[tuple[str, date, date, str]]) -> str:
    """The initiative timeline as an SVG document."""
    return timeline_chart(items).render()


def trend_svg(
    points: Sequence[tuple[date, float]],
    baseline: tuple[date, float] | None,
    target: tuple[date, float] | None,
    forecast_line: Sequence[tuple[date, float]] | None,
    unit: str,
    today: date,
) -> str:
    """A metric's trend as an SVG document."""
    return trend_chart(points, baseline, target, forecast_line, unit, today).render()
