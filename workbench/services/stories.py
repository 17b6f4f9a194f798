"""Success stories: recoveries that went well, read, added, edited and deleted.

Which stories may be quoted, and how the customer is named, is decided in
workbench.analysis.stories; the storyboard's reading is in services/report_stories.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import stories as rules
from workbench.analysis.text import clean_text
from workbench.models import FailureScenario, SuccessStory
from workbench.models.catalogue.stories import STORIES
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.departments import resolve
from workbench.services.errors import NotFoundError, ServiceError

PERMISSIONS = STORIES.field("permission").values
PERMISSION_LABELS = dict(STORIES.field("permission").choices)
TEXTS = ("failure", "response", "quote", "customer_name")


def list_stories(session: Session) -> list[SuccessStory]:
    """Return the workspace's stories, featured first, then the strongest, then the newest."""
    rows = session.scalars(select(SuccessStory).order_by(SuccessStory.id))
    return sorted(
        rows,
        key=lambda s: (not s.featured, -s.rating, -(s.happened_on or date.min).toordinal(), s.id),
    )


def get_story(session: Session, story_id: int) -> SuccessStory:
    """Return a story of the session's workspace or raise NotFoundError."""
    row = session.get(SuccessStory, story_id)
    if row is None:
        raise NotFoundError("That story no longer exists; someone may have deleted it.")
    return row


def _limited(values: dict[str, Any], name: str) -> str:
    value = clean_text(str(values.get(name) or ""))
    limit = STORIES.field(name).max_length or 0
    if len(value) > limit:
        raise ServiceError(
            f"Keep the {STORIES.field(name).label.lower()} to {limit:,} characters.", name
        )
    return value


def _checked(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The values a story stores, refused with a message naming the field when wrong."""
    title = _limited(values, "title")
    if not title:
        raise ServiceError("Give the story a title.", "title")
    checked: dict[str, Any] = {"title": title}
    for name in TEXTS:
        checked[name] = _limited(values, name)
    rating = values.get("rating", 3)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError("Rate the story from 1 to 5.", "rating")
    checked["rating"] = rating
    permission = values.get("permission") or "none"
    if permission not in PERMISSIONS:
        raise ServiceError("Choose whether and how the customer may be quoted.", "permission")
    if permission == "named" and not checked["customer_name"]:
        raise ServiceError(
            "Give the customer's name to quote them by name, or choose anonymous.",
            "customer_name",
        )
    checked["permission"] = permission
    happened = values.get("happened_on")
    if happened is not None and not isinstance(happened, date):
        raise ServiceError("Give the date as a date.", "happened_on")
    checked["happened_on"] = happened
    checked["featured"] = bool(values.get("featured"))
    scenario_id = values.get("scenario_id")
    if scenario_id is not None and session.get(FailureScenario, scenario_id) is None:
        raise ServiceError(
            "The chosen scenario no longer exists; reload and choose again.", "scenario_id"
        )
    checked["scenario_id"] = scenario_id
    checked["department"] = resolve(session, values.get("department"))
    return checked


def create_story(session: Session, values: dict[str, Any]) -> SuccessStory:
    """Add a success story."""
    row = SuccessStory(**_checked(session, values))
    session.add(row)
    session.flush()
    return row


def update_story(
    session: Session, story_id: int, loaded_version: int | None, values: dict[str, Any]
) -> SuccessStory:
    """Save a story unless someone changed the same fields since the form was loaded."""
    row = get_story(session, story_id)
    checked = _checked(session, values)
    apply_versioned_edit(row, loaded_version, checked, f"The story “{row.title}”")
    session.flush()
    return row


def delete_story(session: Session, story_id: int) -> str:
    """Delete a story; return its title."""
    row = get_story(session, story_id)
    title = row.title
    session.delete(row)
    session.flush()
    return title


def by_scenario(session: Session) -> dict[int, list[SuccessStory]]:
    """Return the stories each playbook scenario has, best first (one query)."""
    grouped: dict[int, list[SuccessStory]] = {}
    for row in list_stories(session):
        if row.scenario_id is not None:
            grouped.setdefault(row.scenario_id, []).append(row)
    return grouped


def quoted_as(row: SuccessStory) -> str | None:
    """The name a story would be quoted under, or None when it may not be quoted."""
    if not rules.may_quote(row.permission, row.quote):
        return None
    return rules.attribution(row.permission, row.customer_name)


def scenario_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, name) of every playbook scenario, by name."""
    rows = session.execute(select(FailureScenario.id, FailureScenario.name))
    return sorted(((i, n) for i, n in rows), key=lambda pair: (pair[1].casefold(), pair[0]))
