"""Sites as people read them on a metric: the league table, the small multiples and the
roll-up's notes; and the best and worst site of each metric for the storyboard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import sites as rules
from workbench.analysis.measures import format_measure
from workbench.charts import plots
from workbench.charts.small_multiples import Panel, small_multiples_svg
from workbench.charts.trend import unit_label
from workbench.models import Goal, Measurement, Metric, Site
from workbench.models.metrics import rollup_rule
from workbench.services.report_values import SiteExtremes
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
        panels = [Panel(line.site.name, [(m.on, m.value) for m in line.readings]) for line in lines]
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


def storyboard_extremes(
    session: Session, cards: Sequence[MetricCard], today: date, currency: str
) -> tuple[SiteExtremes, ...]:
    """The best and worst site of each metric measured by site, in the scorecard's order."""
    tables = league_by_metric(session, cards, today, currency)
    rows = []
    for metric in (card.metric for card in cards):
        lines = tables.get(metric.id)
        if not lines:
            continue
        best, worst = rules.best_and_worst(lines)
        if best is None:
            continue
        rows.append(
            SiteExtremes(
                metric=metric.name,
                sites=sum(1 for line in lines if line.rank is not None),
                best=best.site.name,
                best_value=format_measure(best.latest, metric.unit, currency),
                worst=worst.site.name if worst else None,
                worst_value=format_measure(worst.latest, metric.unit, currency) if worst else None,
            )
        )
    return tuple(rows)
