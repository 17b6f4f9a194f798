"""How full each page of a PDF is, read from where its text sits (for layout checks)."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader

MM = 72 / 25.4
# Running heads and page numbers sit in the page margins; they do not count as content.
HEAD_ZONE = 16 * MM
FOOT_ZONE = 18 * MM


def _lowest_text(page: PageObject) -> float | None:
    """How far from the top of the page its lowest line of body text sits, in points."""
    height = float(page.mediabox.height)
    lines: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            from_top = height - (cm[1] * tm[4] + cm[3] * tm[5] + cm[5])
            if HEAD_ZONE < from_top < height - FOOT_ZONE:
                lines.append(from_top)

    page.extract_text(visitor_text=visit)
    return max(lines) if lines else None


def page_fill(pdf: bytes) -> list[float]:
    """For each page, how far down the usable height its lowest line of text reaches (0-1)."""
    fills = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        usable = float(page.mediabox.height) - HEAD_ZONE - FOOT_ZONE
        lowest = _lowest_text(page)
        fills.append(0.0 if lowest is None else (lowest - HEAD_ZONE) / usable)
    return fills
