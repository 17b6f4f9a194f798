"""The storyboard's alignment graph: one figure per objective, each with its caption.

The payload is the report context's graph (columns of nodes and the edges between them)
with the workspace's total number of factors, so that factors left out of the drawing are
counted in the text rather than silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from html import escape
from typing import Any

from workbench.charts import plots
from workbench.charts.graph import Edge, Node
from workbench.charts.panels import objective_panels, panel_caption, panel_graph
from workbench.charts.svg import Svg, overlay_html


def _graph_parts(data: Mapping[str, Any]) -> tuple[list[Node], list[Edge], int | None]:
    """Nodes, edges and the factor total from a payload (older payloads have no total)."""
    graph = data.get("graph", data)
    nodes = [
        Node(key, label, sort, "", bool(flagged))
        for _heading, column in graph["columns"]
        for key, label, sort, flagged in column
    ]
    edges = [Edge(source, target, strength) for source, target, strength in graph["edges"]]
    return nodes, edges, data.get("factor_total")


def _note(nodes: list[Node], total: int | None) -> str:
    """How to read the panels, and how many factors are not drawn and why."""
    text = (
        "Line weight shows how strongly an initiative contributes to the objective; "
        "a red outline marks a gap. A factor or initiative serving several objectives "
        "appears under each of them."
    )
    drawn = sum(1 for n in nodes if n.kind not in ("initiative", "objective", "principle"))
    if total is not None and total > drawn:
        left_out = total - drawn
        text += (
            f" {left_out:,} {'factor is' if left_out == 1 else 'factors are'} not drawn, of "
            f"{total:,} in all: {'a driver or enabler' if left_out == 1 else 'drivers or enablers'}"
            " that no initiative addresses yet. The assessment lists every factor."
        )
    return text


def graph_panels(data: Mapping[str, Any], alt: str) -> tuple[list[tuple[Svg, str]], str]:
    """Each panel's drawing with its caption, and the note on how to read them."""
    nodes, edges, total = _graph_parts(data)
    panels = objective_panels(nodes, edges)
    objectives = sum(1 for p in panels if p.objective is not None)
    drawn = []
    for number, panel in enumerate(panels, start=1):
        caption = panel_caption(panel, number, objectives)
        drawn.append((panel_graph(panel, f"{alt}. {caption}"), caption))
    return drawn, _note(nodes, total)


@lru_cache(maxsize=16)
def graph_figures(payload: str, alt: str, width_mm: float, for_print: bool) -> str:
    """One figure per objective (and one for unconnected work), then the reading note."""
    panels, note = graph_panels(json.loads(payload), alt)
    figures = []
    for drawing, caption in panels:
        if for_print:
            shapes = plots.data_uri(drawing.render(with_labels=False))
            body = overlay_html(drawing, shapes, f"{alt}. {caption}", width_mm, 180)
        else:
            uri = plots.data_uri(drawing.render())
            body = f'<img src="{uri}" alt="{escape(alt)}. {escape(caption)}">'
        figures.append(
            f'<figure class="graph">{body}<figcaption>{escape(caption)}</figcaption></figure>'
        )
    if not panels:
        figures.append('<p class="muted">No objectives or initiatives yet.</p>')
    figures.append(f'<p class="small muted">{escape(note)}</p>')
    return "".join(figures)
