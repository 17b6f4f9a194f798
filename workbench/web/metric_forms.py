"""Forms of Phase 4: metrics, goals, measurements, communication plans, economics."""

from __future__ import annotations

import math
from typing import Any

from flask_wtf.file import FileField
from wtforms import FloatField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

from workbench.analysis import economics as model
from workbench.models import Direction
from workbench.models.vocabulary import CADENCES, CURRENCIES, DEFAULT_CURRENCY, FREQUENCIES, UNITS
from workbench.web.forms import FlaskForm, VersionedForm, choice_field, line_field, text_field
from workbench.web.plan_forms import date_field

UNIT_CHOICES = [(unit, unit) for unit in UNITS]
DIRECTION_CHOICES = [
    (Direction.HIGHER.value, "Higher is better"),
    (Direction.LOWER.value, "Lower is better"),
]
FREQUENCY_CHOICES = [(f, f) for f in FREQUENCIES]
CADENCE_CHOICES = [(c, c) for c in CADENCES]
CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
NUMBER_MESSAGE = "Enter a plain number such as 42 or -3.5."


def _finite(_form: Any, field: Any) -> None:
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(NUMBER_MESSAGE)


def number_field(label: str, required: bool = False) -> FloatField:
    """A number (integers or decimals), refusing NaN and infinities."""
    validators: list[Any] = [] if required else [Optional()]
    if required:
        from wtforms.validators import InputRequired

        validators.append(InputRequired(message=f"Enter the {label.lower()}."))
    validators += [_finite, NumberRange(min=-1e12, max=1e12, message="That number is too large.")]
    return FloatField(label, validators=validators, render_kw={"inputmode": "decimal"})


class MetricFields:
    """A metric's own fields."""

    name = line_field("Metric", max_length=160)
    definition = text_field("Definition", max_length=2000)
    unit = choice_field("Unit", UNIT_CHOICES, "percent")
    direction = choice_field("Direction", DIRECTION_CHOICES, Direction.HIGHER.value)
    min_value = number_field("Lowest possible value")
    max_value = number_field("Highest possible value")
    frequency = choice_field("Measured", FREQUENCY_CHOICES, "monthly")
    owner = line_field("Owner", max_length=120, required=False)
    department = line_field("Department", max_length=80, required=False)


class NewMetricForm(MetricFields, FlaskForm):
    """A custom metric."""


class MetricForm(MetricFields, VersionedForm):
    """A metric being edited."""


def metric_values(form: Any) -> dict[str, Any]:
    """Turn a validated metric form into service values."""
    return {
        "name": form.name.data,
        "definition": form.definition.data or "",
        "unit": form.unit.data,
        "direction": Direction(form.direction.data),
        "min_value": form.min_value.data,
        "max_value": form.max_value.data,
        "frequency": form.frequency.data,
        "owner": form.owner.data or "",
        "department": form.department.data or "",
    }


class GoalForm(VersionedForm):
    """A metric's goal (version 0 when the metric had none)."""

    baseline = number_field("Baseline")
    baseline_date = date_field("Baseline date")
    target = number_field("Target")
    target_date = date_field("Target date")
    rationale = text_field("Rationale", max_length=2000)


def goal_values(form: GoalForm) -> dict[str, Any]:
    """Turn a validated goal form into service values."""
    return {
        name: getattr(form, name).data
        for name in ("baseline", "baseline_date", "target", "target_date")
    } | {"rationale": form.rationale.data or ""}


class MeasurementForm(FlaskForm):
    """One measurement."""

    measured_on = date_field("Date")
    value = number_field("Value", required=True)
    note = line_field("Note", max_length=500, required=False)


class PasteForm(FlaskForm):
    """Many measurements pasted from a spreadsheet, or a CSV file."""

    text = text_field("Measurements, one per line: date, value, note", max_length=200_000)
    upload = FileField("Or a CSV file")


class PlanForm(VersionedForm):
    """A communication plan."""

    department = line_field("Department", max_length=80)
    audience = line_field("Audience", max_length=200)
    channel = line_field("Channel", max_length=120)
    cadence = choice_field("Cadence", CADENCE_CHOICES, "monthly")
    owner = line_field("Owner", max_length=120, required=False)
    notes = text_field("Notes", max_length=4000)


class EconomicsForm(VersionedForm):
    """The recovery economics inputs (shares as percentages)."""

    customers = IntegerField(
        "Customers", validators=[NumberRange(min=0, max=10**9, message="Enter 0 to 1,000,000,000.")]
    )
    failure_rate = number_field("Customers meeting a failure in a year (%)", required=True)
    complaint_rate = number_field("Failures that are reported (%)", required=True)
    recovery_success_rate = number_field("Complaints recovered well (%)", required=True)
    customer_lifetime_value = number_field("Customer lifetime value", required=True)
    churn_unrecovered = number_field("Churn after an unrecovered failure (%)", required=True)
    churn_recovered = number_field("Churn after a recovered failure (%)", required=True)
    cost_per_recovery = number_field("Cost per recovery attempt", required=True)
    programme_fixed_cost = number_field("Programme fixed cost per year", required=True)
    currency = choice_field("Currency", CURRENCY_CHOICES, DEFAULT_CURRENCY)


PERCENT_INPUTS = (
    "failure_rate",
    "complaint_rate",
    "recovery_success_rate",
    "churn_unrecovered",
    "churn_recovered",
)


def economics_values(form: EconomicsForm) -> dict[str, Any]:
    """Turn the form (percentages) into model inputs (shares)."""
    values = {name: getattr(form, name).data for name in model.input_names()}
    for name in PERCENT_INPUTS:
        values[name] = values[name] / 100.0
    return values


def economics_form_data(inputs: model.EconomicsInputs, version: int, currency: str) -> dict:
    """Turn model inputs (shares) into form data (percentages)."""
    data: dict[str, Any] = {name: getattr(inputs, name) for name in model.input_names()}
    for name in PERCENT_INPUTS:
        data[name] = round(data[name] * 100, 4)
    return {**data, "version": version, "currency": currency}
