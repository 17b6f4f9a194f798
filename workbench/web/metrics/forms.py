"""Forms of Phase 4: metrics, goals, measurements, communication plans, economics."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField

from workbench.analysis import economics as model
from workbench.models import Direction
from workbench.models.catalogue.metrics import ECONOMICS, GOALS, MEASUREMENTS, METRICS, PLANS
from workbench.services.economics import CASE_FIELDS
from workbench.web.form_fields import DepartmentChoice, form_field
from workbench.web.forms import FlaskForm, VersionedForm, text_field


class MetricFields:
    """A metric's own fields."""

    name = form_field(METRICS.field("name"))
    definition = form_field(METRICS.field("definition"))
    unit = form_field(METRICS.field("unit"))
    direction = form_field(METRICS.field("direction"))
    min_value = form_field(METRICS.field("min_value"))
    max_value = form_field(METRICS.field("max_value"))
    frequency = form_field(METRICS.field("frequency"))
    owner = form_field(METRICS.field("owner"))
    department = form_field(METRICS.field("department"))
    rollup = form_field(
        METRICS.field("rollup"),
        blank=("", "As the unit suggests: sum for counts and money, mean otherwise"),
    )


class NewMetricForm(MetricFields, DepartmentChoice):
    """A custom metric."""


class MetricForm(MetricFields, DepartmentChoice, VersionedForm):
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
        "rollup": form.rollup.data or None,
    }


class GoalForm(VersionedForm):
    """A metric's goal (version 0 when the metric had none)."""

    baseline = form_field(GOALS.field("baseline"))
    baseline_date = form_field(GOALS.field("baseline_date"))
    target = form_field(GOALS.field("target"))
    target_date = form_field(GOALS.field("target_date"))
    rationale = form_field(GOALS.field("rationale"))
    owner = form_field(GOALS.field("owner"), "Goal owner")


def goal_values(form: GoalForm) -> dict[str, Any]:
    """Turn a validated goal form into service values."""
    return {
        name: getattr(form, name).data
        for name in ("baseline", "baseline_date", "target", "target_date")
    } | {"rationale": form.rationale.data or "", "owner": form.owner.data or ""}


class MeasurementForm(FlaskForm):
    """One measurement."""

    measured_on = form_field(
        MEASUREMENTS.field("measured_on"), required_message="Enter the date of the measurement."
    )
    value = form_field(MEASUREMENTS.field("value"))
    note = form_field(MEASUREMENTS.field("note"))


class PasteForm(FlaskForm):
    """Many measurements pasted from a spreadsheet, or a CSV file."""

    text = text_field("Measurements, one per line: date, value, note", max_length=200_000)
    upload = FileField("Or a CSV file")


class PlanForm(DepartmentChoice, VersionedForm):
    """A communication plan."""

    department = form_field(PLANS.field("department"))
    audience = form_field(PLANS.field("audience"))
    channel = form_field(PLANS.field("channel"))
    cadence = form_field(PLANS.field("cadence"))
    owner = form_field(PLANS.field("owner"))
    notes = form_field(PLANS.field("notes"))


def _percent(name: str) -> Any:
    """A share of the catalogue (0 to 1) asked for as a percentage (0 to 100)."""
    share = ECONOMICS.field(name)
    low, high = (share.low or 0) * 100, (share.high or 0) * 100
    return form_field(
        share.but(minimum=low, maximum=high),
        f"{share.label} (%)",
        message=f"Enter a percentage from {low:g}% to {high:g}%.",
    )


class EconomicsForm(VersionedForm):
    """The recovery economics inputs (shares as percentages)."""

    customers = form_field(ECONOMICS.field("customers"))
    failure_rate = _percent("failure_rate")
    complaint_rate = _percent("complaint_rate")
    recovery_success_rate = _percent("recovery_success_rate")
    customer_lifetime_value = form_field(ECONOMICS.field("customer_lifetime_value"))
    churn_unrecovered = _percent("churn_unrecovered")
    churn_recovered = _percent("churn_recovered")
    cost_per_recovery = form_field(ECONOMICS.field("cost_per_recovery"))
    programme_fixed_cost = form_field(ECONOMICS.field("programme_fixed_cost"))
    currency = form_field(ECONOMICS.field("currency"))
    current_recovery_rate = _percent("current_recovery_rate")
    horizon_years = form_field(ECONOMICS.field("horizon_years"))
    discount_rate = _percent("discount_rate")
    churn_unrecovered_low = _percent("churn_unrecovered_low")
    churn_unrecovered_high = _percent("churn_unrecovered_high")
    churn_recovered_low = _percent("churn_recovered_low")
    churn_recovered_high = _percent("churn_recovered_high")
    complaint_rate_low = _percent("complaint_rate_low")
    complaint_rate_high = _percent("complaint_rate_high")
    customer_lifetime_value_low = form_field(ECONOMICS.field("customer_lifetime_value_low"))
    customer_lifetime_value_high = form_field(ECONOMICS.field("customer_lifetime_value_high"))


PERCENT_INPUTS = (
    "failure_rate",
    "complaint_rate",
    "recovery_success_rate",
    "churn_unrecovered",
    "churn_recovered",
    "current_recovery_rate",
    "discount_rate",
    "churn_unrecovered_low",
    "churn_unrecovered_high",
    "churn_recovered_low",
    "churn_recovered_high",
    "complaint_rate_low",
    "complaint_rate_high",
)
FORM_FIELDS = (*model.input_names(), *CASE_FIELDS)


def economics_values(form: EconomicsForm) -> dict[str, Any]:
    """Turn the form (percentages) into model inputs (shares)."""
    values = {name: getattr(form, name).data for name in FORM_FIELDS}
    for name in PERCENT_INPUTS:
        # An optional percentage left empty stays empty (None).
        if values[name] is not None:
            values[name] = values[name] / 100.0
    return values


def economics_form_data(
    inputs: model.EconomicsInputs, settings: dict[str, Any], version: int, currency: str
) -> dict:
    """Turn model inputs and case settings (shares) into form data (percentages)."""
    data: dict[str, Any] = {name: getattr(inputs, name) for name in model.input_names()}
    data.update({name: settings.get(name) for name in CASE_FIELDS})
    for name in PERCENT_INPUTS:
        if data[name] is not None:
            data[name] = round(data[name] * 100, 4)
    return {**data, "version": version, "currency": currency}
