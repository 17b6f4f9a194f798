"""When a metric's next reading is expected, and when its data is too old to trust.

One rule serves the stale-data flag and the owners' reminders: a reading is *due* one
interval after the latest reading (a day, a week, a month or a quarter, by the metric's
frequency) and the metric turns *stale* once a grace period has passed after that with no
new reading. A stale metric's status is "no recent data", never "on track".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Grace after the due day before data counts as stale: enough for a reading taken at the
# end of a period to be keyed in, short enough that a missed period shows within it.
GRACE_DAYS = {"daily": 2, "weekly": 3, "monthly": 10, "quarterly": 21}
DEFAULT_FREQUENCY = "monthly"


class Freshness(StrEnum):
    """How current a metric's data is on a given day."""

    NEVER = "never"  # no reading yet: the scorecard's "not yet measured"
    CURRENT = "current"  # the next reading is not yet due
    DUE = "due"  # the next reading is due, within its grace period
    STALE = "stale"  # past due and past grace: no recent data


FRESHNESS_LABELS = {
    Freshness.NEVER: "Not yet measured",
    Freshness.CURRENT: "Current",
    Freshness.DUE: "Reading due",
    Freshness.STALE: "No recent data",
}


@dataclass(frozen=True)
class Cadence:
    """A metric's freshness on a day, with the dates it was judged by."""

    frequency: str
    latest: date | None
    due_on: date | None
    stale_after: date | None
    freshness: Freshness

    @property
    def is_stale(self) -> bool:
        """True when the metric has readings but none recent enough to trust."""
        return self.freshness is Freshness.STALE

    def days_overdue(self, today: date) -> int:
        """Days since the next reading fell due on `today` (0 when it is not yet due)."""
        if self.due_on is None or today <= self.due_on:
            return 0
        return (today - self.due_on).days


def add_months(day: date, months: int) -> date:
    """Move a day by whole months; a month's last day stays the last day of its month.

    So a reading for a whole month, dated its last day, falls due on the next month's last
    day (30 November, then 31 December), and the 31st never slips into the next month.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_month_end else min(day.day, last))


def next_due(latest: date, frequency: str) -> date:
    """Return the day the reading after `latest` is expected, by the metric's frequency."""
    if frequency == "daily":
        return latest + timedelta(days=1)
    if frequency == "weekly":
        return latest + timedelta(days=7)
    if frequency == "quarterly":
        return add_months(latest, 3)
    return add_months(latest, 1)


def grace_days(frequency: str) -> int:
    """Return the days a due reading may be late before the metric counts as stale."""
    return GRACE_DAYS.get(frequency, GRACE_DAYS[DEFAULT_FREQUENCY])


def cadence(latest: date | None, frequency: str, today: date) -> Cadence:
    """Judge how current a metric is on `today` from its latest reading and its frequency."""
    if latest is None:
        return Cadence(frequency, None, None, None, Freshness.NEVER)
    due_on = next_due(latest, frequency)
    stale_after = due_on + timedelta(days=grace_days(frequency))
    if today > stale_after:
        state = Freshness.STALE
    elif today >= due_on:
        state = Freshness.DUE
    else:
        state = Freshness.CURRENT
    return Cadence(frequency, latest, due_on, stale_after, state)
