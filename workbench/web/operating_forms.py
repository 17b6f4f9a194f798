"""Forms of Phase 3: stakeholders, canvas items, processes and steps, units, scenarios."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, IntegerField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workbench.models.vocabulary import (
    COMPENSATION_TYPES,
    CURRENCIES,
    DETECTION_CHANNELS,
    RESPONSE_CHANNELS,
    SEVERITIES,
    STAKEHOLDER_KINDS,
)
from workbench.web.forms import (
    ChoiceField,
    FlaskForm,
    VersionedForm,
    choice_field,
    line_field,
    text_field,
)
from workbench.web.metric_forms import number_field

SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


class StakeholderFields:
    """A stakeholder."""

    name = line_field("Name", max_length=160)
    kind = choice_field("Kind", [(k, _label(k)) for k in STAKEHOLDER_KINDS], "team")
    interest = choice_field("Interest (1 low to 5 high)", SCALE, "3")
    influence = choice_field("Influence (1 low to 5 high)", SCALE, "3")
    notes = text_field("Notes", max_length=2000)


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

    title = line_field("Title", max_length=200)
    description = text_field("Description", max_length=2000)


class NewCanvasItemForm(CanvasItemFields, FlaskForm):
    """A new challenge or opportunity."""

    kind = choice_field(
        "Kind", [("challenge", "Challenge"), ("opportunity", "Opportunity")], "challenge"
    )


class CanvasItemForm(CanvasItemFields, VersionedForm):
    """A canvas item being edited."""


class ProcessFields:
    """A process's name and description."""

    name = line_field("Process", max_length=160)
    description = text_field("Description", max_length=2000)


class NewProcessForm(ProcessFields, FlaskForm):
    """A new, empty process."""


class ProcessForm(ProcessFields, VersionedForm):
    """A process being edited."""


class StepFields:
    """A step's name and description."""

    name = line_field("Step", max_length=120)
    description = text_field("What happens", max_length=2000)


class NewStepForm(StepFields, FlaskForm):
    """A new step."""


class StepForm(StepFields, VersionedForm):
    """A step being edited."""


class UnitFields:
    """An organisation unit."""

    name = line_field("Unit", max_length=160)
    purpose = text_field("Purpose", max_length=2000)
    parent = choice_field("Part of", [("none", "Nothing: a top-level unit")], "none")
    source = choice_field("Continues", [("none", "Nothing: a new unit")], "none")


class NewUnitForm(UnitFields, FlaskForm):
    """A new unit."""


class UnitForm(UnitFields, VersionedForm):
    """A unit being edited."""


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a list of choices."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Refuse values that are not among the choices, naming the field."""
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list.")


def _checkboxes(label: str, values: tuple[str, ...]) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=[SelectChoice(v, _label(v)) for v in values])


class ScenarioFields:
    """A failure scenario."""

    name = line_field("Scenario", max_length=160)
    description = text_field("What goes wrong", max_length=4000)
    severity = choice_field("Severity", [(s, _label(s)) for s in SEVERITIES], "medium")
    foreseeable = BooleanField("It was reasonably foreseeable")
    detection_channels = _checkboxes("Detection channels", DETECTION_CHANNELS)
    responder = line_field("Responding team or person", max_length=160, required=False)
    customer_message = text_field("Message to the customer", max_length=4000)
    response_channels = _checkboxes("Response channels", RESPONSE_CHANNELS)
    compensation_type = choice_field(
        "Compensation", [(c, _label(c)) for c in COMPENSATION_TYPES], "none"
    )
    compensation_amount = number_field("Amount")
    currency = ChoiceField(
        "Currency",
        choices=[SelectChoice(v, t) for v, t in (("", "—"), *((c, c) for c in CURRENCIES))],
        default="",
        validators=[Optional()],
        invalid_message=f"Choose {', '.join(CURRENCIES[:-1])} or {CURRENCIES[-1]}.",
    )
    escalation_limit = number_field("Escalation limit: a manager approves above")
    target_response_minutes = IntegerField(
        "Target response time (minutes)",
        validators=[
            Optional(),
            NumberRange(min=1, max=10080, message="Enter 1 to 10,080 minutes (a week)."),
        ],
    )
    prevention_note = text_field("How to stop it recurring", max_length=2000)

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
        "target_response_minutes": form.target_response_minutes.data,
        "prevention_note": form.prevention_note.data or "",
    }
