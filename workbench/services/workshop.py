"""Workshop sessions: opening, leading the room, admitting people, input per step, closing.

Admitting a guest gives them an analyst membership of the workspace, recorded on their
participant row; closing the session deletes it, so a guest's access ends with the session.
Joining itself (codes, guests) is in services/workshop_join.py.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import workshop as rules
from workbench.models import (
    Approach,
    FactorCategory,
    InitiativeStatus,
    Membership,
    ParticipantStatus,
    Perspective,
    Polarity,
    Priority,
    Role,
    SessionStatus,
    User,
    VoteStatus,
    WorkshopParticipant,
    WorkshopSession,
    WorkshopVote,
)
from workbench.models.base import utcnow
from workbench.services import (
    departments,
    factors,
    initiatives,
    objectives,
    operating,
    organisation,
)
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, PermissionDeniedError, ServiceError
from workbench.services.tenancy import system_access
from workbench.services.workshop_guide import GUIDE, step_at

MAX_MINUTES = 240
MAX_DOTS = 20


class SessionClosedError(PermissionDeniedError):
    """The session has ended: nobody can join or add anything any more."""


def _now() -> datetime:
    return utcnow()


# --------------------------------------------------------------------------- sessions


def _unique_code(session: Session) -> str:
    # Pending rows are flushed under the workspace scope first: an autoflush inside the
    # system-wide lookup below would skip the scope's checks.
    session.flush()
    with system_access(session):
        for _attempt in range(20):
            code = rules.make_code(secrets.randbelow)
            if (
                session.scalar(select(WorkshopSession.id).where(WorkshopSession.code == code))
                is None
            ):
                return code
    raise ServiceError("Could not find a free join code; try again.")  # pragma: no cover


def open_session(
    session: Session, facilitator: User, title: str, minutes: int, code_hours: int
) -> WorkshopSession:
    """Open a session in the scoped workspace with its facilitator already in the room."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise ServiceError(f"Give each step between 1 and {MAX_MINUTES} minutes.", "minutes")
    room = WorkshopSession(
        title=title.strip(),
        code=_unique_code(session),
        step_minutes=minutes,
        step_started_at=_now(),
        code_expires_at=_now() + timedelta(hours=code_hours),
        facilitator_id=facilitator.id,
    )
    session.add(room)
    session.flush()
    session.add(
        WorkshopParticipant(
            session_id=room.id,
            user_id=facilitator.id,
            display_name=facilitator.display_name,
            status=ParticipantStatus.ADMITTED,
        )
    )
    session.flush()
    return room


def list_sessions(session: Session) -> list[WorkshopSession]:
    """Return the workspace's sessions, open ones first, newest first."""
    rows = session.scalars(select(WorkshopSession).order_by(WorkshopSession.id.desc()))
    return sorted(rows, key=lambda row: row.status != SessionStatus.OPEN)


def get_session(session: Session, session_id: int) -> WorkshopSession:
    """Return a session of the scoped workspace or raise NotFoundError."""
    room = session.get(WorkshopSession, session_id)
    if room is None:
        raise NotFoundError("There is no such workshop session in this workspace.")
    return room


def require_open(room: WorkshopSession) -> None:
    """Refuse any change to a session that has closed."""
    if room.status != SessionStatus.OPEN:
        raise SessionClosedError("This workshop session has closed; nothing more can be added.")


def move(session: Session, room: WorkshopSession, loaded_version: int | None, target: str) -> None:
    """Move the room to another step and restart the step timer."""
    require_open(room)
    if target not in ("next", "previous") and not (target.isdigit() and len(target) < 4):
        raise ServiceError("Choose the next step, the previous one or a step of the guide.")
    index = rules.move_step(room.step_index, target, len(GUIDE))
    apply_versioned_edit(
        room, loaded_version, {"step_index": index, "step_started_at": _now()}, "The session"
    )
    session.flush()


def set_timer(
    session: Session, room: WorkshopSession, loaded_version: int | None, minutes: int
) -> None:
    """Give the current step a new duration, counted from now."""
    require_open(room)
    if not 1 <= minutes <= MAX_MINUTES:
        raise ServiceError(f"Give the step between 1 and {MAX_MINUTES} minutes.", "minutes")
    changes = {"step_minutes": minutes, "step_started_at": _now()}
    apply_versioned_edit(room, loaded_version, changes, "The session")
    session.flush()


def close_session(session: Session, room: WorkshopSession, loaded_version: int | None) -> None:
    """End the session: votes close, guests lose their session-limited membership."""
    require_open(room)
    changes = {"status": SessionStatus.CLOSED, "closed_at": _now()}
    apply_versioned_edit(room, loaded_version, changes, "The session")
    for vote in session.scalars(
        select(WorkshopVote).where(
            WorkshopVote.session_id == room.id, WorkshopVote.status == VoteStatus.OPEN
        )
    ):
        vote.status = VoteStatus.CLOSED
    for participant in session.scalars(
        select(WorkshopParticipant).where(WorkshopParticipant.session_id == room.id)
    ):
        if participant.is_guest and participant.membership_id is not None:
            membership = session.get(Membership, participant.membership_id)
            if membership is not None:
                session.delete(membership)
            participant.membership_id = None
    session.flush()


@dataclass(frozen=True)
class Timer:
    """The step timer as shown: seconds left, its label, and the clock text."""

    seconds: int
    label: str
    clock: str
    minutes: int


def timer(room: WorkshopSession, now: datetime | None = None) -> Timer:
    """Compute the timer of the room's current step."""
    left = rules.remaining_seconds(room.step_started_at, room.step_minutes, now or _now())
    return Timer(left, rules.remaining_label(left), rules.clock(left), room.step_minutes)


# --------------------------------------------------------------------------- the roster


def participants(session: Session, room: WorkshopSession) -> list[WorkshopParticipant]:
    """Return the room's participants, waiting guests first, then by name."""
    rows = session.scalars(
        select(WorkshopParticipant).where(WorkshopParticipant.session_id == room.id)
    )
    order = {ParticipantStatus.WAITING: 0, ParticipantStatus.ADMITTED: 1}
    return sorted(rows, key=lambda p: (order.get(p.status, 2), p.display_name.casefold(), p.id))


def participant_of(
    session: Session, room: WorkshopSession, user_id: int
) -> WorkshopParticipant | None:
    """Return the user's place in the room, if they joined."""
    return session.scalar(
        select(WorkshopParticipant).where(
            WorkshopParticipant.session_id == room.id, WorkshopParticipant.user_id == user_id
        )
    )


def require_participant(session: Session, room: WorkshopSession, user_id: int) -> None:
    """Refuse input from someone the facilitator has not admitted to this session."""
    require_open(room)
    participant = participant_of(session, room, user_id)
    if participant is None or participant.status != ParticipantStatus.ADMITTED:
        raise PermissionDeniedError(
            "Join the session with its code first; only people in the room take part."
        )


def decide(session: Session, room: WorkshopSession, participant_id: int, admit: bool) -> str:
    """Admit or turn away a participant; an admitted guest becomes an analyst for the session."""
    require_open(room)
    participant = session.get(WorkshopParticipant, participant_id)
    if participant is None or participant.session_id != room.id:
        raise NotFoundError("That person is not in this session.")
    if room.facilitator_id == participant.user_id:
        raise ServiceError("The facilitator stays in the room.")
    if admit:
        participant.status = ParticipantStatus.ADMITTED
        if participant.is_guest and participant.membership_id is None:
            membership = Membership(user_id=participant.user_id, role=Role.ANALYST)
            session.add(membership)
            session.flush()
            participant.membership_id = membership.id
    else:
        participant.status = ParticipantStatus.REFUSED
        if participant.is_guest and participant.membership_id is not None:
            granted = session.get(Membership, participant.membership_id)
            if granted is not None:
                session.delete(granted)
            participant.membership_id = None
    session.flush()
    return participant.display_name


# --------------------------------------------------------------------------- input per step

POLARITY_CHOICES = [(p.value, p.value.capitalize()) for p in Polarity]


def require_decision_step(session: Session, room: WorkshopSession, user: User) -> None:
    """Refuse a decision from someone not admitted, or once the room has left the step."""
    require_participant(session, room, user.id)
    if step_at(room.step_index).input_kind != "decision":
        raise ServiceError(
            "The room has moved to another step since this form was loaded; it was not saved."
        )


def add_item(
    session: Session, room: WorkshopSession, user: User, step_key: str, values: dict[str, Any]
) -> str:
    """Add what the current step asks for through the phase's own service; return its title."""
    require_participant(session, room, user.id)
    step = step_at(room.step_index)
    if step.key != step_key:
        raise ServiceError(
            "The room has moved to another step since this form was loaded; it was not saved."
        )
    title = (values.get("title") or "").strip()
    if not title:
        raise ServiceError("Type a title.", "title")
    kind = step.input_kind
    if kind == "factor":
        factors.quick_add(
            session,
            FactorCategory(values["category"]),
            Polarity(values["polarity"]),
            3,
            [title],
            user.id,
        )
    elif kind == "objective":
        objectives.create_objective(
            session,
            {"title": title, "perspective": Perspective(values.get("perspective") or "customer")},
        )
    elif kind == "initiative":
        initiatives.create_initiative(
            session,
            {
                "title": title,
                "status": InitiativeStatus.PROPOSED,
                "priority": Priority.MEDIUM,
                "approach": Approach(values.get("approach") or "recover"),
            },
        )
    elif kind == "canvas":
        operating.create_item(session, {"kind": values.get("kind"), "title": title})
    elif kind == "unit":
        organisation.create_unit(session, "target", {"name": title})
    elif kind == "function":
        title = departments.involve(session, title).name
    else:
        raise ServiceError("This step has nothing to add here; use its full page.")
    return title
