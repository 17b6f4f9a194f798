"""The application portfolio's rules: gaps, overlaps, contracts and cost."""

from __future__ import annotations

from datetime import date, timedelta

from workbench.analysis.applications import (
    ENDING_DAYS,
    AppRecord,
    capabilities_of,
    contracts,
    gaps,
    overlaps,
    portfolio,
    sentences,
    total_cost,
)
from workbench.models.vocabulary import APPLICATION_CAPABILITIES

TODAY = date(2026, 12, 4)
CAPS = capabilities_of(APPLICATION_CAPABILITIES)


def app(
    id_: int,
    name: str,
    cost: float | None,
    caps: set[str],
    end: date | None = None,
) -> AppRecord:
    return AppRecord(id_, name, cost, end, frozenset(caps))


def test_the_capability_list_has_exactly_the_five_csm_capabilities() -> None:
    assert [c.key for c in CAPS if c.csm] == [
        "routing",
        "self_service",
        "customer_history",
        "practice_insight",
        "analytics",
    ]
    assert len({c.key for c in CAPS}) == len(CAPS)


def test_an_empty_portfolio_has_every_csm_capability_as_a_gap_and_costs_nothing() -> None:
    result = portfolio([], CAPS, TODAY)
    assert [c.key for c in result.gaps] == [c.key for c in CAPS if c.csm]
    assert result.total_cost == 0
    assert result.overlaps == () and result.ending == () and result.matrix == ()


def test_gaps_are_only_csm_capabilities_nobody_covers() -> None:
    apps = [
        app(1, "Case desk", 1000, {"routing", "customer_history", "analytics"}),
        app(2, "Survey tool", 500, {"feedback_capture", "self_service"}),
    ]
    # callback_scheduling is uncovered too, but it is not one of the five: not a gap.
    assert [c.key for c in gaps(apps, CAPS)] == ["practice_insight"]


def test_unknown_capability_keys_cover_nothing() -> None:
    apps = [app(1, "Odd", 10, {"teleportation"})]
    result = portfolio(apps, CAPS, TODAY)
    assert len(result.gaps) == 5
    assert result.matrix[0][1] == tuple(False for _ in CAPS)


def test_an_overlap_sums_the_costs_of_the_applications_sharing_a_capability() -> None:
    apps = [
        app(1, "Case desk", 1200.5, {"analytics", "routing"}),
        app(2, "QA suite", 800, {"analytics"}),
        app(3, "Chat", None, {"analytics"}),
        app(4, "Phones", 300, {"routing"}),
    ]
    found = {o.capability.key: o for o in overlaps(apps, CAPS)}
    assert set(found) == {"analytics", "routing"}
    assert found["analytics"].combined_cost == 2000.5
    assert found["analytics"].unpriced == 1
    assert [a.name for a in found["analytics"].applications] == ["Case desk", "QA suite", "Chat"]
    assert found["routing"].combined_cost == 1500.5
    assert found["routing"].unpriced == 0


def test_one_application_alone_never_overlaps() -> None:
    apps = [app(1, "Case desk", 100, {c.key for c in CAPS})]
    assert overlaps(apps, CAPS) == ()
    assert gaps(apps, CAPS) == ()


def test_total_cost_leaves_out_unpriced_applications() -> None:
    apps = [app(1, "A", 100.25, set()), app(2, "B", None, set()), app(3, "C", 0, set())]
    assert total_cost(apps) == 100.25
    result = portfolio(apps, CAPS, TODAY)
    assert [a.name for a in result.unpriced] == ["B"]


def test_contracts_ending_include_today_and_the_last_day_of_the_window() -> None:
    apps = [
        app(1, "Today", 1, set(), TODAY),
        app(2, "Last day", 1, set(), TODAY + timedelta(days=ENDING_DAYS)),
        app(3, "Too late", 1, set(), TODAY + timedelta(days=ENDING_DAYS + 1)),
        app(4, "Ended", 1, set(), TODAY - timedelta(days=1)),
        app(5, "No date", 1, set()),
        app(6, "Soon", 1, set(), TODAY + timedelta(days=30)),
    ]
    ending, lapsed = contracts(apps, TODAY)
    assert [(c.application.name, c.days_left) for c in ending] == [
        ("Today", 0),
        ("Soon", 30),
        ("Last day", ENDING_DAYS),
    ]
    assert [(c.application.name, c.days_left) for c in lapsed] == [("Ended", -1)]


def test_the_matrix_follows_the_capabilities_order() -> None:
    apps = [app(7, "Case desk", 10, {"analytics", "routing"})]
    result = portfolio(apps, CAPS, TODAY)
    row_app, cells = result.matrix[0]
    assert row_app.id == 7
    assert [c.key for c, ticked in zip(CAPS, cells, strict=True) if ticked] == [
        "routing",
        "analytics",
    ]
    assert [a.id for a in result.covering("analytics")] == [7]
    assert result.covering("callback_scheduling") == ()


def test_the_portfolio_in_words_names_cost_gaps_overlaps_and_contracts() -> None:
    apps = [
        app(
            1, "Case desk", 38000, {"routing", "customer_history", "practice_insight", "analytics"}
        ),
        app(2, "Review monitor", 9600, {"analytics"}, TODAY + timedelta(days=75)),
        app(3, "Survey", None, set(), TODAY - timedelta(days=2)),
    ]
    words = sentences(portfolio(apps, CAPS, TODAY), "GBP")
    assert (
        words[0]
        == "The 3 applications cost GBP 47,600 a year in all; 1 of them has no cost recorded."
    )
    assert words[1] == (
        "Gap: no application covers self-service portal and knowledge base on every channel, "
        "one of the five capabilities that raise first contact resolution."
    )
    assert words[2] == (
        "Overlap: analytics and reporting is covered by Case desk and Review monitor, "
        "which together cost GBP 47,600 a year."
    )
    assert words[3] == (
        "The contract for Review monitor ends on 17 February 2027, in 75 days: renew, "
        "replace or retire it."
    )
    assert words[4] == "The contract for Survey ended on 2 December 2026."


def test_an_empty_or_complete_portfolio_is_said_plainly() -> None:
    (only,) = sentences(portfolio([], CAPS, TODAY), "EUR")
    assert "No application is recorded yet" in only
    full = [app(1, "All in one", 10, {c.key for c in CAPS})]
    words = sentences(portfolio(full, CAPS, TODAY), "EUR")
    assert words == (
        "The one application costs EUR 10 a year in all.",
        "Every one of the five capabilities that raise first contact resolution is covered.",
    )
