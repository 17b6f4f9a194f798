"""Metric feeds: a metric's measurements taken from a database or a file on a schedule."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
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
    str_enum,
    utcnow,
)


class FeedKind(enum.StrEnum):
    """Where a feed reads its rows: a SQL query against a database, or a CSV/XLSX file."""

    SQL = "sql"
    FILE = "file"


class FeedSchedule(enum.StrEnum):
    """How often a feed runs (at its hour, UTC)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class FeedOutcome(enum.StrEnum):
    """How a feed run ended."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"
    FAILED = "failed"


class MetricFeed(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """The source a metric's measurements come from, and when it is read next."""

    __tablename__ = "metric_feed"
    __table_args__ = (UniqueConstraint("metric_id"),)
    # The encrypted address never enters the audit trail; the schedule's bookkeeping neither.
    __audit_exclude__ = Audited.__audit_exclude__ | {"url_encrypted", "next_run_at"}

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    kind: Mapped[FeedKind] = mapped_column(str_enum(FeedKind, "feed_kind", length=10))
    # A Fernet token of the database URL (it may hold a password); empty for a file feed.
    url_encrypted: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str] = mapped_column(Text, default="")
    file_path: Mapped[str] = mapped_column(String(500), default="")
    schedule: Mapped[FeedSchedule] = mapped_column(
        str_enum(FeedSchedule, "feed_schedule", length=10), default=FeedSchedule.DAILY
    )
    hour: Mapped[int] = mapped_column(Integer, default=6)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)


class FeedRun(WorkspaceScoped, Base):
    """One run of a feed: when, how it ended, what it counted and every row it refused."""

    __tablename__ = "feed_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("metric_feed.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job.id", ondelete="SET NULL"), nullable=True, index=True
    )
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    outcome: Mapped[FeedOutcome] = mapped_column(
        str_enum(FeedOutcome, "feed_outcome", length=10), default=FeedOutcome.RUNNING
    )
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    # Rows of days a person deleted the feed's reading of (see FeedHold): never written.
    rows_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # [{"row": n, "reason": "...", "kind": "rejected" | "conflict" | "held"}], the first few
    # hundred; the counts above are the whole.
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(String(500), default="")


class FeedHold(Audited, WorkspaceScoped, Base):
    """A day (and site) a feed leaves alone because a person deleted the reading it wrote.

    Written when such a reading is deleted (services/feed_holds.py); runs report the day
    as held out and never write it again until someone releases the hold.
    """

    __tablename__ = "feed_hold"
    __table_args__ = (UniqueConstraint("feed_id", "measured_on", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("metric_feed.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date] = mapped_column(Date)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("site.id", ondelete="CASCADE"), nullable=True, index=True
    )
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    # Who deleted the reading as the audit trail names them, kept if the account goes.
    deleted_by: Mapped[str] = mapped_column(String(254), default="")
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# One hold a day per feed for the organisation (no site): NULLs are distinct in the unique
# constraint above, as for measurements.
Index(
    "uq_feed_hold_organisation_day",
    FeedHold.feed_id,
    FeedHold.measured_on,
    unique=True,
    sqlite_where=FeedHold.site_id.is_(None),
    postgresql_where=FeedHold.site_id.is_(None),
)
