"""The stakeholder interest/influence grid as inline SVG (presentation attributes only)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from workbench.charts.svg import shorten

SIZE = 520
PAD = 50
CELL = (SIZE - 2 * PAD) / 5


def _x(interest: int) -> float:
    return PAD + (interest - 0.5) * CELL


def _y(influence: int) -> float:
    return SIZE - PAD - (influence - 0.5) * CELL


def interest_influence_svg(points: Sequence[tuple[str, int, int]], title: str) -> str:
    """Place (name, interest, influence) points on a 5x5 grid with the four quadrants named."""
    # 3 or more counts as high, so the dividing lines sit between 2 and 3.
    x_mid = PAD + 2 * CELL
    y_mid = SIZE - PAD - 2 * CELL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" '
        f'height="{SIZE}" role="img" aria-labelledby="grid-title" '
        'font-family="DejaVu Sans, Noto Sans, sans-serif" font-size="11">',
        f'<title id="grid-title">{escape(title)}</title>',
        f'<rect x="{PAD}" y="{PAD}" width="{SIZE - 2 * PAD}" height="{SIZE - 2 * PAD}" '
        'fill="#ffffff" stroke="#9aa7a9"/>',
        f'<rect x="{x_mid}" y="{PAD}" width="{SIZE - PAD - x_mid}" height="{y_mid - PAD}" '
        'fill="#e3f0f1"/>',
        f'<line x1="{x_mid}" y1="{PAD}" x2="{x_mid}" y2="{SIZE - PAD}" stroke="#9aa7a9" '
        'stroke-dasharray="4 3"/>',
        f'<line x1="{PAD}" y1="{y_mid}" x2="{SIZE - PAD}" y2="{y_mid}" stroke="#9aa7a9" '
        'stroke-dasharray="4 3"/>',
    ]
    labels = (
        (PAD + 8, PAD + 18, "Keep satisfied"),
        (x_mid + 8, PAD + 18, "Manage closely"),
        (PAD + 8, SIZE - PAD - 8, "Monitor"),
        (x_mid + 8, SIZE - PAD - 8, "Keep informed"),
    )
    for label_x, label_y, text in labels:
        parts.append(
            f'<text x="{label_x}" y="{label_y}" font-weight="bold" fill="#556366" '
            f'font-size="12">{text}</text>'
        )
    parts.append(
        f'<text x="{SIZE / 2}" y="{SIZE - 14}" text-anchor="middle" fill="#1c2526">'
        "Interest →</text>"
    )
    parts.append(
        f'<text x="16" y="{SIZE / 2}" text-anchor="middle" fill="#1c2526" '
        f'transform="rotate(-90 16 {SIZE / 2})">Influence →</text>'
    )
    stacked: dict[tuple[int, int], int] = {}
    for name, interest, influence in points:
        slot = stacked.get((interest, influence), 0)
        stacked[(interest, influence)] = slot + 1
        x = _x(interest)
        y = _y(influence) - 14 + slot * 13
        short = shorten(name, 16)  # the full name is in the point's title
        parts.append(
            f"<g><title>{escape(name)}: interest {interest}, influence {influence}</title>"
            f'<circle cx="{x - 30:.1f}" cy="{y - 4:.1f}" r="4" fill="#0f5c63"/>'
            f'<text x="{x - 22:.1f}" y="{y:.1f}" fill="#1c2526">{escape(short)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
