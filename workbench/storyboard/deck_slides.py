"""The slide kinds the storyboard deck is made of: text, tables, native charts and pictures.

Every slide has the same frame (an accent band, a title, the workspace's name and a slide
number). Text and tables are measured with `deck_fit` before they are placed: text too long
for one slide continues on the next, and a table continues with its header repeated.
"""

from __future__ import annotations

import io
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Pt

from workbench.storyboard.deck_fit import SLIDE_HEIGHT_IN, SLIDE_WIDTH_IN, emu, text_height

FONT = "Noto Sans"
INK = RGBColor(0x1C, 0x25, 0x26)
MUTED = RGBColor(0x55, 0x63, 0x66)
STRIPE = RGBColor(0xEE, 0xF2, 0xF2)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DEFAULT_ACCENT = "0f5c63"
# The body: below the title, above the footer line.
LEFT = 0.5
TOP = 1.3
WIDTH = SLIDE_WIDTH_IN - 2 * LEFT
BOTTOM = 6.85
HEIGHT = BOTTOM - TOP
CONTINUED = " (continued)"
# Points of space after each paragraph of a text slide.
GAP = 6.0
# A table cell never holds more than this many characters; a longer one ends in an ellipsis.
CELL_LIMIT = 700


@dataclass(frozen=True)
class Block:
    """A paragraph of slide text: `kind` is text, bullet, heading or small."""

    text: str
    kind: str = "text"


def bullets(items: Sequence[str]) -> list[Block]:
    """Items as bullet blocks."""
    return [Block(item, "bullet") for item in items]


def paragraphs(text: str | None) -> list[Block]:
    """Blank-line separated paragraphs of a text field as blocks, each on one line."""
    parts = (text or "").replace("\r\n", "\n").split("\n\n")
    return [Block(" ".join(part.split())) for part in parts if part.strip()]


class Deck:
    """A 16:9 presentation with the storyboard's frame on every slide."""

    def __init__(self, footer: str, accent: str | None) -> None:
        self.prs = Presentation()
        self.prs.slide_width = emu(SLIDE_WIDTH_IN)
        self.prs.slide_height = emu(SLIDE_HEIGHT_IN)
        self.footer = footer
        self.accent = RGBColor.from_string((accent or DEFAULT_ACCENT).lstrip("#").upper())

    def _blank(self, notes: str) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        band = slide.shapes.add_shape(1, 0, 0, emu(SLIDE_WIDTH_IN), emu(0.14))
        band.name = "Accent band"
        band.fill.solid()
        band.fill.fore_color.rgb = self.accent
        band.line.fill.background()
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    def slide(self, title: str, notes: str = "") -> Slide:
        """A new slide with its title, footer and slide number."""
        slide = self._blank(notes)
        size = 26.0
        while size > 16 and text_height(title, WIDTH, size) > 0.95:
            size -= 2
        box = self.text_box(slide, LEFT, 0.3, WIDTH, 0.95, [(title, size, True, self.accent)])
        box.name = "Title"
        foot = self.text_box(slide, LEFT, 6.95, 9.0, 0.4, [(self.footer[:120], 10, False, MUTED)])
        foot.name = "Footer"
        self._number(slide)
        return slide

    def _number(self, slide: Slide) -> None:
        box = slide.shapes.add_textbox(emu(11.9), emu(6.95), emu(0.93), emu(0.4))
        box.name = "Slide number"
        paragraph = box.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        paragraph.font.size = Pt(10)
        paragraph.font.name = FONT
        paragraph.font.color.rgb = MUTED
        field = etree.SubElement(paragraph._p, qn("a:fld"))
        field.set("id", "{" + str(uuid.uuid4()).upper() + "}")
        field.set("type", "slidenum")
        properties = etree.SubElement(field, qn("a:rPr"))
        properties.set("lang", "en-GB")
        properties.set("sz", "1000")
        etree.SubElement(field, qn("a:t")).text = str(len(self.prs.slides))

    def text_box(
        self,
        slide: Slide,
        left: float,
        top: float,
        width: float,
        height: float,
        lines: Sequence[tuple[str, float, bool, RGBColor]],
        gap: float = 0.0,
    ) -> Any:
        """A word-wrapped text box: each line (text, size, bold, colour) is a paragraph,
        followed by `gap` points of space."""
        box = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        for index, (text, size, bold, colour) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = colour
            _direction(paragraph, text)
            if gap:
                paragraph.space_after = Pt(gap)
        return box

    # Text slides ------------------------------------------------------------------------

    def _style(self, block: Block, size: float) -> tuple[str, float, bool, RGBColor]:
        if block.kind == "heading":
            return block.text, size + 2, True, self.accent
        if block.kind == "bullet":
            return "• " + block.text, size, False, INK
        if block.kind == "small":
            return block.text, max(size - 4, 10), False, MUTED
        return block.text, size, False, INK

    def _height(self, block: Block, size: float, width: float) -> float:
        text, points, _bold, _colour = self._style(block, size)
        return text_height(text, width, points) - 0.1 + GAP / 72

    def text_slides(
        self,
        title: str,
        blocks: Sequence[Block],
        notes: str = "",
        top: float = TOP,
        width: float = WIDTH,
    ) -> int:
        """Blocks of text on as many slides as they need; returns how many were added."""
        height = BOTTOM - top
        blocks = [b for b in blocks if b.text.strip()]
        for size in (18.0, 16.0, 14.0):
            if sum(self._height(b, size, width) for b in blocks) + 0.1 <= height:
                break
        # Pieces of a long paragraph leave room for a heading above them on their slide.
        pieces = [p for b in blocks for p in self._split(b, size, width, height - 0.8)]
        needs = [self._height(p, size, width) for p in pieces]
        pages: list[list[Block]] = [[]]
        used = 0.1
        for index, piece in enumerate(pieces):
            need = needs[index]
            # A heading moves on with the paragraph that follows it rather than end a slide.
            if piece.kind == "heading" and index + 1 < len(pieces):
                need += needs[index + 1]
            if pages[-1] and used + need > height:
                pages.append([])
                used = 0.1
            pages[-1].append(piece)
            used += needs[index]
        for index, page in enumerate(pages):
            slide = self.slide(title + (CONTINUED if index else ""), notes)
            lines = [self._style(b, size) for b in page]
            self.text_box(slide, LEFT, top, width, height, lines, GAP).name = "Body"
        return len(pages)

    def _split(self, block: Block, size: float, width: float, room: float) -> list[Block]:
        """A block too tall for a whole slide, cut between words into pieces that fit."""
        if self._height(block, size, width) <= room:
            return [block]
        pieces: list[Block] = []
        words: list[str] = []
        for word in block.text.split(" "):
            trial = Block(" ".join([*words, word]), block.kind)
            if words and self._height(trial, size, width) > room:
                pieces.append(Block(" ".join(words), block.kind))
                words = []
            words.append(word[:2000])
        pieces.append(Block(" ".join(words), block.kind))
        return pieces

    # Tables -----------------------------------------------------------------------------

    def table_slides(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        notes: str = "",
        numeric: Sequence[int] = (),
        size: float = 12.0,
    ) -> int:
        """A native table, continued on further slides with its header repeated when long."""
        scale = WIDTH / sum(widths)
        columns = [w * scale for w in widths]
        cells = [[_cap(str(value)) for value in row] for row in rows]
        cells = [[self._fit_cell(t, columns[c], size) for c, t in enumerate(r)] for r in cells]
        header_height = self._row_height(headers, columns, size)
        pages: list[list[int]] = [[]]
        used = header_height
        for index, row in enumerate(cells):
            need = self._row_height(row, columns, size)
            if pages[-1] and used + need > HEIGHT:
                pages.append([])
                used = header_height
            pages[-1].append(index)
            used += need
        for number, page in enumerate(pages):
            slide = self.slide(title + (CONTINUED if number else ""), notes)
            shape = slide.shapes.add_table(
                len(page) + 1, len(columns), emu(LEFT), emu(TOP), emu(WIDTH), emu(1)
            )
            shape.name = "Table"
            table = shape.table
            for c, width in enumerate(columns):
                table.columns[c].width = emu(width)
            table.rows[0].height = emu(header_height)
            for c, text in enumerate(headers):
                self._cell(table.cell(0, c), text, size, True, c in numeric, self.accent)
            for r, index in enumerate(page, start=1):
                table.rows[r].height = emu(self._row_height(cells[index], columns, size))
                fill = STRIPE if r % 2 == 0 else WHITE
                for c, text in enumerate(cells[index]):
                    self._cell(table.cell(r, c), text, size, False, c in numeric, fill)
        return len(pages)

    def _row_height(self, row: Sequence[str], columns: Sequence[float], size: float) -> float:
        return max(text_height(text, columns[c], size) for c, text in enumerate(row))

    def _fit_cell(self, text: str, width: float, size: float) -> str:
        """Shorten a cell that alone would be taller than a slide's body, with an ellipsis."""
        room = HEIGHT / 2
        while len(text) > 1 and text_height(text, width, size) > room:
            text = text[: int(len(text) * 0.8)].rstrip() + "…"
        return text

    def _cell(
        self, cell: Any, text: str, size: float, bold: bool, right: bool, fill: RGBColor
    ) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        frame = cell.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = FONT
        run.font.color.rgb = WHITE if bold else INK
        _direction(paragraph, text)

    # Charts and pictures ----------------------------------------------------------------

    def chart_slide(
        self,
        title: str,
        kind: XL_CHART_TYPE,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        alt: str,
        notes: str = "",
        number_format: str = "#,##0",
        caption: str = "",
        unit: str = "",
    ) -> Any:
        """A native, editable chart of the given kind filling the body; `unit` titles its values."""
        slide = self.slide(title, notes)
        return self.chart(slide, kind, categories, series, alt, number_format, caption, unit=unit)

    def chart(
        self,
        slide: Slide,
        kind: XL_CHART_TYPE,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        alt: str,
        number_format: str = "#,##0",
        caption: str = "",
        top: float = TOP,
        unit: str = "",
    ) -> Any:
        """A native chart on `slide` from `top` down to the foot of the body, `unit` on its
        value axis."""
        data = CategoryChartData(number_format=number_format)
        data.categories = list(categories)
        for name, values in series:
            data.add_series(name, list(values))
        height = BOTTOM - top - self._caption(slide, caption)
        frame = slide.shapes.add_chart(kind, emu(LEFT), emu(top), emu(WIDTH), emu(height), data)
        frame.name = "Chart"
        frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)
        chart = frame.chart
        chart.font.size = Pt(12)
        chart.font.name = FONT
        chart.has_legend = len(series) > 1
        try:
            ticks = chart.value_axis.tick_labels
        except ValueError:  # a chart without a value axis (a doughnut)
            ticks = None
        if ticks is not None:
            # Stated, not linked to the data: Impress ignores a linked format on the axis.
            ticks.number_format = number_format
            ticks.number_format_is_linked = False
        if ticks is not None and unit:
            # Reading `axis_title` adds the title to the axis.
            title = chart.value_axis.axis_title.text_frame
            title.text = unit
            title.paragraphs[0].font.size = Pt(12)
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        if len(series) == 1 or kind in (XL_CHART_TYPE.RADAR_MARKERS,):
            first = chart.plots[0].series[0]
            first.format.line.color.rgb = self.accent
            if kind not in (XL_CHART_TYPE.RADAR_MARKERS, XL_CHART_TYPE.LINE_MARKERS):
                first.format.fill.solid()
                first.format.fill.fore_color.rgb = self.accent
        return chart

    def picture_slide(
        self, title: str, png: bytes, alt: str, notes: str = "", caption: str = ""
    ) -> None:
        """A picture (a chart drawn as SVG, rasterised) fitted into the body, with alt text."""
        slide = self.slide(title, notes)
        height = HEIGHT - self._caption(slide, caption)
        picture = slide.shapes.add_picture(io.BytesIO(png), emu(LEFT), emu(TOP), height=emu(height))
        if picture.width > emu(WIDTH):
            ratio = emu(WIDTH) / picture.width
            picture.width = emu(WIDTH)
            picture.height = int(picture.height * ratio)
        picture.left = int(emu(LEFT) + (emu(WIDTH) - picture.width) / 2)
        picture.name = "Picture"
        picture._element.nvPicPr.cNvPr.set("descr", alt)

    def _caption(self, slide: Slide, caption: str) -> float:
        """A caption at the foot of the body; returns the height it takes (none when empty)."""
        if not caption:
            return 0.0
        caption = caption[:600]
        height = text_height(caption, WIDTH, 11) + 0.05
        box = self.text_box(
            slide, LEFT, BOTTOM - height, WIDTH, height, [(caption, 11, False, MUTED)]
        )
        box.name = "Caption"
        return height


def _cap(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1].rstrip() + "…"


def _direction(paragraph: Any, text: str) -> None:
    """Set a paragraph right to left when its first strong letter is Arabic or Hebrew."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            paragraph._p.get_or_add_pPr().set("rtl", "1")
            return
        if kind == "L":
            return
