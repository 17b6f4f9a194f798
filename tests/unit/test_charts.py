"""The lean SVG charts: well-formed, deterministic, escaped, and drawn to scale."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from xml.etree import ElementTree

import pytest

from workbench.charts import plots as charts
from workbench.charts.graph import Edge, Node
from workbench.charts.panels import objective_panels, panel_graph
from workbench.charts.svg import (
    fit_lines,
    month_ticks,
    nice_ticks,
    overlay_html,
    shorten,
    tick_label,
)
from workbench.charts.trend import Trend, trend_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "quotes" <img src="file:///etc/passwd">'


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _texts(svg: str) -> list[str]:
    """The visible text of each label (its tooltip title left out)."""
    labels = []
    for element in _parse(svg).iter(f"{SVG}text"):
        tooltip = element.find(f"{SVG}title")
        labels.append((tooltip.tail if tooltip is not None else element.text) or "")
    return labels


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    ticks = nice_ticks(61.5, 80)
    assert ticks[0] <= 61.5 and ticks[-1] >= 80
    steps = {round(b - a, 6) for a, b in pairwise(ticks)}
    assert len(steps) == 1 and steps.pop() in (1, 2, 5)


def test_nice_ticks_survive_a_flat_series() -> None:
    ticks = nice_ticks(5, 5)
    assert ticks[0] <= 5 <= ticks[-1] and len(ticks) >= 2


def test_month_ticks_are_thinned_and_inside_the_range() -> None:
    ticks = month_ticks(date(2025, 1, 15), date(2027, 12, 1), most=6)
    assert len(ticks) <= 6
    assert all(date(2025, 1, 15) <= t <= date(2027, 12, 1) for t in ticks)
    assert all(t.day == 1 for t in ticks)


def test_labels_are_wrapped_and_shortened() -> None:
    by_length = lambda line: len(line) <= 16  # noqa: E731
    assert fit_lines("Listening and detection of failures", by_length) == [
        "Listening and",
        "detection of…",
    ]
    assert shorten("a" * 50, 10) == "a" * 9 + "…"
    assert shorten("Service management technology", 20) == "Service management…"
    assert tick_label(1250.0) == "1,250" and tick_label(2.5) == "2.5"


def test_radar_places_one_label_per_dimension_with_its_score() -> None:
    svg = charts.radar_svg(["Leadership", "Process", "Technology"], [80, None, 40])
    texts = _texts(svg)
    assert "Leadership (80)" in texts and "Process (0)" in texts
    assert len(_parse(svg).findall(f"{SVG}circle")) == 3


def test_radar_with_two_dimensions_draws_bars() -> None:
    svg = charts.radar_svg(["Leadership", "Process"], [80, 20])
    bars = [r for r in _parse(svg).iter(f"{SVG}rect") if r.get("fill") == charts.PRIMARY]
    assert [float(b.get("width")) for b in bars] == [200, 50]


def test_balance_bars_are_proportional_and_barriers_point_left() -> None:
    svg = charts.balance_svg(
        ["Needs", "Drivers"], {"driver": [4, 0], "enabler": [0, 0], "barrier": [0, 2]}
    )
    rects = [r for r in _parse(svg).iter(f"{SVG}rect") if r.get("height") == "26"]  # not the legend
    red = [r for r in rects if r.get("fill") == charts.DANGER and float(r.get("width")) > 0]
    teal = [r for r in rects if r.get("fill") == charts.PRIMARY and float(r.get("width")) > 0]
    assert len(red) == 1 and len(teal) == 1
    assert float(teal[0].get("width")) == pytest.approx(2 * float(red[0].get("width")), abs=0.2)
    assert float(red[0].get("x")) < float(teal[0].get("x"))


def test_trend_draws_every_point_and_the_target_line() -> None:
    points = [(date(2026, 1, 1), 10.0), (date(2026, 2, 1), 12.0), (date(2026, 3, 1), 15.0)]
    svg = trend_svg(Trend(points, None, (date(2026, 12, 1), 30.0), None, "%", date(2026, 3, 5)))
    root = _parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 3
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))
    assert "Target" in _texts(svg) and "Measured" in _texts(svg)


def test_trend_without_points_still_draws() -> None:
    svg = trend_svg(Trend([], None, None, None, "", date(2026, 3, 5)))
    assert _parse(svg).tag == f"{SVG}svg"


def test_hostile_and_unicode_labels_stay_text() -> None:
    labels = [HOSTILE, "مرحبا بالعالم", "顧客満足度 😀"]
    svg = charts.radar_svg(labels, [10, 20, 30])
    root = _parse(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}image"))
    joined = " ".join(_texts(svg))
    assert "<script>" in joined and "مرحبا" in joined and "顧客満足度" in joined


def test_equal_data_gives_identical_drawings() -> None:
    first = charts.balance_svg(["A"], {"driver": [1], "enabler": [2], "barrier": [3]})
    second = charts.balance_svg(["A"], {"driver": [1], "enabler": [2], "barrier": [3]})
    assert first == second


def test_graph_labels_carry_the_full_title_and_links() -> None:
    long_title = "An initiative whose title is far too long to fit on a single line of its box"
    nodes = [Node("i1", long_title, "initiative", "/i/1"), Node("o1", "Objective", "objective")]
    first, unconnected = objective_panels(nodes, [Edge("i1", "o9")])
    assert first.initiatives == [] and unconnected.objective is None
    svg = panel_graph(unconnected, HOSTILE).render()
    root = _parse(svg)
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert HOSTILE in titles and long_title in titles
    assert any(a.get("href") == "/i/1" for a in root.iter(f"{SVG}a"))
    assert not list(root.iter(f"{SVG}path"))  # the edge's target is missing, so no line


def test_print_overlay_sets_labels_as_escaped_text_over_the_shapes() -> None:
    (panel,) = objective_panels([Node("o1", HOSTILE, "objective")], [])
    drawing = panel_graph(panel, "t")
    shapes = drawing.render(with_labels=False)
    assert "<text" not in shapes and "<rect" in shapes
    html = overlay_html(drawing, "data:image/svg+xml;base64,", "Alignment graph", 100, 50)
    assert "<script>" not in html and "&lt;script&gt;" in html
    # Three headings, the objective's title on two lines, the note where initiatives would be.
    assert html.count('class="lbl"') == len(drawing.labels) == 6
    scale = min(100 / drawing.width, 50 / drawing.height)
    assert f"width:{drawing.width * scale:.2f}mm" in html
