"""Mail sent in the background: pages answer before the SMTP server does, failures are kept."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from tests.conftest import BASE_CONFIG, PASSWORD, make_user
from tests.mail_support import (
    SMTP_PASSWORD,
    SMTP_USER,
    Received,
    link_path,
    outbox,
    smtp_server,
)
from workbench.app import create_app
from workbench.extensions import db
from workbench.services import mail
from workbench.services.mail import MailSettings, Message
from workbench.services.mail_queue import SENDER, MailSender

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _background_app(database_url: str, tmp_path: Path, port: int, **extra: Any) -> Flask:
    # Jobs (and so mail) in the background, as a deployment runs them; not inline as in tests.
    return create_app(
        {
            **BASE_CONFIG,
            "JOBS_INLINE": False,
            "DATABASE_URL": database_url,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_USERNAME": SMTP_USER,
            "SMTP_PASSWORD": SMTP_PASSWORD,
            "SMTP_STARTTLS": False,
            "SMTP_TIMEOUT_SECONDS": 30.0,
            "MAIL_RETRY_DELAYS_SECONDS": "0.05,0.05",
            **extra,
        }
    )


@pytest.fixture
def stalled(database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Received]]:
    """An app sending through an SMTP server that holds each answer until told to go on."""
    with smtp_server(gated=True) as (port, received):
        app = _background_app(database_url, tmp_path, port)
        yield app, received
        received.gate.set()
        assert SENDER.wait_idle(30), "the mail sender did not finish"
        with app.app_context():
            db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_stalled_smtp_server_does_not_hold_the_page(stalled: tuple[Flask, Received]) -> None:
    """The page answers while the server still holds its reply; the message arrives after."""
    app, received = stalled
    make_user(app, "sam@example.org", "Sam Smith")
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": "sam@example.org"})
    assert response.status_code == 303
    # The server cannot have answered yet: its gate is still shut.
    assert not received.gate.is_set()
    assert received.messages == []
    # The sender thread is talking to the server at this very moment.
    assert received.data_started.wait(15), "the message never reached the SMTP server"
    assert received.messages == []
    received.gate.set()
    [message] = received.wait_for_messages(1)
    assert message["Subject"] == "Reset your password"
    assert received.recipients == [["sam@example.org"]]
    # The link made in the background points at the site the request came to, and works.
    path = link_path(message, "/password/reset/")
    assert client.get(path).status_code == 200


def test_known_and_unknown_addresses_do_the_same_work_in_the_request(
    stalled: tuple[Flask, Received],
) -> None:
    """The request runs the same statements for both; only the sender looks the account up."""
    app, received = stalled
    make_user(app, "known@example.org")
    client = app.test_client()
    request_thread = threading.get_ident()
    statements: dict[str, list[str]] = {"request": [], "sender": []}

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        side = "request" if threading.get_ident() == request_thread else "sender"
        # Placeholders and literals differ between the two addresses; the statements must not.
        statements[side].append(re.sub(r"'[^']*'", "?", statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        answers = []
        work = []
        for email in ("known@example.org", "nobody@example.org"):
            assert SENDER.wait_idle(15)
            statements["request"].clear()
            statements["sender"].clear()
            answer = client.post("/password/forgot", data={"email": email})
            work.append(list(statements["request"]))
            answers.append((answer.status_code, answer.headers["Location"]))
            if email == "known@example.org":
                # The page answered while the server still held its reply.
                assert not received.gate.is_set()
                assert received.data_started.wait(15)
                received.gate.set()
                received.wait_for_messages(1)
            assert SENDER.wait_idle(15)
            # Both were handed to the sender, which looked the address up.
            assert any("FROM user_account" in s for s in statements["sender"])
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert answers[0] == answers[1]
    assert work[0] == work[1]
    assert [str(m["To"]) for m in received.messages] == ["known <known@example.org>"]


def test_a_failed_send_is_tried_again(database_url: str, tmp_path: Path) -> None:
    """A server that refuses for now (451) gets the message on the next try; none is kept."""
    with smtp_server() as (port, received):
        received.refusals.append("451 Try again later")
        app = _background_app(database_url, tmp_path, port)
        make_user(app, "sam@example.org", "Sam Smith")
        client = app.test_client()
        assert client.post("/password/forgot", data={"email": "sam@example.org"}).status_code == 303
        [message] = received.wait_for_messages(1)
        assert SENDER.wait_idle(15)
        assert message["Subject"] == "Reset your password"
        assert received.refusals == []
        assert outbox(app) == []
        with app.app_context():
            db.engine.dispose()


def test_a_message_that_cannot_be_sent_is_kept_in_the_outbox(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """With no server answering, every retry fails and the message waits in the outbox."""
    app = _background_app(database_url, tmp_path, _free_port())
    make_user(app, "sam@example.org", "Sam Smith")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="workbench.services.mail_queue"):
        assert client.post("/password/forgot", data={"email": "sam@example.org"}).status_code == 303
        assert SENDER.wait_idle(15)
    [kept] = outbox(app)
    assert kept["Subject"] == "Reset your password"
    assert link_path(kept, "/password/reset/").startswith("/password/reset/")
    retries = [r for r in caplog.records if "trying again" in r.getMessage()]
    assert len(retries) == 2
    assert any("failed 3 time(s)" in r.getMessage() for r in caplog.records)
    with app.app_context():
        db.engine.dispose()


def test_a_stopping_process_keeps_what_waits_for_a_retry(tmp_path: Path) -> None:
    """Stopping the sender writes a message still waiting for its next try to the outbox."""
    sender = MailSender("test-mail-sender")
    settings = MailSettings(
        sender="Workbench <workbench@example.org>",
        outbox=tmp_path / "outbox",
        host="127.0.0.1",
        port=_free_port(),
        starttls=False,
        retry_delays=(600.0,),
    )
    message = Message("ann@example.org", "Hello", "Plain text", "<p>HTML</p>")
    done = threading.Event()

    def task() -> None:
        sender.send(settings, message)
        done.set()

    sender.submit(task)
    assert done.wait(15)
    assert not sender.wait_idle(0.2), "the retry should still be waiting"
    assert mail.list_outbox(settings) == []
    assert sender.stop(timeout=5) == 1
    [entry] = mail.list_outbox(settings)
    assert entry.subject == "Hello"
    assert entry.to == "ann@example.org"


def test_a_stopping_process_keeps_a_message_a_stalled_server_holds(tmp_path: Path) -> None:
    """A send still waiting for the server's answer when the process stops is kept too."""
    sender = MailSender("test-mail-sender-stalled")
    with smtp_server(gated=True) as (port, received):
        settings = MailSettings(
            sender="Workbench <workbench@example.org>",
            outbox=tmp_path / "outbox",
            host="127.0.0.1",
            port=port,
            username=SMTP_USER,
            password=SMTP_PASSWORD,
            starttls=False,
            retry_delays=(),
        )
        message = Message("ann@example.org", "Held", "Plain text", "<p>HTML</p>")

        def task() -> None:
            sender.send(settings, message)

        sender.submit(task)
        assert received.data_started.wait(15)
        assert sender.stop(timeout=0.2) == 1
        [entry] = mail.list_outbox(settings)
        assert entry.subject == "Held"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", (10.0, 60.0, 300.0)), ("1, 2.5", (1.0, 2.5)), ("0", (0.0,)), ((3, 4), (3.0, 4.0))],
)
def test_retry_delays_are_read_from_the_setting(raw: object, expected: tuple[float, ...]) -> None:
    """The retry delays setting takes seconds separated by commas."""
    assert mail.retry_delays_from(raw) == expected


@pytest.mark.parametrize("raw", ["ten", "5,-1"])
def test_bad_retry_delays_stop_the_start(raw: str, tmp_path: Path) -> None:
    """A delay that is not a number of seconds, or is negative, is refused by name at start."""
    with pytest.raises(ValueError, match="MAIL_RETRY_DELAYS_SECONDS"):
        mail.retry_delays_from(raw)
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    with pytest.raises(ValueError, match="MAIL_RETRY_DELAYS_SECONDS"):
        create_app({**BASE_CONFIG, "DATABASE_URL": database, "MAIL_RETRY_DELAYS_SECONDS": raw})


def test_unconfirmed_login_answers_like_a_wrong_password_and_mails_a_new_link(
    app: Flask,
) -> None:
    """The right password of an unconfirmed account: the generic answer, and a fresh link."""
    client = app.test_client()
    registered = client.post(
        "/register",
        data={
            "display_name": "New Person",
            "email": "new@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert registered.status_code == 200
    assert len(outbox(app)) == 1

    def attempt(email: str, password: str) -> tuple[int, str]:
        answer = client.post("/login", data={"email": email, "password": password})
        page = re.sub(r'(nonce|content|value)="[^"]*"', "", answer.get_data(as_text=True))
        return answer.status_code, page

    wrong = attempt("new@example.org", "not the password at all")
    assert len(outbox(app)) == 1, "a wrong password must not mail anything"
    right = attempt("new@example.org", PASSWORD)
    unknown = attempt("nobody@example.org", PASSWORD)
    assert right == wrong == unknown
    assert right[0] == 401
    assert "do not match an account" in right[1]
    confirmations = [m for m in outbox(app) if m["Subject"] == "Confirm your email address"]
    assert len(confirmations) == 2
    # The fresh link confirms the address and logs in.
    path = link_path(confirmations[-1], "/register/confirm/")
    confirmed = client.post(path, data={"password": PASSWORD})
    assert confirmed.status_code == 303
    assert client.get("/workspaces/").status_code == 200


def test_fresh_confirmation_links_stay_within_the_mail_allowance(
    database_url: str, tmp_path: Path
) -> None:
    """Logging in again and again does not flood the inbox: the allowance caps the links."""
    app = create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "MAIL_PER_RECIPIENT_LIMIT": 2,
            "LOGIN_ATTEMPT_LIMIT": 20,
        }
    )
    client = app.test_client()
    data = {"display_name": "N", "email": "n@example.org", "password": PASSWORD}
    assert client.post("/register", data={**data, "confirm": PASSWORD}).status_code == 200
    for _ in range(3):
        answer = client.post("/login", data={"email": "n@example.org", "password": PASSWORD})
        assert answer.status_code == 401
    assert len(outbox(app)) == 2
    with app.app_context():
        db.engine.dispose()
