"""Charts of the business case: the yearly cash flow and the tornado of the uncertain inputs."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.charts.plots import DANGER, PRIMARY, PRIMARY_TINT
from workbench.charts.svg import GRID, MUTED, TEXT, Svg, nice_ticks, text_width


def compact_amount(value: float) -> str:
    """An amount short enough for a chart label: 950, 12.5k, 1.3m (the sign kept)."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000:
        return f"{sign}{size / 1_000_000:,.1f}m"
    if size >= 10_000:
        return f"{sign}{size / 1_000:,.0f}k"
    if size >= 1_000:
        return f"{sign}{size / 1_000:,.1f}k"
    return f"{sign}{size:,.0f}"


def cash_flow_chart(
    years: Sequence[int], nets: Sequence[float], cumulative: Sequence[float], currency: str
) -> Svg:
    """Bars of each year's net cash flow and a line of the cumulative net, in the currency."""
    svg = Svg(620, 300, f"Net cash flow a year and cumulative, {currency}")
    left, right, top, bottom = 70.0, 600.0, 40.0, 260.0
    svg.plot = (left, top, right, bottom)
    ticks = nice_ticks(min(0.0, *nets, *cumulative), max(0.0, *nets, *cumulative))
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    for tick in ticks:
        svg.line(left, y_of(tick), right, y_of(tick), stroke=GRID, stroke_width=0.6)
        svg.text(left - 6, y_of(tick) + 4, compact_amount(tick), anchor="end", fill=MUTED)
    svg.line(left, y_of(0), right, y_of(0), stroke=TEXT, stroke_width=1)
    # The amounts' unit heads the column of tick labels.
    svg.text(left - 6, top - 8, currency, anchor="end", size=11, fill=MUTED)
    slot = (right - left) / max(len(years), 1)
    points: list[tuple[float, float]] = []
    for index, (year, net, running) in enumerate(zip(years, nets, cumulative, strict=True)):
        centre = left + slot * (index + 0.5)
        width = slot * 0.5
        y0, y1 = sorted((y_of(0), y_of(net)))
        svg.add(
            "rect",
            x=centre - width / 2,
            y=y0,
            width=width,
            height=max(y1 - y0, 0.5),
            fill=PRIMARY if net >= 0 else DANGER,
        )
        svg.text(centre, bottom + 18, str(year), anchor="middle", size=12)
        points.append((centre, y_of(running)))
    if points:
        svg.polyline(points, stroke=TEXT, stroke_width=2)
        for x, y in points:
            svg.add("circle", cx=x, cy=y, r=3.5, fill=TEXT)
    svg.add("rect", x=left, y=12, width=12, height=12, fill=PRIMARY)
    svg.text(left + 17, 22, "Net gain in the year", size=12, fill=MUTED)
    svg.add("rect", x=left + 160, y=12, width=12, height=12, fill=DANGER)
    svg.text(left + 177, 22, "Net loss in the year", size=12, fill=MUTED)
    svg.line(left + 320, 18, left + 340, 18, stroke=TEXT, stroke_width=2)
    svg.text(left + 345, 22, "Cumulative net", size=12, fill=MUTED)
    return svg


def tornado_chart(
    labels: Sequence[str],
    base: float,
    at_low: Sequence[float],
    at_high: Sequence[float],
    currency: str,
) -> Svg:
    """Bars of the NPV at each input's low and high value around the base NPV, widest first."""
    label_room = 210.0
    svg = Svg(620, 70 + 42 * len(labels), f"How far each uncertain input moves the NPV, {currency}")
    left, right, top = label_room, 600.0, 44.0
    bottom = top + 42 * len(labels)
    svg.plot = (left, top, right, bottom)
    ticks = nice_ticks(min(base, *at_low, *at_high), max(base, *at_low, *at_high), 4)
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    for tick in ticks:
        svg.line(x_of(tick), top - 4, x_of(tick), bottom, stroke=GRID, stroke_width=0.6)
        svg.text(x_of(tick), bottom + 16, compact_amount(tick), anchor="middle", fill=MUTED)
    # The amounts' unit stands left of the tick labels, clear of the first one.
    svg.text(left - 26, bottom + 16, f"NPV, {currency}", anchor="end", fill=MUTED)
    for row, (label, npv_low, npv_high) in enumerate(zip(labels, at_low, at_high, strict=True)):
        y = top + 42 * row + 8
        for line_number, part in enumerate(_two_lines(label, label_room - 14)):
            svg.text(left - 8, y + 11 + 13 * line_number, part, anchor="end", size=12)
        for value, fill in ((npv_low, PRIMARY_TINT), (npv_high, PRIMARY)):
            x0, x1 = sorted((x_of(base), x_of(value)))
            svg.add("rect", x=x0, y=y, width=max(x1 - x0, 0.5), height=22, fill=fill)
    svg.line(x_of(base), top - 8, x_of(base), bottom, stroke=TEXT, stroke_width=1.2)
    svg.text(x_of(base), top - 12, f"Base NPV {compact_amount(base)}", anchor="middle", size=12)
    svg.add("rect", x=left - label_room + 10, y=8, width=12, height=12, fill=PRIMARY_TINT)
    svg.text(left - label_room + 27, 18, "At the low value", size=12, fill=MUTED)
    svg.add("rect", x=left - label_room + 150, y=8, width=12, height=12, fill=PRIMARY)
    svg.text(left - label_room + 167, 18, "At the high value", size=12, fill=MUTED)
    return svg


def _two_lines(label: str, room: float) -> list[str]:
    """Split a label over at most two lines that fit the room at 12 px."""
    words = label.split()
    first: list[str] = []
    while words and text_width(" ".join([*first, words[0]]), 12) <= room:
        first.append(words.pop(0))
    return [" ".join(first), " ".join(words)] if words else [" ".join(first)]
