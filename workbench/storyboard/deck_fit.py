"""How much room a piece of text takes on a slide: the deck sizes and splits by this estimate.

The estimate is deliberately generous (the chart package's character widths, which run wider
than real fonts), so text the estimate says fits does fit once PowerPoint or Impress lays it
out. The same estimator checks a finished deck for overflowing shapes in the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pptx.presentation import Presentation
from pptx.util import Emu, Length

from workbench.charts.svg import text_width

EMU_PER_INCH = 914_400
POINTS_PER_INCH = 72
# Noto Sans sets its lines about 1.36 em apart; a little more leaves room for rounding.
LINE_SPACING = 1.4
# python-pptx's default text frame insets: 0.1 inch either side, 0.05 inch above and below.
INSET_X = 0.1
INSET_Y = 0.05


def inches(length: int | Length) -> float:
    """An EMU length in inches."""
    return int(length) / EMU_PER_INCH


def line_count(text: str, width_in: float, size_pt: float) -> int:
    """How many lines `text` wraps to in a column `width_in` wide at `size_pt` points."""
    room = max(width_in, 0.05) * POINTS_PER_INCH
    total = 0
    for paragraph in text.split("\n"):
        lines = 1
        used = 0.0
        for word in paragraph.split(" "):
            width = text_width(word, size_pt)
            gap = text_width(" ", size_pt) if used else 0.0
            if used and used + gap + width > room:
                lines += 1
                used = 0.0
                gap = 0.0
            if width > room:
                # A word wider than the line is broken across lines.
                extra, rest = divmod(width, room)
                lines += int(extra)
                used = rest
            else:
                used += gap + width
        total += lines
    return total


def text_height(text: str, width_in: float, size_pt: float) -> float:
    """The height in inches that `text` needs inside a frame `width_in` wide, insets included."""
    inner = width_in - 2 * INSET_X
    lines = line_count(text, inner, size_pt)
    return lines * size_pt * LINE_SPACING / POINTS_PER_INCH + 2 * INSET_Y


@dataclass(frozen=True)
class Overflow:
    """A shape (or table cell) whose text needs more room than it has."""

    slide: int
    shape: str
    needed_in: float
    height_in: float


def _frame_need(holder: Any, width_in: float) -> float:
    """The height a text frame (of a shape or a cell) needs, paragraph by paragraph."""
    need = 2 * INSET_Y
    frame = holder.text_frame
    for paragraph in frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
        fallback = paragraph.font.size.pt if paragraph.font.size is not None else 18.0
        size = max(sizes) if sizes else fallback
        text = paragraph.text
        lines = line_count(text, width_in - 2 * INSET_X, size)
        need += lines * size * LINE_SPACING / POINTS_PER_INCH
        if paragraph.space_after is not None:
            need += paragraph.space_after.pt / POINTS_PER_INCH
    return need


def overflows(deck: Presentation) -> Iterator[Overflow]:
    """Every text box and table cell in the deck whose estimated text is taller than its box."""
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                need = _frame_need(shape, inches(shape.width))
                if need > inches(shape.height) + 0.01:
                    yield Overflow(number, shape.name, need, inches(shape.height))
            if shape.has_table:
                yield from _table_overflows(number, shape)


def _table_overflows(number: int, shape: Any) -> Iterator[Overflow]:
    table = shape.table
    widths = [inches(column.width) for column in table.columns]
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if not cell.text:
                continue
            need = _frame_need(cell, widths[c])
            if need > inches(row.height) + 0.01:
                yield Overflow(number, f"{shape.name} row {r} column {c}", need, inches(row.height))
    total = sum(inches(row.height) for row in table.rows)
    top = inches(shape.top)
    if top + total > SLIDE_HEIGHT_IN:
        yield Overflow(number, f"{shape.name} (whole table)", top + total, SLIDE_HEIGHT_IN)


SLIDE_HEIGHT_IN = 7.5
SLIDE_WIDTH_IN = 13.333


def emu(value_in: float) -> Emu:
    """Inches as an EMU length."""
    return Emu(round(value_in * EMU_PER_INCH))
