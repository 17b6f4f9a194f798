"""Freshness in words, the demo's month shift, and stale data in the board's points and sites."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis import board
from workbench.analysis import sites as rules
from workbench.analysis.board import Owned
from workbench.analysis.cadence import cadence
from workbench.analysis.freshness import (
    add_months,
    freshness_sentence,
    months_to_bring_forward,
    stale_since,
)
from workbench.analysis.perspective import PerspectiveFacts, written_perspective

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (date(2026, 11, 24), 16, date(2028, 3, 24)),
        (date(2026, 2, 28), 1, date(2026, 3, 31)),  # a month end stays a month end
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap February
        (date(2026, 3, 30), -1, date(2026, 2, 28)),  # clamped, not carried into March
        (date(2026, 12, 15), -13, date(2025, 11, 15)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_add_months_keeps_month_ends(day: date, months: int, moved: date) -> None:
    assert add_months(day, months) == moved


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (date(2026, 11, 24), 0),
        (date(2026, 12, 23), 0),
        (date(2026, 12, 24), 1),
        (date(2028, 3, 15), 15),
        (date(2028, 3, 24), 16),
        (date(2026, 6, 1), -6),
    ],
)
def test_the_shift_brings_the_latest_reading_into_the_last_month(today: date, months: int) -> None:
    assert months_to_bring_forward(date(2026, 11, 24), today) == months


@given(latest=DAYS, today=DAYS)
def test_a_shifted_reading_is_never_in_the_future_nor_a_month_old(
    latest: date, today: date
) -> None:
    moved = add_months(latest, months_to_bring_forward(latest, today))
    assert moved <= today < add_months(moved, 1)
    # So a monthly metric read on that day is current on the load day.
    assert cadence(moved, "monthly", today).freshness.value == "current"


def test_the_sentences_say_when_the_reading_came_and_when_the_next_is_due() -> None:
    last = date(2026, 8, 31)
    stale = cadence(last, "monthly", date(2026, 12, 4))
    assert stale_since(stale) == date(2026, 10, 11)
    assert freshness_sentence(stale) == (
        "No recent data: the last reading is from 31 August 2026. The next monthly reading "
        "was due on 30 September 2026 and has not come in, so the data has counted as stale "
        "since 11 October 2026. The goal is not judged on readings this old."
    )
    due = cadence(last, "monthly", date(2026, 10, 2))
    assert freshness_sentence(due) == (
        "The last reading is from 31 August 2026. The next monthly reading was due on "
        "30 September 2026; without one by 10 October 2026 the data counts as stale."
    )
    current = cadence(last, "weekly", date(2026, 9, 2))
    assert freshness_sentence(current) == (
        "The last reading is from 31 August 2026; the next weekly reading is due on "
        "7 September 2026."
    )
    never = cadence(None, "monthly", date(2026, 9, 2))
    assert stale_since(never) is None
    assert freshness_sentence(never) == "No reading has been recorded yet."


def test_a_stale_metric_becomes_a_decision_for_its_owner() -> None:
    points = board.stale_points([(Owned("NPS", "Head of marketing", None), "the last reading …")])
    assert [(p.area, p.subject, p.owner) for p in points] == [
        ("metrics", "NPS", "Head of marketing")
    ]
    assert points[0].decision.startswith("Restart the readings of “NPS”: the last reading")


def test_a_stale_site_becomes_a_decision_for_the_metrics_owner() -> None:
    points = board.stale_site_points(
        [(Owned("Star rating", "Head of marketing", None), "Tenby", "the last reading …")]
    )
    assert [(p.area, p.subject, p.owner) for p in points] == [
        ("metrics", "Star rating at Tenby", "Head of marketing")
    ]
    assert points[0].decision.startswith(
        "Restart the readings of “Star rating” at Tenby: the last reading …. Until then"
    )


@pytest.mark.parametrize(
    ("stale", "sentence"),
    [
        (1, "1 metric has no recent data, so its goal is not judged."),
        (2, "2 metrics have no recent data, so their goals are not judged."),
        (0, None),
    ],
)
def test_the_written_perspective_counts_stale_metrics(stale: int, sentence: str | None) -> None:
    facts = PerspectiveFacts(
        verdict="viable",
        index=70.0,
        factor_score=None,
        readiness_score=None,
        weakest=(),
        heavy_barriers=(),
        initiatives=3,
        objectives=2,
        unserved=0,
        goals={"on_track": 2, "stale": stale},
        flagged_initiatives=0,
    )
    text = written_perspective(facts)
    if sentence:
        assert sentence in text
    else:
        assert "no recent data" not in text


def test_a_site_whose_readings_stopped_is_stale_and_not_judged() -> None:
    today = date(2026, 12, 4)
    north, south = rules.SiteRef(1, "North"), rules.SiteRef(2, "South")
    goal = rules.GoalRef(40.0, 60.0, date(2027, 6, 30), date(2026, 1, 1))
    readings = [
        rules.Reading(1, today - timedelta(days=40), 65.0),
        rules.Reading(2, today - timedelta(days=3), 50.0),
        rules.Reading(2, today - timedelta(days=10), 49.0),
    ]
    lines = {
        line.site.name: line
        for line in rules.league_table(
            [north, south], readings, "higher", goal, today, "", "", "weekly"
        )
    }
    assert lines["North"].status == "stale" and lines["North"].progress is None
    assert "No recent data" in lines["North"].reason
    assert lines["South"].status != "stale"
    # A months-old figure is not ranked against this week's, however good it was.
    assert lines["North"].rank is None and lines["South"].rank == 1
    # Without a frequency the league table judges as before.
    plain = rules.league_table([north], readings, "higher", goal, today)
    assert plain[0].status == "on_track"
