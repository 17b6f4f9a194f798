"""The economics of a service recovery programme over one year, on the increment over today.

The model follows one year's customers through a failure, a complaint and a recovery
attempt. Only the complaints the programme recovers beyond today's recovery rate are its
doing, so every benefit is measured on that increment, never against no recovery at all.
All rates are shares between 0 and 1. The formulas, exactly as computed:

* failures = customers x failure rate
* complaints = failures x complaint rate
* recovered = complaints x target recovery rate (the recovery success rate the
  programme aims for)
* extra recovered = complaints x (target rate - current rate): the complaints recovered
  each year that today's handling would not recover. The current rate is the team's
  measured recovery rate when given (see `compute`), else the rate the team entered;
  when neither is known it is taken as zero and `current_recovery_rate` is None, so a
  reader can say the figures are measured against no recovery.
* customers retained = extra recovered x (churn if not recovered - churn if recovered):
  the customers kept each year thanks to the programme
* lifetime value kept = customers retained x customer lifetime value: the whole future
  value of one year's kept customers, in today's money. It is not a yearly revenue.
* fixed cost = the fixed programme cost per year; handling cost = complaints x cost per
  recovery attempt (every complaint is counted, whether or not today's process would
  have handled it, which errs on the side of cost)
* programme cost = fixed cost + handling cost: the yearly running cost
* net benefit = lifetime value kept - programme cost
* return on investment = net benefit / programme cost (none when the cost is zero)
* cost per customer retained = programme cost / customers retained (none when no
  customer is retained)
* break-even recovery rate = current rate + programme cost /
  (complaints x (churn if not recovered - churn if recovered) x lifetime value):
  the target rate at which net benefit is zero, always at or above today's rate. It is
  today's rate when the programme costs nothing, and there is none ("not reachable")
  when no rate up to 100% would pay for the programme.
* break-even customers = programme cost / customer lifetime value: how many extra
  customers the programme must keep to pay for itself (none when the lifetime value
  is zero and the programme costs something).

Nothing is rounded along the way; round only for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Literal

SourceKind = Literal["cited", "assumption"]

SHARE_FIELDS = (
    "failure_rate",
    "complaint_rate",
    "recovery_success_rate",
    "churn_unrecovered",
    "churn_recovered",
)
OPTIONAL_SHARE_FIELDS = ("current_recovery_rate",)
AMOUNT_FIELDS = ("customer_lifetime_value", "cost_per_recovery", "programme_fixed_cost")

LABELS = {
    "customers": "Customers",
    "failure_rate": "Failure rate",
    "complaint_rate": "Complaint rate",
    "recovery_success_rate": "Target recovery rate",
    "customer_lifetime_value": "Customer lifetime value",
    "churn_unrecovered": "Churn after an unrecovered failure",
    "churn_recovered": "Churn after a recovered failure",
    "cost_per_recovery": "Cost per recovery attempt",
    "programme_fixed_cost": "Fixed programme cost per year",
    "current_recovery_rate": "Recovery rate today",
}


@dataclass(frozen=True)
class EconomicsInputs:
    """The figures a team supplies to estimate what a recovery programme returns."""

    customers: int
    failure_rate: float
    complaint_rate: float
    recovery_success_rate: float
    customer_lifetime_value: float
    churn_unrecovered: float
    churn_recovered: float
    cost_per_recovery: float
    programme_fixed_cost: float
    current_recovery_rate: float | None = None


@dataclass(frozen=True)
class EconomicsResult:
    """What the model works out from the inputs, unrounded."""

    failures: float
    complaints: float
    recovered: float
    current_recovery_rate: float | None
    extra_recovered: float
    customers_retained: float
    lifetime_value_kept: float
    fixed_cost: float
    handling_cost: float
    programme_cost: float
    net_benefit: float
    roi: float | None
    cost_per_customer_retained: float | None
    break_even_recovery_rate: float | None
    break_even_customers: float | None


@dataclass(frozen=True)
class Source:
    """Where a default input comes from: a cited figure or a plainly stated assumption."""

    kind: SourceKind
    note: str
    citation: str | None = None


@dataclass(frozen=True)
class Citation:
    """A published figure quoted for background, not used in the arithmetic."""

    figure: str
    citation: str


DEFAULTS = EconomicsInputs(
    customers=10_000,
    failure_rate=0.20,
    complaint_rate=0.25,
    recovery_success_rate=0.70,
    customer_lifetime_value=1_000.0,
    churn_unrecovered=0.50,
    churn_recovered=0.20,
    cost_per_recovery=25.0,
    programme_fixed_cost=50_000.0,
    current_recovery_rate=0.50,
)
"""Illustrative starting inputs; every one should be replaced by the team's own data."""

SOURCES: dict[str, Source] = {
    "customers": Source(
        "assumption",
        "Assumption: an illustrative customer base of 10,000. Use your own count.",
    ),
    "failure_rate": Source(
        "assumption",
        "Assumption: one customer in five meets a service failure in a year. Take the "
        "real share from incident and complaint records.",
    ),
    "complaint_rate": Source(
        "assumption",
        "Assumption: a quarter of the customers who meet a failure tell you about it; "
        "the rest leave or stay in silence.",
    ),
    "recovery_success_rate": Source(
        "assumption",
        "Assumption: with the programme, seven complaints in ten end with a satisfied "
        "customer. Use the target of your recovery-rate goal.",
    ),
    "current_recovery_rate": Source(
        "assumption",
        "Assumption: half of complaints end with a satisfied customer today. A measured "
        "Recovery rate metric replaces this figure.",
    ),
    "customer_lifetime_value": Source(
        "assumption",
        "Assumption: an illustrative lifetime value of 1,000 per customer, in today's "
        "money. Use your finance team's figure.",
    ),
    "churn_unrecovered": Source(
        "assumption",
        "Assumption: half the customers whose failure is not put right (including those "
        "who never complain) take their business elsewhere.",
    ),
    "churn_recovered": Source(
        "assumption",
        "Assumption: one customer in five whose failure was put right still takes their "
        "business elsewhere. No published figure gives this share for your customers: "
        "replace it with your own retention after a complaint (the share of complainants "
        "who buy again).",
    ),
    "cost_per_recovery": Source(
        "assumption",
        "Assumption: 25 per complaint handled, covering staff time and a goodwill gesture "
        "such as the 20 GBP a front-line agent might give without a manager's approval.",
    ),
    "programme_fixed_cost": Source(
        "assumption",
        "Assumption: 50,000 a year for the team, tools and reporting that the programme "
        "needs whatever the volume of complaints.",
    ),
}
"""Where each default in DEFAULTS comes from, keyed by input name."""

BACKGROUND: tuple[Citation, ...] = (
    Citation(
        "Raising retention by 5% can raise profits by 25% to 95%, and winning a new "
        "customer costs about five times as much as keeping one.",
        "Path Digital Solutions, 2022",
    ),
    Citation(
        "Businesses that resolve complaints in a timely way have 83% more loyal customers.",
        "Khoros, 2021",
    ),
    Citation(
        "78% of consumers will do business with a company again after a mistake if its "
        "service is excellent. It speaks of excellent service only, not of every recovery, "
        "so it is background here rather than an input.",
        "Salesforce research",
    ),
    Citation(
        "89% of consumers are more likely to buy again after a positive service experience.",
        "Salesforce Research",
    ),
)
"""Published figures that explain why retention pays; shown beside the model."""


def validate_inputs(inputs: EconomicsInputs) -> list[str]:
    """Return a message for every input that is out of range; an empty list if all fit."""
    messages: list[str] = []
    customers = inputs.customers
    if isinstance(customers, bool) or not isinstance(customers, int):
        messages.append("Customers must be a whole number.")
    elif customers < 0:
        messages.append(f"Customers must be zero or more, not {customers}.")
    for name in SHARE_FIELDS:
        value = getattr(inputs, name)
        if not _is_number(value) or not math.isfinite(value):
            messages.append(f"{LABELS[name]} must be a number.")
        elif not 0.0 <= value <= 1.0:
            messages.append(f"{LABELS[name]} must lie between 0 and 1 (0% to 100%), not {value:g}.")
    for name in OPTIONAL_SHARE_FIELDS:
        value = getattr(inputs, name)
        if value is None:
            continue
        if not _is_number(value) or not math.isfinite(value):
            messages.append(f"{LABELS[name]} must be a number.")
        elif not 0.0 <= value <= 1.0:
            messages.append(f"{LABELS[name]} must lie between 0 and 1 (0% to 100%), not {value:g}.")
    for name in AMOUNT_FIELDS:
        value = getattr(inputs, name)
        if not _is_number(value) or not math.isfinite(value):
            messages.append(f"{LABELS[name]} must be a number.")
        elif value < 0:
            messages.append(f"{LABELS[name]} must be zero or more, not {value:g}.")
    return messages


def compute(inputs: EconomicsInputs, measured_rate: float | None = None) -> EconomicsResult:
    """Work out the programme's economics on the increment over today's recovery rate.

    `measured_rate` is today's recovery rate from the team's measurements; it takes
    precedence over the rate entered in the inputs. Raise ValueError if any input or the
    measured rate is out of range.
    """
    messages = validate_inputs(inputs)
    if measured_rate is not None and not 0.0 <= measured_rate <= 1.0:
        messages.append(
            f"The measured recovery rate must lie between 0 and 1, not {measured_rate:g}."
        )
    if messages:
        raise ValueError(" ".join(messages))
    current = measured_rate if measured_rate is not None else inputs.current_recovery_rate
    baseline = current or 0.0
    failures = float(inputs.customers) * inputs.failure_rate
    complaints = failures * inputs.complaint_rate
    recovered = complaints * inputs.recovery_success_rate
    extra_recovered = complaints * (inputs.recovery_success_rate - baseline)
    churn_saved = inputs.churn_unrecovered - inputs.churn_recovered
    customers_retained = extra_recovered * churn_saved
    lifetime_value_kept = customers_retained * inputs.customer_lifetime_value
    handling_cost = complaints * inputs.cost_per_recovery
    programme_cost = inputs.programme_fixed_cost + handling_cost
    net_benefit = lifetime_value_kept - programme_cost
    roi = net_benefit / programme_cost if programme_cost > 0 else None
    cost_per_retained = programme_cost / customers_retained if customers_retained > 0 else None
    return EconomicsResult(
        failures=failures,
        complaints=complaints,
        recovered=recovered,
        current_recovery_rate=current,
        extra_recovered=extra_recovered,
        customers_retained=customers_retained,
        lifetime_value_kept=lifetime_value_kept,
        fixed_cost=inputs.programme_fixed_cost,
        handling_cost=handling_cost,
        programme_cost=programme_cost,
        net_benefit=net_benefit,
        roi=roi,
        cost_per_customer_retained=cost_per_retained,
        break_even_recovery_rate=_break_even_rate(
            baseline,
            programme_cost,
            complaints * churn_saved * inputs.customer_lifetime_value,
        ),
        break_even_customers=_break_even_customers(programme_cost, inputs.customer_lifetime_value),
    )


def input_names() -> tuple[str, ...]:
    """Return the input names in the order the form should show them."""
    return tuple(field.name for field in fields(EconomicsInputs))


def _break_even_rate(current: float, cost: float, value_per_point: float) -> float | None:
    """Return the target rate at which the value kept equals cost, if one up to 100% exists.

    `value_per_point` is the lifetime value kept by raising the rate from 0 to 1.
    """
    if cost == 0:
        return current
    if value_per_point <= 0:
        return None
    rate = current + cost / value_per_point
    return rate if rate <= 1.0 else None


def _break_even_customers(cost: float, lifetime_value: float) -> float | None:
    """Return the customers the programme must keep to cover its cost, if possible."""
    if cost == 0:
        return 0.0
    if lifetime_value <= 0:
        return None
    return cost / lifetime_value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
