"""Prevent or recover: one stacked bar of budget by approach per row (overall, each objective)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.charts.finance import compact_amount
from workbench.charts.plots import PRIMARY
from workbench.charts.svg import GRID, MUTED, TEXT, Svg, nice_ticks, text_width, wrap_to

RECOVER_COLOUR = "#b5651d"
UNSET_COLOUR = "#9aa7a9"
# Prevent, recover, not chosen: the order of the segments within a bar and of the legend.
SEGMENTS = (("Prevent", PRIMARY), ("Recover", RECOVER_COLOUR), ("Not chosen", UNSET_COLOUR))

WIDTH = 640.0
LABEL_ROOM = 230.0
ROW = 30.0
BAR = 18.0
SIZE = 12.0
TOP = 40.0


def approach_chart(rows: Sequence[tuple[str, float, float, float]], currency: str) -> Svg:
    """Stacked bars of budget (prevent, recover, not chosen) per labelled row, in the currency.

    The first row is drawn as the total and set apart by a rule; labels wrap onto two lines
    and keep their full text as a tooltip; each bar ends with its total amount.
    """
    totals = [max(p, 0.0) + max(r, 0.0) + max(u, 0.0) for _label, p, r, u in rows]
    ticks = nice_ticks(0.0, max([0.0, *totals]), 5)
    tick_labels = [compact_amount(tick) for tick in ticks]
    bar_labels = [compact_amount(total) for total in totals]
    # Room on the right for the widest total beside its bar and half the last tick label.
    right_room = max(
        [text_width(label, SIZE) + 10 for label in bar_labels]
        + [text_width(tick_labels[-1], 11) / 2 + 4]
    )
    # The plot's right edge sits on the 0.1 grid the drawing is written in, so a bar's
    # rounded end never passes it.
    left, right = LABEL_ROOM, math.floor((WIDTH - right_room) * 10) / 10
    bottom = TOP + ROW * len(rows)
    svg = Svg(WIDTH, bottom + 46, f"Budget of the active initiatives by approach, {currency}")
    svg.plot = (left, TOP - 6, right, bottom)
    high = ticks[-1] or 1.0

    def x_of(value: float) -> float:
        return left + (right - left) * min(max(value, 0.0), high) / high

    for tick, label in zip(ticks, tick_labels, strict=True):
        svg.line(x_of(tick), TOP - 6, x_of(tick), bottom, stroke=GRID, stroke_width=0.6)
        svg.text(x_of(tick), bottom + 15, label, anchor="middle", fill=MUTED)
    svg.text(left, bottom + 36, f"Budget, {currency}", size=SIZE, fill=MUTED)
    x = 8.0
    for name, colour in SEGMENTS:
        svg.add("rect", x=x, y=12, width=12, height=12, fill=colour)
        svg.text(x + 17, 22, name, size=SIZE, fill=MUTED)
        x += 17 + text_width(name, SIZE) + 16
    for index, ((label, *amounts), total) in enumerate(zip(rows, totals, strict=True)):
        y = TOP + ROW * index + (ROW - BAR) / 2
        lines = wrap_to(label, LABEL_ROOM - 18, SIZE, 2)
        for number, line in enumerate(lines):
            offset = BAR / 2 + 4 + 14 * (number - (len(lines) - 1) / 2)
            svg.text(
                left - 8, y + offset, line, anchor="end", size=SIZE, bold=index == 0, tooltip=label
            )
        start = 0.0
        for amount, (_name, colour) in zip(amounts, SEGMENTS, strict=True):
            # Both ends rounded as they will be written: the segments then meet exactly.
            begin, end = round(x_of(start), 1), round(x_of(start + max(amount, 0.0)), 1)
            if end > begin:
                svg.add("rect", x=begin, y=y, width=end - begin, height=BAR, fill=colour)
            start += max(amount, 0.0)
        svg.text(x_of(total) + 5, y + BAR / 2 + 4, bar_labels[index], size=SIZE, fill=TEXT)
    if len(rows) > 1:
        svg.line(8, TOP + ROW, right, TOP + ROW, stroke=TEXT, stroke_width=0.6)
    svg.line(left, TOP - 6, left, bottom, stroke=TEXT, stroke_width=0.8)
    return svg
