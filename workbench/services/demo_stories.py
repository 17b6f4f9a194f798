"""The demo organisation's success stories and training plans, from seeds/demo_stories.yaml."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import FailureScenario, SuccessStory, TrainingItem, Workspace
from workbench.services import stories, training
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def _day(today: date, offset: Any) -> date | None:
    return None if offset is None else today + timedelta(days=int(offset))


def fill_stories(session: Session, workspace: Workspace, seeds_dir: Path, today: date) -> bool:
    """Load the demo's stories and training unless it already has either."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(SuccessStory.id))) or session.scalar(
        select(func.count(TrainingItem.id))
    ):
        return False
    document = load_document(seeds_dir / "demo_stories.yaml")
    scenarios = {s.name: s.id for s in session.scalars(select(FailureScenario))}
    for entry in document.get("stories", []):
        stories.create_story(
            session,
            {
                "title": str(entry["title"]).strip(),
                "happened_on": _day(today, entry.get("happened_in_days")),
                **{
                    name: str(entry.get(name) or "").strip()
                    for name in ("failure", "response", "quote", "customer_name", "department")
                },
                "permission": str(entry.get("permission") or "none"),
                "scenario_id": scenarios.get(str(entry.get("scenario") or "")),
                "rating": int(entry.get("rating") or 3),
                "featured": bool(entry.get("featured")),
            },
        )
    for entry in document.get("training", []):
        training.create_item(
            session,
            {
                "department": str(entry["department"]),
                "topic": str(entry["topic"]).strip(),
                "audience": str(entry.get("audience") or ""),
                "head_count": entry.get("head_count"),
                "planned_on": _day(today, entry.get("planned_in_days")),
                "done_on": _day(today, entry.get("done_in_days")),
                "empowerment": bool(entry.get("empowerment")),
            },
            {scenarios[name] for name in entry.get("scenarios") or []},
        )
    session.flush()
    return True
