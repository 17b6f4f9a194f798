"""Mail for the whole product: one `send` that delivers by SMTP or writes to the outbox.

With an SMTP host configured, messages go to it (STARTTLS or implicit TLS, optional login).
Without one, each message is written as an .eml file to the instance's outbox folder, where
the instance administrators read it on the outbox page, so the embedded default needs
nothing set up and no message is lost.
"""

from __future__ import annotations

import os
import re
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.ratelimit import AttemptStore, Limit

OUTBOX_FOLDER = "outbox"
# Outbox file names are made here; anything else in a URL is refused before touching a file.
_OUTBOX_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Message:
    """One message to one person: the plain text and its HTML alternative."""

    to: str
    subject: str
    text: str
    html: str
    to_name: str = ""
    # Extra header lines (name, value), e.g. List-Unsubscribe; checked like the subject.
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MailSettings:
    """Where messages go: an SMTP server, or the outbox folder when no host is set."""

    sender: str
    outbox: Path
    host: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    starttls: bool = True
    use_ssl: bool = False
    timeout: float = 20.0
    # Seconds to wait before each new try of a failed send; after the last, the outbox.
    retry_delays: tuple[float, ...] = (10.0, 60.0, 300.0)

    @property
    def uses_outbox(self) -> bool:
        """Return whether messages are kept in the outbox instead of being sent."""
        return not self.host


@dataclass(frozen=True)
class OutboxEntry:
    """A message kept in the outbox, as the administrator sees it."""

    key: str
    to: str
    subject: str
    written_at: datetime
    text: str


def settings_from(config: Mapping[str, Any], instance_path: str | Path) -> MailSettings:
    """Return the mail settings of an application's configuration."""
    return MailSettings(
        sender=str(config.get("MAIL_FROM") or "workbench@localhost"),
        outbox=Path(config.get("MAIL_OUTBOX_DIR") or Path(instance_path) / OUTBOX_FOLDER),
        host=str(config.get("SMTP_HOST") or ""),
        port=int(config.get("SMTP_PORT") or 587),
        username=str(config.get("SMTP_USERNAME") or ""),
        password=str(config.get("SMTP_PASSWORD") or ""),
        starttls=bool(config.get("SMTP_STARTTLS", True)),
        use_ssl=bool(config.get("SMTP_SSL", False)),
        timeout=float(config.get("SMTP_TIMEOUT_SECONDS") or 20.0),
        retry_delays=retry_delays_from(config.get("MAIL_RETRY_DELAYS_SECONDS")),
    )


def retry_delays_from(raw: object) -> tuple[float, ...]:
    """Return the retry delays of a setting: "10,60,300" or a sequence of seconds."""
    if raw is None or raw == "":
        return MailSettings.retry_delays
    parts = (
        raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else [raw]
    )
    try:
        delays = tuple(float(str(part)) for part in parts if str(part).strip())
    except ValueError:
        raise ValueError(
            f"MAIL_RETRY_DELAYS_SECONDS must be seconds separated by commas, not {raw!r}."
        ) from None
    if any(delay < 0 for delay in delays):
        raise ValueError("MAIL_RETRY_DELAYS_SECONDS cannot hold a negative delay.")
    return delays


def admin_emails(config: Mapping[str, Any]) -> frozenset[str]:
    """Return the normalised emails of the instance administrators (ADMIN_EMAILS)."""
    raw = str(config.get("ADMIN_EMAILS") or "")
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def _refuse_line_breaks(*values: str) -> None:
    # A CR or LF in a header value would let its author add headers or recipients.
    for value in values:
        if "\r" in value or "\n" in value or "\0" in value:
            raise ServiceError("A name or address in this message contains a line break.")


def _address(value: str, name: str = "") -> Address:
    _refuse_line_breaks(value, name)
    display, email = parseaddr(value)
    if not email or "@" not in email or email.count("@") != 1 or any(c.isspace() for c in email):
        raise ServiceError(f"{value!r} is not an email address.")
    username, domain = email.rsplit("@", 1)
    if not username.isascii():
        raise ServiceError(f"The workbench cannot send mail to {email}: use an ASCII address.")
    try:
        # An internationalised domain travels in its ASCII (IDNA) form.
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ServiceError(f"{email!r} is not an email address.") from None
    return Address(display_name=name or display, username=username, domain=domain)


def build(message: Message, sender: str) -> EmailMessage:
    """Return the MIME message: plain text first, HTML as the alternative."""
    _refuse_line_breaks(message.subject)
    email = EmailMessage(policy=policy.SMTP)
    email["From"] = _address(sender)
    email["To"] = _address(message.to, message.to_name)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = make_msgid(domain=email["From"].addresses[0].domain or "localhost")
    email["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers:
        _refuse_line_breaks(name, value)
        email[name] = value
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


def send(settings: MailSettings, message: Message) -> None:
    """Deliver the message by SMTP, or keep it in the outbox when no SMTP host is set."""
    email = build(message, settings.sender)
    if settings.uses_outbox:
        _write_outbox(settings.outbox, email)
        return
    _send_smtp(settings, email)


def keep(settings: MailSettings, message: Message) -> Path:
    """Write the message to the outbox, where the administrators read it; return its file."""
    return _write_outbox(settings.outbox, build(message, settings.sender))


def _send_smtp(settings: MailSettings, email: EmailMessage) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        if settings.starttls and not settings.use_ssl:
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(email)


def _write_outbox(folder: Path, email: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # Microseconds in the name keep messages of the same second in the order they were written.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{secrets.token_hex(6)}.eml"
    # Owner-only: messages carry sign-in links that must not be readable by other users.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(email.as_bytes())
    return path


def _read(path: Path) -> OutboxEntry:
    with path.open("rb") as handle:
        parsed = BytesParser(policy=policy.default).parse(handle)
    body = parsed.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return OutboxEntry(path.stem, str(parsed["To"]), str(parsed["Subject"]), written, text)


def list_outbox(settings: MailSettings) -> list[OutboxEntry]:
    """Return the messages kept in the outbox, newest first."""
    if not settings.outbox.is_dir():
        return []
    paths = [p for p in settings.outbox.glob("*.eml") if _OUTBOX_NAME.match(p.stem)]
    return [_read(path) for path in sorted(paths, reverse=True)]


def read_outbox(settings: MailSettings, key: str) -> OutboxEntry:
    """Return one message of the outbox by its key, or raise NotFoundError."""
    path = settings.outbox / f"{key}.eml"
    if not _OUTBOX_NAME.match(key) or not path.is_file():
        raise NotFoundError("There is no such message in the outbox.")
    return _read(path)


def take_recipient_allowance(store: AttemptStore, limit: Limit, address: str) -> bool:
    """Count one more unsolicited message to the address; False once its limit is reached."""
    key = address.strip().lower()
    if store.failures(limit, key) >= limit.attempts:
        return False
    store.record(limit, [key])
    return True
