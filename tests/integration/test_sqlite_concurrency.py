"""SQLite under concurrent writers: our engine set-up serialises read-modify-write.

The default pysqlite mode starts a transaction only at the first write, so two threads can
read the same value and both write value + 1: one update vanishes without an error. The
first test shows that happening with a plain engine; the second runs the same workload on
an engine configured as the application configures its own and loses nothing.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from workbench.database import configure_sqlite_engine, sqlite_engine_options, write_intent

THREADS = 8
INCREMENTS = 5


def _prepare(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))


def _increment_many(engine: Engine, errors: list[BaseException]) -> None:
    try:
        for _ in range(INCREMENTS):
            with Session(engine) as session, session.begin():
                value = session.execute(text("SELECT value FROM counter WHERE id = 1")).scalar_one()
                time.sleep(0.002)  # widen the window between read and write, as a web form does
                session.execute(
                    text("UPDATE counter SET value = :v WHERE id = 1"), {"v": value + 1}
                )
    except BaseException as error:
        errors.append(error)


def _run(engine: Engine) -> int:
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_increment_many, args=(engine, errors)) for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with engine.connect() as connection:
        return connection.execute(text("SELECT value FROM counter")).scalar_one()


def test_default_driver_mode_loses_concurrent_updates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    _prepare(engine)
    final = _run(engine)
    engine.dispose()
    assert final < THREADS * INCREMENTS, "expected the unconfigured driver to lose updates"


def test_configured_engine_loses_no_concurrent_update(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'workbench.sqlite3'}"
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite_engine(engine, busy_timeout_ms=30000)
    _prepare(engine)
    with write_intent(True):
        final = _run(engine)
    engine.dispose()
    assert final == THREADS * INCREMENTS


def test_configured_engine_pragmas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite_engine(engine, busy_timeout_ms=12345)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 12345
    engine.dispose()


def test_reads_do_not_take_the_write_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locks.sqlite3'}"
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite_engine(engine, busy_timeout_ms=200)
    _prepare(engine)
    with write_intent(True), engine.connect() as writer:
        writer.begin()
        writer.execute(text("UPDATE counter SET value = 5"))
        # A reader in another connection is not blocked by the open write transaction.
        with write_intent(False), engine.connect() as reader:
            assert reader.execute(text("SELECT value FROM counter")).scalar_one() == 0
        writer.rollback()
    engine.dispose()
