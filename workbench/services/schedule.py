"""Due work: a registry of sources, and `run_due`, which runs each due occurrence once.

A *source* names a kind of recurring work (purging old job files, a metric feed, owner
reminders). Asked at a moment `now`, it answers the occurrences that are due, each a
`DueItem` with a stable occurrence key ("purge-job-files:2026-12-04",
"feed:12:2026-12-04T06:00") and the function that does the work.

`run_due` claims every occurrence in the database before running it: it inserts a
`ScheduleClaim` row with the key, which is unique, in a short transaction of its own. The
insert that wins runs the work; an IntegrityError means another process or host has the
occurrence, and it is left alone. So however many app hosts, workers and cron lines tick at
the same moment, each occurrence runs once. The work and the claim's "done" are committed
together; a failure rolls the work back and records the claim as failed with its reason.
A process that dies mid-run leaves its claim "running"; once it has been so for
`SCHEDULE_RUN_STALE_SECONDS` it is marked failed, and its occurrence is not run again (the
next occurrence is). On SQLite every writing transaction begins with BEGIN IMMEDIATE, so
the inserts of two processes are serialised and the second one sees the first's row; on
PostgreSQL the second insert waits for the first transaction and then fails on the key.

Which sources there are is decided by the caller (`schedule_sources.SOURCES`), as the job
handlers are handed to `jobs.run`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import ColumnElement, Engine, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.database import write_intent
from workbench.extensions import db
from workbench.models import ClaimOutcome, ScheduleClaim
from workbench.models.base import utcnow
from workbench.services.errors import ServiceError
from workbench.services.jobs import worker_label
from workbench.services.tenancy import allow_system_access

log = logging.getLogger(__name__)

STOPPED = (
    "The process running this stopped before it finished (it was restarted or ran out of "
    "memory). It is not run again for this occurrence; the next one runs as usual."
)
TAKEN = "Another process has run it or is running it."
KEY_LIMIT = 200
# What is kept of a result or an error (the columns' length).
TEXT_LIMIT = 500


@dataclass
class RunContext:
    """What an occurrence's work gets: a system session, the app, the moment, a hook."""

    app: Flask
    session: Session
    now: datetime
    item: DueItem
    _after: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the work has been committed (to hand a recorded job over)."""
        self._after.append(callback)


@dataclass(frozen=True)
class DueItem:
    """One due occurrence: its stable key, when it fell due, and how to run it.

    `run` does the work in the context's session (flush only; the runner commits) and
    returns a one-line summary of what it did. `workspace_id` is set when the work is done
    for one workspace, so that workspace's schedule page lists the run.
    """

    key: str
    due_at: datetime
    label: str
    run: Callable[[RunContext], str]
    workspace_id: int | None = None

    def __post_init__(self) -> None:
        # The key is the claim's unique column: a source handing a bad one is refused when
        # it lists its work (and reported), not when a claim fails halfway through a tick.
        if not self.key or len(self.key) > KEY_LIMIT:
            raise ValueError(f"an occurrence key has 1 to {KEY_LIMIT} characters: {self.key!r}")


@dataclass(frozen=True)
class Source:
    """A kind of recurring work: what is due at a moment, and when it next falls due.

    `due(session, now)` lists the occurrences due at `now` (already-run ones may be listed
    again: the claims filter them). `upcoming(session, now)` answers when the next
    occurrence that is not yet due falls, or None. Both only read; the session is a system
    session when the runner asks and is scoped to one workspace when a schedule page asks.
    """

    name: str
    title: str
    cadence: str
    due: Callable[[Session, datetime], Sequence[DueItem]]
    upcoming: Callable[[Session, datetime], datetime | None]


@dataclass(frozen=True)
class ItemResult:
    """What became of one due occurrence in one tick."""

    key: str
    label: str
    outcome: str  # "done", "failed", "taken" (by another process) or "stopped" (found dead)
    text: str

    def line(self) -> str:
        """One line for the command's output."""
        return f"{self.outcome:<7} {self.key}  {self.text}".rstrip()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def stale_after(app: Flask) -> timedelta:
    """Return how long a claim may stay "running" before its run is taken for dead."""
    return timedelta(seconds=float(app.config["SCHEDULE_RUN_STALE_SECONDS"]))


def fail_stopped_runs(engine: Engine, now: datetime, stale: timedelta) -> list[ItemResult]:
    """Mark as failed the claims whose run has been "running" for longer than `stale`."""
    cutoff = now - stale
    running = (ScheduleClaim.outcome == ClaimOutcome.RUNNING, ScheduleClaim.claimed_at < cutoff)
    with engine.begin() as connection:
        found = connection.execute(
            select(ScheduleClaim.id, ScheduleClaim.key, ScheduleClaim.label).where(*running)
        ).all()
        if not found:
            return []
        connection.execute(
            update(ScheduleClaim)
            .where(ScheduleClaim.id.in_([row.id for row in found]), *running)
            .values(outcome=ClaimOutcome.FAILED, finished_at=now, error=STOPPED)
        )
    return [ItemResult(row.key, row.label, "stopped", STOPPED) for row in found]


def claim(engine: Engine, source: str, item: DueItem, holder: str, now: datetime) -> int | None:
    """Insert the occurrence's claim in a transaction of its own; None if it is taken."""
    try:
        with engine.begin() as connection:
            result = connection.execute(
                insert(ScheduleClaim)
                .values(
                    key=item.key,
                    source=source,
                    label=_short(item.label)[:200],
                    workspace_id=item.workspace_id,
                    due_at=item.due_at,
                    holder=holder,
                    claimed_at=now,
                    outcome=ClaimOutcome.RUNNING,
                    summary="",
                    error="",
                )
                .returning(ScheduleClaim.id)
            )
            return int(result.scalar_one())
    except IntegrityError:
        if _claimed_by_key(engine, item.key):
            return None
        raise  # not the key: the occurrence's workspace has gone, say


def _claimed_by_key(engine: Engine, key: str) -> bool:
    with engine.connect() as connection:
        found = connection.scalar(select(ScheduleClaim.id).where(ScheduleClaim.key == key))
    return found is not None


def _fail(engine: Engine, claim_id: int, holder: str, error: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(ScheduleClaim)
            .where(ScheduleClaim.id == claim_id, ScheduleClaim.holder == holder)
            .values(outcome=ClaimOutcome.FAILED, finished_at=utcnow(), error=_short(error))
        )


def _claimed_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    return set(session.scalars(select(ScheduleClaim.key).where(ScheduleClaim.key.in_(wanted))))


def gather(
    session: Session, sources: Sequence[Source], now: datetime
) -> tuple[list[tuple[Source, DueItem]], list[ItemResult]]:
    """Ask every source what is due; a source that fails is reported, the others go on."""
    items: list[tuple[Source, DueItem]] = []
    problems: list[ItemResult] = []
    for source in sources:
        try:
            items.extend((source, item) for item in source.due(session, now))
        except Exception as error:
            log.exception("schedule source %s could not list its due work", source.name)
            session.rollback()
            problems.append(
                ItemResult(source.name, source.title, "failed", _error_text(error, "list"))
            )
    return items, problems


def _error_text(error: Exception, doing: str = "run") -> str:
    # A service error speaks to the reader; anything else may carry internals (addresses,
    # queries), so it stays in the log and the page says where to look.
    if isinstance(error, ServiceError):
        return error.message
    return f"Could not {doing} it ({type(error).__name__}); the log of {worker_label()} says why."


def run_due(
    app: Flask, sources: Sequence[Source], now: datetime | None = None, holder: str | None = None
) -> list[ItemResult]:
    """Claim and run every occurrence due at `now` that nobody has claimed; report each."""
    now = now or utcnow()
    holder = holder or worker_label()
    with app.app_context():
        engine = db.engine
        results = fail_stopped_runs(engine, now, stale_after(app))
        session = db.session()
        allow_system_access(session)
        try:
            # Only reads: on SQLite the lock is not held while the sources look.
            with write_intent(False):
                items, problems = gather(session, sources, now)
                done = _claimed_keys(session, (item.key for _source, item in items))
                session.commit()
            results.extend(problems)
        finally:
            db.session.remove()
        for source, item in items:
            if item.key in done:
                continue
            done.add(item.key)  # a source listing an occurrence twice runs it once
            results.append(_run_one(app, engine, source, item, holder, now))
    return results


def _run_one(
    app: Flask, engine: Engine, source: Source, item: DueItem, holder: str, now: datetime
) -> ItemResult:
    try:
        claim_id = claim(engine, source.name, item, holder, now)
    except IntegrityError as error:
        log.exception("could not claim %s", item.key)
        return ItemResult(item.key, item.label, "failed", _error_text(error, "claim"))
    if claim_id is None:
        return ItemResult(item.key, item.label, "taken", TAKEN)
    session = db.session()
    allow_system_access(session)
    context = RunContext(app=app, session=session, now=now, item=item)
    try:
        summary = _short(item.run(context) or "Done.")
        # The claim's outcome commits with the work itself: both or neither.
        session.execute(
            update(ScheduleClaim)
            .where(ScheduleClaim.id == claim_id, ScheduleClaim.holder == holder)
            .values(outcome=ClaimOutcome.DONE, finished_at=utcnow(), summary=summary, error="")
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except Exception as error:
        log.exception("scheduled %s failed", item.key)
        session.rollback()
        message = _error_text(error)
        _fail(engine, claim_id, holder, message)
        return ItemResult(item.key, item.label, "failed", message)
    finally:
        db.session.remove()
    for callback in context._after:
        try:
            callback()
        except Exception:
            # The work is committed; what hands it on logs its own failure (a job stays queued
            # and is failed by the job layer's timeout, never lost silently).
            log.exception("after-commit step of %s failed", item.key)
    return ItemResult(item.key, item.label, "done", summary)


@dataclass(frozen=True)
class RunView:
    """One claimed occurrence as the schedule page shows it."""

    key: str
    label: str
    source: str
    due_at: datetime
    holder: str
    claimed_at: datetime
    finished_at: datetime | None
    outcome: ClaimOutcome
    text: str


@dataclass(frozen=True)
class SourceView:
    """One source on the schedule page: when it next falls due and its last runs."""

    name: str
    title: str
    cadence: str
    next_due: datetime | None
    due_now: bool
    runs: list[RunView]


def overview(
    session: Session,
    sources: Sequence[Source],
    now: datetime,
    workspace_id: int | None,
    runs_per_source: int = 10,
) -> list[SourceView]:
    """Each source with its next due time and its last runs (system-wide and the workspace's)."""
    views: list[SourceView] = []
    for source in sources:
        waiting = list(source.due(session, now))
        claimed = _claimed_keys(session, (item.key for item in waiting))
        unclaimed = [item.due_at for item in waiting if item.key not in claimed]
        next_due = min(unclaimed) if unclaimed else source.upcoming(session, now)
        visible: ColumnElement[bool] = ScheduleClaim.workspace_id.is_(None)
        if workspace_id is not None:
            visible = or_(visible, ScheduleClaim.workspace_id == workspace_id)
        rows = session.scalars(
            select(ScheduleClaim)
            .where(ScheduleClaim.source == source.name, visible)
            .order_by(ScheduleClaim.claimed_at.desc(), ScheduleClaim.id.desc())
            .limit(runs_per_source)
        )
        runs = [
            RunView(
                key=row.key,
                label=row.label,
                source=row.source,
                due_at=row.due_at,
                holder=row.holder,
                claimed_at=row.claimed_at,
                finished_at=row.finished_at,
                outcome=row.outcome,
                text=row.error if row.outcome == ClaimOutcome.FAILED else row.summary,
            )
            for row in rows
        ]
        views.append(
            SourceView(source.name, source.title, source.cadence, next_due, bool(unclaimed), runs)
        )
    return views
