"""The cadence rule: when a reading is due and when a metric's data turns stale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis.cadence import Freshness, cadence, grace_days, next_due


@pytest.mark.parametrize(
    ("latest", "frequency", "due"),
    [
        (date(2026, 11, 24), "daily", date(2026, 11, 25)),
        (date(2026, 11, 24), "weekly", date(2026, 12, 1)),
        (date(2026, 11, 24), "monthly", date(2026, 12, 24)),
        (date(2026, 1, 31), "monthly", date(2026, 2, 28)),
        (date(2024, 1, 31), "monthly", date(2024, 2, 29)),
        (date(2026, 11, 30), "quarterly", date(2027, 2, 28)),
        (date(2026, 12, 15), "monthly", date(2027, 1, 15)),
        # A month's total, dated its last day: the next falls due on the next month's last day.
        (date(2026, 11, 30), "monthly", date(2026, 12, 31)),
        (date(2027, 2, 28), "monthly", date(2027, 3, 31)),
        (date(2026, 11, 24), "fortnightly-or-unknown", date(2026, 12, 24)),
    ],
)
def test_next_due_follows_the_calendar(latest: date, frequency: str, due: date) -> None:
    assert next_due(latest, frequency) == due


def test_never_measured_is_its_own_state() -> None:
    judged = cadence(None, "monthly", date(2026, 12, 4))
    assert judged.freshness is Freshness.NEVER
    assert not judged.is_stale
    assert judged.due_on is None


def test_monthly_metric_moves_from_current_to_due_to_stale() -> None:
    latest = date(2026, 11, 24)
    assert cadence(latest, "monthly", date(2026, 12, 23)).freshness is Freshness.CURRENT
    assert cadence(latest, "monthly", date(2026, 12, 24)).freshness is Freshness.DUE
    assert cadence(latest, "monthly", date(2027, 1, 3)).freshness is Freshness.DUE
    stale = cadence(latest, "monthly", date(2027, 1, 4))
    assert stale.freshness is Freshness.STALE and stale.is_stale
    assert stale.stale_after == date(2027, 1, 3)
    assert stale.days_overdue(date(2027, 1, 4)) == 11


def test_weekly_grace_is_shorter_than_monthly() -> None:
    assert grace_days("weekly") < grace_days("monthly") < grace_days("quarterly")
    assert cadence(date(2026, 11, 24), "weekly", date(2026, 12, 5)).is_stale


@given(
    latest=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    offset=st.integers(min_value=0, max_value=400),
    frequency=st.sampled_from(["daily", "weekly", "monthly", "quarterly"]),
)
def test_staleness_only_grows_with_time(latest: date, offset: int, frequency: str) -> None:
    order = [Freshness.CURRENT, Freshness.DUE, Freshness.STALE]
    today = latest + timedelta(days=offset)
    now = order.index(cadence(latest, frequency, today).freshness)
    later = order.index(cadence(latest, frequency, today + timedelta(days=1)).freshness)
    assert later >= now
    assert cadence(latest, frequency, latest).freshness is Freshness.CURRENT
