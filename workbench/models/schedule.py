"""The scheduler's bookkeeping: one claim per due occurrence, and the lease of the tick loop."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Base, UtcDateTime, str_enum, utcnow


class ClaimOutcome(enum.StrEnum):
    """Where a claimed occurrence stands."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ScheduleClaim(Base):
    """One occurrence of due work, claimed by the process that runs it.

    The occurrence key is unique, so of several hosts ticking at once exactly one inserts
    the row and runs the work; the others find it taken. A claim is never deleted to run
    its occurrence again: a run that crashed is marked failed and waits for the next one.
    Not workspace-scoped: housekeeping belongs to no workspace, so `workspace_id` is only
    set for work done for one (a feed), and the schedule page filters on it.
    """

    __tablename__ = "schedule_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True, nullable=True
    )
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    holder: Mapped[str] = mapped_column(String(120))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    outcome: Mapped[ClaimOutcome] = mapped_column(
        str_enum(ClaimOutcome, "claim_outcome", 10), default=ClaimOutcome.RUNNING, index=True
    )
    summary: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(500), default="")


class ScheduleLease(Base):
    """Who runs a loop (the tick) until when; taken over only once it has expired."""

    __tablename__ = "schedule_lease"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
