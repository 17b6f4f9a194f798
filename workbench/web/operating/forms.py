"""Forms of Phase 3: stakeholders, canvas items, processes and steps, units, scenarios."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField
from wtforms.validators import ValidationError

from workbench.models.catalogue.operating import (
    CANVAS,
    DEPARTMENTS,
    ORG_UNITS,
    PROCESSES,
    SCENARIOS,
    STAKEHOLDERS,
    STEPS,
)
from workbench.web.form_fields import DepartmentChoice, form_field
from workbench.web.forms import FlaskForm, VersionedForm, choice_field, parse_id


class StakeholderFields:
    """A stakeholder."""

    name = form_field(STAKEHOLDERS.field("name"))
    kind = form_field(STAKEHOLDERS.field("kind"))
    interest = form_field(STAKEHOLDERS.field("interest"))
    influence = form_field(STAKEHOLDERS.field("influence"))
    notes = form_field(STAKEHOLDERS.field("notes"))


class NewStakeholderForm(StakeholderFields, FlaskForm):
    """A new stakeholder."""


class StakeholderForm(StakeholderFields, VersionedForm):
    """A stakeholder being edited."""


def stakeholder_values(form: Any) -> dict[str, Any]:
    """Turn a validated stakeholder form into service values."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "interest": int(form.interest.data),
        "influence": int(form.influence.data),
        "notes": form.notes.data or "",
    }


class CanvasItemFields:
    """A challenge or an opportunity."""

    title = form_field(CANVAS.field("title"))
    description = form_field(CANVAS.field("description"))


class NewCanvasItemForm(CanvasItemFields, FlaskForm):
    """A new challenge or opportunity."""

    kind = form_field(CANVAS.field("kind"))


class CanvasItemForm(CanvasItemFields, VersionedForm):
    """A canvas item being edited."""


class ProcessFields:
    """A process's name and description."""

    name = form_field(PROCESSES.field("name"))
    description = form_field(PROCESSES.field("description"))


class NewProcessForm(ProcessFields, FlaskForm):
    """A new, empty process."""


class ProcessForm(ProcessFields, DepartmentChoice, VersionedForm):
    """A process being edited, with its department and the initiatives it was loaded with."""

    department = form_field(PROCESSES.field("department"))
    # The initiatives ticked when the page was loaded, so a stale save merges the links.
    loaded_initiatives = HiddenField()

    def loaded_links(self) -> set[int] | None:
        """The initiative ids the page was loaded with; None when they cannot be read."""
        text = (self.loaded_initiatives.data or "").strip()
        if not text:
            return set()
        ids = {parse_id(part) for part in text.split(",")}
        return None if None in ids else {i for i in ids if i}


def links_text(ids: set[int]) -> str:
    """The initiative ids a process page was loaded with, for its hidden field."""
    return ",".join(str(i) for i in sorted(ids))


class StepFields:
    """A step's name and description."""

    name = form_field(STEPS.field("name"))
    description = form_field(STEPS.field("description"))


class NewStepForm(StepFields, FlaskForm):
    """A new step."""


class StepForm(StepFields, VersionedForm):
    """A step being edited."""


class UnitFields:
    """An organisation unit."""

    name = form_field(ORG_UNITS.field("name"))
    purpose = form_field(ORG_UNITS.field("purpose"))
    parent = choice_field("Part of", [("none", "Nothing: a top-level unit")], "none")
    source = choice_field("Continues", [("none", "Nothing: a new unit")], "none")


class NewUnitForm(UnitFields, FlaskForm):
    """A new unit."""


class UnitForm(UnitFields, VersionedForm):
    """A unit being edited."""


class ScenarioFields:
    """A failure scenario."""

    name = form_field(SCENARIOS.field("name"))
    description = form_field(SCENARIOS.field("description"))
    severity = form_field(SCENARIOS.field("severity"))
    foreseeable = form_field(SCENARIOS.field("foreseeable"))
    detection_channels = form_field(SCENARIOS.field("detection_channels"))
    responder = form_field(SCENARIOS.field("responder"))
    customer_message = form_field(SCENARIOS.field("customer_message"))
    response_channels = form_field(SCENARIOS.field("response_channels"))
    compensation_type = form_field(SCENARIOS.field("compensation_type"))
    compensation_amount = form_field(SCENARIOS.field("compensation_amount"))
    currency = form_field(SCENARIOS.field("currency"), blank=("", "—"))
    escalation_limit = form_field(SCENARIOS.field("escalation_limit"))
    expected_cases_per_year = form_field(
        SCENARIOS.field("expected_cases_per_year"), message="Enter a whole number of cases a year."
    )
    target_response_minutes = form_field(
        SCENARIOS.field("target_response_minutes"), message="Enter 1 to 10,080 minutes (a week)."
    )
    prevention_note = form_field(SCENARIOS.field("prevention_note"))

    def validate_compensation_amount(self, field: Any) -> None:
        """An amount needs its currency."""
        if field.data is not None and not self.currency.data:
            raise ValidationError("Choose the currency of the amount.")

    def validate_escalation_limit(self, field: Any) -> None:
        """A limit needs its currency."""
        if field.data is not None and not self.currency.data:
            raise ValidationError("Choose the currency of the limit.")


class NewScenarioForm(ScenarioFields, FlaskForm):
    """A new scenario."""


class ScenarioForm(ScenarioFields, VersionedForm):
    """A scenario being edited."""


def scenario_values(form: Any) -> dict[str, Any]:
    """Turn a validated scenario form into service values."""
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "severity": form.severity.data,
        "foreseeable": bool(form.foreseeable.data),
        "detection_channels": list(form.detection_channels.data or []),
        "responder": form.responder.data or "",
        "customer_message": form.customer_message.data or "",
        "response_channels": list(form.response_channels.data or []),
        "compensation_type": form.compensation_type.data,
        "compensation_amount": form.compensation_amount.data,
        "currency": form.currency.data or None,
        "escalation_limit": form.escalation_limit.data,
        "expected_cases_per_year": form.expected_cases_per_year.data,
        "target_response_minutes": form.target_response_minutes.data,
        "prevention_note": form.prevention_note.data or "",
    }


class DepartmentFields:
    """A department of the register: its display name, what it does and who leads it."""

    name = form_field(DEPARTMENTS.field("name"), required_message="Give the department a name.")
    description = form_field(DEPARTMENTS.field("description"))
    owner = form_field(DEPARTMENTS.field("owner"))


class NewDepartmentForm(DepartmentFields, FlaskForm):
    """A new department."""


class DepartmentForm(DepartmentFields, VersionedForm):
    """A department being renamed or described."""


def department_values(form: Any) -> dict[str, Any]:
    """Turn a validated department form into service values."""
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "owner": form.owner.data or "",
    }
