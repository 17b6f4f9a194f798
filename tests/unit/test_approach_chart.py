"""The prevent-or-recover chart: stacked bars per row, currency on the axis, nothing outside."""

from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_charts_properties import SETTINGS, SVG, _check, labels
from workbench.charts.approach import BAR, RECOVER_COLOUR, UNSET_COLOUR, approach_chart
from workbench.charts.plots import PRIMARY

amounts = st.one_of(
    st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 0.01, 999.0, 18_000.0, 278_000.0, 99_999_999_999.99]),
)
currencies = st.sampled_from(["GBP", "EUR", "JPY", "CHF"])


@SETTINGS
@given(
    rows=st.lists(st.tuples(labels, amounts, amounts, amounts), min_size=1, max_size=12),
    currency=currencies,
)
def test_every_bar_and_label_stays_inside(
    rows: list[tuple[str, float, float, float]], currency: str
) -> None:
    svg = approach_chart(rows, currency)
    _check(svg, set(), plot_rect_height=BAR)
    assert any(label.text == f"Budget, {currency}" for label in svg.labels)


def _bars(svg_text: str) -> list[tuple[str, float]]:
    root = ElementTree.fromstring(svg_text)
    return [
        (rect.get("fill", ""), float(rect.get("width", "0")))
        for rect in root.iter(f"{SVG}rect")
        if float(rect.get("height", "0")) == BAR
    ]


def test_segments_are_stacked_in_proportion_with_the_total_beside_each_bar() -> None:
    svg = approach_chart([("All", 100.0, 300.0, 0.0), ("Objective", 0.0, 0.0, 50.0)], "GBP")
    bars = _bars(svg.render())
    # Prevent, recover (the first bar); not chosen (the second); an empty segment is not drawn.
    assert [fill for fill, _width in bars] == [PRIMARY, RECOVER_COLOUR, UNSET_COLOUR]
    prevent, recover, unset = (width for _fill, width in bars)
    assert abs(recover - 3 * prevent) < 0.2 and abs(recover + prevent - 8 * unset) < 0.5
    texts = [label.text for label in svg.labels]
    assert "400" in texts and "50" in texts
    assert {"Prevent", "Recover", "Not chosen"} <= set(texts)
    assert svg.title == "Budget of the active initiatives by approach, GBP"


def test_long_labels_wrap_and_keep_their_full_text_as_a_tooltip() -> None:
    title = "Capture, route and learn from every complaint through one group-wide process"
    svg = approach_chart([("All active initiatives", 1.0, 2.0, 0.0), (title, 1.0, 2.0, 0.0)], "EUR")
    lines = [label for label in svg.labels if label.tooltip == title]
    assert len(lines) == 2
    assert lines[0].text.startswith("Capture, route")
    # The total row is set in bold; the others are not.
    bold = {label.text for label in svg.labels if label.bold}
    assert bold == {"All active initiatives"}
