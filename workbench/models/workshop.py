"""Guided workshop sessions: the room, its participants, dot votes and the guest accounts.

A guest is a `User` created for one session (no password that works) with a `WorkshopGuest`
row naming the session; once admitted, the guest holds an analyst membership of the session's
workspace that is deleted when the session closes. The guest row is what confines the account
to the session's pages.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    UtcDateTime,
    Versioned,
    WorkspaceScoped,
    str_enum,
    utcnow,
)


class SessionStatus(enum.StrEnum):
    """Whether a workshop session still accepts people and input."""

    OPEN = "open"
    CLOSED = "closed"


class ParticipantStatus(enum.StrEnum):
    """Where a participant stands with the facilitator."""

    WAITING = "waiting"
    ADMITTED = "admitted"
    REFUSED = "refused"


class VoteKind(enum.StrEnum):
    """What a dot vote ranks."""

    FACTORS = "factors"
    BARRIERS = "barriers"
    INITIATIVES = "initiatives"
    SCENARIOS = "scenarios"


class VoteStatus(enum.StrEnum):
    """The life of a dot vote."""

    OPEN = "open"
    CLOSED = "closed"
    APPLIED = "applied"


class WorkshopSession(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A facilitated session: the step the room is on, its timer and its join code."""

    __tablename__ = "workshop_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "workshop_session_status", length=10),
        default=SessionStatus.OPEN,
    )
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    step_started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    step_minutes: Mapped[int] = mapped_column(Integer, default=10)
    dots_per_person: Mapped[int] = mapped_column(Integer, default=3)
    code_expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


class WorkshopParticipant(Timestamped, WorkspaceScoped, Base):
    """A person in a session: a member of the workspace, or a guest the facilitator admits."""

    __tablename__ = "workshop_participant"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(120))
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ParticipantStatus] = mapped_column(
        str_enum(ParticipantStatus, "workshop_participant_status", length=10),
        default=ParticipantStatus.WAITING,
    )
    # The session-limited membership a guest receives on admission; deleted at close.
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), nullable=True
    )


class WorkshopGuest(Base):
    """Marks an account as a guest of one session: it may reach that session and nothing else."""

    __tablename__ = "workshop_guest"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )


class WorkshopVote(Versioned, Timestamped, WorkspaceScoped, Base):
    """A dot vote on factors, barriers, initiatives or scenarios."""

    __tablename__ = "workshop_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[VoteKind] = mapped_column(str_enum(VoteKind, "workshop_vote_kind", length=12))
    question: Mapped[str] = mapped_column(String(200))
    dots_per_person: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[VoteStatus] = mapped_column(
        str_enum(VoteStatus, "workshop_vote_status", length=10), default=VoteStatus.OPEN
    )


class WorkshopDot(WorkspaceScoped, Base):
    """One dot a participant placed; `slot` (0..N-1) makes the N-dot limit a unique key."""

    __tablename__ = "workshop_dot"
    __table_args__ = (UniqueConstraint("vote_id", "user_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_vote.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(Integer)
    slot: Mapped[int] = mapped_column(Integer)
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
