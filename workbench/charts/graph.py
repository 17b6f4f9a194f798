"""A layered SVG diagram of the alignment graph: factors, initiatives, objectives, principles.

The SVG uses presentation attributes only (no style attributes or elements), so it can be
placed inline in a page under a strict content security policy; labels carry <title>
elements with the full text, and nodes may link to the page where they are edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from workbench.charts.svg import Svg, wrap_to

COLUMN_WIDTH = 280
NODE_WIDTH = 240
ROW_HEIGHT = 36
NODE_HEIGHT = 30
TOP = 40
LABEL_SIZE = 10.0

KIND_COLOURS = {
    "factor": "#fdecea",
    "barrier": "#fdecea",
    "driver": "#e3f0f1",
    "enabler": "#e6f4ea",
    "initiative": "#ffffff",
    "objective": "#e3f0f1",
    "principle": "#fdf3e1",
}
EDGE_COLOURS = {"strong": "#0f5c63", "moderate": "#3a8d5b", "weak": "#c98a3a", "": "#9aa7a9"}
EDGE_WIDTHS = {"strong": "2.2", "moderate": "1.6", "weak": "1.1", "": "1"}


@dataclass(frozen=True)
class Node:
    """A box in one column."""

    key: str
    label: str
    kind: str
    href: str = ""
    flagged: bool = False


@dataclass(frozen=True)
class Edge:
    """A line from a node in one column to a node in another."""

    source: str
    target: str
    strength: str = ""


def layered_graph(
    columns: Sequence[tuple[str, Sequence[Node]]], edges: Sequence[Edge], title: str
) -> Svg:
    """Lay out columns of nodes left to right with the edges between them."""
    rows = max((len(nodes) for _, nodes in columns), default=0)
    svg = Svg(COLUMN_WIDTH * len(columns) + 20, TOP + max(rows, 1) * ROW_HEIGHT + 20, title)
    centres: dict[str, tuple[float, float, float]] = {}
    for index, (heading, nodes) in enumerate(columns):
        x = 10 + index * COLUMN_WIDTH
        # Centre shorter columns vertically so edges fan out evenly.
        offset = (rows - len(nodes)) * ROW_HEIGHT / 2
        svg.text(x, 22, f"{heading} ({len(nodes)})", size=12, bold=True)
        for row, node in enumerate(nodes):
            y = TOP + offset + row * ROW_HEIGHT
            centres[node.key] = (x, x + NODE_WIDTH, y + NODE_HEIGHT / 2)
    for edge in edges:
        if edge.source not in centres or edge.target not in centres:
            continue
        _, x1, y1 = centres[edge.source]
        x2, _, y2 = centres[edge.target]
        if x2 < x1:  # an edge drawn right to left: connect the facing sides
            x1, x2 = centres[edge.source][0], centres[edge.target][1]
        middle = (x1 + x2) / 2
        svg.add(
            "path",
            d=f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}",
            fill="none",
            stroke=EDGE_COLOURS.get(edge.strength, "#9aa7a9"),
            stroke_width=EDGE_WIDTHS.get(edge.strength, "1"),
            stroke_opacity="0.55",
        )
    for _heading, nodes in columns:
        for node in nodes:
            left, _, centre = centres[node.key]
            box = (
                f'<rect x="{left}" y="{centre - NODE_HEIGHT / 2:.1f}" width="{NODE_WIDTH}" '
                f'height="{NODE_HEIGHT}" rx="4" fill="{KIND_COLOURS.get(node.kind, "#ffffff")}" '
                f'stroke="{"#b42318" if node.flagged else "#9aa7a9"}" '
                f'stroke-width="{2 if node.flagged else 1}"/>'
            )
            svg.parts.append(f'<a href="{escape(node.href)}">{box}</a>' if node.href else box)
            # Two lines broken between words; a longer title ends with an ellipsis and keeps
            # its full text as the tooltip.
            lines = wrap_to(node.label, NODE_WIDTH - 10, LABEL_SIZE, 2)
            for number, line in enumerate(lines):
                svg.text(
                    left + 5,
                    centre + 3.5 + 11 * (number - (len(lines) - 1) / 2),
                    line,
                    size=LABEL_SIZE,
                    tooltip=node.label,
                    href=node.href,
                )
    return svg


def layered_svg(
    columns: Sequence[tuple[str, Sequence[Node]]], edges: Sequence[Edge], title: str
) -> str:
    """Draw columns of nodes left to right with the edges between them, as SVG."""
    return layered_graph(columns, edges, title).render()
