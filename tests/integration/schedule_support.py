"""Helpers of the schedule tests: old job files to purge, and sources made for a test."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from workbench.extensions import db
from workbench.models import ClaimOutcome, Job, JobFile, ScheduleClaim
from workbench.models.base import utcnow
from workbench.services import exchange_jobs
from workbench.services.schedule import DueItem, RunContext, Source
from workbench.services.tenancy import allow_system_access


def old_job_files(
    app: Flask, workspace_ids: list[int], days: float = 8, before: datetime | None = None
) -> list[int]:
    """Give each workspace a finished export whose file is `days` older than `before` (now
    by default); return the job ids."""
    long_ago = (before or utcnow()) - timedelta(days=days)
    ids: list[int] = []
    with app.app_context():
        allow_system_access(db.session)
        for workspace_id in workspace_ids:
            job = Job(workspace_id=workspace_id, kind=exchange_jobs.EXPORT, status="done")
            db.session.add(job)
            db.session.flush()
            db.session.add(
                JobFile(
                    workspace_id=workspace_id,
                    job_id=job.id,
                    role="result",
                    filename="old.json",
                    media_type="application/json",
                    size=2,
                    content=b"{}",
                    created_at=long_ago,
                )
            )
            ids.append(job.id)
        db.session.commit()
    return ids


def job_file_count(app: Flask) -> int:
    """Count the stored job files of every workspace."""
    with app.app_context():
        allow_system_access(db.session)
        return int(db.session.scalar(select(func.count(JobFile.id))) or 0)


def claims(app: Flask) -> list[ScheduleClaim]:
    """Every claim, oldest first, detached from the session."""
    with app.app_context():
        rows = list(db.session.scalars(select(ScheduleClaim).order_by(ScheduleClaim.id)))
        db.session.expunge_all()
        return rows


def claim_outcomes(app: Flask) -> dict[str, ClaimOutcome]:
    """Each claimed key with its outcome."""
    return {row.key: row.outcome for row in claims(app)}


def source(
    name: str,
    keys: list[str],
    run: Callable[[RunContext], str],
    workspace_id: int | None = None,
) -> Source:
    """A source whose given keys are due at any moment, each run by `run`."""

    def due(_session: object, now: datetime) -> list[DueItem]:
        return [
            DueItem(key=key, due_at=now, label=f"Test {key}", run=run, workspace_id=workspace_id)
            for key in keys
        ]

    return Source(name, f"Test source {name}", "Every tick", due, lambda _s, _n: None)


def line_writer(path: str, pause: float) -> Callable[[RunContext], str]:
    """A run that waits `pause` seconds, then appends its key and process id to a file."""

    def run(context: RunContext) -> str:
        time.sleep(pause)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{context.item.key} {os.getpid()}\n")
        return f"Wrote the line of {context.item.key}."

    return run
