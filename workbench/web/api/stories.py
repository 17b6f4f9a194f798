"""The API's success stories and training sessions, each written through its service."""

from __future__ import annotations

from typing import Any

from workbench.extensions import db
from workbench.models import SuccessStory, TrainingItem, catalogue
from workbench.services import stories as story_service
from workbench.services import training as training_service
from workbench.web.api.departments import DEPARTMENT_NAME_SCHEMA, department_name
from workbench.web.api.fields import Field, from_register
from workbench.web.api.registers import Register

GROUP = "Phase 3: operating model"

STORIES = Register(
    "stories",
    SuccessStory,
    "story",
    GROUP,
    (
        *from_register(catalogue.STORIES, *(f.name for f in catalogue.STORIES.fields)),
        Field(
            "scenario_id",
            "id",
            nullable=True,
            description="the playbook scenario the story illustrates",
        ),
    ),
    list_rows=story_service.list_stories,
    create=lambda ctx, values: story_service.create_story(db.session(), values),
    update=lambda ctx, i, v, values: story_service.update_story(db.session(), i, v, values),
    delete=story_service.delete_story,
    extra=department_name,
    extra_schema=DEPARTMENT_NAME_SCHEMA,
)


def _training_links(session: Any, row: TrainingItem) -> dict[str, Any]:
    return {
        "scenario_ids": sorted(training_service.scenario_ids(session, row.id)),
        **department_name(session, row),
    }


def _training_parts(values: dict[str, Any]) -> tuple[dict[str, Any], set[int]]:
    fields = {k: v for k, v in values.items() if k != "scenario_ids"}
    return fields, set(values.get("scenario_ids") or ())


TRAINING = Register(
    "training",
    TrainingItem,
    "training session",
    GROUP,
    (
        *from_register(catalogue.TRAINING, *(f.name for f in catalogue.TRAINING.fields)),
        Field(
            "scenario_ids",
            "ids",
            default=set(),
            description="the playbook scenarios the session prepares staff for",
        ),
    ),
    list_rows=training_service.list_items,
    create=lambda ctx, values: training_service.create_item(db.session(), *_training_parts(values)),
    update=lambda ctx, i, v, values: training_service.update_item(
        db.session(), i, v, *_training_parts(values)
    ),
    delete=training_service.delete_item,
    extra=_training_links,
    extra_schema={
        "scenario_ids": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        **DEPARTMENT_NAME_SCHEMA,
    },
)
