"""Sites as people read them on a metric: the league table, the small multiples and the
roll-up's notes; and the best and worst site of each metric for the storyboard.

A site whose own readings have stopped (past the metric's cadence and grace, the rule of
workbench.analysis.cadence) is listed after the ranked sites as "No recent data" and is
never named best or worst (workbench.analysis.sites)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import sites as rules
from workbench.analysis.cadence import FRESHNESS_LABELS, Freshness, next_due
from workbench.analysis.dates import format_date
from workbench.analysis.measures import format_measure
from workbench.charts import plots
from workbench.charts.small_multiples import Panel, small_multiples_svg
from workbench.charts.trend import unit_label
from workbench.models import Goal, Measurement, Metric, Site
from workbench.models.metrics import rollup_rule
from workbench.services.report_values import SiteExtremes, StaleSite
from workbench.services.scorecards import MetricCard


@dataclass(frozen=True)
class LeftOutNote:
    """A site left out of a weighted roll-up on a day, and why."""

    on: date
    site: str
    reason: str


@dataclass(frozen=True)
class MetricSites:
    """A metric's sites: the league table, its chart and how the roll-up went."""

    lines: tuple[rules.SiteLine, ...]
    chart: str | None
    rule: str
    rule_label: str
    weight_metric: str | None
    left_out: tuple[LeftOutNote, ...]
    rolled_days: int
    # By site id, for each stale site: since when, and its last reading with its unit.
    stale_notes: dict[int, str] = field(default_factory=dict)

    @property
    def best_and_worst(self) -> tuple[rules.SiteLine | None, rules.SiteLine | None]:
        """Return the best and (when it trails) the worst site."""
        return rules.best_and_worst(self.lines)


def goal_ref(goal: Goal | None) -> rules.GoalRef | None:
    """The parts of a goal that judge progress, or None when it cannot judge any."""
    if goal is None or goal.baseline is None or goal.target is None:
        return None
    return rules.GoalRef(goal.baseline, goal.target, goal.target_date, goal.baseline_date)


def _readings(rows: Sequence[Measurement]) -> list[rules.Reading]:
    return [rules.Reading(m.site_id, m.measured_on, m.value) for m in rows]


NO_RECENT_DATA = FRESHNESS_LABELS[Freshness.STALE]


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def chart_note(line: rules.SiteLine) -> str:
    """The warning a stale site's panel carries under its name; empty for a current site."""
    if line.stale_since is None:
        return ""
    return f"{NO_RECENT_DATA} since {_short(line.stale_since)}"


def stale_note(line: rules.SiteLine, unit: str, currency: str) -> str:
    """Since when a stale site has no recent data, and its last reading with its unit."""
    if line.stale_since is None or line.latest_on is None:
        return ""
    return (
        f"{NO_RECENT_DATA} since {format_date(line.stale_since)}: the last reading was "
        f"{format_measure(line.latest, unit, currency)} on {format_date(line.latest_on)}. "
        "The site is not ranked on a reading this old."
    )


def metric_sites(
    metric: Metric,
    goal: Goal | None,
    rows: Sequence[Measurement],
    weights: Sequence[Measurement],
    sites: Sequence[Site],
    today: date,
    currency: str,
    weight_name: str | None = None,
) -> MetricSites:
    """Build a metric's league table, small multiples and roll-up notes from its readings."""
    refs = [rules.SiteRef(site.id, site.name) for site in sites]
    measured = {m.site_id for m in rows if m.site_id is not None}
    shown = [ref for ref in refs if ref.id in measured]
    lines = rules.league_table(
        shown,
        _readings(rows),
        metric.direction.value,
        goal_ref(goal),
        today,
        metric.unit,
        currency,
        metric.frequency,
    )
    days = rules.organisation_series(
        rollup_rule(metric),
        _readings(rows),
        _readings(weights),
        metric.rollup_weight_metric_id is not None,
    )
    names = {ref.id: ref.name for ref in refs}
    notes = tuple(
        LeftOutNote(day.on, name, reason)
        for day in days
        for name, reason in rules.weighted_sites_named(day.left_out, names)
    )
    chart = None
    if lines:
        panels = [
            Panel(line.site.name, [(m.on, m.value) for m in line.readings], chart_note(line))
            for line in lines
        ]
        chart = plots.data_uri(
            small_multiples_svg(
                panels,
                unit_label(metric.unit, currency),
                goal.target if goal else None,
                metric.min_value,
                metric.max_value,
            )
        )
    return MetricSites(
        lines,
        chart,
        rollup_rule(metric),
        rules.RULE_LABELS[rollup_rule(metric)],
        weight_name,
        notes,
        sum(1 for day in days if day.source == "sites"),
        {line.site.id: stale_note(line, metric.unit, currency) for line in lines if line.is_stale},
    )


def for_metric(
    session: Session, metric: Metric, goal: Goal | None, today: date, currency: str
) -> MetricSites:
    """A metric's sites as its page shows them."""
    rows = list(session.scalars(select(Measurement).where(Measurement.metric_id == metric.id)))
    weights: list[Measurement] = []
    weight_name = None
    if metric.rollup_weight_metric_id is not None:
        weight = session.get(Metric, metric.rollup_weight_metric_id)
        weight_name = weight.name if weight else None
        weights = list(
            session.scalars(
                select(Measurement).where(Measurement.metric_id == metric.rollup_weight_metric_id)
            )
        )
    sites = list(session.scalars(select(Site)))
    return metric_sites(metric, goal, rows, weights, sites, today, currency, weight_name)


def league_by_metric(
    session: Session, cards: Sequence[MetricCard], today: date, currency: str
) -> dict[int, tuple[rules.SiteLine, ...]]:
    """The league table of sites of every metric measured by site, from the cards' readings.

    One query (the sites), and none when no metric is measured by site.
    """
    readings: dict[int, list[rules.Reading]] = defaultdict(list)
    for card in cards:
        for row in card.measurements:
            if row.site_id is not None:
                readings[card.metric.id].append(
                    rules.Reading(row.site_id, row.measured_on, row.value)
                )
    if not readings:
        return {}
    sites = [rules.SiteRef(s.id, s.name) for s in session.scalars(select(Site))]
    tables = {}
    for card in cards:
        own = readings.get(card.metric.id, [])
        measured = {r.site for r in own}
        if not measured:
            continue
        tables[card.metric.id] = rules.league_table(
            [s for s in sites if s.id in measured],
            own,
            card.metric.direction.value,
            goal_ref(card.goal),
            today,
            card.metric.unit,
            currency,
            card.metric.frequency,
        )
    return tables


def _stale_site(line: rules.SiteLine, metric: Metric, currency: str) -> StaleSite:
    assert line.latest_on is not None and line.stale_since is not None  # a stale site's dates
    return StaleSite(
        site=line.site.name,
        last_value=format_measure(line.latest, metric.unit, currency),
        last_reading=line.latest_on.isoformat(),
        next_due=next_due(line.latest_on, metric.frequency).isoformat(),
        stale_since=line.stale_since.isoformat(),
    )


def extremes(card: MetricCard, lines: Sequence[rules.SiteLine], currency: str) -> SiteExtremes:
    """A metric's best and worst site with recent data, its stale sites, and a plain note
    when fewer than two sites have recent data to compare."""
    metric = card.metric
    best, worst = rules.best_and_worst(lines)
    ranked = [line for line in lines if line.rank is not None]
    stale = tuple(_stale_site(line, metric, currency) for line in lines if line.is_stale)
    note = ""
    if best is None:
        note = rules.too_few_recent([line.site.name for line in ranked], len(stale))
    return SiteExtremes(
        metric=metric.name,
        sites=len(ranked),
        best=best.site.name if best else None,
        best_value=format_measure(best.latest, metric.unit, currency) if best else None,
        worst=worst.site.name if worst else None,
        worst_value=format_measure(worst.latest, metric.unit, currency) if worst else None,
        owner=metric.owner,
        note=note,
        stale=stale,
        metric_stale=card.is_stale,
    )


def storyboard_extremes(
    session: Session, cards: Sequence[MetricCard], today: date, currency: str
) -> tuple[SiteExtremes, ...]:
    """The best and worst site of each metric measured by site, in the scorecard's order,
    with the sites whose readings have stopped."""
    tables = league_by_metric(session, cards, today, currency)
    return tuple(
        extremes(card, tables[card.metric.id], currency)
        for card in cards
        if tables.get(card.metric.id)
    )
