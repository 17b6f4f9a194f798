"""The risk register's rules: score, bands, order, overdue reviews, heat map and gaps."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis import risks
from workbench.analysis.report_diff import diff_reports
from workbench.analysis.risks import BarrierRecord, RiskRecord
from workbench.charts.risk_map import HEIGHT, WIDTH, risk_map_svg
from workbench.charts.svg import text_width

TODAY = date(2026, 12, 4)


def _risk(
    risk_id: int,
    likelihood: int = 3,
    impact: int = 3,
    status: str = "open",
    review: date | None = None,
    factors: tuple[int, ...] = (),
    initiatives: tuple[int, ...] = (),
    title: str = "",
) -> RiskRecord:
    return RiskRecord(
        risk_id,
        title or f"Risk {risk_id}",
        likelihood,
        impact,
        "Owner",
        review,
        status,
        factors,
        initiatives,
    )


def test_a_risk_may_come_only_from_a_barrier() -> None:
    assert risks.may_come_from("barrier")
    for other in ("driver", "enabler", "Barrier", "", None):
        assert not risks.may_come_from(other)


def test_score_is_likelihood_times_impact() -> None:
    assert risks.score(1, 1) == 1
    assert risks.score(4, 5) == 20
    assert risks.score(3, 2) == 6


def test_bands_cover_every_possible_score_at_their_edges() -> None:
    expected = {1: "low", 4: "low", 5: "medium", 9: "medium", 10: "high", 16: "high"}
    expected |= {20: "critical", 25: "critical"}
    for value, key in expected.items():
        assert risks.band(value).key == key, value
    products = {a * b for a in range(1, 6) for b in range(1, 6)}
    for value in products:
        found = risks.band(value)
        assert found.low <= value <= found.high
    assert "critical 20 to 25" in risks.BANDS_SENTENCE


def test_order_is_score_then_review_date_undated_last() -> None:
    a = _risk(1, 2, 2, review=date(2027, 3, 1))
    b = _risk(2, 4, 5)
    c = _risk(3, 2, 2, review=date(2027, 1, 1))
    d = _risk(4, 2, 2)
    assert [r.id for r in risks.ordered([a, b, c, d])] == [2, 3, 1, 4]


def test_overdue_means_a_past_review_on_a_risk_not_closed() -> None:
    past = date(2026, 11, 30)
    assert risks.is_overdue(_risk(1, review=past), TODAY)
    assert risks.is_overdue(_risk(1, review=past, status="accepted"), TODAY)
    assert not risks.is_overdue(_risk(1, review=past, status="closed"), TODAY)
    assert not risks.is_overdue(_risk(1, review=TODAY), TODAY)
    assert not risks.is_overdue(_risk(1), TODAY)


def test_heat_map_counts_per_cell_and_leaves_closed_risks_out() -> None:
    cells = risks.heat_map(
        [_risk(1, 5, 4), _risk(2, 5, 4), _risk(3, 1, 1), _risk(4, 5, 4, status="closed")]
    )
    assert cells[3][4] == 2  # impact 4, likelihood 5
    assert cells[0][0] == 1
    assert sum(map(sum, cells)) == 3


def test_top_takes_live_risks_by_score() -> None:
    found = risks.top(
        [
            _risk(1, 5, 5, status="closed"),
            _risk(2, 4, 4),
            _risk(3, 2, 2, status="mitigating"),
            _risk(4, 5, 5, status="accepted"),
            _risk(5, 1, 1),
        ]
    )
    assert [r.id for r in found] == [2, 3, 5]


def test_an_important_barrier_nothing_covers_is_a_gap() -> None:
    barriers = [
        BarrierRecord(10, "Legacy CRM", 5),
        BarrierRecord(11, "Budget freeze", 4),
        BarrierRecord(12, "Minor gripe", 3),
        BarrierRecord(13, "Silos", 4),
    ]
    found = risks.gaps(
        [_risk(1, factors=(11,), initiatives=(7,)), _risk(2, factors=(10,))],
        barriers,
        addressed={13},
        active_initiatives={7},
    )
    # 11 is covered through its risk's mitigation, 13 directly, 12 is not important enough.
    assert [(g.barrier.id, g.risk_ids) for g in found.barriers] == [(10, (2,))]
    assert found.covered_barriers == (11,)


def test_a_dropped_initiative_mitigates_nothing() -> None:
    found = risks.gaps(
        [_risk(1, 4, 4, factors=(10,), initiatives=(7,))],
        [BarrierRecord(10, "Legacy CRM", 4)],
        addressed=set(),
        active_initiatives=set(),
    )
    assert [g.barrier.id for g in found.barriers] == [10]
    assert [r.id for r in found.unmitigated] == [1]


def test_serious_live_risks_without_a_mitigation_are_gaps() -> None:
    found = risks.gaps(
        [
            _risk(1, 4, 4),  # high, open, nothing mitigates: a gap
            _risk(2, 5, 5, initiatives=(7,)),  # mitigated
            _risk(3, 5, 4, status="accepted"),  # accepted on purpose
            _risk(4, 5, 5, status="closed"),
            _risk(5, 3, 3),  # medium
            _risk(6, 5, 4, status="mitigating"),  # critical, still unmitigated
        ],
        [],
        addressed=set(),
        active_initiatives={7},
    )
    assert [r.id for r in found.unmitigated] == [6, 1]


counts = st.lists(
    st.lists(st.integers(min_value=-5, max_value=10**6), min_size=0, max_size=7),
    min_size=0,
    max_size=7,
)
words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz顧客満足\u0645\u0631\u062d<&>\"'", max_size=40),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(counts, st.text(max_size=200), words, words)
def test_nothing_of_the_heat_map_is_drawn_outside_its_view_box(
    cells: list[list[int]], title: str, across: list[str], up: list[str]
) -> None:
    svg = risk_map_svg(cells, title, across, up)
    root = ElementTree.fromstring(svg)
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    ns = "{http://www.w3.org/2000/svg}"
    for rect in root.iter(f"{ns}rect"):
        x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
        assert x >= 0 and x + float(rect.get("width", "0")) <= WIDTH
        assert y >= 0 and y + float(rect.get("height", "0")) <= HEIGHT
    for text in root.iter(f"{ns}text"):
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT
        if text.get("transform"):
            continue  # the rotated axis title: fixed words, checked by eye
        # Every label is shortened to its room, so even the widest text ends inside the frame.
        width = text_width("".join(text.itertext()), float(text.get("font-size", "11")))
        left = {"end": x - width, "middle": x - width / 2}.get(text.get("text-anchor", ""), x)
        assert left >= 0 and left + width <= WIDTH, "".join(text.itertext())
    assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None


def test_the_heat_map_names_each_band_in_words_and_counts_cells() -> None:
    cells = [[0] * 5 for _ in range(5)]
    cells[4][4] = 3
    svg = risk_map_svg(cells, "Map")
    assert "Critical" in svg and "Low" in svg
    assert ">3</text>" in svg
    assert "Likelihood 5, impact 5: 3." in svg


def test_the_version_comparison_names_risk_changes() -> None:
    row = {
        "title": "Peak season",
        "score": 12,
        "rating": "High",
        "status": "Open",
        "owner": "Tom",
        "review": "2027-01-10",
        "initiatives": [],
    }
    old = {"risks": {"overdue": 0, "rows": [row]}}
    new = {
        "risks": {
            "overdue": 0,
            "rows": [
                {**row, "score": 20, "rating": "Critical", "initiatives": ["Summer rota"]},
                {**row, "title": "Data breach"},
            ],
        }
    }
    (section,) = [s for s in diff_reports(old, new) if s.key == "risks"]
    texts = " ".join(change.text for change in section.changes)
    assert "Data breach" in texts and "Rating of 'Peak season'" in texts
    assert "Summer rota" in texts
    # A version published before the register says nothing about it.
    (before,) = [s for s in diff_reports({}, new) if s.key == "risks"]
    assert not before.changed
