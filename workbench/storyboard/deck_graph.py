"""The deck's alignment graph: one picture per objective, stacked full width on its slides.

The panels are wide and short, so each is placed across the whole body of the slide (where
its labels are larger than on the PDF's landscape page) and as many as fit share a slide.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pptx.slide import Slide

from workbench.storyboard.deck_fit import emu, text_height
from workbench.storyboard.deck_pictures import svg_png
from workbench.storyboard.deck_slides import (
    BOTTOM,
    CONTINUED,
    LEFT,
    MUTED,
    TOP,
    WIDTH,
    Block,
    Deck,
)
from workbench.storyboard.graph_figures import graph_panels

TITLE = "How the strategy hangs together"
INTRO = (
    "Each objective with the initiatives that serve it, the factors those initiatives "
    "address and the TQM principles they apply."
)
ALT = "Alignment graph"
CAPTION_PT = 11.0
# Inches between one panel's caption and the next panel.
SPACE = 0.15


@dataclass(frozen=True)
class Figure:
    """One panel as a picture: its PNG, alt text, caption and height for each unit of width."""

    png: bytes
    alt: str
    caption: str
    ratio: float

    def caption_height(self) -> float:
        """The height in inches the caption takes under the picture."""
        return text_height(self.caption, WIDTH, CAPTION_PT) + 0.02

    def height(self, room: float) -> float:
        """The picture's height in inches: the full body width, unless that is too tall."""
        return min(WIDTH * self.ratio, room - self.caption_height())


def alignment_graph(deck: Deck, c: Mapping[str, Any]) -> None:
    """The alignment graph as the PDF draws it: a picture per objective, each with its caption."""
    data = {"graph": c["alignment"]["graph"], "factor_total": c["assessment"]["factor_count"]}
    panels, note = graph_panels(data, ALT)
    notes = f"{INTRO} {note}"
    if not panels:
        blocks = [Block(INTRO), Block("No objectives or initiatives yet."), Block(note, "small")]
        deck.text_slides(TITLE, blocks, notes)
        return
    figures = [
        Figure(svg_png(svg.render()), f"{ALT}. {caption}", caption, svg.height / svg.width)
        for svg, caption in panels
    ]
    foot = text_height(notes, WIDTH, CAPTION_PT) + 0.05
    first_room = BOTTOM - TOP - foot - SPACE
    for number, page in enumerate(_pages(figures, first_room, BOTTOM - TOP)):
        slide = deck.slide(TITLE + (CONTINUED if number else ""), notes)
        room = first_room if number == 0 else BOTTOM - TOP
        _place(deck, slide, page, room)
        if number == 0:
            box = deck.text_box(
                slide, LEFT, BOTTOM - foot, WIDTH, foot, [(notes, CAPTION_PT, False, MUTED)]
            )
            box.name = "Caption"


def _pages(figures: list[Figure], first_room: float, room: float) -> list[list[Figure]]:
    """Figures in order, as many to a slide as fit; the first slide has less room."""
    pages: list[list[Figure]] = [[]]
    used = 0.0
    for figure in figures:
        space = first_room if len(pages) == 1 else room
        need = figure.height(space) + figure.caption_height() + (SPACE if pages[-1] else 0.0)
        if pages[-1] and used + need > space:
            pages.append([])
            space = room
            need = figure.height(space) + figure.caption_height()
            used = 0.0
        pages[-1].append(figure)
        used += need
    return pages


def _place(deck: Deck, slide: Slide, page: list[Figure], room: float) -> None:
    """Each figure centred across the body, its caption beneath it."""
    top = TOP
    for figure in page:
        height = figure.height(room)
        width = height / figure.ratio
        picture = slide.shapes.add_picture(
            io.BytesIO(figure.png),
            emu(LEFT + (WIDTH - width) / 2),
            emu(top),
            width=emu(width),
            height=emu(height),
        )
        picture.name = "Picture"
        picture._element.nvPicPr.cNvPr.set("descr", figure.alt)
        caption = figure.caption_height()
        box = deck.text_box(
            slide, LEFT, top + height, WIDTH, caption, [(figure.caption, CAPTION_PT, False, MUTED)]
        )
        box.name = "Caption"
        top += height + caption + SPACE
