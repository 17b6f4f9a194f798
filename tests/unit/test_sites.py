"""The roll-up rules, per-site status and the league table of workbench.analysis.sites."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.analysis import sites as rules
from workbench.analysis.measurement_import import parse_measurements
from workbench.analysis.sites import GoalRef, LeftOut, Reading, SiteRef
from workbench.models.metrics import ADDITIVE_UNITS

D1, D2, D3 = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)
TODAY = date(2026, 4, 15)
NORTH, SOUTH, EAST = SiteRef(1, "North"), SiteRef(2, "south"), SiteRef(3, "East")


def test_default_rule_sums_counts_and_money_and_averages_the_rest() -> None:
    assert rules.default_rule("count") == "sum"
    assert rules.default_rule("currency") == "sum"
    assert rules.default_rule("percent") == "mean"
    assert rules.default_rule("score") == "mean"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("sum", 60.0), ("mean", 20.0), ("min", 10.0), ("max", 30.0)],
)
def test_each_plain_rule(rule: str, expected: float) -> None:
    readings = [Reading(1, D1, 10.0), Reading(2, D1, 20.0), Reading(3, D1, 30.0)]
    (day,) = rules.organisation_series(rule, readings)
    assert day.value == pytest.approx(expected)
    assert day.source == "sites"
    assert day.sites == (1, 2, 3)


def test_one_site_is_its_own_roll_up_by_every_rule() -> None:
    for rule in ("sum", "mean", "min", "max"):
        (day,) = rules.organisation_series(rule, [Reading(2, D1, 7.5)])
        assert day.value == 7.5
    (day,) = rules.organisation_series(
        "weighted_mean", [Reading(2, D1, 7.5)], [Reading(2, D1, 3.0)], has_weight_metric=True
    )
    assert day.value == 7.5


def test_weighted_mean_weighs_each_site_by_its_volume_that_day() -> None:
    readings = [Reading(1, D1, 80.0), Reading(2, D1, 60.0)]
    weights = [Reading(1, D1, 300.0), Reading(2, D1, 100.0), Reading(1, D2, 1.0)]
    (day,) = rules.organisation_series("weighted_mean", readings, weights, True)
    assert day.value == pytest.approx((80 * 300 + 60 * 100) / 400)
    assert day.left_out == ()


def test_weighted_mean_leaves_out_a_site_without_a_weight_and_says_why() -> None:
    readings = [Reading(1, D1, 80.0), Reading(2, D1, 60.0)]
    (day,) = rules.organisation_series(
        "weighted_mean", readings, [Reading(1, D1, 50.0), Reading(2, D2, 9.0)], True
    )
    assert day.value == 80.0
    assert day.sites == (1,)
    assert day.left_out == (LeftOut(2, "no reading of the volume metric on that day"),)
    named = rules.weighted_sites_named(day.left_out, {2: "South"})
    assert named == (("South", "no reading of the volume metric on that day"),)


def test_weighted_mean_with_zero_weights_gives_no_value() -> None:
    readings = [Reading(1, D1, 80.0), Reading(2, D1, 60.0)]
    weights = [Reading(1, D1, 0.0), Reading(2, D1, -4.0)]
    (day,) = rules.organisation_series("weighted_mean", readings, weights, True)
    assert day.value is None
    assert [item.site for item in day.left_out] == [1, 2]
    assert "above zero" in day.left_out[0].reason
    assert rules.organisation_readings([day]) == ()


def test_weighted_mean_without_a_volume_metric_leaves_every_site_out() -> None:
    (day,) = rules.organisation_series("weighted_mean", [Reading(1, D1, 80.0)])
    assert day.value is None
    assert day.left_out[0].reason == "no volume metric is chosen to weigh the sites"


def test_combine_refuses_unknown_rule_and_mismatched_weights() -> None:
    with pytest.raises(ValueError, match="unknown"):
        rules.combine("median", [1.0])
    with pytest.raises(ValueError, match="one weight per value"):
        rules.combine("weighted_mean", [1.0, 2.0], [1.0])
    assert rules.combine("sum", []) is None
    assert rules.combine("weighted_mean", [5.0], [0.0]) is None


def test_organisation_reading_wins_over_site_readings_on_the_same_day() -> None:
    readings = [
        Reading(1, D1, 10.0),
        Reading(2, D1, 20.0),
        Reading(None, D1, 99.0),
        Reading(1, D2, 4.0),
        Reading(2, D2, 6.0),
    ]
    first, second = rules.organisation_series("sum", readings)
    assert (first.on, first.value, first.source, first.sites) == (D1, 99.0, "organisation", ())
    assert (second.on, second.value, second.source) == (D2, 10.0, "sites")
    assert rules.organisation_readings([first, second])[1].value == 10.0


GOAL = GoalRef(baseline=50.0, target=90.0, target_date=date(2026, 12, 31), baseline_date=D1)


def test_league_table_ranks_best_first_with_progress_and_status() -> None:
    readings = [
        Reading(1, D1, 60.0),
        Reading(1, D2, 70.0),
        Reading(2, D1, 50.0),
        Reading(2, D2, 48.0),
        Reading(3, D2, 95.0),
        Reading(None, D2, 70.0),
    ]
    lines = rules.league_table([NORTH, SOUTH, EAST], readings, "higher", GOAL, TODAY, "percent")
    assert [line.site.name for line in lines] == ["East", "North", "south"]
    assert [line.rank for line in lines] == [1, 2, 3]
    east, north, south = lines
    assert east.status == "on_track" and east.progress == pytest.approx(45 / 40)
    assert north.progress == pytest.approx(0.5)
    assert north.latest_on == D2
    assert south.status == "off_track"
    assert south.progress == pytest.approx(-2 / 40)
    best, worst = rules.best_and_worst(lines)
    assert best is east and worst is south


def test_league_table_for_lower_is_better_and_unmeasured_sites_last() -> None:
    readings = [Reading(1, D1, 12.0), Reading(2, D1, 7.0)]
    goal = GoalRef(20.0, 5.0, date(2026, 12, 31), D1)
    lines = rules.league_table([NORTH, SOUTH, EAST], readings, "lower", goal, TODAY)
    assert [(line.site.name, line.rank) for line in lines] == [
        ("south", 1),
        ("North", 2),
        ("East", None),
    ]
    assert lines[2].status == "no_data" and lines[2].latest is None


def test_ties_share_a_rank_and_are_listed_by_name() -> None:
    readings = [Reading(1, D1, 70.0), Reading(2, D1, 70.0), Reading(3, D1, 40.0)]
    lines = rules.league_table([NORTH, SOUTH, EAST], readings, "higher", None, TODAY)
    assert [(line.site.name, line.rank) for line in lines] == [
        ("North", 1),
        ("south", 1),
        ("East", 3),
    ]
    assert all(line.status == "no_data" for line in lines)
    assert "no goal" in lines[0].reason


def test_best_and_worst_when_level_or_alone() -> None:
    level = rules.league_table(
        [NORTH, SOUTH], [Reading(1, D1, 5.0), Reading(2, D1, 5.0)], "higher", None, TODAY
    )
    best, worst = rules.best_and_worst(level)
    assert best is not None and best.site == NORTH and worst is None
    # One site alone is not the best of anything: no pair is named.
    alone = rules.league_table([NORTH], [Reading(1, D1, 5.0)], "higher", None, TODAY)
    assert alone[0].rank == 1
    assert rules.best_and_worst(alone) == (None, None)
    assert rules.best_and_worst([]) == (None, None)


# --------------------------------------------------------------------------- stale sites

# Monthly: a reading of 31 January falls due on 28 February and, after ten days' grace,
# counts as stale from 11 March. On 15 April a March reading is current, a January one stale.
STALE_GOAL = GoalRef(50.0, 90.0, date(2026, 12, 31), D1)


def _league(readings: list[Reading], direction: str = "higher") -> tuple[rules.SiteLine, ...]:
    return rules.league_table(
        [NORTH, SOUTH, EAST], readings, direction, STALE_GOAL, TODAY, "percent", "", "monthly"
    )


def test_a_stale_site_follows_the_ranked_sites_unranked_even_with_the_best_figure() -> None:
    # East's 99% is the highest figure, but from January: it is not this month's news.
    readings = [Reading(1, D3, 70.0), Reading(2, D3, 60.0), Reading(3, D1, 99.0)]
    lines = _league(readings)
    assert [(line.site.name, line.rank, line.status) for line in lines] == [
        ("North", 1, "on_track"),
        ("south", 2, lines[1].status),
        ("East", None, "stale"),
    ]
    east = lines[2]
    assert east.is_stale and east.progress is None
    assert (east.latest, east.latest_on, east.stale_since) == (99.0, D1, date(2026, 3, 11))
    assert "No recent data" in east.reason and "11 March 2026" in east.reason
    best, worst = rules.best_and_worst(lines)
    assert best is not None and worst is not None
    assert (best.site.name, worst.site.name) == ("North", "south")


def test_staleness_is_the_cadence_rule_to_the_day() -> None:
    # The last day of grace (10 March, for a reading of 31 January) is still only "due".
    on_last_grace_day = rules.league_table(
        [NORTH], [Reading(1, D1, 5.0)], "higher", None, date(2026, 3, 10), frequency="monthly"
    )
    next_day = rules.league_table(
        [NORTH], [Reading(1, D1, 5.0)], "higher", None, date(2026, 3, 11), frequency="monthly"
    )
    assert on_last_grace_day[0].rank == 1 and not on_last_grace_day[0].is_stale
    assert next_day[0].rank is None and next_day[0].stale_since == date(2026, 3, 11)
    weekly = rules.league_table(
        [NORTH], [Reading(1, D1, 5.0)], "higher", None, date(2026, 2, 11), frequency="weekly"
    )
    assert weekly[0].is_stale and weekly[0].stale_since == date(2026, 2, 11)


def test_stale_sites_are_listed_by_name_before_the_sites_without_readings() -> None:
    readings = [Reading(1, D1, 70.0), Reading(2, D1, 60.0)]
    lines = _league(readings, "lower")
    assert [(line.site.name, line.rank, line.status) for line in lines] == [
        ("North", None, "stale"),
        ("south", None, "stale"),
        ("East", None, "no_data"),
    ]
    assert rules.best_and_worst(lines) == (None, None)


def test_one_recent_site_beside_a_stale_one_names_no_pair() -> None:
    lines = _league([Reading(1, D3, 70.0), Reading(2, D1, 90.0)])
    assert [line.rank for line in lines[:2]] == [1, None]
    assert rules.best_and_worst(lines) == (None, None)


def test_too_few_recent_says_so_plainly() -> None:
    assert rules.too_few_recent(["North"], 1) == (
        "Only North has recent data (1 site's readings have stopped), so no site is named "
        "best or worst."
    )
    assert rules.too_few_recent([], 2) == (
        "No site has recent data (2 sites' readings have stopped), so no site is named best "
        "or worst."
    )
    assert rules.too_few_recent(["North"], 0) == (
        "Only North has recent data, so no site is named best or worst."
    )


def test_without_a_frequency_no_site_is_judged_stale() -> None:
    lines = rules.league_table([NORTH], [Reading(1, D1, 5.0)], "higher", None, TODAY)
    assert lines[0].rank == 1 and not lines[0].is_stale


def test_per_site_status_uses_the_site_readings_alone() -> None:
    # North is on course by itself even though the other site pulls the mean down.
    readings = [
        Reading(1, D1, 50.0),
        Reading(1, D2, 60.0),
        Reading(1, D3, 70.0),
        Reading(2, D1, 50.0),
        Reading(2, D2, 50.0),
        Reading(2, D3, 50.0),
    ]
    goal = GoalRef(50.0, 90.0, date(2026, 6, 30), D1)
    north, south = rules.league_table([NORTH, SOUTH], readings, "higher", goal, TODAY)
    assert north.status == "on_track"
    assert south.status == "off_track"
    assert len(north.readings) == 3


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.league_table([NORTH], [], "sideways", None, TODAY)


# --------------------------------------------------------------------------- the site column

SITES = {"north": 1, "south": 2}


def test_a_site_column_is_read_by_header_and_matched_ignoring_case() -> None:
    text = (
        "date,site,value,note\n2026-01-31,NORTH,60,first\n2026-01-31,South,50,\n2026-01-31,,55,\n"
    )
    result = parse_measurements(text, "percent", 0, 100, today=TODAY, sites=SITES)
    assert result.ok, result.errors
    assert [(row.site, row.value, row.note) for row in result.rows] == [
        (1, 60.0, "first"),
        (2, 50.0, ""),
        (None, 55.0, ""),
    ]


def test_site_rows_are_refused_by_line_and_nothing_is_kept() -> None:
    text = (
        "date,value,site\n"
        "2026-01-31,60,North\n"
        "2026-01-31,61,north\n"
        "2026-01-31,62,Atlantis\n"
        "2026-02-28,=1+1,South\n"
        "2026-02-28,40,South\n"
    )
    result = parse_measurements(
        text,
        "percent",
        0,
        100,
        today=TODAY,
        sites=SITES,
        existing_site_dates=[(date(2026, 2, 28), 2)],
    )
    assert not result.ok
    assert result.errors[0] == "Line 3: 2026-01-31 already appears on line 2 for the same site."
    assert result.errors[1].startswith("Line 4: no site is called “Atlantis”")
    assert result.errors[2].startswith("Line 5: “=1+1” looks like a spreadsheet formula")
    assert result.errors[3].startswith("Line 6: a value for 2026-02-28 is already recorded")


def test_a_site_header_without_a_value_column_is_refused() -> None:
    result = parse_measurements("date,site\n2026-01-31,North\n", "percent", 0, 100, sites=SITES)
    assert result.errors == ("Line 1: a header with a site column must name date and value.",)


def test_without_a_site_column_the_old_layout_still_reads() -> None:
    result = parse_measurements("2026-01-31,60,a note, with a comma\n", "percent", 0, 100)
    assert result.ok and result.rows[0].site is None
    assert result.rows[0].note == "a note, with a comma"


def test_the_model_and_the_analysis_agree_on_which_units_add_up() -> None:
    assert ADDITIVE_UNITS == rules.ADDITIVE_UNITS
