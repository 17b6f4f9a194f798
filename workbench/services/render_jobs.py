"""Storyboard publishing as a background job of the kind `JobKind.STORYBOARD_PUBLISH`.

The request records the job and returns; a worker (see `job_backends`) renders and stores
the new version, its PDF and its PowerPoint deck. The rendering only reads, in a
transaction that takes no write lock, so on SQLite the workshop can keep saving while the
PDF is laid out; the new version is then stored in a short write transaction of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.board_packs import FULL_PACK_KEY
from workbench.config import reports_dir
from workbench.database import write_intent
from workbench.models import Job, JobKind, User, Workspace
from workbench.models.jobs import ACTIVE
from workbench.services import jobs, storyboard
from workbench.services.board_packs import resolve_pack
from workbench.services.errors import NotFoundError

KIND = JobKind.STORYBOARD_PUBLISH


def request_publish(session: Session, user_id: int, pack: str | None = None) -> Job:
    """Record a publish request of a pack, or return the one already waiting for that pack."""
    chosen = resolve_pack(session, pack)
    jobs.expire_stale(session)
    for waiting in session.scalars(
        select(Job).where(Job.kind == KIND, Job.status.in_(ACTIVE)).order_by(Job.id)
    ):
        # Requests from before packs carry no pack: they publish the full storyboard.
        if (waiting.payload or {}).get("pack", FULL_PACK_KEY) == chosen.key:
            return waiting
    return jobs.create(session, KIND, {"pack": chosen.key}, user_id, reuse_active=False)


def get_job(session: Session, job_id: int) -> Job:
    """Return a publishing job of the session's workspace or raise NotFoundError."""
    return jobs.get(session, job_id, KIND)


def retry(session: Session, job_id: int) -> Job:
    """Queue a failed publishing job again."""
    return jobs.retry(session, job_id, KIND)


def publish_handler(context: jobs.JobContext) -> dict[str, Any]:
    """Render the workspace's storyboard (PDF and deck) and store it as the next version."""
    session = context.session
    context.stage("Gathering the data and drawing the charts", 10)
    with write_intent(False):
        workspace = session.get(Workspace, context.workspace_id)
        author = session.get(User, context.requested_by_id) if context.requested_by_id else None
        if workspace is None or author is None:
            raise NotFoundError("The workspace or the person who asked has gone.")
        templates = reports_dir(current_app.config)
        pack = resolve_pack(session, context.payload.get("pack"))
        outcome = storyboard.render_publication(
            session, workspace, author, date.today(), templates, pack
        )
        session.commit()
    if isinstance(outcome, storyboard.Rendered):
        context.stage("Saving the new version", 90)
        outcome = storyboard.store_publication(session, outcome)
        session.commit()
    return {
        "snapshot_number": outcome.snapshot.number,
        "reused": outcome.reused,
        "pack": outcome.snapshot.pack_name,
    }
