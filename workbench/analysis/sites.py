"""Sites: a metric's organisation value rolled up from its sites, and the sites' league table.

**Roll-up rules.** Each metric names how the values of its sites on one day make the
organisation's value for that day:

- *sum* - the sites' values added up (counts and money: complaints, refunds paid);
- *mean* - the plain average of the sites that reported (rates, scores, times);
- *weighted mean* - each site's value weighted by its reading of a chosen volume metric
  (say, guests or calls) on the same day. A site with no reading of the volume metric that
  day, or a reading that is not above zero, is left out and the reason is given. When no
  site keeps a weight above zero the day has no organisation value;
- *min* or *max* - the lowest or highest site value (the weakest link, the worst queue).

Only the sites that reported on a day take part; the roll-up does not guess a missing site.

**The organisation's own reading wins.** Where a reading for the whole organisation
(no site) and site readings share a day, the organisation-level reading is that day's
value and the site readings do not change it: someone measured the whole directly, and a
roll-up of a partial set of sites would be the weaker figure.

**Per-site status** is the metric's goal applied to one site's own readings, by the same
progress and status rules as the organisation's (`workbench.analysis.forecast`).

**League table.** Sites are ranked by their latest value, best first in the metric's
better direction. Sites with equal latest values share a rank (1, 1, 3) and are listed by
name. A site whose own latest reading is past the metric's cadence and grace
(`workbench.analysis.cadence`, the rule that makes a metric "No recent data") is *stale*:
a months-old figure is not compared with this month's, so stale sites follow the ranked
ones, unranked, by name; sites with no readings come last, unranked. The best site is the
first ranked; the worst is the last ranked, given only when it differs from the best; and
neither is named unless at least two sites have recent data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from workbench.analysis import forecast
from workbench.analysis.cadence import cadence
from workbench.analysis.freshness import freshness_sentence, stale_since

RULES = ("sum", "mean", "weighted_mean", "min", "max")
RULE_LABELS = {
    "sum": "Sum of the sites",
    "mean": "Mean of the sites",
    "weighted_mean": "Mean of the sites weighted by a volume metric",
    "min": "Lowest site value",
    "max": "Highest site value",
}
# Units whose site values add up to the organisation's; every other unit averages.
ADDITIVE_UNITS = ("count", "currency")


@dataclass(frozen=True)
class Reading:
    """One reading: the site it belongs to (None for the whole organisation), day, value."""

    site: int | None
    on: date
    value: float


@dataclass(frozen=True)
class LeftOut:
    """A site that took no part in a day's roll-up, and why."""

    site: int
    reason: str


@dataclass(frozen=True)
class DayValue:
    """The organisation's value on a day and where it came from."""

    on: date
    value: float | None
    # "organisation" when a whole-organisation reading gave it, else "sites".
    source: str
    sites: tuple[int, ...] = ()
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class SiteRef:
    """A site as the league table names it."""

    id: int
    name: str


@dataclass(frozen=True)
class GoalRef:
    """The parts of a metric's goal that judge progress."""

    baseline: float
    target: float
    target_date: date | None
    baseline_date: date | None = None


@dataclass(frozen=True)
class SiteLine:
    """One site in a metric's league table."""

    site: SiteRef
    rank: int | None
    latest: float | None
    latest_on: date | None
    progress: float | None
    status: str  # a forecast.Status, or "stale" when the site's readings have stopped
    reason: str
    readings: tuple[forecast.Measurement, ...]
    stale_since: date | None = None  # the first day a stale site's data counted as stale

    @property
    def is_stale(self) -> bool:
        """True when the site has readings but none recent enough for the metric's cadence."""
        return self.status == "stale"


def default_rule(unit: str) -> str:
    """Return the roll-up rule a metric of this unit starts with."""
    return "sum" if unit in ADDITIVE_UNITS else "mean"


def combine(rule: str, values: Sequence[float], weights: Sequence[float] = ()) -> float | None:
    """Return the roll-up of the values by the rule, or None when there is nothing to combine."""
    if rule not in RULES:
        raise ValueError(f"unknown roll-up rule {rule!r}")
    if not values:
        return None
    if rule == "sum":
        return math.fsum(values)
    if rule == "mean":
        return math.fsum(values) / len(values)
    if rule == "min":
        return min(values)
    if rule == "max":
        return max(values)
    if len(weights) != len(values):
        raise ValueError("a weighted mean needs one weight per value")
    total = math.fsum(weights)
    if total <= 0:
        return None
    return math.fsum(v * w for v, w in zip(values, weights, strict=True)) / total


def _weight_problem(weight: float | None, has_weight_metric: bool) -> str | None:
    if not has_weight_metric:
        return "no volume metric is chosen to weigh the sites"
    if weight is None:
        return "no reading of the volume metric on that day"
    if weight <= 0:
        return f"the volume reading is {weight:g}, and a weight must be above zero"
    return None


def organisation_series(
    rule: str,
    readings: Iterable[Reading],
    weights: Iterable[Reading] = (),
    has_weight_metric: bool = False,
) -> tuple[DayValue, ...]:
    """Return the organisation's value on every day with a reading, oldest first.

    `weights` are the volume metric's site readings, used by the weighted mean only.
    """
    if rule not in RULES:
        raise ValueError(f"unknown roll-up rule {rule!r}")
    whole: dict[date, float] = {}
    by_day: dict[date, dict[int, float]] = defaultdict(dict)
    for reading in readings:
        if reading.site is None:
            whole[reading.on] = reading.value
        else:
            by_day[reading.on][reading.site] = reading.value
    weight_of = {(w.site, w.on): w.value for w in weights if w.site is not None}
    days: list[DayValue] = []
    for on in sorted(whole.keys() | by_day.keys()):
        if on in whole:
            days.append(DayValue(on, whole[on], "organisation"))
            continue
        sites = by_day[on]
        if rule != "weighted_mean":
            ids = tuple(sorted(sites))
            days.append(DayValue(on, combine(rule, [sites[i] for i in ids]), "sites", ids))
            continue
        kept: list[int] = []
        left: list[LeftOut] = []
        for site in sorted(sites):
            weight = weight_of.get((site, on))
            problem = _weight_problem(weight, has_weight_metric)
            if problem is None:
                kept.append(site)
            else:
                left.append(LeftOut(site, problem))
        value = (
            combine(rule, [sites[i] for i in kept], [weight_of[(i, on)] for i in kept])
            if kept
            else None
        )
        days.append(DayValue(on, value, "sites", tuple(kept), tuple(left)))
    return tuple(days)


def organisation_readings(days: Iterable[DayValue]) -> tuple[forecast.Measurement, ...]:
    """Return the days that have a value as measurements the forecast can read."""
    return tuple(forecast.Measurement(d.on, d.value) for d in days if d.value is not None)


def _site_line(
    site: SiteRef,
    readings: Sequence[forecast.Measurement],
    direction: str,
    goal: GoalRef | None,
    today: date,
    unit: str,
    currency: str,
    frequency: str | None = None,
) -> SiteLine:
    latest = forecast.latest_value(readings)
    latest_on = max((r.on for r in readings), default=None)
    if frequency is not None:
        judged = cadence(latest_on, frequency, today)
        if judged.is_stale:
            # The same rule as the organisation's scorecard: old readings are not judged.
            reason = freshness_sentence(judged)
            return SiteLine(
                site,
                None,
                latest,
                latest_on,
                None,
                "stale",
                reason,
                tuple(readings),
                stale_since(judged),
            )
    if goal is None:
        reason = "The metric has no goal to judge the site against."
        return SiteLine(site, None, latest, latest_on, None, "no_data", reason, tuple(readings))
    report = forecast.status(
        direction,
        goal.baseline,
        goal.target,
        goal.target_date,
        readings,
        today,
        goal.baseline_date,
        unit,
        currency,
    )
    return SiteLine(
        site,
        None,
        latest,
        latest_on,
        report.progress,
        report.status,
        report.reason,
        tuple(readings),
    )


def _by_name(line: SiteLine) -> tuple[str, int]:
    return line.site.name.casefold(), line.site.id


def league_table(
    sites: Sequence[SiteRef],
    readings: Iterable[Reading],
    direction: str,
    goal: GoalRef | None,
    today: date,
    unit: str = "",
    currency: str = "",
    frequency: str | None = None,
) -> tuple[SiteLine, ...]:
    """Rank the sites with recent data by their latest value, best first, each with
    progress and status; then the stale sites, unranked; then those without readings.

    Given the metric's `frequency`, a site whose readings have stopped is "stale": neither
    ranked nor judged against the goal (workbench.analysis.cadence).
    """
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
    per_site: dict[int, list[forecast.Measurement]] = defaultdict(list)
    for reading in readings:
        if reading.site is not None:
            per_site[reading.site].append(forecast.Measurement(reading.on, reading.value))
    lines = [
        _site_line(
            site,
            sorted(per_site.get(site.id, []), key=lambda m: m.on),
            direction,
            goal,
            today,
            unit,
            currency,
            frequency,
        )
        for site in sites
    ]
    sign = -1.0 if direction == "higher" else 1.0
    measured = sorted(
        (line for line in lines if line.latest is not None and not line.is_stale),
        key=lambda line: (sign * (line.latest or 0.0), line.site.name.casefold(), line.site.id),
    )
    ranked: list[SiteLine] = []
    for index, line in enumerate(measured):
        tied = index > 0 and measured[index - 1].latest == line.latest
        rank = ranked[-1].rank if tied else index + 1
        ranked.append(
            SiteLine(
                line.site,
                rank,
                line.latest,
                line.latest_on,
                line.progress,
                line.status,
                line.reason,
                line.readings,
                line.stale_since,
            )
        )
    stale = sorted((line for line in lines if line.is_stale), key=_by_name)
    unmeasured = sorted((line for line in lines if line.latest is None), key=_by_name)
    return (*ranked, *stale, *unmeasured)


def best_and_worst(lines: Sequence[SiteLine]) -> tuple[SiteLine | None, SiteLine | None]:
    """Return the best and the worst ranked site; the worst only when it trails the best.

    Neither is named unless two sites or more have recent data: one site alone is not the
    best of anything, and a stale site is never ranked.
    """
    ranked = [line for line in lines if line.rank is not None]
    if len(ranked) < 2:
        return None, None
    best, worst = ranked[0], ranked[-1]
    if worst.latest == best.latest:
        return best, None
    return best, worst


def too_few_recent(recent: Sequence[str], stale: int) -> str:
    """Say plainly why no best or worst site is named: fewer than two sites have recent data.

    `recent` are the names of the sites with recent data (none or one); `stale` counts the
    sites whose readings have stopped.
    """
    stopped = (
        f"{stale} site's readings have stopped"
        if stale == 1
        else f"{stale} sites' readings have stopped"
    )
    opening = f"Only {recent[0]} has recent data" if recent else "No site has recent data"
    if stale:
        opening += f" ({stopped})"
    return f"{opening}, so no site is named best or worst."


def weighted_sites_named(
    left_out: Iterable[LeftOut], names: Mapping[int, str]
) -> tuple[tuple[str, str], ...]:
    """Return (site name, reason) for each site left out of a weighted mean."""
    return tuple((names.get(item.site, f"site {item.site}"), item.reason) for item in left_out)
