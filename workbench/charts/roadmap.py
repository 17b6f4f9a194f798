"""The roadmap as a Gantt chart: one bar per dated initiative, its dependencies and today.

Bars run from the planned start to the planned end, coloured by status; the initiatives on
the critical path are outlined and their names set in bold. An arrow runs from the end of
each prerequisite to the start of the work that waits for it, dashed red when the work is
planned to start before its prerequisite ends. A red dashed line marks today. Everything
is drawn inside the frame whatever the dates and titles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from workbench.charts.plots import DANGER, STATUS_COLOURS, STATUS_LABELS
from workbench.charts.svg import GRID, MUTED, TEXT, Svg, text_width, wrap_to

WIDTH = 820.0
LEFT = 270.0  # the title column ends here and the plot begins
RIGHT = WIDTH - 34.0  # room for a centred tick label at the far right
ROW = 30.0
BAR = 14.0
LEGEND_SIZE = 11.0
CRITICAL_STROKE = 2.0
ARROW = "#3d4a4c"
OTHER_STATUS = "#9aa7a9"
MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120, 240)
MOST_TICKS = 8


@dataclass(frozen=True)
class RoadmapBar:
    """A dated initiative: its key (for the arrows), title, planned dates and status."""

    key: int
    title: str
    start: date
    end: date
    status: str


def long_date(day: date) -> str:
    """A date as a reader writes it, for the chart's description: 4 December 2026."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _months_between(first: date, last: date, step: int) -> list[date]:
    """First days of months inside the range, every `step` months (aligned to the year)."""
    days = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = date(year, month, 1)
        aligned = (month - 1) % min(step, 12) == 0 and (step < 12 or year % (step // 12) == 0)
        if aligned and first <= day <= last:
            days.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return days


def _ticks(first: date, last: date) -> tuple[list[date], list[date], str]:
    """Labelled ticks (months, quarters or years), the finer unlabelled marks between them,
    and how to label the ticks."""
    span = _months(first, last) + 1
    step = next((s for s in MONTH_STEPS if span / s <= MOST_TICKS), MONTH_STEPS[-1])
    # Marks one size finer: months between quarters, quarters between half-years and years.
    finer = {3: 1, 6: 3, 12: 3, 24: 12, 60: 12}.get(step)
    marks = _months_between(first, last, finer) if finer else []
    style = "month" if step in (1, 6) else ("quarter" if step == 3 else "year")
    return _months_between(first, last, step), marks, style


def _tick_label(day: date, style: str) -> str:
    if style == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if style == "year":
        return str(day.year)
    return day.strftime("%b %Y")


def _legend(svg: Svg, entries: Sequence[tuple[str, str, bool]], top: float) -> float:
    """Swatches with names, wrapping onto more lines; return the y below the last line."""
    size = LEGEND_SIZE
    x, y = 8.0, top
    for colour, label, outlined in entries:
        width = size * 2.4 + text_width(label, size)
        if x + width > WIDTH - 8 and x > 8:
            x, y = 8.0, y + size * 1.6
        svg.add(
            "rect",
            x=x + 1,
            y=y - size * 0.8 + 1,
            width=size - 2,
            height=size - 2,
            fill=colour,
            stroke=TEXT if outlined else None,
            stroke_width=CRITICAL_STROKE if outlined else None,
        )
        svg.text(x + size * 1.4, y + 1, label, size=size, fill=MUTED)
        x += width
    return y + size


def roadmap_chart(
    bars: Sequence[RoadmapBar],
    links: Sequence[tuple[int, int]],
    chain: Sequence[int],
    today: date,
) -> Svg:
    """Draw the dated initiatives, their dependencies (prerequisite key, dependant key),
    the critical path (keys in order) and a line for today."""
    ordered = sorted(bars, key=lambda b: (b.start, b.end, b.title, b.key))
    row_of = {bar.key: row for row, bar in enumerate(ordered)}
    critical = set(chain)
    first = min([today, *(min(b.start, b.end) for b in ordered)])
    last = max([today, *(max(b.start, b.end) for b in ordered)])
    used = [s for s in STATUS_COLOURS if any(b.status == s for b in ordered)]
    if any(b.status not in STATUS_COLOURS for b in ordered):
        used.append("other")
    entries = [
        (STATUS_COLOURS.get(s, OTHER_STATUS), STATUS_LABELS.get(s, "Other"), False) for s in used
    ]
    if critical:
        entries.append(("#ffffff", "Critical path (outlined)", True))
    svg = Svg(WIDTH, 0.0, "Roadmap: initiatives from planned start to planned end")
    legend_bottom = _legend(svg, entries, 16.0)
    top = legend_bottom + 24.0  # a line for the today label
    bottom = top + ROW * max(len(ordered), 1)
    svg.height = bottom + 30.0
    svg.plot = (LEFT, top, RIGHT, bottom)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return LEFT + (RIGHT - LEFT) * (day - first).days / span

    _axis(svg, first, last, x_of, top, bottom)
    for row, bar in enumerate(ordered):
        _bar(svg, bar, top + row * ROW, x_of, bar.key in critical)
    middle = top + 8 + BAR / 2  # the middle of the first row's bar
    for prerequisite, dependant in sorted(set(links)):
        if prerequisite not in row_of or dependant not in row_of or prerequisite == dependant:
            continue
        source, target = ordered[row_of[prerequisite]], ordered[row_of[dependant]]
        ends, starts = max(source.start, source.end), min(target.start, target.end)
        _arrow(
            svg,
            (x_of(ends), middle + row_of[prerequisite] * ROW),
            (x_of(starts), middle + row_of[dependant] * ROW),
            starts < ends,
        )
    _today(svg, today, x_of(today), top, bottom)
    svg.description = _describe(ordered, chain, today)
    return svg


def _axis(
    svg: Svg, first: date, last: date, x_of: Callable[[date], float], top: float, bottom: float
) -> None:
    """Gridlines and labels at each month, quarter or year, with finer marks between."""
    ticks, marks, style = _ticks(first, last)
    for mark in marks:
        x = x_of(mark)
        svg.line(x, bottom - 4, x, bottom, stroke=MUTED, stroke_width=0.6)
    for tick in ticks:
        x = x_of(tick)
        svg.line(x, top, x, bottom, stroke=GRID, stroke_width=0.6)
        svg.text(x, bottom + 16, _tick_label(tick, style), anchor="middle", size=11, fill=MUTED)


def _bar(
    svg: Svg, bar: RoadmapBar, y: float, x_of: Callable[[date], float], critical: bool
) -> None:
    """One row: the title beside the plot and the bar from planned start to end."""
    lines = wrap_to(bar.title, LEFT - 16, 10.5, 2)
    for number, line in enumerate(lines):
        offset = 19 + 12 * (number - (len(lines) - 1) / 2)
        svg.text(
            LEFT - 8, y + offset, line, anchor="end", size=10.5, bold=critical, tooltip=bar.title
        )
    begin, finish = sorted((x_of(bar.start), x_of(bar.end)))
    begin = min(begin, RIGHT - 2)  # a bar too short to see is widened, still inside the plot
    svg.add(
        "rect",
        x=begin,
        y=y + 8,
        width=max(finish - begin, 2.0),
        height=BAR,
        rx=2,
        fill=STATUS_COLOURS.get(bar.status, OTHER_STATUS),
        stroke=TEXT if critical else None,
        stroke_width=CRITICAL_STROKE if critical else None,
    )


def _arrow(
    svg: Svg, source: tuple[float, float], target: tuple[float, float], contradicts: bool
) -> None:
    """An elbow from the prerequisite's end (x, y) to the dependant's start (x, y).

    The head always enters the bar from the left; when the work starts before its
    prerequisite ends, the line turns back along the gap beside the dependant's row.
    """
    (x1, y1), (x2, y2) = source, target
    x2 = max(x2, LEFT + 9)
    elbow = min(max(x1 + 5, LEFT), RIGHT)
    approach = x2 - 8
    points = [(x1, y1), (elbow, y1)]
    if elbow <= approach:
        points += [(elbow, y2), (approach, y2)]
    else:
        gap = y2 - BAR / 2 - 4 if y1 < y2 else y2 + BAR / 2 + 4
        points += [(elbow, gap), (approach, gap), (approach, y2)]
    colour = DANGER if contradicts else ARROW
    svg.polyline(
        [*points, (x2 - 5, y2)],
        stroke=colour,
        stroke_width=1,
        stroke_dasharray="3 2" if contradicts else None,
    )
    svg.polygon([(x2, y2), (x2 - 6, y2 - 3.5), (x2 - 6, y2 + 3.5)], fill=colour)


def _today(svg: Svg, today: date, x: float, top: float, bottom: float) -> None:
    """A labelled dashed line at today's date, the label kept on the canvas."""
    svg.line(x, top, x, bottom, stroke=DANGER, stroke_width=1.2, stroke_dasharray="4 3")
    label = f"Today, {today.day} {today.strftime('%b %Y')}"
    width = text_width(label, 11)
    anchor = "middle"
    if x - width / 2 < 4:
        anchor = "start"
    elif x + width / 2 > WIDTH - 4:
        anchor = "end"
    svg.text(x, top - 8, label, anchor=anchor, size=11, fill=DANGER, bold=True)


def _describe(ordered: Sequence[RoadmapBar], chain: Sequence[int], today: date) -> str:
    """The chart in sentences: what the bars are, the critical path and today."""
    titles = {bar.key: bar.title for bar in ordered}
    text = (
        f"{len(ordered)} initiative{'s' if len(ordered) != 1 else ''}, each drawn from its "
        "planned start to its planned end and coloured by status. Arrows run from the end of "
        "a prerequisite to the start of the work that waits for it."
    )
    named = [titles[key] for key in chain if key in titles]
    if named:
        ends = max(max(bar.start, bar.end) for bar in ordered if bar.key == chain[-1])
        text += (
            f" The critical path, outlined, runs through {', then '.join(named)}, and ends on "
            f"{long_date(ends)}."
        )
    return text + f" The dashed red line marks today, {long_date(today)}."


def roadmap_svg(
    bars: Sequence[RoadmapBar],
    links: Sequence[tuple[int, int]],
    chain: Sequence[int],
    today: date,
) -> str:
    """The roadmap chart as an SVG document."""
    return roadmap_chart(bars, links, chain, today).render()
