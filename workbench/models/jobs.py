"""Background jobs: one row per piece of work run off the request, and the files it handles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Base, UtcDateTime, WorkspaceScoped, str_enum, utcnow


class JobKind(enum.StrEnum):
    """What a job does; `services.job_kinds.HANDLERS` holds the function that does it."""

    STORYBOARD_PUBLISH = "storyboard.publish"
    EXCHANGE_EXPORT = "exchange.export"
    EXCHANGE_WORKBOOK = "exchange.workbook"
    FEED_RUN = "feed.run"


class JobStatus(enum.StrEnum):
    """Where a job stands (the values the `job.status` column has always held)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# Waiting for or in the hands of a worker; and come to an end, well or not.
ACTIVE: tuple[JobStatus, ...] = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED: tuple[JobStatus, ...] = (JobStatus.DONE, JobStatus.FAILED)


class Job(WorkspaceScoped, Base):
    """A job of some kind with its payload, state, progress, result and heartbeat.

    The state lives here rather than in the queue so every web process reads the same
    answer, and a job whose worker died is recognised by a heartbeat that stopped.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Both stay VARCHARs of the same length as before: the enums only check and type them.
    kind: Mapped[JobKind] = mapped_column(str_enum(JobKind, "job_kind", 60), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status", 10), default=JobStatus.QUEUED, index=True
    )
    stage: Mapped[str] = mapped_column(String(120), default="Waiting to start")
    progress: Mapped[int | None] = mapped_column(Integer, nullable=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    worker: Mapped[str] = mapped_column(String(120), default="")

    @property
    def finished(self) -> bool:
        """Whether the job has come to an end, well or not."""
        return self.status in FINISHED


class JobFile(WorkspaceScoped, Base):
    """A file a job takes in (an upload) or gives out (an export), one of each per job.

    The bytes live in the database rather than on a disk, so the host that shows the job's
    page and the worker that ran it need share nothing else. Old files are purged (see
    `exchange_jobs.purge_old_files`); the job row stays and says the file has gone.
    """

    __tablename__ = "job_file"
    __table_args__ = (UniqueConstraint("job_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))  # "input" or "result"
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: listing files (sizes, names, ages) never pulls their contents.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
