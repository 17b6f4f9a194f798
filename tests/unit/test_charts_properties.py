"""Property-based checks: whatever the data and the labels, every chart stays inside its frame.

Random series (negative, huge, tiny, flat, a single point, baseline, target and forecast far
outside the measurements) and random labels (CJK, right-to-left, long unbroken words) are
drawn; every shape must lie inside its plot area and every label inside the canvas.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.charts import plots
from workbench.charts.graph import Edge, Node
from workbench.charts.panels import objective_panels, panel_graph
from workbench.charts.roadmap import RoadmapBar, roadmap_chart
from workbench.charts.svg import Svg, label_box
from workbench.charts.trend import Trend, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
SLACK = 0.05
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

# CHART_EXAMPLES=1000 runs a longer search locally; the suite itself stays quick.
SETTINGS = settings(max_examples=int(os.environ.get("CHART_EXAMPLES", "60")), deadline=None)

magnitudes = st.one_of(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.floats(-1e-4, 1e-4, allow_nan=False, allow_infinity=False),
    st.floats(0, 100, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 4.5, 100.0, 480.0, 1_000_000.0]),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
dated = st.tuples(days, magnitudes)

words = st.one_of(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=14
    ),
    st.text(alphabet="顧客満足度対応品質改善", min_size=1, max_size=30),
    st.text(alphabet="مرحبابالعالمשלוםעולם", min_size=1, max_size=12),
    st.text(alphabet="Wm", min_size=30, max_size=90),  # a long word of the widest letters
    st.sampled_from(["(62)", "&", "<script>", "99%", "—"]),
)
labels = st.lists(words, min_size=1, max_size=14).map(" ".join)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in NUMBER.findall(text)]


def _shape_points(element: ElementTree.Element) -> Iterator[tuple[float, float]]:
    """The corner or vertex points a shape covers (a circle by its bounding box)."""
    tag = element.tag.removeprefix(SVG)
    get = lambda name: float(element.get(name, "0"))  # noqa: E731
    if tag == "circle":
        r = get("r")
        yield get("cx") - r, get("cy") - r
        yield get("cx") + r, get("cy") + r
    elif tag == "rect":
        yield get("x"), get("y")
        yield get("x") + get("width"), get("y") + get("height")
    elif tag == "line":
        yield get("x1"), get("y1")
        yield get("x2"), get("y2")
    elif tag in ("polyline", "polygon", "path"):
        values = _numbers(element.get("points") or element.get("d") or "")
        yield from zip(values[::2], values[1::2], strict=False)


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    left, top, right, bottom = box
    x, y = point
    return left - SLACK <= x <= right + SLACK and top - SLACK <= y <= bottom + SLACK


def _check(svg: Svg, in_plot: set[str], plot_rect_height: float | None = None) -> None:
    """Every shape inside the canvas, the data shapes inside the plot, labels inside too."""
    canvas = (0.0, 0.0, svg.width, svg.height)
    root = ElementTree.fromstring(svg.render())
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        for point in _shape_points(element):
            assert _inside(point, canvas), (tag, point, canvas)
            # Bars (and the baseline marker) are told from legend swatches by their height.
            data_rect = tag == "rect" and float(element.get("height", 0)) == plot_rect_height
            if tag in in_plot or data_rect:
                assert _inside(point, svg.plot), (tag, point, svg.plot)
    for label in svg.labels:
        assert _inside(label_box(label)[:2], canvas), (label, label_box(label))
        assert _inside(label_box(label)[2:], canvas), (label, label_box(label))
        assert label.text == label.text.strip() or not label.text


@SETTINGS
@given(
    points=st.lists(dated, max_size=30),
    baseline=st.none() | dated,
    target=st.none() | dated,
    forecast=st.none() | st.tuples(dated, dated).map(list),
    unit=st.sampled_from(["", "%", "minutes", "GBP", "stars", "points"]) | labels,
    today=days,
    lowest=st.none() | magnitudes,
    highest=st.none() | magnitudes,
)
def test_every_trend_mark_lies_inside_the_plot(
    points: list[tuple[date, float]],
    baseline: tuple[date, float] | None,
    target: tuple[date, float] | None,
    forecast: list[tuple[date, float]] | None,
    unit: str,
    today: date,
    lowest: float | None,
    highest: float | None,
) -> None:
    svg = trend_chart(Trend(points, baseline, target, forecast, unit, today, lowest, highest))
    _check(svg, {"circle", "polyline", "polygon", "line"}, plot_rect_height=8)


@SETTINGS
@given(
    names=st.lists(labels, min_size=1, max_size=12),
    scores=st.lists(st.none() | st.floats(0, 100), min_size=12, max_size=12),
)
def test_radar_labels_stay_on_the_canvas_with_their_scores(
    names: list[str], scores: list[float | None]
) -> None:
    svg = plots.radar_chart(names, scores[: len(names)])
    _check(svg, {"circle", "polygon"} if len(names) >= 3 else set())
    shown = " ".join(label.text for label in svg.labels)
    for score in scores[: len(names)]:
        assert f"{score or 0:.0f}" in shown


@SETTINGS
@given(
    categories=st.lists(labels, min_size=1, max_size=8),
    sums=st.lists(st.tuples(*[st.integers(0, 5000)] * 3), min_size=8, max_size=8),
)
def test_balance_bars_and_labels_stay_inside(
    categories: list[str], sums: list[tuple[int, int, int]]
) -> None:
    rows = sums[: len(categories)]
    svg = plots.balance_chart(
        categories,
        {
            "driver": [r[0] for r in rows],
            "enabler": [r[1] for r in rows],
            "barrier": [r[2] for r in rows],
        },
    )
    _check(svg, set(), plot_rect_height=26)


@st.composite
def roadmaps(draw: st.DrawFn) -> tuple[list[RoadmapBar], list[tuple[int, int]], list[int]]:
    """Random dated initiatives, dependencies between them and a chain of some of them."""
    statuses = st.sampled_from(["proposed", "approved", "in_progress", "done", "unknown"])
    bars = [
        RoadmapBar(key, draw(labels), draw(days), draw(days), draw(statuses))
        for key in range(draw(st.integers(1, 25)))
    ]
    keys = st.integers(0, len(bars) - 1)
    links = draw(st.lists(st.tuples(keys, keys), max_size=30))
    chain = draw(st.lists(keys, max_size=6, unique=True))
    return bars, links, chain


@SETTINGS
@given(plan=roadmaps(), today=days)
def test_roadmap_bars_arrows_today_and_labels_stay_inside(
    plan: tuple[list[RoadmapBar], list[tuple[int, int]], list[int]], today: date
) -> None:
    bars, links, chain = plan
    svg = roadmap_chart(bars, links, chain, today)
    _check(svg, {"line", "polyline", "polygon"}, plot_rect_height=14)
    assert svg.description.endswith(".")


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    """A random alignment graph: factors, initiatives, objectives, principles and links."""
    kinds = {"f": "barrier", "i": "initiative", "o": "objective", "p": "principle"}
    nodes = [
        Node(f"{prefix}{n}", draw(labels), kind, "", draw(st.booleans()))
        for prefix, kind in kinds.items()
        for n in range(draw(st.integers(0, 6)))
    ]
    keys = {prefix: [n.key for n in nodes if n.key[0] == prefix] for prefix in kinds}
    edges = []
    for source, target in (("f", "i"), ("i", "o"), ("i", "p")):
        for a in keys[source]:
            for b in keys[target]:
                if draw(st.integers(0, 2)) == 0:
                    edges.append(Edge(a, b, draw(st.sampled_from(["", "weak", "strong"]))))
    return nodes, edges


@SETTINGS
@given(graph=graphs())
def test_graph_panels_keep_every_box_and_label_inside(graph: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = graph
    panels = objective_panels(nodes, edges)
    objectives = [n for n in nodes if n.kind == "objective"]
    assert [p.objective for p in panels if p.objective] == objectives
    shown = {n.key for p in panels for n in [*p.factors, *p.initiatives]}
    # No factor or initiative vanishes: each is in some panel.
    assert shown == {n.key for n in nodes if n.kind in ("barrier", "initiative")}
    for panel in panels:
        _check(panel_graph(panel, "t"), set())
