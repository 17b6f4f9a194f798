"""Engine set-up: SQLite tuned for concurrent web writes, and the write-intent switch.

pysqlite's default mode opens a transaction only at the first INSERT/UPDATE, so two
requests can both read a value before either writes it and one update is silently lost.
We take over transaction control: every transaction starts with an explicit BEGIN, and
one that intends to write starts with BEGIN IMMEDIATE, which takes the write lock up
front so read-modify-write sequences are serialised.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, event
from sqlalchemy.orm import Session

# True while the current unit of work may write (web POSTs, CLI commands).
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "workbench_write_intent", default=True
)


def set_write_intent(writes: bool) -> contextvars.Token[bool]:
    """Declare whether transactions begun from now on in this context may write."""
    return _write_intent.set(writes)


def writes_intended() -> bool:
    """Return whether transactions begun now in this context may write."""
    return _write_intent.get()


@contextmanager
def write_intent(writes: bool = True) -> Iterator[None]:
    """Run a block with the given write intent."""
    token = _write_intent.set(writes)
    try:
        yield
    finally:
        _write_intent.reset(token)


def begin_writing(session: Session) -> None:
    """End the request's reading so far and make the next transaction a writing one.

    A writing request first reads who is asking and where; holding SQLite's write lock for
    that would queue every other save behind it, so on SQLite the reading transaction ends
    here and the next one begins with the lock. The objects already loaded are kept as
    they are (the app's sessions do not expire on commit): what they were read as is what
    the request was allowed on, and versioned rows still refuse a stale save.
    """
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_writing called with unsaved changes")
        # Only SQLite takes its write lock when a transaction begins (BEGIN IMMEDIATE). On
        # PostgreSQL, rows lock as they are written, so the reading transaction simply goes
        # on into the writes: no commit, no second connection checkout and pre-ping.
        if session.get_bind().dialect.name == "sqlite":
            session.commit()
    _write_intent.set(True)


def rowcount(result: Result[Any]) -> int:
    """Return how many rows an UPDATE or DELETE run through a Session matched."""
    # Session.execute is typed to return any Result; for a DML statement it is the driver's
    # CursorResult, the only kind that knows the count.
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} of a statement that returns rows has no rowcount")
    return result.rowcount


def configure_sqlite_engine(engine: Engine, busy_timeout_ms: int = 15000) -> None:
    """Apply WAL, foreign keys, busy timeout and BEGIN IMMEDIATE for writers to an engine."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" hook below issues BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def sqlite_engine_options(url: str) -> dict[str, Any]:
    """Return create_engine options suited to the URL's dialect."""
    if url.startswith("sqlite"):
        # The file may be shared across threads of one process; each gets its own connection.
        return {"connect_args": {"check_same_thread": False, "timeout": 15}}
    return {"pool_pre_ping": True}
