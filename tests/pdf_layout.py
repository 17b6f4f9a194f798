"""How full each page of a PDF is, read from where its text sits (for layout checks)."""

from __future__ import annotations

import io

from pypdf import PdfReader

MM = 72 / 25.4
# Running heads and page numbers sit in the page margins; they do not count as content.
HEAD_ZONE = 16 * MM
FOOT_ZONE = 18 * MM


def page_fill(pdf: bytes) -> list[float]:
    """For each page, how far down the usable height its lowest line of text reaches (0-1)."""
    fills = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        lowest: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if not text.strip():
                return
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            from_top = height - y
            if HEAD_ZONE < from_top < height - FOOT_ZONE:
                lowest.append(from_top)

        page.extract_text(visitor_text=visit)
        usable = height - HEAD_ZONE - FOOT_ZONE
        fills.append(max(0.0, (max(lowest) - HEAD_ZONE) / usable) if lowest else 0.0)
    return fills
