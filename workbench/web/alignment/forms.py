"""Forms of Phase 2: objectives and initiatives."""

from __future__ import annotations

from typing import Any

from wtforms.validators import ValidationError

from workbench.models import (
    Approach,
    InitiativeStatus,
    Perspective,
    Priority,
)
from workbench.models.catalogue.alignment import INITIATIVES, MILESTONES, OBJECTIVES
from workbench.web.form_fields import DepartmentChoice, form_field
from workbench.web.forms import FlaskForm, VersionedForm, choice_field

# The pages label perspectives and statuses, and filter on them, with the forms' choices.
PERSPECTIVE_CHOICES = list(OBJECTIVES.field("perspective").choices)
STATUS_CHOICES = list(INITIATIVES.field("status").choices)


class ObjectiveFields:
    """The fields of an objective."""

    title = form_field(OBJECTIVES.field("title"))
    perspective = form_field(OBJECTIVES.field("perspective"))
    parent = choice_field("Part of", [("none", "Nothing: a top-level objective")], "none")
    owner = form_field(OBJECTIVES.field("owner"))
    due_date = form_field(OBJECTIVES.field("due_date"))
    description = form_field(OBJECTIVES.field("description"))


class InitiativeFields:
    """An initiative's own fields."""

    title = form_field(INITIATIVES.field("title"))
    description = form_field(INITIATIVES.field("description"))
    owner = form_field(INITIATIVES.field("owner"))
    department = form_field(INITIATIVES.field("department"))
    status = form_field(INITIATIVES.field("status"))
    priority = form_field(INITIATIVES.field("priority"))
    approach = form_field(INITIATIVES.field("approach"), blank=("none", "Not decided"))
    budget = form_field(INITIATIVES.field("budget"))
    spend = form_field(INITIATIVES.field("spend"))
    start_date = form_field(INITIATIVES.field("start_date"))
    end_date = form_field(INITIATIVES.field("end_date"))
    percent_complete = form_field(
        INITIATIVES.field("percent_complete"),
        message="Enter a whole percentage from 0 to 100, or leave it empty.",
    )

    def validate_end_date(self, field: Any) -> None:
        """Refuse an end before the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date is before the start date.")


class NewObjectiveForm(ObjectiveFields, FlaskForm):
    """A new objective."""


class ObjectiveForm(ObjectiveFields, VersionedForm):
    """An objective being edited, with the version it was loaded at."""


class NewInitiativeForm(InitiativeFields, DepartmentChoice):
    """A new initiative."""


class InitiativeForm(InitiativeFields, DepartmentChoice, VersionedForm):
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
        "percent_complete": form.percent_complete.data,
    }


class MilestoneFields:
    """A milestone's fields."""

    title = form_field(MILESTONES.field("title"), required_message="Name the milestone.")
    due_date = form_field(MILESTONES.field("due_date"), required_message="Enter the due date.")
    done_date = form_field(MILESTONES.field("done_date"))
    owner = form_field(MILESTONES.field("owner"))


class NewMilestoneForm(MilestoneFields, FlaskForm):
    """A new milestone."""


class MilestoneForm(MilestoneFields, VersionedForm):
    """A milestone being edited, with the version it was loaded at."""


def milestone_values(form: Any) -> dict[str, Any]:
    """Turn a validated milestone form into service values."""
    return {
        "title": form.title.data,
        "due_date": form.due_date.data,
        "done_date": form.done_date.data,
        "owner": form.owner.data or "",
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
