"""Users, workspaces, memberships, invites, login attempts and the audit trail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class Role(enum.StrEnum):
    """What a member may do in a workspace."""

    FACILITATOR = "facilitator"
    ANALYST = "analyst"
    EXECUTIVE = "executive"


ROLE_ENUM = str_enum(Role, "member_role", length=20)


class User(UserMixin, Timestamped, Base):
    """A person with an account."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Changing it invalidates every other session of the account (see load_user).
    session_token: Mapped[str] = mapped_column(String(64))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # False from registering on the web until the emailed link is followed (or a password
    # reset by email proves the address); such an account cannot log in yet.
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    def get_id(self) -> str:
        """Return the identifier Flask-Login keeps in the session."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Return whether the account may log in."""
        return self.is_active_account and self.email_confirmed


# The corporate strategy lives on the workspace itself; these are its editable texts.
STRATEGY_FIELDS: tuple[str, ...] = (
    "purpose",
    "vision",
    "mission",
    "values",
    "corporate_goals",
    "current_state",
    "future_state",
    "analyst_perspective",
    "executive_summary",
)


class Workspace(Versioned, Timestamped, Audited, Base):
    """One organisation's service recovery strategy."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    industry: Mapped[str] = mapped_column(String(80), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    vision: Mapped[str] = mapped_column(Text, default="")
    mission: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[str] = mapped_column(Text, default="")
    corporate_goals: Mapped[str] = mapped_column(Text, default="")
    current_state: Mapped[str] = mapped_column(Text, default="")
    future_state: Mapped[str] = mapped_column(Text, default="")
    # The storyboard's opening texts; when empty the storyboard generates them from the data.
    analyst_perspective: Mapped[str] = mapped_column(Text, default="", server_default="")
    executive_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The room's decision on prevent versus recover: the share of the budget meant for
    # prevention (none until decided) and why.
    approach_prevent_target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approach_rationale: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set by a facilitator: members without two-factor sign-in are sent to turn it on first.
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A user's role in a workspace."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(ROLE_ENUM)

    user: Mapped[User] = relationship(back_populates="memberships")
    workspace: Mapped[Workspace] = relationship(back_populates="memberships")


class Invite(Timestamped, Audited, WorkspaceScoped, Base):
    """A signed, expiring, revocable invitation to join a workspace with a role."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    # Set for an invitation sent by email to one person: it then works once.
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)


class LoginAttempt(Base):
    """A failed login, kept briefly to rate-limit guessing across all workers."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Change(WorkspaceScoped, Base):
    """One entry of the audit trail: who changed which field of what, from what to what."""

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    user_label: Mapped[str] = mapped_column(String(254), default="system")
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete
    field: Mapped[str | None] = mapped_column(String(60), nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The row's version after this change (None for entries older than revision 0015):
    # a stale save asks which fields changed since the version its form was loaded at.
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_change_entity_row", "entity", "entity_id", "version"),)
