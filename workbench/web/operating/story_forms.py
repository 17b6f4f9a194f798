"""The success-story and training-session forms, built from the field catalogue."""

from __future__ import annotations

from typing import Any

from workbench.models.catalogue.stories import STORIES, TRAINING
from workbench.web.form_fields import DepartmentChoice, form_field
from workbench.web.forms import VersionedForm


class StoryFields:
    """A story's own fields (its scenario is chosen from the playbook on the page)."""

    title = form_field(STORIES.field("title"))
    happened_on = form_field(STORIES.field("happened_on"))
    failure = form_field(STORIES.field("failure"))
    response = form_field(STORIES.field("response"))
    quote = form_field(STORIES.field("quote"))
    customer_name = form_field(STORIES.field("customer_name"))
    permission = form_field(STORIES.field("permission"))
    department = form_field(STORIES.field("department"))
    rating = form_field(STORIES.field("rating"))
    featured = form_field(STORIES.field("featured"))


class NewStoryForm(StoryFields, DepartmentChoice):
    """A new story."""


class StoryForm(StoryFields, DepartmentChoice, VersionedForm):
    """A story being edited, with the version it was loaded at."""


def story_values(form: Any, scenario_id: int | None) -> dict[str, Any]:
    """Turn a validated story form into service values."""
    return {
        "title": form.title.data,
        "happened_on": form.happened_on.data,
        "failure": form.failure.data or "",
        "response": form.response.data or "",
        "quote": form.quote.data or "",
        "customer_name": form.customer_name.data or "",
        "permission": form.permission.data,
        "department": form.department.data or "",
        "rating": int(form.rating.data),
        "featured": bool(form.featured.data),
        "scenario_id": scenario_id,
    }


def story_data(row: Any) -> dict[str, Any]:
    """The form's starting values from a stored story."""
    return {
        "title": row.title,
        "happened_on": row.happened_on,
        "failure": row.failure,
        "response": row.response,
        "quote": row.quote,
        "customer_name": row.customer_name,
        "permission": row.permission,
        "department": row.department,
        "rating": str(row.rating),
        "featured": row.featured,
        "version": row.version,
    }


class TrainingFields:
    """A training session's own fields (its scenarios are ticked on the page)."""

    department = form_field(TRAINING.field("department"))
    topic = form_field(TRAINING.field("topic"))
    audience = form_field(TRAINING.field("audience"))
    head_count = form_field(TRAINING.field("head_count"))
    planned_on = form_field(TRAINING.field("planned_on"))
    done_on = form_field(TRAINING.field("done_on"))
    empowerment = form_field(TRAINING.field("empowerment"))
    notes = form_field(TRAINING.field("notes"))


class NewTrainingForm(TrainingFields, DepartmentChoice):
    """A new training session."""


class TrainingForm(TrainingFields, DepartmentChoice, VersionedForm):
    """A training session being edited, with the version it was loaded at."""


def training_values(form: Any) -> dict[str, Any]:
    """Turn a validated training form into service values."""
    return {
        "department": form.department.data or "",
        "topic": form.topic.data,
        "audience": form.audience.data or "",
        "head_count": form.head_count.data,
        "planned_on": form.planned_on.data,
        "done_on": form.done_on.data,
        "empowerment": bool(form.empowerment.data),
        "notes": form.notes.data or "",
    }


def training_data(row: Any) -> dict[str, Any]:
    """The form's starting values from a stored training session."""
    return {
        "department": row.department,
        "topic": row.topic,
        "audience": row.audience,
        "head_count": row.head_count,
        "planned_on": row.planned_on,
        "done_on": row.done_on,
        "empowerment": row.empowerment,
        "notes": row.notes,
        "version": row.version,
    }
