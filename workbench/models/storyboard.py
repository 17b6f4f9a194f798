"""Published storyboards (immutable snapshots) and the share links that open them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    UtcDateTime,
    Versioned,
    WorkspaceScoped,
    utcnow,
)


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
    # The pack it was published for: its key (stable across renames) and its name then.
    pack_key: Mapped[str] = mapped_column(String(60), default="leadership-team", index=True)
    pack_name: Mapped[str] = mapped_column(String(80), default="Leadership team")


class StoryboardPack(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A storyboard for one audience: a name and the sections it holds, in order."""

    __tablename__ = "storyboard_pack"
    __table_args__ = (
        UniqueConstraint("workspace_id", "code"),
        UniqueConstraint("workspace_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set once from the first name; published versions of the pack refer to it.
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(80))
    # Section keys (workbench.analysis.board_packs.SECTION_KEYS) joined by commas, in order.
    sections: Mapped[str] = mapped_column(String(200))


class SectionCommentary(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """The team's own view on one storyboard section, printed at the head of the section."""

    __tablename__ = "section_commentary"
    __table_args__ = (UniqueConstraint("workspace_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[str] = mapped_column(String(20))
    # As written (checked against the allowlist); sanitised again whenever it is read.
    body: Mapped[str] = mapped_column(Text, default="")


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
