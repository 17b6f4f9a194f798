"""The business case's inputs set against what the team measures of the same things.

Two inputs have a measured counterpart in the metric library:

* retention after a complaint: the inputs imply that, of today's complaints, the share
  recovered (today's rate) is lost at the churn after a recovered failure and the rest at
  the churn after an unrecovered one, so retention = 1 - (rate x churn recovered +
  (1 - rate) x churn unrecovered). The Retention after complaint metric measures it.
* the customer lifetime value, entered as an input and measured by the Customer lifetime
  value metric.
* complaints a year: customers x failure rate x complaint rate, against the Complaint
  volume metric's readings (each the count of its period) added up over the year to the
  latest one, once the readings cover at least YEAR_COVERED days of it.

A check says whether the two differ by more than a reader would let pass: five points of
retention, a tenth of the lifetime value, a quarter of the complaints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from workbench.analysis.economics import EconomicsInputs

RETENTION_TOLERANCE = 0.05
"""Retention shares closer than five points agree."""
VALUE_TOLERANCE = 0.10
"""Lifetime values within a tenth of the measured one agree."""
COUNT_TOLERANCE = 0.25
"""Complaint counts within a quarter of the measured year agree."""
YEAR_COVERED = 300
"""Days of the year the complaint readings must span before they are added up."""


@dataclass(frozen=True)
class Measured:
    """The latest reading of a metric, with the metric's name and owner."""

    value: float  # a share for percentages, an amount for money
    on: date
    metric: str
    owner: str


@dataclass(frozen=True)
class InputCheck:
    """One input as the case uses it beside the team's measurement of the same thing."""

    subject: str  # "retention" or "lifetime value"
    used: float
    measured: Measured
    differs: bool


def implied_retention(inputs: EconomicsInputs, current_rate: float) -> float:
    """The share of complaining customers the inputs say stay today."""
    lost = current_rate * inputs.churn_recovered + (1 - current_rate) * inputs.churn_unrecovered
    return 1.0 - lost


def check_retention(inputs: EconomicsInputs, current_rate: float, measured: Measured) -> InputCheck:
    """Set the retention the inputs imply beside the measured retention after a complaint."""
    used = implied_retention(inputs, current_rate)
    return InputCheck("retention", used, measured, abs(used - measured.value) > RETENTION_TOLERANCE)


def check_lifetime_value(inputs: EconomicsInputs, measured: Measured) -> InputCheck:
    """Set the lifetime value entered beside the measured one."""
    used = inputs.customer_lifetime_value
    gap = abs(used - measured.value)
    differs = gap > VALUE_TOLERANCE * abs(measured.value) if measured.value else used != 0
    return InputCheck("lifetime value", used, measured, differs)


def measured_year(readings: Sequence[tuple[date, float]]) -> tuple[float, date] | None:
    """The readings of the year up to the latest one, added up; None when they cover too
    little of it to stand for a year."""
    if not readings:
        return None
    latest = max(day for day, _value in readings)
    year = [(day, value) for day, value in readings if (latest - day).days < 365]
    if (latest - min(day for day, _value in year)).days < YEAR_COVERED:
        return None
    return sum(value for _day, value in year), latest


def check_complaints(inputs: EconomicsInputs, measured: Measured) -> InputCheck:
    """Set the complaints a year the inputs give beside the measured year's complaints."""
    used = float(inputs.customers) * inputs.failure_rate * inputs.complaint_rate
    differs = abs(used - measured.value) > COUNT_TOLERANCE * max(measured.value, 1.0)
    return InputCheck("complaints", used, measured, differs)
