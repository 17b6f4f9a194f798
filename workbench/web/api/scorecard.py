"""The scorecard through the API: each metric's status as the pages show it, stale data included."""

from __future__ import annotations

from datetime import date
from typing import Any

from workbench.extensions import db
from workbench.services import scorecard_reads
from workbench.services.scorecards import STATUS_ORDER
from workbench.web.api.core import Context, Endpoint, Reply
from workbench.web.api.nested import METRIC, METRICS_TAG
from workbench.web.api.registers import W

_MAYBE_DAY = {"type": ["string", "null"], "format": "date"}
STATUS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A metric's status on the day asked. `stale` (labelled “No recent data”) "
    "means readings exist but none came in within the metric's frequency and its grace "
    "period; such a metric is never on track, at risk or off track.",
    "required": ["metric_id", "status", "status_label", "freshness"],
    "properties": {
        "metric_id": {"type": "integer", "minimum": 1},
        "name": {"type": "string"},
        "department": {"type": "string"},
        "frequency": {"type": "string"},
        "status": {"type": "string", "enum": list(STATUS_ORDER)},
        "status_label": {"type": "string"},
        "reason": {"type": "string"},
        "progress": {
            "type": ["number", "null"],
            "description": "share of the way from baseline to target; null when stale",
        },
        "latest": {"type": ["number", "null"]},
        "freshness": {"type": "string", "enum": ["never", "current", "due", "stale"]},
        "last_reading": _MAYBE_DAY,
        "next_due": _MAYBE_DAY,
        "stale_after": {**_MAYBE_DAY, "description": "the last day of the grace period"},
        "stale_since": {**_MAYBE_DAY, "description": "the first day the data counted as stale"},
        "days_overdue": {"type": "integer", "minimum": 0},
    },
}
SCORECARD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["as_of", "total", "counts", "metrics"],
    "properties": {
        "as_of": {"type": "string", "format": "date"},
        "total": {"type": "integer", "minimum": 0},
        "counts": {
            "type": "object",
            "description": "metrics by status; a status with none is left out",
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
        "metrics": {"type": "array", "items": STATUS_SCHEMA},
    },
}


def _metric_status(ctx: Context, metric_id: int) -> Reply:
    today = date.today()
    card = scorecard_reads.card_of(db.session(), metric_id, today)
    return Reply(scorecard_reads.status_record(card, today))


def _scorecard(ctx: Context) -> Reply:
    return Reply(scorecard_reads.scorecard_record(db.session(), date.today()))


def scorecard_endpoints() -> list[Endpoint]:
    """A metric's status, and the whole scorecard with its counts."""
    return [
        Endpoint(
            "get_metric_status",
            "GET",
            f"{METRIC}/status",
            _metric_status,
            "Read a metric's status today, with when its next reading is due",
            METRICS_TAG,
            response=STATUS_SCHEMA,
            errors=(404,),
        ),
        Endpoint(
            "get_scorecard",
            "GET",
            f"{W}/scorecard",
            _scorecard,
            "Read every metric's status today and the count in each status",
            METRICS_TAG,
            response=SCORECARD_SCHEMA,
            errors=(404,),
        ),
    ]
