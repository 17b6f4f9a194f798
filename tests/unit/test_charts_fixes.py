"""The chart faults seen on the demo storyboard, each pinned by a test."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date
from xml.etree import ElementTree

from pypdf import PdfReader

from workbench.charts import plots
from workbench.charts.finance import cash_flow_chart, tornado_chart
from workbench.charts.svg import label_box, tick_label
from workbench.charts.trend import Trend, trend_chart, unit_label
from workbench.storyboard import render
from workbench.storyboard.graph_figures import graph_figures

SVG = "{http://www.w3.org/2000/svg}"


def _circles(svg: str) -> list[tuple[float, float]]:
    root = ElementTree.fromstring(svg)
    return [(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in root.iter(f"{SVG}circle")]


def _inside(y: float, plot: tuple[float, float, float, float]) -> bool:
    return plot[1] <= y <= plot[3]


def _monthly(values: list[float], year: int = 2026) -> list[tuple[date, float]]:
    return [(date(year, 1 + n, 1), v) for n, v in enumerate(values)]


def test_time_to_resolution_values_above_400_stay_inside_the_plot() -> None:
    points = _monthly([480, 472, 455, 440, 430])
    svg = trend_chart(
        Trend(
            points,
            (date(2025, 12, 1), 485),
            (date(2027, 6, 30), 240),
            None,
            "minutes",
            date(2026, 6, 1),
        )
    )
    assert all(_inside(y, svg.plot) for _, y in _circles(svg.render()))
    ticks = [float(label.text.replace(",", "")) for label in svg.labels if label.anchor == "end"]
    assert min(ticks) <= 240 and max(ticks) >= 485


def test_a_star_target_above_the_readings_is_inside_and_the_axis_stops_at_five() -> None:
    points = _monthly([3.9, 4.0, 4.2, 4.4])
    target = (date(2027, 3, 31), 4.5)
    svg = trend_chart(Trend(points, None, target, None, "stars", date(2026, 5, 1), 1, 5))
    root = ElementTree.fromstring(svg.render())
    star = next(root.iter(f"{SVG}polygon"))
    ys = [float(v) for pair in star.get("points", "").split() for v in pair.split(",")[1:]]
    assert all(_inside(y, svg.plot) for y in ys)
    ticks = [float(label.text) for label in svg.labels if label.anchor == "end"]
    assert max(ticks) >= 4.5 and max(ticks) <= 5


def test_a_percentage_forecast_stops_at_100() -> None:
    points = _monthly([90, 94, 97, 99])
    forecast = [(date(2026, 4, 1), 99.0), (date(2027, 4, 1), 130.0)]
    target = (date(2027, 4, 1), 82.0)  # CSAT-like target above an 80 axis on main
    svg = trend_chart(Trend(points, None, target, forecast, "%", date(2026, 4, 2), 0, 100))
    ticks = [float(label.text) for label in svg.labels if label.anchor == "end"]
    assert max(ticks) == 100 and min(ticks) <= 82


def test_the_forecast_is_drawn_dashed_to_the_target_date_with_a_labelled_today() -> None:
    points = _monthly([52, 55, 58, 61])
    forecast = [(date(2026, 4, 1), 61.0), (date(2027, 12, 31), 80.0)]
    target = (date(2027, 12, 31), 75.0)
    svg = trend_chart(Trend(points, None, target, forecast, "%", date(2026, 6, 1), 0, 100))
    root = ElementTree.fromstring(svg.render())
    dashed = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == plots.DANGER]
    assert len(dashed) == 1 and dashed[0].get("stroke-dasharray")
    end_x = float(dashed[0].get("points", "").split()[-1].split(",")[0])
    star_x = max(
        float(pair.split(",")[0])
        for pair in next(root.iter(f"{SVG}polygon")).get("points", "").split()
    )
    assert abs(end_x - (star_x - 7)) < 1  # the forecast ends where the target star stands
    today = [label for label in svg.labels if label.text == "Today"]
    assert len(today) == 1
    left, top, right, bottom = label_box(today[0])
    # Over the line, just above the plot: inside the canvas and clear of the data.
    assert svg.plot[0] <= left and right <= svg.plot[2] and top >= 0 and bottom <= svg.plot[1]


def test_a_long_radar_label_wraps_whole_words_and_keeps_its_score() -> None:
    names = ["Listening and detection", "Service management technology", "Speed of response"]
    svg = plots.radar_chart(names, [33, 19, 46])
    shown = [label.text for label in svg.labels]
    joined = " ".join(shown)
    assert "…" not in joined
    for word in ["Service", "management", "technology", "(19)"]:
        assert word in shown or any(word in line.split() for line in shown)
    assert any(line.endswith("(19)") for line in shown)


def test_the_balance_legend_names_each_side_separately() -> None:
    svg = plots.balance_chart(
        ["Business needs", "Organisational drivers"],
        {"driver": [14, 9], "enabler": [5, 13], "barrier": [8, 7]},
    )
    texts = [label.text for label in svg.labels]
    assert "drivers and enablers" not in texts and "barriers" not in texts
    legend = [label for label in svg.labels if label.text in ("Barriers", "Drivers", "Enablers")]
    assert len(legend) == 3
    boxes = sorted(label_box(label) for label in legend)
    assert all(a[2] + 10 <= b[0] for a, b in itertools.pairwise(boxes))


def test_money_metrics_show_the_workspace_currency_and_separated_thousands() -> None:
    assert unit_label("currency", "EUR") == "EUR" and unit_label("percent", "EUR") == "%"
    payload = {
        "points": [["2026-01-01", 12000.0], ["2026-02-01", 24000.0]],
        "baseline": None,
        "baseline_date": None,
        "target": 30000.0,
        "target_date": "2026-12-31",
        "unit": "currency",
        "currency": "EUR",
        "forecast": [],
        "min": None,
        "max": None,
        "as_of": "2026-03-01",
    }
    drawing = render._chart("trend", json.dumps(payload, sort_keys=True))
    texts = [label.text for label in drawing.labels]
    assert "EUR" in texts and "currency" not in texts
    assert "30,000" in texts or "12,000" in texts
    assert tick_label(25000.0, 5000.0) == "25,000"


def test_a_vanishing_step_labels_its_ticks_without_overflowing() -> None:
    # Hypothesis found a metric bounded at a subnormal float: 10**309 overflowed a float.
    assert tick_label(0.0, 2.225073858507203e-309) == "0"
    assert tick_label(4.45e-309, 2.225073858507203e-309) == "4.45e-309"
    assert tick_label(0.25, 0.05) == "0.25"


def _graph_payload() -> dict[str, object]:
    long_objective = "Resolve most small complaints at the front desk without calling a manager"
    long_initiative = "Hold a monthly review of recurring failures with an owner for each cause"
    return {
        "graph": {
            "columns": [
                [
                    "Factors",
                    [
                        [
                            "f1",
                            "Front-desk staff have no authority to offer compensation",
                            "barrier",
                            False,
                        ]
                    ],
                ],
                [
                    "Initiatives",
                    [
                        ["i1", long_initiative, "initiative", False],
                        [
                            "i2",
                            "Use social listening to thank guests who praise us",
                            "initiative",
                            True,
                        ],
                    ],
                ],
                [
                    "Objectives",
                    [
                        ["o1", long_objective, "objective", False],
                        ["o2", "Grow direct bookings", "objective", True],
                    ],
                ],
                ["TQM principles", [["p1", "Customer-focused", "principle", False]]],
            ],
            "edges": [["f1", "i1", ""], ["i1", "o1", "strong"], ["i1", "p1", ""]],
        },
        "factor_total": 3,
    }


def test_the_graph_is_one_panel_per_objective_with_full_titles_and_left_out_factors_counted() -> (
    None
):
    html = graph_figures(
        json.dumps(_graph_payload(), sort_keys=True), "Alignment graph", 255, False
    )
    assert html.count("<figure") == 3  # two objectives and the unconnected initiative
    assert "Objective 1 of 2" in html and "Not yet connected to an objective" in html
    assert "2 factors are not drawn, of 3 in all" in html


def test_the_printed_graph_and_trend_read_back_whole_from_the_pdf() -> None:
    graph = render.chart("graph", _graph_payload(), "Alignment graph", 255, for_print=True)
    trend = render.chart(
        "trend",
        {
            "points": [["2026-01-01", 52.0], ["2026-03-01", 58.0]],
            "baseline": 50.0,
            "baseline_date": "2025-12-01",
            "target": 75.0,
            "target_date": "2027-12-31",
            "unit": "percent",
            "currency": "GBP",
            "forecast": [["2026-03-01", 58.0], ["2027-12-31", 80.0]],
            "min": 0,
            "max": 100,
            "as_of": "2026-04-01",
        },
        "Trend of recovery rate",
        for_print=True,
    )
    css = (
        "<style>.chart{position:relative}.chart .lbl{position:absolute;white-space:nowrap}</style>"
    )
    pdf, _ = render.render_pdf(f"<html><head>{css}</head><body>{graph}{trend}</body></html>")
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Resolve most small complaints at the front desk without calling a manager" in text
    assert "Hold a monthly review of recurring failures with an owner for each cause" in text
    assert "…" not in text


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_money_charts_name_their_currency_on_the_axis() -> None:
    cash = _texts(cash_flow_chart([2026, 2027], [-400.0, 250.0], [-400.0, -150.0], "EUR").render())
    # The unit heads the column of tick labels, apart from the title and legend.
    assert "EUR" in cash
    tornado = _texts(tornado_chart(["Churn"], -1200.0, [-1400.0], [-1000.0], "JPY").render())
    assert "NPV, JPY" in tornado
