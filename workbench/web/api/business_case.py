"""The business case over years, read through the API as the economics page computes it."""

from __future__ import annotations

from typing import Any

from workbench.extensions import db
from workbench.services import business_case
from workbench.web.api.core import Context, Endpoint, Reply
from workbench.web.api.nested import METRICS_TAG
from workbench.web.api.registers import W

_NUMBER = {"type": "number"}
_MAYBE_NUMBER = {"type": ["number", "null"]}
_MAYBE_DAY = {"type": ["string", "null"], "format": "date"}
_OUTCOME = {
    "type": "object",
    "required": ["npv", "roi", "payback_years"],
    "properties": {"npv": _NUMBER, "roi": _MAYBE_NUMBER, "payback_years": _MAYBE_NUMBER},
}
_YEAR = {
    "type": "object",
    "required": ["year", "lifetime_value_kept", "net", "cumulative_net", "present_value"],
    "properties": {
        "year": {"type": "integer"},
        **{
            name: _NUMBER
            for name in (
                "recovery_rate",
                "customers_kept",
                "lifetime_value_kept",
                "investment",
                "running_cost",
                "compensation",
                "net",
                "cumulative_net",
                "present_value",
            )
        },
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Amounts are in `currency`, unrounded; rates are shares from 0 to 1. The "
    "lifetime value kept in a year is the whole future worth of that year's kept customers.",
    "required": ["currency", "horizon_years", "discount_rate", "years", "npv", "scenarios"],
    "properties": {
        "currency": {"type": "string"},
        "saved": {"type": "boolean"},
        "horizon_years": {"type": "integer", "minimum": 3, "maximum": 5},
        "discount_rate": _NUMBER,
        "current_recovery_rate": _NUMBER,
        "target_recovery_rate": _NUMBER,
        "ramp_start": {"type": "string", "format": "date"},
        "ramp_end": {"type": "string", "format": "date"},
        "ramp_end_from_goal": {"type": "boolean"},
        "compensation_per_year": _NUMBER,
        "years": {"type": "array", "items": _YEAR},
        "npv": _NUMBER,
        "roi": _MAYBE_NUMBER,
        "payback_years": _MAYBE_NUMBER,
        "break_even_rate": _MAYBE_NUMBER,
        "investment_after_horizon": _NUMBER,
        "scenarios": {
            "type": "object",
            "required": ["worse", "base", "better"],
            "properties": {"worse": _OUTCOME, "base": _OUTCOME, "better": _OUTCOME},
        },
        "sensitivity": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "input": {"type": "string"},
                    "low": _NUMBER,
                    "high": _NUMBER,
                    "entered": {"type": "boolean"},
                    "npv_at_low": _NUMBER,
                    "npv_at_high": _NUMBER,
                },
            },
        },
        "benefits_to_date": {
            "type": "object",
            "properties": {
                "planned": _NUMBER,
                "realised": _NUMBER,
                "from": _MAYBE_DAY,
                "last_reading": _MAYBE_DAY,
            },
        },
    },
}


def _read(ctx: Context) -> Reply:
    return Reply(business_case.as_record(business_case.build_view(db.session())))


def business_case_endpoint() -> Endpoint:
    """The workspace's business case over years: yearly rows, NPV, scenarios, sensitivity."""
    return Endpoint(
        "get_business_case",
        "GET",
        f"{W}/business-case",
        _read,
        "Read the business case over years",
        METRICS_TAG,
        response=SCHEMA,
        errors=(404,),
    )
