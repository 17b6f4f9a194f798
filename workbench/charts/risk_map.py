"""The risk heat map as SVG: likelihood across, impact up, the number of risks in each cell.

Each cell is coloured by its rating band and also names the band in words, so the map reads
without colour. Pure drawing: counts in, SVG text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as _escape

from workbench.charts.svg import text_width

LEFT = 96
TOP = 36
CELL_W = 84
CELL_H = 62
WIDTH = LEFT + 5 * CELL_W + 16
HEIGHT = TOP + 5 * CELL_H + 92
# Band colours, light enough for dark text on every one.
FILLS = {"low": "#d8eed9", "medium": "#fbefc4", "high": "#f8d2b4", "critical": "#f2b5b0"}
LABELS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
INK = "#1c2526"


# Characters XML cannot carry at all; a title typed with one must still give a valid drawing.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text made safe for SVG: escaped, and without characters XML forbids."""
    return _escape(NOT_XML.sub("", text))


def fit(text: str, room: float, size: float) -> str:
    """The label shortened with an ellipsis until its estimated width fits `room`."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def _band(score: int) -> str:
    # The same bands as workbench.analysis.risks; charts import nothing of ours.
    if score >= 20:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def risk_map_svg(
    counts: Sequence[Sequence[int]],
    title: str,
    likelihood_words: Sequence[str] = (),
    impact_words: Sequence[str] = (),
) -> str:
    """Draw a 5x5 map from counts[impact - 1][likelihood - 1] (other cells read as zero)."""

    def count(impact: int, likelihood: int) -> int:
        try:
            return max(0, int(counts[impact - 1][likelihood - 1]))
        except (IndexError, TypeError, ValueError):
            return 0

    total = sum(count(i, lk) for i in range(1, 6) for lk in range(1, 6))
    described = (
        f"{total} risk{'s' if total != 1 else ''} that are not closed, placed by likelihood "
        "(across, 1 rare to 5 almost certain) and impact (up, 1 negligible to 5 severe). "
        + " ".join(
            f"Likelihood {lk}, impact {i}: {count(i, lk)}."
            for i in range(5, 0, -1)
            for lk in range(1, 6)
            if count(i, lk)
        )
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="risk-map-title '
        'risk-map-desc" font-family="DejaVu Sans, Noto Sans, sans-serif" font-size="11">',
        f'<title id="risk-map-title">{escape(title)}</title>',
        f'<desc id="risk-map-desc">{escape(described)}</desc>',
    ]
    for impact in range(1, 6):
        y = TOP + (5 - impact) * CELL_H
        for likelihood in range(1, 6):
            x = LEFT + (likelihood - 1) * CELL_W
            key = _band(impact * likelihood)
            n = count(impact, likelihood)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{FILLS[key]}" '
                'stroke="#ffffff" stroke-width="2"/>'
            )
            parts.append(
                f'<text x="{x + 6}" y="{y + 14}" font-size="9" fill="#4a5759">{LABELS[key]}</text>'
            )
            if n:
                # A count too wide for the cell at full size is set smaller, never cut.
                size = min(24.0, (CELL_W - 8) / text_width(str(n), 1))
                parts.append(
                    f'<text x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 9}" text-anchor="middle" '
                    f'font-size="{size:.1f}" font-weight="bold" fill="{INK}">{n}</text>'
                )
        word = impact_words[impact - 1] if len(impact_words) >= impact else ""
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + CELL_H / 2 - 2}" text-anchor="end" fill="{INK}" '
            f'font-weight="bold">{impact}</text>'
        )
        if word:
            parts.append(
                f'<text x="{LEFT - 8}" y="{y + CELL_H / 2 + 12}" text-anchor="end" '
                f'font-size="9" fill="#4a5759">{escape(fit(word, LEFT - 12, 9))}</text>'
            )
    base = TOP + 5 * CELL_H
    for likelihood in range(1, 6):
        middle = LEFT + (likelihood - 0.5) * CELL_W
        parts.append(
            f'<text x="{middle}" y="{base + 16}" text-anchor="middle" fill="{INK}" '
            f'font-weight="bold">{likelihood}</text>'
        )
        if len(likelihood_words) >= likelihood:
            word = fit(likelihood_words[likelihood - 1], CELL_W - 4, 9)
            parts.append(
                f'<text x="{middle}" y="{base + 29}" text-anchor="middle" font-size="9" '
                f'fill="#4a5759">{escape(word)}</text>'
            )
    parts.append(
        f'<text x="{LEFT + 2.5 * CELL_W}" y="{base + 48}" text-anchor="middle" fill="{INK}">'
        "Likelihood →</text>"
    )
    parts.append(
        f'<text x="14" y="{TOP + 2.5 * CELL_H}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 14 {TOP + 2.5 * CELL_H})">Impact →</text>'
    )
    legend_y = base + 66
    swatch = float(LEFT)
    for key in ("low", "medium", "high", "critical"):
        parts.append(
            f'<rect x="{swatch}" y="{legend_y}" width="12" height="12" fill="{FILLS[key]}" '
            'stroke="#9aa7a9"/>'
        )
        parts.append(
            f'<text x="{swatch + 17}" y="{legend_y + 10}" fill="{INK}">{LABELS[key]}</text>'
        )
        swatch += 96
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 14}" fill="#4a5759" font-size="10">'
        "Number of risks in each cell; closed risks are left out</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
