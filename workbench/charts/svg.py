"""A small SVG writer and the axis arithmetic the charts share.

Charts are written element by element with presentation attributes only: a few dozen
shapes and labels each, which both browsers and the PDF renderer draw in milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

FONT = "Noto Sans, DejaVu Sans, sans-serif"
TEXT = "#1c2526"
MUTED = "#556366"
GRID = "#c9d3d4"
LABEL_BOX = 80.0  # mm of room for a centred or right-aligned label in print


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Label:
    """One line of text in a chart; `y` is its baseline."""

    x: float
    y: float
    text: str
    anchor: str
    size: float
    fill: str
    bold: bool
    tooltip: str = ""
    href: str = ""


class Svg:
    """Collects a chart's shapes and labels and writes the SVG document."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []
        self.labels: list[Label] = []

    def add(self, tag: str, **attributes: object) -> None:
        """Append one empty element; attribute names use _ for - (stroke_width)."""
        self.parts.append(f"<{tag} {self._attributes(attributes)}/>")

    @classmethod
    def _attributes(cls, attributes: dict[str, object]) -> str:
        return " ".join(
            f'{name.rstrip("_").replace("_", "-")}="{cls._value(value)}"'
            for name, value in attributes.items()
            if value is not None
        )

    @staticmethod
    def _value(value: object) -> str:
        if isinstance(value, float):
            return _number(value)
        return escape(str(value))

    def text(
        self,
        x: float,
        y: float,
        label: str,
        anchor: str = "start",
        size: float = 11,
        fill: str = TEXT,
        bold: bool = False,
        tooltip: str = "",
        href: str = "",
    ) -> None:
        """Write one line of text (with an optional tooltip and link in the SVG form)."""
        self.labels.append(Label(x, y, label, anchor, size, fill, bold, tooltip, href))

    def _label_svg(self, label: Label) -> str:
        rendered = self._attributes(
            {
                "x": label.x,
                "y": label.y,
                "text_anchor": label.anchor if label.anchor != "start" else None,
                "font_size": label.size,
                "fill": label.fill,
                "font_weight": "bold" if label.bold else None,
            }
        )
        tooltip = f"<title>{escape(label.tooltip)}</title>" if label.tooltip else ""
        text = f"<text {rendered}>{tooltip}{escape(label.text)}</text>"
        return f'<a href="{escape(label.href)}">{text}</a>' if label.href else text

    def line(self, x1: float, y1: float, x2: float, y2: float, **attributes: object) -> None:
        """Draw a straight line."""
        self.add("line", x1=x1, y1=y1, x2=x2, y2=y2, **attributes)

    def polyline(self, points: list[tuple[float, float]], **attributes: object) -> None:
        """Draw connected segments through the points."""
        self.add("polyline", points=_points(points), fill="none", **attributes)

    def polygon(self, points: list[tuple[float, float]], **attributes: object) -> None:
        """Draw a closed shape through the points."""
        self.add("polygon", points=_points(points), **attributes)

    def render(self, with_labels: bool = True) -> str:
        """Return the finished SVG document (the shapes alone if `with_labels` is false)."""
        width, height = _number(self.width), _number(self.height)
        labels = [self._label_svg(label) for label in self.labels] if with_labels else []
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="{FONT}" font-size="11" '
            f'role="img"><title>{escape(self.title)}</title>'
            + "".join(self.parts)
            + "".join(labels)
            + "</svg>"
        )


def overlay_html(svg: Svg, shapes_uri: str, alt: str, width_mm: float, height_mm: float) -> str:
    """Print form of a chart with long labels: the shapes as an image, the labels as text on it.

    The PDF renderer sets SVG text one letter at a time, which is slow for long labels and
    loses the joining of Arabic letters; text laid out by the page itself has neither cost.
    Positions are absolute in millimetres, so the chart is drawn at most `width_mm` wide and
    `height_mm` high.
    """
    scale = min(width_mm / svg.width, height_mm / svg.height)
    spans = []
    for label in svg.labels:
        size = label.size * scale
        left, top = label.x * scale, label.y * scale - 0.8 * size
        box = ""
        if label.anchor == "middle":
            box, left = f"width:{LABEL_BOX}mm;text-align:center;", left - LABEL_BOX / 2
        elif label.anchor == "end":
            box, left = f"width:{LABEL_BOX}mm;text-align:right;", left - LABEL_BOX
        weight = "font-weight:700;" if label.bold else ""
        spans.append(
            f'<span class="lbl" dir="auto" style="left:{left:.2f}mm;top:{top:.2f}mm;'
            f'font-size:{size:.2f}mm;color:{label.fill};{box}{weight}">'
            f"{escape(label.text)}</span>"
        )
    box_size = f"width:{svg.width * scale:.2f}mm;height:{svg.height * scale:.2f}mm"
    return (
        f'<div class="chart" style="{box_size}"><img src="{shapes_uri}" alt="{escape(alt)}" '
        f'style="{box_size}">' + "".join(spans) + "</div>"
    )


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def shorten(label: str, limit: int) -> str:
    """Cut a label to at most `limit` characters, marking the cut."""
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def wrap(label: str, width: int, lines: int = 2) -> list[str]:
    """Break a label into at most `lines` lines of about `width` characters."""
    result: list[str] = []
    line = ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            result.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    result.append(line)
    if len(result) > lines:
        result = [*result[: lines - 1], shorten(" ".join(result[lines - 1 :]), width)]
    return [shorten(part, width) for part in result]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high, about `count` of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def month_ticks(first: date, last: date, most: int = 7) -> list[date]:
    """First days of months between two dates, thinned to at most `most` labels."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    every = max(1, math.ceil(len(months) / most))
    return [day for day in months[::every] if first <= day <= last] or [first]


def tick_label(value: float) -> str:
    """A tick value without needless decimals."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
