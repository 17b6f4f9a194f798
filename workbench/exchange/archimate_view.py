"""The one ArchiMate diagram: each kind of element in its own column, headed by a label."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

LEFT = 20
TOP = 20
HEADER_HEIGHT = 40
NODE_WIDTH = 200
NODE_HEIGHT = 60
COLUMN_STEP = NODE_WIDTH + 60
ROW_STEP = NODE_HEIGHT + 20
# Fill colours in the usual ArchiMate convention: motivation lilac, business yellow,
# implementation pink.
FILLS = {
    "Stakeholders": (204, 204, 255),
    "Business processes": (255, 255, 181),
    "Work packages": (255, 224, 224),
}
MOTIVATION_FILL = (204, 204, 255)


class Related(Protocol):
    """A relationship as the view needs it."""

    identifier: str
    source: str
    target: str


@dataclass
class Column:
    """A titled column of element identifiers, top to bottom."""

    title: str
    members: list[str] = field(default_factory=list)


def node_id(element_id: str) -> str:
    """Return the diagram node identifier of an element."""
    return f"id-node-{element_id.removeprefix('id-')}"


def _box(parent: etree._Element, tag: str, x: int, y: int, w: int, h: int) -> etree._Element:
    node = etree.SubElement(parent, tag)
    for name, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        node.set(name, str(value))
    return node


def _fill(node: etree._Element, ns: str, rgb: tuple[int, int, int]) -> None:
    style = etree.SubElement(node, f"{{{ns}}}style")
    for tag, colour in (("lineColor", (92, 92, 92)), ("fillColor", rgb)):
        part = etree.SubElement(style, f"{{{ns}}}{tag}")
        for channel, value in zip("rgb", colour, strict=True):
            part.set(channel, str(value))


def add_view(
    root: etree._Element,
    ns: str,
    xsi: str,
    columns: Sequence[Column],
    relationships: Sequence[Related],
) -> None:
    """Append <views> with one diagram laying out the columns and every relationship."""
    views = etree.SubElement(root, f"{{{ns}}}views")
    diagrams = etree.SubElement(views, f"{{{ns}}}diagrams")
    view = etree.SubElement(diagrams, f"{{{ns}}}view")
    view.set("identifier", "id-view-strategy")
    view.set(f"{{{xsi}}}type", "Diagram")
    etree.SubElement(view, f"{{{ns}}}name").text = "Service recovery strategy"
    etree.SubElement(view, f"{{{ns}}}documentation").text = (
        "From left to right: who is involved and how work is done, what motivates the "
        "strategy and how it stands, the initiatives, and the objectives they serve."
    )
    placed: set[str] = set()
    x = LEFT
    for number, column in enumerate(c for c in columns if c.members):
        header = _box(view, f"{{{ns}}}node", x, TOP, NODE_WIDTH, HEADER_HEIGHT)
        header.set("identifier", f"id-node-column-{number + 1}")
        header.set(f"{{{xsi}}}type", "Label")
        etree.SubElement(header, f"{{{ns}}}label").text = column.title
        y = TOP + HEADER_HEIGHT + 20
        for element_id in column.members:
            node = _box(view, f"{{{ns}}}node", x, y, NODE_WIDTH, NODE_HEIGHT)
            node.set("identifier", node_id(element_id))
            node.set("elementRef", element_id)
            node.set(f"{{{xsi}}}type", "Element")
            _fill(node, ns, FILLS.get(column.title, MOTIVATION_FILL))
            placed.add(element_id)
            y += ROW_STEP
        x += COLUMN_STEP
    for relationship in relationships:
        if relationship.source not in placed or relationship.target not in placed:
            continue
        connection = etree.SubElement(view, f"{{{ns}}}connection")
        connection.set("identifier", f"id-conn-{relationship.identifier.removeprefix('id-')}")
        connection.set("relationshipRef", relationship.identifier)
        connection.set("source", node_id(relationship.source))
        connection.set("target", node_id(relationship.target))
        connection.set(f"{{{xsi}}}type", "Relationship")
