"""The alignment graph's nodes and edges, and the colours its diagrams draw them in.

The diagrams (panels.py) use presentation attributes only (no style attributes or
elements), so they can be placed inline in a page under a strict content security policy;
labels carry <title> elements with the full text, and nodes may link to their edit page.
"""

from __future__ import annotations

from dataclasses import dataclass

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
