"""Reading mail back in tests: the outbox folder, and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

SMTP_USER = "workbench"
SMTP_PASSWORD = "smtp secret"


def outbox(app: Flask) -> list[EmailMessage]:
    """Return the messages in the app's outbox folder, oldest first."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    if not folder.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    messages = []
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as handle:
            parsed = parser.parse(handle)
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages


def text_of(message: EmailMessage) -> str:
    """Return the plain-text body of a message."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain text part"
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    """Return the HTML alternative of a message."""
    body = message.get_body(preferencelist=("html",))
    assert body is not None, "no HTML part"
    return str(body.get_content())


def link_path(message: EmailMessage, prefix: str) -> str:
    """Return the path of the first link in the message's text that starts with `prefix`."""
    for url in re.findall(r"https?://\S+", text_of(message)):
        path = urlsplit(url).path
        if path.startswith(prefix):
            return path
    raise AssertionError(f"no link to {prefix} in:\n{text_of(message)}")


@dataclass
class Received:
    """What the test SMTP server received: the messages and the logins."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    # Set when a message's data has arrived, before the server answers it.
    data_started: threading.Event = field(default_factory=threading.Event)
    # While clear, the server holds its answer to each message (up to GATE_SECONDS).
    gate: threading.Event = field(default_factory=threading.Event)
    # Answers to give to the first messages instead of accepting them (e.g. "451 ...").
    refusals: list[str] = field(default_factory=list)

    def wait_for_messages(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        """Wait (at most `timeout` seconds) until `count` messages arrived; return them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return list(self.messages)


# The longest a gated server holds an answer, so a test that never opens it still ends.
GATE_SECONDS = 15.0


class _Handler:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.received.data_started.set()
        if not self.received.gate.is_set():
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.received.gate.wait, GATE_SECONDS)
        if self.received.refusals:
            return self.received.refusals.pop(0)
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        assert isinstance(parsed, EmailMessage)
        self.received.messages.append(parsed)
        self.received.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(gated: bool = False) -> Iterator[tuple[int, Received]]:
    """Run a real SMTP server on 127.0.0.1 that requires a login; yield its port and inbox.

    With `gated`, the server holds its answer to each message until `received.gate` is set.
    """
    received = Received()
    if not gated:
        received.gate.set()

    def authenticate(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == SMTP_USER
            and data.password.decode() == SMTP_PASSWORD
        )
        if ok:
            received.logins.append(data.login.decode())
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        _Handler(received),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield port, received
    finally:
        received.gate.set()
        controller.stop()


def confirm_registration(app: Flask, client: Any, email: str, password: str) -> Any:
    """Confirm with the link last mailed to `email` and the password; return the answer."""
    mailed = [
        m
        for m in outbox(app)
        if m["Subject"] == "Confirm your email address" and email in str(m["To"])
    ]
    assert mailed, f"no confirmation message to {email}"
    return client.post(link_path(mailed[-1], "/register/confirm/"), data={"password": password})
