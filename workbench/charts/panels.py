"""The alignment graph for print: one small diagram per objective instead of one hairball.

Each panel shows an objective, the initiatives serving it, the factors those initiatives
address and the TQM principles they apply. A factor or initiative that serves several
objectives appears in each of their panels, so every line can be followed by eye. Work not
yet connected to any objective gets a panel of its own, so nothing drawn before is lost.
Labels wrap between words inside their boxes; the rare title too long for three lines ends
with an ellipsis and keeps its full text as a tooltip and in the panel's key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from workbench.charts.graph import EDGE_COLOURS, EDGE_WIDTHS, KIND_COLOURS, Edge, Node
from workbench.charts.svg import MUTED, Svg, wrap_to

SIZE = 10.0
LINE = 11.5
GAP = 4.0
TOP = 30.0
# Factor titles are the longest, so their column is the widest: most fit on one line.
COLUMNS = (10.0, 450.0, 810.0)
WIDTHS = (400.0, 320.0, 240.0)
WIDTH = COLUMNS[2] + WIDTHS[2] + 10
FACTOR_EDGE = "#9aa7a9"


@dataclass
class Panel:
    """One objective (or none, for work not yet aligned) with the nodes around it."""

    objective: Node | None
    initiatives: list[Node] = field(default_factory=list)
    factors: list[Node] = field(default_factory=list)
    principles: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def objective_panels(nodes: Sequence[Node], edges: Sequence[Edge]) -> list[Panel]:
    """Split the graph into one panel per objective, plus one for unconnected work."""
    by_key = {node.key: node for node in nodes}
    kinds = {node.key: _role(node) for node in nodes}
    links = [e for e in edges if e.source in by_key and e.target in by_key]

    def linked(source_role: str, target: str) -> list[str]:
        return [e.source for e in links if e.target == target and kinds[e.source] == source_role]

    def applied(initiative: str) -> list[str]:
        return [e.target for e in links if e.source == initiative and kinds[e.target] == "p"]

    panels = []
    serving: set[str] = set()
    for objective in (n for n in nodes if kinds[n.key] == "o"):
        initiatives = _unique(linked("i", objective.key))
        serving.update(initiatives)
        panels.append(_panel(objective, initiatives, by_key, links, linked, applied))
    addressed = {e.source for e in links if kinds[e.source] == "f" and e.target in by_key}
    loose = [n.key for n in nodes if kinds[n.key] == "i" and n.key not in serving]
    unaddressed = [n for n in nodes if kinds[n.key] == "f" and n.key not in addressed]
    if loose or unaddressed:
        panel = _panel(None, loose, by_key, links, linked, applied)
        panel.factors += [n for n in unaddressed if n not in panel.factors]
        panels.append(panel)
    return panels


def _role(node: Node) -> str:
    """o, i, p or f: objective, initiative, principle or (any polarity of) factor."""
    return {"objective": "o", "initiative": "i", "principle": "p"}.get(node.kind, "f")


def _unique(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _panel(
    objective: Node | None,
    initiatives: Sequence[str],
    by_key: dict[str, Node],
    links: Sequence[Edge],
    linked: Callable[[str, str], list[str]],
    applied: Callable[[str], list[str]],
) -> Panel:
    """Collect an objective's initiatives with their factors, principles and lines."""
    factor_keys = _unique([f for i in initiatives for f in linked("f", i)])
    principle_keys = _unique([p for i in initiatives for p in applied(i)])
    shown = {*initiatives, *factor_keys, *principle_keys}
    if objective is not None:
        shown.add(objective.key)
    return Panel(
        objective=objective,
        initiatives=[by_key[k] for k in initiatives],
        factors=[by_key[k] for k in factor_keys],
        principles=[by_key[k] for k in principle_keys],
        edges=[e for e in links if e.source in shown and e.target in shown],
    )


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


def _boxes(nodes: Sequence[Node], column: int, top: float, bold: bool = False) -> list[_Box]:
    """Stack wrapped boxes down a column from `top`."""
    boxes = []
    size = SIZE + (0.5 if bold else 0)
    for node in nodes:
        lines = wrap_to(node.label, WIDTHS[column] - 12, size, 3)
        height = LINE * len(lines) + 6
        boxes.append(_Box(COLUMNS[column], top, WIDTHS[column], height, lines))
        top += height + GAP
    return boxes


def _extent(boxes: Sequence[_Box]) -> float:
    return (boxes[-1].y + boxes[-1].height - boxes[0].y) if boxes else 0.0


def _centre(boxes: list[_Box], tallest: float) -> list[_Box]:
    """Move a column down so that it sits in the middle of the panel."""
    shift = (tallest - _extent(boxes)) / 2
    return [_Box(b.x, b.y + shift, b.width, b.height, b.lines) for b in boxes]


def panel_graph(panel: Panel, title: str) -> Svg:
    """Draw one panel: factors, then initiatives, then the objective with its principles.

    The principles are named under the objective rather than drawn as boxes with lines:
    the initiatives-by-principles matrix shows which initiative applies which.
    """
    factors = _boxes(panel.factors, 0, TOP)
    initiatives = _boxes(panel.initiatives, 1, TOP)
    objective = _boxes([panel.objective] if panel.objective else [], 2, TOP, bold=True)
    names = ", ".join(p.label for p in panel.principles)
    principle_lines = (
        wrap_to(f"TQM principles applied: {names}.", WIDTHS[2], 9.5, 8) if names else []
    )
    right = _extent(objective) + (8 + 11.5 * len(principle_lines) if principle_lines else 0)
    tallest = max(_extent(factors), _extent(initiatives), right, LINE * 2)
    svg = Svg(WIDTH, TOP + tallest + 10, title)
    svg.plot = (0.0, 0.0, WIDTH, svg.height)
    # Shorter columns sit in the middle of the panel so their lines fan out evenly.
    factors, initiatives = _centre(factors, tallest), _centre(initiatives, tallest)
    shift = (tallest - right) / 2
    objective = [_Box(b.x, b.y + shift, b.width, b.height, b.lines) for b in objective]
    placed = dict(
        zip(
            [n.key for n in [*panel.factors, *panel.initiatives]],
            [*factors, *initiatives],
            strict=True,
        )
    )
    if panel.objective:
        placed[panel.objective.key] = objective[0]
    svg.text(COLUMNS[0], 16, f"Factors addressed ({len(panel.factors)})", size=11, bold=True)
    svg.text(COLUMNS[1], 16, f"Initiatives ({len(panel.initiatives)})", size=11, bold=True)
    if panel.objective:
        svg.text(COLUMNS[2], 16, "Objective", size=11, bold=True)
    for edge in panel.edges:
        if edge.source in placed and edge.target in placed:
            _edge(svg, edge, placed, panel)
    nodes = [*panel.factors, *panel.initiatives, *([panel.objective] if panel.objective else [])]
    for node in nodes:
        _node(svg, node, placed[node.key], bold=node is panel.objective)
    below = (objective[0].y + objective[0].height if objective else TOP + shift) + 8
    for number, line in enumerate(principle_lines):
        svg.text(COLUMNS[2], below + 9 + 11.5 * number, line, size=9.5, fill=MUTED)
    if not panel.initiatives and panel.objective:
        svg.text(
            COLUMNS[1],
            TOP + tallest / 2 + 4,
            "No initiative serves it yet.",
            size=SIZE,
            fill="#b42318",
        )
    return svg


def _edge(svg: Svg, edge: Edge, placed: dict[str, _Box], panel: Panel) -> None:
    """A curve from the right side of the source box to the left side of the target box."""
    source, target = placed[edge.source], placed[edge.target]
    x1, y1 = source.x + source.width, source.y + source.height / 2
    x2, y2 = target.x, target.y + target.height / 2
    middle = (x1 + x2) / 2
    to_objective = panel.objective is not None and edge.target == panel.objective.key
    svg.add(
        "path",
        d=f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}",
        fill="none",
        stroke=EDGE_COLOURS.get(edge.strength, FACTOR_EDGE) if to_objective else FACTOR_EDGE,
        stroke_width=EDGE_WIDTHS.get(edge.strength, "1") if to_objective else "1",
        stroke_opacity="0.8",
    )


def _node(svg: Svg, node: Node, box: _Box, bold: bool) -> None:
    """A box in its kind's colour (red outline for a gap) with its wrapped title."""
    rect = Svg._attributes(
        {
            "x": box.x,
            "y": box.y,
            "width": box.width,
            "height": box.height,
            "rx": 4,
            "fill": KIND_COLOURS.get(node.kind, "#ffffff"),
            "stroke": "#b42318" if node.flagged else "#9aa7a9",
            "stroke_width": 2 if node.flagged else 1,
        }
    )
    # On the web each box links to the page where the record is edited: one link per box,
    # named by the full title (the wrapped lines on top let clicks through, see app.css).
    svg.parts.append(
        f'<a href="{escape(node.href)}"><title>{escape(node.label)}</title><rect {rect}/></a>'
        if node.href
        else f"<rect {rect}/>"
    )
    size = SIZE + (0.5 if bold else 0)
    for number, line in enumerate(box.lines):
        svg.text(
            box.x + 6,
            box.y + 3 + size * 0.9 + LINE * number,
            line,
            size=size,
            bold=bold,
            tooltip=node.label,
        )


def panel_caption(panel: Panel, number: int, count: int) -> str:
    """What a panel shows, in words."""
    if panel.objective is None:
        return (
            "Not yet connected to an objective: "
            f"{_plural(len(panel.initiatives), 'initiative that serves', 'initiatives that serve')}"
            " no objective, and the factors they address or that no initiative addresses."
        )
    return (
        f"Objective {number} of {count}: "
        f"{_plural(len(panel.initiatives), 'initiative', 'initiatives')} serving it, "
        f"{_plural(len(panel.factors), 'factor', 'factors')} they address."
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
