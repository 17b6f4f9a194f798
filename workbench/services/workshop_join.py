"""Joining a workshop: codes with a rate limit, members under their account, guests.

A person without an account joins with the code and a name. They get a guest account (its
password is a secret nobody keeps) and a `WorkshopGuest` row, and wait until the facilitator
admits them (services/workshop.py `decide`). The guest row confines the account to its
session's pages (web/workshop.py `confine_guests`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import workshop as rules
from workbench.models import (
    Membership,
    ParticipantStatus,
    SessionStatus,
    User,
    WorkshopGuest,
    WorkshopParticipant,
    WorkshopSession,
)
from workbench.models.base import utcnow
from workbench.services.accounts import RateLimitedError
from workbench.services.errors import PermissionDeniedError, ServiceError
from workbench.services.ratelimit import WORKSHOP_JOIN, AttemptStore, Limit, configured_store
from workbench.services.tenancy import scope_session, system_access
from workbench.services.workshop import SessionClosedError

GUEST_EMAIL_DOMAIN = "guest.workshop.invalid"
MAX_WAITING = 50


def _now() -> datetime:
    return utcnow()


def _join_key(remote_addr: str | None) -> str:
    return f"addr:{remote_addr or 'unknown'}"


def check_join_rate(
    session: Session,
    remote_addr: str | None,
    limit: int,
    window: int,
    attempts: AttemptStore | None = None,
) -> None:
    """Refuse further code attempts from an address that guessed wrong too often.

    Failures are counted in `attempts`, by default the app's store (Redis when configured).
    """
    store = attempts if attempts is not None else configured_store(session)
    rule = Limit(WORKSHOP_JOIN, limit, window)
    if store.failures(rule, _join_key(remote_addr)) >= limit:
        raise RateLimitedError(
            f"Too many wrong codes from here. Wait {rule.wait_minutes()} minutes and try again."
        )


def record_failed_join(
    session: Session, remote_addr: str | None, attempts: AttemptStore | None = None
) -> None:
    """Count a wrong or expired code against the address (window from configuration)."""
    store = attempts if attempts is not None else configured_store(session)
    store.record(Limit.from_config(current_app.config, WORKSHOP_JOIN), [_join_key(remote_addr)])


def find_by_code(session: Session, raw_code: str | None) -> WorkshopSession:
    """Return the open session a typed code names, or raise a message that says why not."""
    code = rules.normalise_code(raw_code)
    if code is None:
        raise ServiceError("A join code has eight letters and digits, such as ABCD-EF23.", "code")
    with system_access(session):
        room = session.scalar(select(WorkshopSession).where(WorkshopSession.code == code))
    if room is None:
        raise ServiceError("No workshop uses that code. Check it with the facilitator.", "code")
    if room.status != SessionStatus.OPEN:
        raise SessionClosedError("That workshop has ended; its code no longer works.")
    if room.code_expires_at <= _now():
        raise SessionClosedError("That join code has expired. Ask the facilitator for a new one.")
    return room


def join_as_member(session: Session, user: User, room: WorkshopSession) -> WorkshopParticipant:
    """Put a member of the session's workspace in the room under their own account."""
    with system_access(session):
        member = session.scalar(
            select(Membership).where(
                Membership.workspace_id == room.workspace_id, Membership.user_id == user.id
            )
        )
    if member is None:
        raise PermissionDeniedError(
            "Your account is not a member of this workspace. Ask the facilitator to add you, "
            "or log out and join as a guest."
        )
    scope_session(session, room.workspace_id)
    participant = session.scalar(
        select(WorkshopParticipant).where(
            WorkshopParticipant.session_id == room.id, WorkshopParticipant.user_id == user.id
        )
    )
    if participant is None:
        participant = WorkshopParticipant(
            session_id=room.id, user_id=user.id, display_name=user.display_name
        )
        session.add(participant)
    participant.status = ParticipantStatus.ADMITTED
    session.flush()
    return participant


def join_as_guest(session: Session, room: WorkshopSession, display_name: str) -> User:
    """Create a guest account waiting to be admitted to the session; return it to log in."""
    name = display_name.strip()
    if not name:
        raise ServiceError("Tell the room your name.", "display_name")
    with system_access(session):
        waiting = session.scalar(
            select(func.count(WorkshopParticipant.id)).where(
                WorkshopParticipant.session_id == room.id,
                WorkshopParticipant.status == ParticipantStatus.WAITING,
            )
        )
    if (waiting or 0) >= MAX_WAITING:
        # A leaked code cannot flood the facilitator's roster.
        raise RateLimitedError(
            "Many people are already waiting for this session. Try again in a minute."
        )
    token = secrets.token_hex(16)
    user = User(
        email=f"guest-{token}@{GUEST_EMAIL_DOMAIN}",
        display_name=name,
        # Not a password hash at all: verification fails, so the account has no password login.
        password_hash=f"!guest:{secrets.token_hex(16)}",
        session_token=secrets.token_hex(16),
    )
    with system_access(session):
        session.add(user)
        session.flush()
        session.add(
            WorkshopGuest(user_id=user.id, workspace_id=room.workspace_id, session_id=room.id)
        )
        session.flush()
    scope_session(session, room.workspace_id)
    session.add(
        WorkshopParticipant(session_id=room.id, user_id=user.id, display_name=name, is_guest=True)
    )
    session.flush()
    return user


def is_guest_account(user: Any) -> bool:
    """True for the throwaway account of a workshop guest (no query: read from its email)."""
    return str(getattr(user, "email", "") or "").endswith("@" + GUEST_EMAIL_DOMAIN)


def guest_record(session: Session, user: Any) -> WorkshopGuest | None:
    """Return the guest row of an account, or None for an ordinary account."""
    email = getattr(user, "email", "") or ""
    if not email.endswith("@" + GUEST_EMAIL_DOMAIN):
        return None
    with system_access(session):
        return session.get(WorkshopGuest, user.id)


@dataclass(frozen=True)
class Waiting:
    """Where a person who joined stands: the session and their status in it."""

    workspace_id: int
    session_id: int
    title: str
    status: ParticipantStatus
    session_open: bool


def latest_participation(session: Session, user: User) -> Waiting | None:
    """Return the most recent session the person joined, with their status there."""
    with system_access(session):
        row = session.execute(
            select(WorkshopParticipant, WorkshopSession)
            .join(WorkshopSession, WorkshopSession.id == WorkshopParticipant.session_id)
            .where(WorkshopParticipant.user_id == user.id)
            .order_by(WorkshopParticipant.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    participant, room = row
    return Waiting(
        room.workspace_id,
        room.id,
        room.title,
        participant.status,
        room.status == SessionStatus.OPEN,
    )


def guest_session_open(session: Session, guest: WorkshopGuest) -> bool:
    """Return whether the guest's session is still running."""
    with system_access(session):
        room = session.get(WorkshopSession, guest.session_id)
    return room is not None and room.status == SessionStatus.OPEN
