"""The scorecard as plain records: one metric's status, or every metric's with the counts.

The API reads these; they carry the same status, label and dates as the pages, so a metric
with no recent data is "stale" here too and never on track.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from workbench.services import metrics as metric_service
from workbench.services import scorecards
from workbench.services.scorecards import MetricCard


def card_of(session: Session, metric_id: int, today: date) -> MetricCard:
    """One metric's card as its page judges it on `today` (NotFoundError when unknown)."""
    metric = metric_service.get_metric(session, metric_id)
    weights = (
        metric_service.measurements_of(session, metric.rollup_weight_metric_id)
        if metric.rollup_weight_metric_id
        else []
    )
    return scorecards.card_for(
        metric,
        metric_service.goal_of(session, metric.id),
        metric_service.measurements_of(session, metric.id),
        len(metric_service.objective_ids(session, metric.id)),
        today,
        weights=weights,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def status_record(card: MetricCard, today: date) -> dict[str, Any]:
    """A metric's status as plain values: the verdict, its reason and how current it is."""
    judged = card.freshness
    report = card.status
    stale = card.is_stale
    return {
        "metric_id": card.metric.id,
        "name": card.metric.name,
        "department": card.metric.department,
        "frequency": card.metric.frequency,
        "status": card.status_key,
        "status_label": scorecards.STATUS_LABELS[card.status_key],
        # A stale metric's reason is its freshness: the old verdict is not today's.
        "reason": card.freshness_note if stale else (report.reason if report else ""),
        "progress": None if stale or report is None else report.progress,
        "latest": card.latest,
        "freshness": judged.freshness.value if judged else "never",
        "last_reading": _iso(judged.latest) if judged else None,
        "next_due": _iso(judged.due_on) if judged else None,
        "stale_after": _iso(judged.stale_after) if judged else None,
        "stale_since": _iso(card.stale_since),
        "days_overdue": judged.days_overdue(today) if judged else 0,
    }


def scorecard_record(session: Session, today: date) -> dict[str, Any]:
    """Every metric's status on `today`, with the counts the scorecard and storyboard show."""
    all_cards = scorecards.cards(session, today)
    panel = scorecards.status_panel(all_cards)
    return {
        "as_of": today.isoformat(),
        "total": panel.total,
        "counts": panel.counts,
        "metrics": [status_record(card, today) for card in all_cards],
    }
