"""Dot voting in a workshop session: open a vote, place and take back dots, rank, apply.

The limit of N dots per participant holds under concurrent posts: each dot takes a slot
0..N-1 and (vote, user, slot) is unique in the database, so two simultaneous posts cannot
both take the last slot; the loser retries with the next free slot or is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.analysis import workshop as rules
from workbench.models import (
    Factor,
    FailureScenario,
    Initiative,
    Polarity,
    Priority,
    VoteKind,
    VoteStatus,
    WorkshopDot,
    WorkshopSession,
    WorkshopVote,
)
from workbench.services import factors, initiatives
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.initiatives import FIELDS as INITIATIVE_FIELDS
from workbench.services.workshop import MAX_DOTS, require_open, require_participant

KIND_LABELS: dict[VoteKind, str] = {
    VoteKind.FACTORS: "Phase 1 factors",
    VoteKind.BARRIERS: "Barriers",
    VoteKind.INITIATIVES: "Initiatives",
    VoteKind.SCENARIOS: "Failure scenarios",
}
# What applying a ranking writes, per kind; scenarios have no priority field to write.
APPLIES_TO: dict[VoteKind, str] = {
    VoteKind.FACTORS: "importance (5 for the top band down to 1)",
    VoteKind.BARRIERS: "importance (5 for the top band down to 1)",
    VoteKind.INITIATIVES: "priority (high, medium, low)",
}
# Priorities as levels, higher is more important, so votes rank them like importance.
PRIORITY_LEVELS = {3: Priority.HIGH, 2: Priority.MEDIUM, 1: Priority.LOW}
LEVEL_OF_PRIORITY = {priority: level for level, priority in PRIORITY_LEVELS.items()}


@dataclass(frozen=True)
class RankingChange:
    """What applying a ranking would do to one item: its level before and after."""

    item_id: int
    title: str
    old: int
    new: int

    @property
    def old_label(self) -> str:
        """The level before, as the item's page shows it."""
        return _level_label(self.old, self.new_is_priority)

    @property
    def new_label(self) -> str:
        """The level after, as the item's page shows it."""
        return _level_label(self.new, self.new_is_priority)

    new_is_priority: bool = False


def _level_label(level: int, priority: bool) -> str:
    return PRIORITY_LEVELS[level].value if priority else str(level)


def ranking_preview(session: Session, vote: WorkshopVote) -> list[RankingChange]:
    """The changes applying the vote's ranking would make, most dots first (nothing written)."""
    if vote.kind not in APPLIES_TO:
        return []
    rows = results(session, vote).rows
    ids = [row.item_id for row in rows]
    titles = {row.item_id: row.label for row in rows}
    priority = vote.kind == VoteKind.INITIATIVES
    if priority:
        current = {
            i.id: LEVEL_OF_PRIORITY[i.priority]
            for i in session.scalars(select(Initiative).where(Initiative.id.in_(ids)))
        }
        top = 3
    else:
        current = {
            f.id: f.importance for f in session.scalars(select(Factor).where(Factor.id.in_(ids)))
        }
        top = 5
    new = rules.levels_after_vote(rows, current, top)
    return [
        RankingChange(item, titles[item], current[item], level, priority)
        for item, level in new.items()
        if item in current and current[item] != level
    ]


def vote_items(session: Session, kind: VoteKind) -> list[tuple[int, str]]:
    """Return the (id, label) pairs a vote of this kind is about, in a stable order."""
    if kind in (VoteKind.FACTORS, VoteKind.BARRIERS):
        query = select(Factor.id, Factor.title).order_by(
            Factor.category, Factor.position, Factor.id
        )
        if kind == VoteKind.BARRIERS:
            query = query.where(Factor.polarity == Polarity.BARRIER)
    elif kind == VoteKind.INITIATIVES:
        query = select(Initiative.id, Initiative.title).order_by(Initiative.position, Initiative.id)
    else:
        query = select(FailureScenario.id, FailureScenario.name).order_by(FailureScenario.id)
    return [(row[0], row[1]) for row in session.execute(query)]


def open_vote(
    session: Session, room: WorkshopSession, kind: VoteKind, question: str, dots: int
) -> WorkshopVote:
    """Open a vote; an earlier open vote of the session closes, one vote runs at a time."""
    require_open(room)
    if not 1 <= dots <= MAX_DOTS:
        raise ServiceError(f"Give each person between 1 and {MAX_DOTS} dots.", "dots")
    if not vote_items(session, kind):
        raise ServiceError(f"There are no {KIND_LABELS[kind].lower()} to vote on yet.", "kind")
    for earlier in session.scalars(
        select(WorkshopVote).where(
            WorkshopVote.session_id == room.id, WorkshopVote.status == VoteStatus.OPEN
        )
    ):
        earlier.status = VoteStatus.CLOSED
    vote = WorkshopVote(
        session_id=room.id,
        kind=kind,
        question=question.strip() or f"Which {KIND_LABELS[kind].lower()} matter most?",
        dots_per_person=dots,
    )
    session.add(vote)
    session.flush()
    return vote


def get_vote(session: Session, room: WorkshopSession, vote_id: int) -> WorkshopVote:
    """Return a vote of this session or raise NotFoundError."""
    vote = session.get(WorkshopVote, vote_id)
    if vote is None or vote.session_id != room.id:
        raise NotFoundError("There is no such vote in this session.")
    return vote


def current_vote(session: Session, room: WorkshopSession) -> WorkshopVote | None:
    """Return the session's latest vote (open or not), if any."""
    return session.scalar(
        select(WorkshopVote)
        .where(WorkshopVote.session_id == room.id)
        .order_by(WorkshopVote.id.desc())
        .limit(1)
    )


def _user_slots(session: Session, vote_id: int, user_id: int) -> list[int]:
    return list(
        session.scalars(
            select(WorkshopDot.slot).where(
                WorkshopDot.vote_id == vote_id, WorkshopDot.user_id == user_id
            )
        )
    )


def place_dot(
    session: Session, room: WorkshopSession, vote: WorkshopVote, user_id: int, item_id: int
) -> None:
    """Place one of the participant's dots on an item."""
    require_participant(session, room, user_id)
    if vote.status != VoteStatus.OPEN:
        raise ServiceError("This vote has closed; the dots are counted.")
    if item_id not in {item for item, _label in vote_items(session, vote.kind)}:
        raise ServiceError("That item is not part of this vote (it may have been deleted).")
    for _attempt in range(vote.dots_per_person + 1):
        slot = rules.free_slot(_user_slots(session, vote.id, user_id), vote.dots_per_person)
        if slot is None:
            raise ServiceError(
                f"You have placed all {vote.dots_per_person} of your dots. Take one back to "
                "move it."
            )
        try:
            with session.begin_nested():
                session.add(
                    WorkshopDot(vote_id=vote.id, user_id=user_id, item_id=item_id, slot=slot)
                )
                session.flush()
            return
        except IntegrityError:
            # Another request of the same person took this slot first; look again.
            continue
    raise ServiceError("Your dots changed meanwhile; try again.")  # pragma: no cover


def take_back_dot(
    session: Session, room: WorkshopSession, vote: WorkshopVote, user_id: int, item_id: int
) -> None:
    """Remove one of the participant's dots from an item."""
    require_participant(session, room, user_id)
    if vote.status != VoteStatus.OPEN:
        raise ServiceError("This vote has closed; the dots are counted.")
    dot_id = session.scalar(
        select(WorkshopDot.id)
        .where(
            WorkshopDot.vote_id == vote.id,
            WorkshopDot.user_id == user_id,
            WorkshopDot.item_id == item_id,
        )
        .order_by(WorkshopDot.slot.desc())
        .limit(1)
    )
    if dot_id is None:
        raise ServiceError("You have no dot on that item.")
    session.execute(delete(WorkshopDot).where(WorkshopDot.id == dot_id))
    session.flush()


def close_vote(
    session: Session, room: WorkshopSession, vote: WorkshopVote, loaded_version: int | None
) -> None:
    """Stop the voting; the results stay visible."""
    require_open(room)
    if vote.status != VoteStatus.OPEN:
        raise ServiceError("This vote is already closed.")
    apply_versioned_edit(vote, loaded_version, {"status": VoteStatus.CLOSED}, "The vote")
    session.flush()


@dataclass(frozen=True)
class Results:
    """A vote's standing: ranked rows, dots cast, voters, and the viewer's own dots."""

    rows: tuple[rules.TallyRow, ...]
    total: int
    voters: int
    mine: dict[int, int]
    left: int


def results(session: Session, vote: WorkshopVote, user_id: int | None = None) -> Results:
    """Tally the vote as it stands."""
    dots = session.execute(
        select(WorkshopDot.item_id, WorkshopDot.user_id).where(WorkshopDot.vote_id == vote.id)
    ).all()
    rows = rules.tally(vote_items(session, vote.kind), [item for item, _user in dots])
    mine: dict[int, int] = {}
    for item, user in dots:
        if user == user_id:
            mine[item] = mine.get(item, 0) + 1
    voters = len({user for _item, user in dots})
    left = rules.dots_left(sum(mine.values()), vote.dots_per_person)
    return Results(tuple(rows), sum(row.dots for row in rows), voters, mine, left)


def apply_ranking(
    session: Session, room: WorkshopSession, vote: WorkshopVote, loaded_version: int | None
) -> int:
    """Write the ranking into the items' importance or priority; return how many changed."""
    require_open(room)
    if vote.kind not in APPLIES_TO:
        raise ServiceError("Scenarios have no priority to set; use the ranking in discussion.")
    if vote.status == VoteStatus.OPEN:
        raise ServiceError("Close the vote before applying its ranking.")
    if vote.status == VoteStatus.APPLIED:
        raise ServiceError("This ranking has already been applied.")
    apply_versioned_edit(vote, loaded_version, {"status": VoteStatus.APPLIED}, "The vote")
    changed = 0
    for change in ranking_preview(session, vote):
        if vote.kind in (VoteKind.FACTORS, VoteKind.BARRIERS):
            factor = factors.get_factor(session, change.item_id)
            factors.update_factor(
                session, change.item_id, factor.version, {"importance": change.new}
            )
        else:
            initiative = initiatives.get_initiative(session, change.item_id)
            values = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS}
            values["priority"] = PRIORITY_LEVELS[change.new]
            initiatives.update_initiative(session, change.item_id, initiative.version, values)
        changed += 1
    session.flush()
    return changed
