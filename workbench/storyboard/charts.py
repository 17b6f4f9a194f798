"""Charts as SVG, drawn server-side with matplotlib's object API (no pyplot, thread-safe)."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PRIMARY = "#0f5c63"
PRIMARY_TINT = "#9cc9cd"
DANGER = "#b42318"
ENABLER = "#3a8d5b"
GRID = "#c9d3d4"
TEXT = "#1c2526"

POLARITY_COLOURS = {"driver": PRIMARY, "enabler": ENABLER, "barrier": DANGER}


@cache
def _matplotlib() -> Any:
    """Import and configure matplotlib on first use: it is slow to load, so not at start-up."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rcParams

    rcParams["svg.hashsalt"] = "workbench"  # stable element ids: equal data gives equal SVG
    rcParams["svg.fonttype"] = "none"  # keep text as text: smaller, selectable, searchable
    rcParams["font.family"] = ["DejaVu Sans", "Noto Sans", "sans-serif"]
    return matplotlib


def _figure(figsize: tuple[float, float]) -> Figure:
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    """Return an SVG as a data: URI for an <img> (allowed by the content security policy)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def radar_svg(labels: Sequence[str], scores: Sequence[float | None]) -> str:
    """Draw dimension scores (0-100) around a circle; unanswered dimensions plot as 0."""
    count = len(labels)
    figure = _figure((5.6, 5.0))
    axes = figure.add_subplot(projection="polar")
    if count < 3:
        # A radar needs three spokes; with fewer, draw plain bars on the same scale.
        figure.clear()
        bars = figure.add_subplot()
        values = [s or 0 for s in scores]
        bars.barh(list(labels), values, color=PRIMARY)
        bars.set_xlim(0, 100)
        return _svg(figure)
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [float(s) if s is not None else 0.0 for s in scores]
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.plot([*angles, angles[0]], [*values, values[0]], color=PRIMARY, linewidth=2)
    axes.fill([*angles, angles[0]], [*values, values[0]], color=PRIMARY_TINT, alpha=0.55)
    axes.scatter(angles, values, color=PRIMARY, s=18, zorder=3)
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100])
    axes.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#556366")
    axes.set_xticks(angles)
    axes.set_xticklabels([_wrap(label) for label in labels], fontsize=8, color=TEXT)
    axes.tick_params(axis="x", pad=10)
    axes.grid(color=GRID)
    axes.spines["polar"].set_color(GRID)
    return _svg(figure)


def balance_svg(categories: Sequence[str], sums: dict[str, Sequence[int]]) -> str:
    """Draw importance sums per category: drivers and enablers right, barriers left."""
    figure = _figure((6.4, 0.55 * max(len(categories), 1) + 1.2))
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    drivers = list(sums.get("driver", [0] * len(categories)))
    enablers = list(sums.get("enabler", [0] * len(categories)))
    barriers = [-v for v in sums.get("barrier", [0] * len(categories))]
    axes.barh(positions, drivers, color=POLARITY_COLOURS["driver"], label="Drivers")
    axes.barh(
        positions, enablers, left=drivers, color=POLARITY_COLOURS["enabler"], label="Enablers"
    )
    axes.barh(positions, barriers, color=POLARITY_COLOURS["barrier"], label="Barriers")
    axes.axvline(0, color=TEXT, linewidth=0.8)
    axes.set_yticks(positions)
    axes.set_yticklabels(list(categories), fontsize=8)
    axes.invert_yaxis()
    widest = max(
        [1, *(d + e for d, e in zip(drivers, enablers, strict=True)), *(-b for b in barriers)]
    )
    axes.set_xlim(-widest * 1.1, widest * 1.1)
    axes.set_xlabel("Sum of importance (barriers to the left)", fontsize=8)
    axes.tick_params(axis="x", labelsize=7)
    from matplotlib.ticker import FuncFormatter

    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{abs(value):g}"))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    return _svg(figure)


STATUS_COLOURS = {
    "proposed": "#9aa7a9",
    "approved": PRIMARY_TINT,
    "in_progress": PRIMARY,
    "done": ENABLER,
}


def timeline_svg(items: Sequence[tuple[str, object, object, str]]) -> str:
    """Draw initiatives as bars from start to end date, coloured by status."""
    import matplotlib.dates as mdates

    ordered = sorted(items, key=lambda item: (item[1], item[2], item[0]))
    figure = _figure((8.0, 0.32 * len(ordered) + 1.2))
    axes = figure.add_subplot()
    for row, (_title, start, end, status) in enumerate(ordered):
        begin = mdates.date2num(start)
        axes.barh(
            row,
            mdates.date2num(end) - begin,
            left=begin,
            height=0.6,
            color=STATUS_COLOURS.get(status, "#9aa7a9"),
        )
    axes.set_yticks(range(len(ordered)))
    axes.set_yticklabels([_wrap(item[0], 48).split("\n")[0] for item in ordered], fontsize=7)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    axes.tick_params(axis="x", labelsize=7)
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _svg(figure)


def trend_svg(
    points: Sequence[tuple[object, float]],
    baseline: tuple[object, float] | None,
    target: tuple[object, float] | None,
    forecast_line: Sequence[tuple[object, float]] | None,
    unit: str,
    today: object,
) -> str:
    """Draw measurements over time with the baseline, the target and the forecast to it."""
    import matplotlib.dates as mdates

    figure = _figure((6.4, 3.0))
    axes = figure.add_subplot()
    if points:
        xs = [mdates.date2num(d) for d, _ in points]
        axes.plot(
            xs,
            [v for _, v in points],
            color=PRIMARY,
            marker="o",
            markersize=3.5,
            linewidth=1.8,
            label="Measured",
        )
    if baseline:
        axes.scatter(
            [mdates.date2num(baseline[0])],
            [baseline[1]],
            color="#556366",
            marker="s",
            s=30,
            zorder=3,
            label="Baseline",
        )
    if target:
        axes.axhline(target[1], color=ENABLER, linestyle="--", linewidth=1.2, label="Target")
        axes.scatter(
            [mdates.date2num(target[0])], [target[1]], color=ENABLER, marker="*", s=90, zorder=3
        )
    if forecast_line:
        axes.plot(
            [mdates.date2num(d) for d, _ in forecast_line],
            [v for _, v in forecast_line],
            color=DANGER,
            linestyle=":",
            linewidth=1.5,
            label="Forecast",
        )
    axes.axvline(mdates.date2num(today), color=GRID, linewidth=1)
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
    axes.tick_params(labelsize=7)
    axes.set_ylabel(unit or "value", fontsize=8)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=7, frameon=False, loc="best")
    return _svg(figure)
