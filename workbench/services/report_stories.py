"""The storyboard's success stories and training plans, for the operating model chapter.

Only stories whose customer gave permission are read into the report at all, so a story
without permission cannot reach the PDF, its fingerprint or a published snapshot; an
anonymous permission carries no name. Every read is one query whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import stories as story_rules
from workbench.analysis import training as training_rules
from workbench.analysis.dates import format_date
from workbench.models import FailureScenario, SuccessStory
from workbench.services import training


@dataclass(frozen=True)
class QuotedStory:
    """A story the storyboard quotes: the customer's words and who said them."""

    title: str
    quote: str
    attribution: str  # the customer's name, or "a customer" when anonymous
    failure: str
    response: str
    scenario: str | None
    happened: str | None  # as people read a date


@dataclass(frozen=True)
class TrainingRow:
    """One department's training plan in figures."""

    department: str
    sessions: int
    done: int
    overdue: int
    planned: int
    unscheduled: int
    people_trained: int
    scenarios: int


@dataclass(frozen=True)
class FrontLineSection:
    """The stories quoted and the training plans, with the scenarios nobody is trained for."""

    stories: tuple[QuotedStory, ...]
    training: tuple[TrainingRow, ...]
    gaps: tuple[str, ...]  # sentences
    untaught_limits: tuple[str, ...]  # scenario names


def _quoted(session: Session, scenario_names: dict[int, str]) -> tuple[QuotedStory, ...]:
    # Only permitted stories are read: nothing else can be printed by mistake.
    rows = session.scalars(
        select(SuccessStory)
        .where(SuccessStory.permission.in_(sorted(story_rules.QUOTABLE)))
        .order_by(SuccessStory.id)
    )
    by_id = {row.id: row for row in rows}
    records = [
        story_rules.StoryRecord(
            row.id,
            row.title,
            row.quote,
            row.customer_name,
            row.permission,
            row.rating,
            row.featured,
            row.happened_on,
        )
        for row in by_id.values()
    ]
    chosen = []
    for record in story_rules.best(records):
        row = by_id[record.id]
        chosen.append(
            QuotedStory(
                title=row.title,
                quote=row.quote,
                attribution=story_rules.attribution(row.permission, row.customer_name),
                failure=row.failure,
                response=row.response,
                scenario=scenario_names.get(row.scenario_id) if row.scenario_id else None,
                happened=format_date(row.happened_on) if row.happened_on else None,
            )
        )
    return tuple(chosen)


def _gap_sentence(gap: training_rules.Gap) -> str:
    if gap.department_name:
        return (
            f"{gap.scenario}: {gap.department_name}, whose team responds, has no training for it."
        )
    return f"{gap.scenario}: no department has training for it."


def front_line_section(
    session: Session, scenarios: Sequence[FailureScenario], known: dict[str, str], today: date
) -> FrontLineSection:
    """The quoted stories and each department's training plan, as of `today`.

    `scenarios` is the playbook the report has already read; the sessions and their links
    come in one query, the permitted stories in another.
    """
    names = {s.id: s.name for s in scenarios}
    items, links = training.items_with_links(session)
    summary = training_rules.summarise(
        training.scenario_records(list(scenarios)), training.records(items, links), known, today
    )
    return FrontLineSection(
        stories=_quoted(session, names),
        training=tuple(
            TrainingRow(
                p.name,
                p.sessions,
                p.done,
                p.overdue,
                p.planned,
                p.unscheduled,
                p.people_trained,
                p.scenarios,
            )
            for p in summary.plans
        ),
        gaps=tuple(_gap_sentence(gap) for gap in summary.gaps),
        untaught_limits=summary.untaught_limits,
    )
