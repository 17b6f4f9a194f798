"""Phase 4 read side: each metric's goal, SMART check, status and trend; department rollups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import forecast as fc
from workbench.analysis import sites as site_rules
from workbench.analysis.cadence import FRESHNESS_LABELS, Cadence, Freshness, cadence
from workbench.analysis.freshness import freshness_sentence, stale_since
from workbench.analysis.smart import GoalFacts, MetricFacts, SmartReport, check_goal
from workbench.charts import plots
from workbench.charts.trend import Trend, trend_svg, unit_label
from workbench.models import EconomicsCase, Goal, Measurement, Metric, MetricObjective
from workbench.models.metrics import rollup_rule
from workbench.models.vocabulary import DEFAULT_CURRENCY

STALE = "stale"
STATUS_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    STALE: FRESHNESS_LABELS[Freshness.STALE],  # "No recent data", as the cadence rule says
    "no_data": "No data",
    "no_goal": "No goal",
}
# The order every page lists the statuses in.
STATUS_ORDER = tuple(STATUS_LABELS)


@dataclass(frozen=True)
class MetricCard:
    """A metric with everything its scorecard row needs."""

    metric: Metric
    goal: Goal | None
    measurements: tuple[Measurement, ...]
    objectives: int
    smart: SmartReport | None
    status: fc.StatusReport | None
    # The organisation's value by day: its own readings, or the sites' rolled up where it
    # has none that day (workbench.analysis.sites).
    series: tuple[fc.Measurement, ...] = ()
    # How current the organisation's readings are on the day the card was judged.
    freshness: Cadence | None = None

    @property
    def is_stale(self) -> bool:
        """True when the metric has readings but none recent enough for its frequency."""
        return self.freshness is not None and self.freshness.is_stale

    @property
    def status_key(self) -> str:
        """Return the status key: 'stale' before any verdict, 'no_goal' when there is no goal.

        A verdict on old readings would tell the reader something nobody knows today, so
        stale data outranks on track, at risk and off track alike.
        """
        if self.is_stale:
            return STALE
        return self.status.status if self.status else "no_goal"

    @property
    def stale_since(self) -> date | None:
        """The first day the data counted as stale, or None when it is not stale."""
        return stale_since(self.freshness) if self.freshness and self.is_stale else None

    @property
    def freshness_note(self) -> str:
        """When the last reading came and when the next is (or was) due, in words."""
        return freshness_sentence(self.freshness) if self.freshness else ""

    @property
    def latest(self) -> float | None:
        """Return the latest measured value."""
        return fc.latest_value(self.series)


def organisation_series(
    metric: Metric, rows: Sequence[Measurement], weights: Sequence[Measurement] = ()
) -> tuple[fc.Measurement, ...]:
    """The organisation's value by day, rolled up from the sites where it has no reading."""
    days = site_rules.organisation_series(
        rollup_rule(metric),
        [site_rules.Reading(m.site_id, m.measured_on, m.value) for m in rows],
        [site_rules.Reading(m.site_id, m.measured_on, m.value) for m in weights],
        metric.rollup_weight_metric_id is not None,
    )
    return site_rules.organisation_readings(days)


def _facts(metric: Metric, objectives: int) -> MetricFacts:
    return MetricFacts(
        name=metric.name,
        unit=metric.unit or None,
        direction=metric.direction.value,
        min_value=metric.min_value,
        max_value=metric.max_value,
        owner=metric.owner or None,
        linked_objectives=objectives,
    )


def card_for(
    metric: Metric,
    goal: Goal | None,
    rows: Sequence[Measurement],
    objectives: int,
    today: date,
    currency: str = "",
    weights: Sequence[Measurement] = (),
) -> MetricCard:
    """Evaluate one metric's goal and status (`currency` words the reason of a money goal).

    `weights` are the readings of the metric's volume metric, for a weighted roll-up.
    """
    series = organisation_series(metric, rows, weights)
    smart = status = None
    if goal is not None:
        smart = check_goal(
            _facts(metric, objectives),
            GoalFacts(
                goal.baseline, goal.baseline_date, goal.target, goal.target_date, goal.rationale
            ),
            today,
        )
        if goal.baseline is not None and goal.target is not None:
            status = fc.status(
                metric.direction.value,
                goal.baseline,
                goal.target,
                goal.target_date,
                series,
                today,
                baseline_date=goal.baseline_date,
                unit=metric.unit,
                currency=currency,
            )
    latest_day = max((m.on for m in series), default=None)
    judged = cadence(latest_day, metric.frequency, today)
    return MetricCard(metric, goal, tuple(rows), objectives, smart, status, series, judged)


def cards(session: Session, today: date, department: str | None = None) -> list[MetricCard]:
    """Every metric's card (one department's if given), with four queries in all."""
    query = select(Metric).order_by(Metric.department, Metric.position, Metric.id)
    if department is not None:
        query = query.where(Metric.department == department)
    metrics = list(session.scalars(query))
    goals = {g.metric_id: g for g in session.scalars(select(Goal))}
    readings: dict[int, list[Measurement]] = {}
    for row in session.scalars(select(Measurement).order_by(Measurement.measured_on)):
        readings.setdefault(row.metric_id, []).append(row)
    links = Counter(session.scalars(select(MetricObjective.metric_id)))
    return [
        card_for(
            m,
            goals.get(m.id),
            readings.get(m.id, []),
            links.get(m.id, 0),
            today,
            weights=readings.get(m.rollup_weight_metric_id or 0, []),
        )
        for m in metrics
    ]


@dataclass
class DepartmentSummary:
    """A department's metrics and how many sit in each status."""

    name: str
    cards: list[MetricCard] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def by_department(
    all_cards: Sequence[MetricCard], names: Mapping[str, str] | None = None
) -> list[DepartmentSummary]:
    """Group cards by department key and count their statuses.

    Sorted by display name (`names` maps keys to them; a key not listed sorts as itself),
    with the metrics of no department last.
    """
    groups: dict[str, DepartmentSummary] = {}
    for card in all_cards:
        name = card.metric.department or ""
        summary = groups.setdefault(name, DepartmentSummary(name))
        summary.cards.append(card)
        summary.counts[card.status_key] += 1
    shown = names or {}
    return sorted(
        groups.values(), key=lambda s: (s.name == "", shown.get(s.name, s.name).casefold())
    )


def chart_currency(session: Session, shown: Sequence[MetricCard]) -> str:
    """The workspace's currency code, looked up only when a money metric is on the page."""
    if not any(card.metric.unit == "currency" for card in shown):
        return DEFAULT_CURRENCY
    case = session.scalar(select(EconomicsCase))
    return case.currency if case else DEFAULT_CURRENCY


def forecast_line(card: MetricCard) -> list[tuple[date, float]] | None:
    """The straight-line forecast the status is judged by: latest reading to the target date.

    None when the status did not come from a forecast (target already met, target date
    passed, a single reading, data too old to judge), so the chart never shows a line the
    verdict ignored.
    """
    goal = card.goal
    if goal is None or goal.target_date is None or card.status is None or card.is_stale:
        return None
    if card.status.projected is None:
        return None
    readings = card.series
    fitted = fc.forecast(readings, goal.target_date)
    if fitted is None:
        return None
    last = max(m.on for m in readings)
    return [(last, fitted.value_on(last)), (goal.target_date, fitted.projected)]


def trend_uri(card: MetricCard, today: date, currency: str = DEFAULT_CURRENCY) -> str | None:
    """Draw a metric's trend with baseline, target, forecast and today, as a data URI."""
    if not card.series and card.goal is None:
        return None
    goal = card.goal
    baseline = (
        (goal.baseline_date, goal.baseline)
        if goal and goal.baseline is not None and goal.baseline_date
        else None
    )
    target = (
        (goal.target_date, goal.target)
        if goal and goal.target is not None and goal.target_date
        else None
    )
    trend = Trend(
        points=[(m.on, m.value) for m in card.series],
        baseline=baseline,
        target=target,
        forecast=forecast_line(card),
        unit=unit_label(card.metric.unit, currency),
        today=today,
        lowest=card.metric.min_value,
        highest=card.metric.max_value,
    )
    return plots.data_uri(trend_svg(trend))


@dataclass(frozen=True)
class StatusPanel:
    """The scorecard at a glance: how many metrics sit in each status, and the stale ones."""

    total: int
    counts: dict[str, int]
    stale: tuple[MetricCard, ...]


def status_panel(all_cards: Sequence[MetricCard]) -> StatusPanel:
    """Count the cards by status (in STATUS_ORDER) and list those with no recent data."""
    counts = Counter(card.status_key for card in all_cards)
    return StatusPanel(
        total=len(all_cards),
        counts={key: counts[key] for key in STATUS_ORDER if counts[key]},
        stale=tuple(card for card in all_cards if card.is_stale),
    )
