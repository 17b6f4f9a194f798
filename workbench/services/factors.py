"""Phase 1 factors: quick add, edit, delete, reorder, and the board grouped for display."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Factor, FactorCategory, FactorCategoryInfo, Polarity
from workbench.models.catalogue.assessment import FACTORS
from workbench.models.vocabulary import CATEGORY_LABELS
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.tenancy import system_access

MAX_QUICK_ADD_LINES = 100
TITLE_MAX = FACTORS.field("title").max_length or 0

EDITABLE_FIELDS = ("category", "polarity", "title", "description", "importance", "evidence")


@dataclass(frozen=True)
class CategoryPrompts:
    """A category with its description and example prompts from the seeds."""

    category: FactorCategory
    name: str
    description: str
    prompts: tuple[str, ...]


def category_prompts(session: Session) -> list[CategoryPrompts]:
    """Return the four categories with their seeded prompts (labels only if not seeded)."""
    with system_access(session):
        seeded = {row.key: row for row in session.scalars(select(FactorCategoryInfo))}
    result = []
    for category, label in CATEGORY_LABELS.items():
        row = seeded.get(category.value)
        result.append(
            CategoryPrompts(
                category,
                row.name if row else label,
                row.description if row else "",
                tuple(row.prompts) if row else (),
            )
        )
    return result


def _next_position(session: Session, category: FactorCategory) -> int:
    highest = session.scalar(select(func.max(Factor.position)).where(Factor.category == category))
    return (highest or 0) + 1


def split_quick_add(text: str) -> list[str]:
    """Split pasted text into factor titles: one per non-empty line, bullets removed."""
    titles = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-*•·").strip()
        if line:
            titles.append(line)
    return titles


def _check_titles(titles: Sequence[str]) -> None:
    if not titles:
        raise ServiceError("Type at least one factor.", "titles")
    if len(titles) > MAX_QUICK_ADD_LINES:
        raise ServiceError(f"Add at most {MAX_QUICK_ADD_LINES} factors at a time.", "titles")
    too_long = [t for t in titles if len(t) > TITLE_MAX]
    if too_long:
        raise ServiceError(
            f"Each factor title must be under {TITLE_MAX} characters; "
            f"“{too_long[0][:40]}…” is {len(too_long[0])}.",
            "titles",
        )


def quick_add(
    session: Session,
    category: FactorCategory,
    polarity: Polarity,
    importance: int,
    titles: Sequence[str],
    author_id: int | None,
    *,
    description: str = "",
    evidence: str = "",
) -> list[Factor]:
    """Add several factors of one category and polarity at once, in the given order."""
    _check_titles(titles)
    first = _next_position(session, category)
    return _place(
        session, (category, polarity, importance), titles, author_id, first, description, evidence
    )


def _place(
    session: Session,
    kind: tuple[FactorCategory, Polarity, int],
    titles: Sequence[str],
    author_id: int | None,
    first_position: int,
    description: str = "",
    evidence: str = "",
) -> list[Factor]:
    category, polarity, importance = kind
    factors = []
    for offset, title in enumerate(titles):
        factor = Factor(
            category=category,
            polarity=polarity,
            importance=importance,
            title=title,
            description=description,
            evidence=evidence,
            position=first_position + offset,
            created_by_id=author_id,
        )
        session.add(factor)
        factors.append(factor)
    session.flush()
    return factors


@dataclass(frozen=True)
class BoardAddition:
    """Factors just added to the board, with how many factors each category now holds."""

    factors: list[Factor]
    counts: dict[FactorCategory, int]

    @property
    def total(self) -> int:
        """Return how many factors the board holds."""
        return sum(self.counts.values())


def add_to_board(
    session: Session,
    category: FactorCategory,
    polarity: Polarity,
    importance: int,
    titles: Sequence[str],
    author_id: int | None,
) -> BoardAddition:
    """Quick-add factors as the board does, answering with the new counts per category.

    One statement reads every category's count and last position before the insert; the
    counts after it follow from what was added, so nothing is read back afterwards.
    """
    _check_titles(titles)
    rows = session.execute(
        select(Factor.category, func.count(Factor.id), func.max(Factor.position)).group_by(
            Factor.category
        )
    ).all()
    counted = {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}
    first = counted.get(category, (0, 0))[1] + 1
    factors = _place(session, (category, polarity, importance), titles, author_id, first)
    counts = {key: counted.get(key, (0, 0))[0] for key in CATEGORY_LABELS}
    counts[category] += len(factors)
    return BoardAddition(factors, counts)


def get_factor(session: Session, factor_id: int) -> Factor:
    """Return a factor of the session's workspace or raise NotFoundError."""
    factor = session.get(Factor, factor_id)
    if factor is None:
        raise NotFoundError("That factor no longer exists; someone may have deleted it.")
    return factor


def update_factor(
    session: Session, factor_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Factor:
    """Save a factor's fields unless it changed since the form was loaded."""
    factor = get_factor(session, factor_id)
    changes = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    if "category" in changes and changes["category"] != factor.category:
        factor.position = _next_position(session, changes["category"])
    apply_versioned_edit(factor, loaded_version, changes, f"The factor “{factor.title}”")
    session.flush()
    return factor


def delete_factor(session: Session, factor_id: int) -> str:
    """Delete a factor; return its title for the confirmation message."""
    factor = get_factor(session, factor_id)
    title = factor.title
    session.delete(factor)
    session.flush()
    return title


def move_factor(session: Session, factor_id: int, direction: str) -> None:
    """Swap a factor with its neighbour above or below within its category."""
    if direction not in {"up", "down"}:
        raise ServiceError("Move a factor up or down.")
    factor = get_factor(session, factor_id)
    siblings = list(
        session.scalars(
            select(Factor)
            .where(Factor.category == factor.category)
            .order_by(Factor.position, Factor.id)
        )
    )
    index = siblings.index(factor)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
        session.flush()


def list_factors(session: Session) -> list[Factor]:
    """Return every factor of the workspace in board order."""
    return list(
        session.scalars(select(Factor).order_by(Factor.category, Factor.position, Factor.id))
    )


@dataclass(frozen=True)
class BoardCell:
    """The factors of one category with one polarity."""

    polarity: Polarity
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class BoardRow:
    """One category across the three polarities."""

    category: FactorCategory
    label: str
    cells: tuple[BoardCell, ...]
    count: int


def board(factors: Sequence[Factor]) -> list[BoardRow]:
    """Group factors by category (rows) and polarity (columns), keeping their order."""
    rows = []
    for category, label in CATEGORY_LABELS.items():
        in_category = [f for f in factors if f.category == category]
        cells = tuple(
            BoardCell(polarity, tuple(f for f in in_category if f.polarity == polarity))
            for polarity in Polarity
        )
        rows.append(BoardRow(category, label, cells, len(in_category)))
    return rows
