"""Faults against a real server: kill -9 mid-write, the database going away, storage refusing.

Each test runs gunicorn in a subprocess on 127.0.0.1 (see bench/serving.py), so what is checked is
what a person would see and what the database holds afterwards.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from http.client import HTTPException
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from bench.serving import Browser, Server, free_port
from tests.conftest import BASE_CONFIG, PASSWORD, login
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Factor
from workbench.services.tenancy import scope_session

FACTOR_FORM = {"category": "business_need", "polarity": "driver", "importance": "3"}


def _server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "WORKBENCH_DATABASE_URL": database_url,
        "WORKBENCH_SECRET_KEY": BASE_CONFIG["SECRET_KEY"],
        **extra,
    }


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers started by a test; every one is stopped at the end, whatever happened."""
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def _factor_titles(database_url: str, workspace_id: int) -> set[str]:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    with app.app_context():
        scope_session(db.session, workspace_id)
        titles = set(db.session.scalars(select(Factor.title)))
        db.engine.dispose()
    return titles


def _integrity(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as connection:
            return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    engine = create_engine(database_url)
    with engine.connect() as connection:
        # Every table must still read end to end.
        for (name,) in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ):
            connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
    engine.dispose()
    return "ok"


def test_kill_9_during_a_burst_of_writes_loses_no_acknowledged_write(
    database_url: str, team: dict, servers: list[Server]
) -> None:
    wid = team["workspace_id"]
    server = Server(_server_env(database_url))
    servers.append(server)
    server.start()
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number: int) -> None:
        browser = Browser(server.base)
        try:
            browser.login(team["analyst"].email, PASSWORD)
            browser.get(f"/workspaces/{wid}/assessment/factors")
        except (OSError, HTTPException, AssertionError):
            # A slow start: the burst was written and the server killed before this login;
            # a login that fails for any other reason leaves too few writes and fails below.
            return
        index = 0
        while not stop.is_set():
            title = f"Burst factor {number}-{index}"
            try:
                status, _ = browser.post(
                    f"/workspaces/{wid}/assessment/factors", {**FACTOR_FORM, "titles": title}
                )
            except (OSError, HTTPException):
                return  # the server died under us; this write was never acknowledged
            if status == 303:
                with lock:
                    acknowledged.append(title)
            index += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.time() + 30
    while len(acknowledged) < 25 and time.time() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 25
    assert _integrity(database_url) == "ok"
    stored = _factor_titles(database_url, wid)
    assert set(acknowledged) <= stored
    # Restarted, the app is ready at once and keeps taking writes.
    again = Server(_server_env(database_url))
    servers.append(again)
    again.start()
    browser = Browser(again.base)
    assert browser.get("/readyz")[0] == 200
    browser.login(team["analyst"].email, PASSWORD)
    browser.get(f"/workspaces/{wid}/assessment/factors")
    status, _ = browser.post(
        f"/workspaces/{wid}/assessment/factors", {**FACTOR_FORM, "titles": "After the crash"}
    )
    assert status == 303
    assert {"After the crash", *acknowledged} <= _factor_titles(database_url, wid)


class TcpRelay:
    """Forwards a loopback port to the database; stopping it makes the database vanish."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []

    def start(self) -> None:
        """Listen and relay until stopped."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(50)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for end in self.open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self.open.clear()


def _is_clear_503(status: int, body: str) -> bool:
    return status == 503 and "Temporarily unavailable" in body and "Traceback" not in body


def test_the_database_going_away_gives_a_clear_503_and_the_app_recovers(
    database_url: str, team: dict, servers: list[Server]
) -> None:
    wid = team["workspace_id"]
    url = make_url(database_url)
    relay: TcpRelay | None = None
    holder: sqlite3.Connection | None = None
    if url.get_backend_name() == "sqlite":
        server_url = database_url
        extra = {"WORKBENCH_SQLITE_BUSY_TIMEOUT_MS": "300"}
    else:
        relay = TcpRelay((url.host or "127.0.0.1", url.port or 5432))
        relay.start()
        server_url = url.set(host="127.0.0.1", port=relay.port).render_as_string(False)
        extra = {}
    server = Server(_server_env(server_url, **extra))
    servers.append(server)
    server.start()
    browser = Browser(server.base)
    browser.login(team["analyst"].email, PASSWORD)
    page = f"/workspaces/{wid}/assessment/factors"
    assert browser.get(page)[0] == 200
    try:
        if relay is not None:
            relay.stop()  # PostgreSQL is gone: reads and writes both fail
            assert _is_clear_503(*browser.get(page))
            assert browser.get("/readyz")[0] == 503
        else:
            # Another process holds SQLite's write lock for longer than the busy timeout.
            holder = sqlite3.connect(str(url.database), isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
        status, body = browser.post(page, {**FACTOR_FORM, "titles": "During the outage"})
        assert _is_clear_503(status, body), (status, body[:400])
        assert "The database is not answering" in body
        assert browser.get("/healthz")[0] == 200  # the process itself is fine
    finally:
        if relay is not None:
            relay.start()
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    deadline = time.time() + 20
    while browser.get("/readyz")[0] != 200 and time.time() < deadline:
        time.sleep(0.3)
    assert browser.get(page)[0] == 200
    status, _ = browser.post(page, {**FACTOR_FORM, "titles": "After the outage"})
    assert status == 303
    titles = _factor_titles(database_url, wid)
    assert "After the outage" in titles and "During the outage" not in titles
    if relay is not None:
        relay.stop()


def _copy_session(source: Any, target: Any) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def test_a_read_only_database_file_gives_a_clear_error(team_sqlite: dict) -> None:
    app, team = team_sqlite["app"], team_sqlite["team"]
    wid = team["workspace_id"]
    writer = app.test_client()
    login(writer, team["analyst"])
    path = make_url(app.config["DATABASE_URL"]).database
    read_only = create_app(
        {**BASE_CONFIG, "TESTING": False, "DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    )
    client = read_only.test_client()
    _copy_session(writer, client)
    page = f"/workspaces/{wid}/assessment/factors"
    assert client.get(page).status_code == 200  # reading still works
    response = client.post(page, data={**FACTOR_FORM, "titles": "Cannot be stored"})
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "disk is full or its file is read-only" in body and "Traceback" not in body
    assert "Cannot be stored" not in _factor_titles(app.config["DATABASE_URL"], wid)


def test_a_full_database_gives_a_clear_error_and_saves_nothing(team_sqlite: dict) -> None:
    app, team = team_sqlite["app"], team_sqlite["team"]
    wid = team["workspace_id"]
    client = app.test_client()
    login(client, team["analyst"])
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        engine.dispose()

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection: Any, _record: Any) -> None:
            # The file may not grow: SQLite answers exactly as it does on a full disk.
            dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages)}")

    long_titles = "\n".join(f"Factor {n} " + "x" * 150 for n in range(60))
    page = f"/workspaces/{wid}/assessment/factors"
    response = client.post(page, data={**FACTOR_FORM, "titles": long_titles})
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:300]
    assert "disk is full" in body and "Traceback" not in body
    assert client.get(page).status_code == 200
    assert not any(
        title.startswith("Factor ") for title in _factor_titles(app.config["DATABASE_URL"], wid)
    )


@pytest.fixture
def team_sqlite(sqlite_template: Any, tmp_path: Any) -> Iterator[dict[str, Any]]:
    """A SQLite app with the standard team, for faults only SQLite's file can show."""
    import shutil

    from tests.conftest import add_member, make_user, make_workspace
    from workbench.models import Role

    path = tmp_path / "workbench.sqlite3"
    shutil.copy(sqlite_template, path)
    app: Flask = create_app({**BASE_CONFIG, "TESTING": False, "DATABASE_URL": f"sqlite:///{path}"})
    facilitator = make_user(app, "fran@example.org", "Fran")
    analyst = make_user(app, "ana@example.org", "Ana")
    workspace_id = make_workspace(app, facilitator)
    add_member(app, workspace_id, analyst, Role.ANALYST)
    yield {"app": app, "team": {"analyst": analyst, "workspace_id": workspace_id}}
    with app.app_context():
        db.engine.dispose()
