"""The organisation's branding of its storyboard: a logo and an accent colour per workspace."""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Audited, Base, Timestamped, Versioned, WorkspaceScoped


class Branding(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A workspace's logo (already remade, see workbench.exchange.logo) and accent colour."""

    __tablename__ = "branding"
    __table_args__ = (UniqueConstraint("workspace_id"),)
    # The trail records which logo by its digest and size; the image itself stays out of it.
    __audit_exclude__ = frozenset(
        {"version", "created_at", "updated_at", "logo", "logo_png", "logo_width", "logo_height"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "#RRGGBB" in capitals, or None for the storyboard's own colour.
    accent: Mapped[str | None] = mapped_column(String(7), nullable=True)
    logo_kind: Mapped[str | None] = mapped_column(String(3), nullable=True)  # png or svg
    logo_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    logo_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Loaded only when drawn: the settings page and the audit need the digest alone.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    # The PNG rendition formats without vector images use (the PNG itself for a PNG logo).
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    logo_width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    logo_height: Mapped[int | None] = mapped_column(Integer, nullable=True)
