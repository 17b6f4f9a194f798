"""Reminders by email: who asked for which, what was sent, and the statuses last seen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Base, Timestamped, UtcDateTime, Versioned, WorkspaceScoped


class ReminderPreference(Versioned, Timestamped, Base):
    """Which kinds of reminder a person receives; without a row, every kind is on."""

    __tablename__ = "reminder_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    metric_due: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    metric_overdue: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    goal_status: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    initiative_late: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ReminderSent(WorkspaceScoped, Base):
    """One reminder occurrence, claimed before its message leaves so it leaves only once.

    `occurrence` names what the reminder is about and when it arose (for example
    "metric-due:42:2026-12-24"); its uniqueness is what makes a second run, or a second
    process running at the same time, send nothing new.
    """

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Empty while the message is on its way; a claim left empty for long was abandoned by
    # a process that stopped, and another run may take it over.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ReminderState(WorkspaceScoped, Base):
    """The status a goal or an initiative had when reminders last looked, and since when.

    A goal's status and an initiative's health are worked out afresh each day; this row is
    what tells a change of status (worth one message) from a status that merely persists.
    """

    __tablename__ = "reminder_state"
    __table_args__ = (UniqueConstraint("subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # goal or initiative
    subject_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(30))
    since: Mapped[date] = mapped_column(Date)
