"""Published storyboards (immutable snapshots) and the share links that open them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Base, UtcDateTime, WorkspaceScoped, utcnow


class StoryboardSnapshot(WorkspaceScoped, Base):
    """A published storyboard: its PDF, the data it was made from, and who published it."""

    __tablename__ = "storyboard_snapshot"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    author_label: Mapped[str] = mapped_column(String(254))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    page_count: Mapped[int] = mapped_column(Integer)
    # Loaded only when asked for: the list of published versions must not read every PDF.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    # The editable deck rendered with the PDF; versions published before decks have none.
    pptx: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, nullable=True)
    slide_count: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ShareLink(WorkspaceScoped, Base):
    """A signed, expiring, revocable link that opens one snapshot without an account."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("storyboard_snapshot.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    opened: Mapped[int] = mapped_column(Integer, default=0)
