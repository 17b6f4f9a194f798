"""The drill forms: plan a drill of a playbook scenario, and record what happened in it."""

from __future__ import annotations

from typing import Any

from wtforms.fields.choices import SelectChoice

from workbench.models.catalogue.operating import DRILLS
from workbench.services.drills import RESULT_FIELDS
from workbench.web.form_fields import form_field
from workbench.web.forms import ChoiceField, FlaskForm, VersionedForm, parse_id

STATUS_CHOICES = list(DRILLS.field("status").choices)


class DrillPlanFields:
    """When and where a drill is held, of which scenario, and who takes part."""

    # The playbook's scenarios are offered by the page; anything else is refused.
    scenario_id = ChoiceField(
        "Scenario to drill", choices=[], invalid_message="Choose a scenario of the playbook."
    )
    planned_on = form_field(DRILLS.field("planned_on"))
    site = form_field(DRILLS.field("site"))
    customer_role = form_field(DRILLS.field("customer_role"))
    facilitator = form_field(DRILLS.field("facilitator"))
    status = form_field(DRILLS.field("status"))


class NewDrillForm(DrillPlanFields, FlaskForm):
    """A drill being planned."""


class DrillForm(DrillPlanFields, VersionedForm):
    """A drill's plan being edited, with the version it was loaded at."""


class DrillResultForm(VersionedForm):
    """What happened in a drill, measured against the scenario's targets."""

    detected = form_field(DRILLS.field("detected"))
    detected_by = form_field(DRILLS.field("detected_by"))
    detection_minutes = form_field(
        DRILLS.field("detection_minutes"), message="Enter whole minutes from 0 to 10,080."
    )
    contact_minutes = form_field(
        DRILLS.field("contact_minutes"), message="Enter whole minutes from 0 to 10,080."
    )
    message_used = form_field(DRILLS.field("message_used"))
    remedy_given = form_field(DRILLS.field("remedy_given"))
    escalated = form_field(DRILLS.field("escalated"))
    escalated_to = form_field(DRILLS.field("escalated_to"))
    compensation_amount = form_field(DRILLS.field("compensation_amount"))
    lessons = form_field(DRILLS.field("lessons"))


def offer_scenarios(form: Any, scenarios: list[Any]) -> None:
    """Offer the playbook's scenarios in the form's scenario list."""
    form.scenario_id.choices = [SelectChoice(str(s.id), s.name) for s in scenarios]


def plan_values(form: Any) -> dict[str, Any]:
    """Turn a validated plan form into service values."""
    return {
        "scenario_id": parse_id(form.scenario_id.data),
        "planned_on": form.planned_on.data,
        "site": form.site.data or "",
        "customer_role": form.customer_role.data or "",
        "facilitator": form.facilitator.data or "",
        "status": form.status.data,
    }


def result_values(form: Any) -> dict[str, Any]:
    """Turn a validated result form into service values."""
    return {name: form[name].data for name in RESULT_FIELDS}


def plan_data(row: Any) -> dict[str, Any]:
    """The plan form's starting values from a stored drill."""
    return {
        "scenario_id": str(row.scenario_id),
        "planned_on": row.planned_on,
        "site": row.site,
        "customer_role": row.customer_role,
        "facilitator": row.facilitator,
        "status": row.status.value,
        "version": row.version,
    }


def result_data(row: Any) -> dict[str, Any]:
    """The result form's starting values from a stored drill."""
    return {**{name: getattr(row, name) for name in RESULT_FIELDS}, "version": row.version}
