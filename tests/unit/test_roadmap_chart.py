"""The roadmap Gantt chart: bars by status, the critical path, dependency arrows and today."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from workbench.charts.plots import DANGER, STATUS_COLOURS
from workbench.charts.roadmap import LEFT, RIGHT, RoadmapBar, roadmap_chart, roadmap_svg
from workbench.charts.svg import MUTED

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 12, 4)
HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") file:///etc/passwd'

PLAN = [
    RoadmapBar(1, "Case system", date(2026, 4, 1), date(2026, 12, 31), "in_progress"),
    RoadmapBar(2, "Alerts", date(2027, 1, 11), date(2027, 6, 30), "approved"),
    RoadmapBar(3, "Monthly review", date(2027, 6, 1), date(2028, 6, 30), "proposed"),
    RoadmapBar(4, "Review queue", date(2026, 3, 1), date(2026, 6, 30), "done"),
]
LINKS = [(1, 2), (2, 3), (1, 4)]


def _root(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _x(day: date, first: date, last: date) -> float:
    return LEFT + (RIGHT - LEFT) * (day - first).days / (last - first).days


def test_bars_are_coloured_by_status_and_the_critical_path_is_outlined_and_named() -> None:
    svg = roadmap_chart(PLAN, LINKS, [2, 3], TODAY)
    root = _root(svg.render())
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "14"]
    assert len(bars) == 4
    assert {b.get("fill") for b in bars} == {STATUS_COLOURS[s] for s in STATUS_COLOURS}
    outlined = [b for b in bars if b.get("stroke")]
    assert len(outlined) == 2
    texts = [label.text for label in svg.labels]
    assert "Critical path (outlined)" in texts
    bold = {label.text for label in svg.labels if label.bold and label.anchor == "end"}
    assert bold == {"Alerts", "Monthly review"}


def test_an_arrow_runs_from_the_prerequisite_end_to_the_dependant_start() -> None:
    svg = roadmap_chart(PLAN[:2], [(1, 2)], [], TODAY)
    root = _root(svg.render())
    first, last = date(2026, 4, 1), date(2027, 6, 30)
    (line,) = root.iter(f"{SVG}polyline")
    start_x = float(line.get("points", "").split()[0].split(",")[0])
    assert abs(start_x - _x(date(2026, 12, 31), first, last)) < 0.1
    (head,) = root.iter(f"{SVG}polygon")
    tip_x = float(head.get("points", "").split()[0].split(",")[0])
    assert abs(tip_x - _x(date(2027, 1, 11), first, last)) < 0.1
    assert line.get("stroke-dasharray") is None


def test_work_planned_before_its_prerequisite_ends_gets_a_red_dashed_arrow() -> None:
    svg = roadmap_chart(PLAN[1:3], [(2, 3)], [], TODAY)
    (line,) = _root(svg.render()).iter(f"{SVG}polyline")
    assert line.get("stroke") == DANGER and line.get("stroke-dasharray")


def test_today_is_a_labelled_line_and_widens_the_range_to_include_it() -> None:
    svg = roadmap_chart(PLAN[2:3], [], [], TODAY)
    assert any(label.text == "Today, 4 Dec 2026" for label in svg.labels)
    lines = [
        line for line in _root(svg.render()).iter(f"{SVG}line") if line.get("stroke") == DANGER
    ]
    assert len(lines) == 1 and float(lines[0].get("x1", "0")) == LEFT


def test_plans_of_a_year_or_two_get_quarter_ticks_and_short_ones_month_ticks() -> None:
    year = roadmap_chart(
        [RoadmapBar(1, "System", date(2027, 1, 1), date(2028, 3, 1), "approved")], [], [], TODAY
    )
    assert {"Q1 2027", "Q2 2027", "Q1 2028"} <= {label.text for label in year.labels}
    # Between the labelled quarters, a short mark for each month.
    marks = [
        line for line in _root(year.render()).iter(f"{SVG}line") if line.get("stroke") == MUTED
    ]
    assert len(marks) == 15  # January 2027 to March 2028
    short = roadmap_chart(
        [RoadmapBar(1, "Pilot", date(2026, 12, 1), date(2027, 3, 1), "approved")], [], [], TODAY
    )
    assert {"Jan 2027", "Feb 2027"} <= {label.text for label in short.labels}


def test_title_and_description_name_the_chain_and_today_and_escape_hostile_titles() -> None:
    bars = [RoadmapBar(1, HOSTILE, date(2027, 1, 1), date(2027, 2, 1), "approved")]
    svg = roadmap_svg(bars, [], [1], TODAY)
    root = _root(svg)
    assert root.find(f"{SVG}title") is not None
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "critical path, outlined, runs through <script>" in desc.text
    assert "ends on 1 February 2027" in desc.text and "today, 4 December 2026" in desc.text
    assert "<script>" not in svg


def test_equal_plans_draw_identical_charts_and_unknown_links_are_ignored() -> None:
    first = roadmap_svg(PLAN, [*LINKS, (1, 99), (2, 2)], [2, 3], TODAY)
    second = roadmap_svg(list(reversed(PLAN)), list(reversed(LINKS)), [2, 3], TODAY)
    assert first == second
    assert len(list(_root(first).iter(f"{SVG}polyline"))) == 3
