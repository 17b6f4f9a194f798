"""Forms of Phase 2: objectives and initiatives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wtforms import DateField, DecimalField
from wtforms.validators import NumberRange, Optional, ValidationError

from workbench.models import (
    Approach,
    InitiativeStatus,
    Perspective,
    Priority,
)
from workbench.web.forms import FlaskForm, VersionedForm, choice_field, line_field, text_field

PERSPECTIVE_CHOICES = [
    (Perspective.FINANCIAL.value, "Financial"),
    (Perspective.CUSTOMER.value, "Customer"),
    (Perspective.INTERNAL_PROCESS.value, "Internal process"),
    (Perspective.LEARNING_GROWTH.value, "Learning and growth"),
]
STATUS_CHOICES = [
    (InitiativeStatus.PROPOSED.value, "Proposed"),
    (InitiativeStatus.APPROVED.value, "Approved"),
    (InitiativeStatus.IN_PROGRESS.value, "In progress"),
    (InitiativeStatus.DONE.value, "Done"),
    (InitiativeStatus.DROPPED.value, "Dropped"),
]
PRIORITY_CHOICES = [(p.value, p.value.capitalize()) for p in Priority]
APPROACH_CHOICES = [
    ("none", "Not decided"),
    (Approach.PREVENT.value, "Prevent: stop failures reaching the customer"),
    (Approach.RECOVER.value, "Recover: put failures right so well that loyalty grows"),
]
MONEY_MAX = Decimal("999999999999")


def date_field(label: str) -> DateField:
    """An optional date (yyyy-mm-dd, the browser's date picker format)."""
    return DateField(
        label,
        validators=[Optional()],
        format="%Y-%m-%d",
        invalid_value_message="Enter a date as yyyy-mm-dd, for example 2027-03-31.",
        render_kw={"type": "date"},
    )


def _finite(_form: Any, field: Any) -> None:
    # Decimal accepts "NaN" and "Infinity", which no budget can be.
    if field.data is not None and not field.data.is_finite():
        raise ValidationError("Enter an amount such as 1250 or 1250.50.")


def money_field(label: str) -> DecimalField:
    """An optional, non-negative amount with two decimals."""
    return DecimalField(
        label,
        places=2,
        invalid_value_message="Enter an amount such as 1250 or 1250.50.",
        validators=[
            Optional(),
            _finite,
            NumberRange(min=0, max=MONEY_MAX, message=f"Enter an amount from 0 to {MONEY_MAX:,}."),
        ],
        render_kw={"inputmode": "decimal"},
    )


class ObjectiveFields:
    """The fields of an objective."""

    title = line_field("Objective", max_length=200)
    perspective = choice_field("Perspective", PERSPECTIVE_CHOICES, Perspective.CUSTOMER.value)
    parent = choice_field("Part of", [("none", "Nothing: a top-level objective")], "none")
    owner = line_field("Owner", max_length=120, required=False)
    due_date = date_field("Due date")
    description = text_field("Description", max_length=4000)


class InitiativeFields:
    """An initiative's own fields."""

    title = line_field("Initiative", max_length=200)
    description = text_field("Description", max_length=4000)
    owner = line_field("Owner", max_length=120, required=False)
    department = line_field("Department", max_length=80, required=False)
    status = choice_field("Status", STATUS_CHOICES, InitiativeStatus.PROPOSED.value)
    priority = choice_field("Priority", PRIORITY_CHOICES, Priority.MEDIUM.value)
    approach = choice_field("Approach", APPROACH_CHOICES, "none")
    budget = money_field("Budget")
    spend = money_field("Spend so far")
    start_date = date_field("Start")
    end_date = date_field("End")

    def validate_end_date(self, field: Any) -> None:
        """Refuse an end before the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date is before the start date.")


class NewObjectiveForm(ObjectiveFields, FlaskForm):
    """A new objective."""


class ObjectiveForm(ObjectiveFields, VersionedForm):
    """An objective being edited, with the version it was loaded at."""


class NewInitiativeForm(InitiativeFields, FlaskForm):
    """A new initiative."""


class InitiativeForm(InitiativeFields, VersionedForm):
    """An initiative being edited, with the version it was loaded at."""


def initiative_values(form: Any) -> dict[str, Any]:
    """Turn a validated initiative form into service values."""
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "owner": form.owner.data or "",
        "department": form.department.data or "",
        "status": InitiativeStatus(form.status.data),
        "priority": Priority(form.priority.data),
        "approach": None if form.approach.data == "none" else Approach(form.approach.data),
        "budget": form.budget.data,
        "spend": form.spend.data,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
    }


def objective_values(form: Any) -> dict[str, Any]:
    """Turn a validated objective form into service values."""
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "perspective": Perspective(form.perspective.data),
        "parent_id": None if form.parent.data == "none" else int(form.parent.data),
        "owner": form.owner.data or "",
        "due_date": form.due_date.data,
    }
