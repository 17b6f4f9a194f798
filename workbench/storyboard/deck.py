"""Render the storyboard context as an editable PowerPoint deck (python-pptx).

The deck carries the PDF's content: a title slide, then each chapter on slides of its own,
tables as native tables, charts as native charts where PowerPoint has the kind and as
pictures otherwise, each chapter's generated narrative in the speaker notes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from workbench.storyboard import (
    deck_alignment,
    deck_appendix,
    deck_metrics,
    deck_opening,
    deck_operating,
)
from workbench.storyboard.deck_slides import Block, Deck, paragraphs

SECTIONS: dict[str, str] = {
    "summary": "Summary for the board",
    "perspective": "Perspective and strategy",
    "assessment": "Organisational assessment",
    "alignment": "Initiatives aligned with objectives",
    "operating": "Operating model and playbook",
    "metrics": "Metrics and goals",
    "roadmap": "Roadmap and delivery",
    "risks": "Risks",
    "decisions": "Decisions and next steps",
    "appendix": "Appendix",
}

# Each chapter gets the deck, the context, the metadata and what the appendix adds beside the data.
Chapter = Callable[[Deck, Mapping[str, Any], Mapping[str, str], Mapping[str, Any]], None]
CHAPTERS: dict[str, Chapter] = {
    "summary": lambda deck, c, _m, _x: deck_opening.summary(deck, c),
    "perspective": lambda deck, c, _m, _x: deck_opening.perspective(deck, c),
    "assessment": lambda deck, c, _m, _x: deck_opening.assessment(deck, c),
    "alignment": lambda deck, c, _m, _x: deck_alignment.alignment(deck, c),
    "operating": lambda deck, c, _m, _x: deck_operating.operating(deck, c),
    "metrics": lambda deck, c, _m, _x: deck_metrics.metrics(deck, c),
    "roadmap": lambda deck, c, _m, _x: deck_alignment.roadmap(deck, c),
    "risks": lambda deck, c, _m, _x: deck_operating.risks(deck, c),
    "decisions": lambda deck, c, _m, _x: deck_operating.decisions(deck, c),
    "appendix": deck_appendix.appendix,
}


def render_pptx(
    context: Mapping[str, Any],
    meta: Mapping[str, str],
    *,
    sections: Sequence[str] | None = None,
    commentary: Mapping[str, Sequence[str]] | None = None,
    accent: str | None = None,
    logo_png: bytes | None = None,
    appendix: Mapping[str, Any] | None = None,
) -> tuple[bytes, int]:
    """Render the storyboard as a PPTX; return its bytes and its slide count.

    `sections` chooses the chapters and their order (all of them by default; unknown keys
    are refused), `commentary` gives the team's paragraphs per chapter, set on a slide at
    the head of it, `accent` a colour as six hex digits and `logo_png` the cover's logo;
    `appendix` is what the PDF's appendix adds beside the data (the changes since the last
    published version), kept out of the context as the PDF keeps it.
    """
    chosen = list(SECTIONS) if sections is None else list(sections)
    unknown = [key for key in chosen if key not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown storyboard sections: {', '.join(unknown)}")
    deck = Deck(f"{context['workspace']['name']}: service recovery strategy", accent)
    deck_opening.title_slide(deck, context, meta, logo_png)
    for key in chosen:
        view = [p for p in (commentary or {}).get(key, ()) if p.strip()]
        if view:
            blocks = [Block(part) for text in view for part in _parts(text)]
            deck.text_slides(f"{SECTIONS[key]}: our view", blocks)
        CHAPTERS[key](deck, context, meta, appendix or {})
    _properties(deck, meta)
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    return buffer.getvalue(), len(deck.prs.slides)


def _parts(text: str) -> list[str]:
    return [block.text for block in paragraphs(text)]


def _properties(deck: Deck, meta: Mapping[str, str]) -> None:
    """The deck's title, author, subject and language, as the PDF's metadata gives them."""
    props = deck.prs.core_properties
    props.title = meta.get("title", "")[:250]
    props.author = meta.get("author", "")[:250]
    props.subject = meta.get("subject", "")[:250]
    props.language = meta.get("lang", "en-GB")
    props.keywords = "service recovery, strategy, storyboard"
    props.comments = f"Version {meta.get('version', '')}, fingerprint {meta.get('fingerprint', '')}"
    props.last_modified_by = meta.get("author", "")[:250]
    props.created = datetime.now(UTC).replace(tzinfo=None)
    props.revision = 1
