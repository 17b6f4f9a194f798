"""A small SVG writer and the axis arithmetic the charts share.

Charts are written element by element with presentation attributes only: a few dozen
shapes and labels each, which both browsers and the PDF renderer draw in milliseconds.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
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


class Svg:
    """Collects a chart's shapes and labels and writes the SVG document."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        # A longer account of what the chart shows, for assistive technology (<desc>).
        self.description = ""
        self.parts: list[str] = []
        self.labels: list[Label] = []
        # The area data is drawn in (left, top, right, bottom); tests check shapes stay in it.
        self.plot: tuple[float, float, float, float] = (0.0, 0.0, width, height)

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
    ) -> None:
        """Write one line of text (with an optional tooltip in the SVG form)."""
        self.labels.append(Label(x, y, label, anchor, size, fill, bold, tooltip))

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
        return f"<text {rendered}>{tooltip}{escape(label.text)}</text>"

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
        # An image's insides are hidden from assistive technology; a chart with links is a
        # group, so its links can be reached and named.
        role = "group" if any(part.startswith("<a ") for part in self.parts) else "img"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="{FONT}" font-size="11" '
            f'role="{role}"><title>{escape(self.title)}</title>'
            + (f"<desc>{escape(self.description)}</desc>" if self.description else "")
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


def text_width(text: str, size: float) -> float:
    """A generous estimate of a line's width in user units, so labels are placed with room.

    Wide (CJK) characters count as a full em, capitals and digits as about two thirds,
    everything else a little over half; real fonts come out narrower.
    """
    total = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif char.isspace() or char in ".,:;'!|il()[]":
            total += 0.34
        elif char.isupper() or char.isdigit() or char in "mwMW%@&":
            total += 0.72
        else:
            total += 0.6
    return total * size


def _chunks(word: str, fits: Callable[[str], bool]) -> list[str]:
    """Split one word too wide for a line into pieces that fit (nothing is dropped)."""
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and not fits(piece + char):
            pieces.append(piece)
            piece = char
        else:
            piece += char
    return [*pieces, piece] if piece else pieces


def fit_lines(label: str, fits: Callable[[str], bool], lines: int = 2) -> list[str]:
    """Break a label into at most `lines` lines that each fit, breaking between words.

    A single word wider than a whole line (a long compound, or CJK text without spaces) is
    carried over onto the next line. When the text needs more lines, the last one ends at a
    word boundary with an ellipsis; the caller keeps the full text in a tooltip or key.
    """
    words = [piece for word in label.split() for piece in _chunks(word, fits)]
    result: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and not fits(candidate):
            result.append(line)
            line = word
        else:
            line = candidate
    if line or not result:
        result.append(line)
    if len(result) <= lines:
        return result
    kept, rest = result[: lines - 1], " ".join(result[lines - 1 :]).split()
    last = ""
    for word in rest:
        if not fits(f"{last} {word}…".strip()):
            break
        last = f"{last} {word}".strip()
    if not last:  # not even one whole piece fits beside the ellipsis: shorten that piece
        last = rest[0]
        while len(last) > 1 and not fits(last + "…"):
            last = last[:-1]
    return [*kept, last + "…"]


def shorten(label: str, limit: int) -> str:
    """Shorten a label to at most `limit` characters at a word boundary, marking the cut."""
    label = " ".join(label.split())
    return fit_lines(label, lambda line: len(line) <= limit, 1)[0]


def wrap_to(label: str, width: float, size: float, lines: int = 2) -> list[str]:
    """Break a label between words into at most `lines` lines no wider than `width` units."""
    return fit_lines(label, lambda line: text_width(line, size) <= width, lines)


def label_box(label: Label) -> tuple[float, float, float, float]:
    """The estimated extent of a label as (left, top, right, bottom)."""
    width = text_width(label.text, label.size)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return left, label.y - 0.8 * label.size, left + width, label.y + 0.25 * label.size


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`."""
    raw = span / max(count - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    # Allow a few more ticks than asked rather than a step too coarse to read values off.
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * 0.75)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering low..high."""
    if high - low <= max(abs(high), abs(low), 1.0) * 1e-9:
        # A flat series: give it room either side, without dipping below zero for no reason.
        pad = max(abs(low) * 0.1, 1.0)
        low, high = (low - pad if low < 0 or low >= pad else 0.0), high + pad
    step = nice_step(high - low, count)
    start = math.floor(low / step + 1e-9) * step
    stop = math.ceil(high / step - 1e-9) * step
    steps = round((stop - start) / step)
    return [_tidy(start + index * step, step) for index in range(steps + 1)]


def _tidy(value: float, step: float) -> float:
    """Round away floating-point noise below a tenth of the step."""
    digits = max(0, 1 - math.floor(math.log10(step)))
    return round(value, digits) + 0.0


def value_axis(
    values: Sequence[float], lowest: float | None = None, highest: float | None = None
) -> tuple[float, float, list[float]]:
    """An axis (low, high, ticks) holding every value, kept within the metric's bounds.

    The bounds are honoured only where the values respect them: a percentage axis stops at
    100, but a value recorded above a bound still gets room.
    """
    values = list(values) or [lowest if lowest is not None else 0.0]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    if lowest is not None and low < lowest <= min(values):
        low = lowest
    if highest is not None and high > highest >= max(values):
        high = highest
    kept = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    for end in (low, high):
        if all(abs(end - t) > (high - low) * 1e-6 for t in kept):
            kept.append(end)
    kept.sort()
    if high <= low:
        high = low + 1
    return low, high, kept


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


def tick_label(value: float, step: float | None = None) -> str:
    """A tick value with thousands separators and only the decimals the step needs."""
    if abs(value) >= 1e7 and (step is None or step >= 1e5):
        for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "M")):
            if abs(value) >= size:
                return f"{value / size:,.6g}{suffix}"
    if step is None:
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    step = float(f"{step:.6g}")  # a difference of two ticks carries floating-point noise
    if step < 1e-9:  # past this many decimals a fixed-point label is unreadable
        return "0" if value == 0 else f"{value:.3g}"
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    if step * 10**digits % 1 > 1e-6:  # a step such as 2.5
        digits += 1
    text = f"{value:,.{digits}f}"
    return "0" if float(text.replace(",", "")) == 0 else text
