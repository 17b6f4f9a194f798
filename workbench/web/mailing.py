"""Mail from the web layer: messages leave in the background once the request has committed.

The request only hands a task over (`services.mail_queue`); the sender thread composes and
sends it, so neither a slow SMTP server nor the difference between an address with an
account and one without shows in how long a page takes. When jobs run inline (tests, the
command line) the task runs right after the commit instead, on the request's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from flask import Flask, current_app, has_request_context, request
from sqlalchemy.orm import Session

from workbench.database import write_intent
from workbench.extensions import db
from workbench.services import job_backends, mail, mail_queue, ratelimit
from workbench.services.mail import MailSettings, Message
from workbench.web.unit_of_work import after_commit

log = logging.getLogger(__name__)

# Composes a message with the sender's own session; None when there is nothing to send.
Compose = Callable[[Session], Message | None]


def mail_settings() -> MailSettings:
    """Return the running app's mail settings."""
    return mail.settings_from(current_app.config, current_app.instance_path)


def is_admin(email: str) -> bool:
    """Return whether the account with this email administers the instance."""
    return email.strip().lower() in mail.admin_emails(current_app.config)


def deliver(message: Message) -> None:
    """Send the message after the commit; a refused address raises now, before anything."""
    settings = mail_settings()
    # Built once now so a header that could inject another is refused with the request.
    mail.build(message, settings.sender)
    _hand_over(lambda _session: message, limited=False)


def deliver_unsolicited(compose: Compose) -> None:
    """Send mail a public form asked for (a reset link, a confirmation, a registration note),
    at most MAIL_PER_RECIPIENT_LIMIT per address per window.

    The request only hands `compose` over, whatever the address: the sender composes the
    message (None: nothing to send), counts it against its address's allowance and sends
    it, so the form answers alike, and as fast, for every address. A message over the limit
    is dropped and logged for the operator.
    """
    _hand_over(compose, limited=True)


def _hand_over(compose: Compose, *, limited: bool) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    # Links in the message use the address this request came to (scheme, host, prefix).
    base_url = request.url_root if has_request_context() else None
    settings = mail_settings()

    def task() -> None:
        context: AbstractContextManager[object] = (
            app.test_request_context(base_url=base_url) if base_url else app.app_context()
        )
        with context, write_intent(True):
            try:
                message = _compose_within_allowance(app, compose, limited)
                db.session.commit()
            finally:
                db.session.remove()
        if message is not None:
            mail_queue.SENDER.send(settings, message)

    if job_backends.backend_name(app) == "inline":
        after_commit(lambda: mail_queue.SENDER.run_now(task))
    else:
        after_commit(lambda: mail_queue.SENDER.submit(task))


def _compose_within_allowance(app: Flask, compose: Compose, limited: bool) -> Message | None:
    session = db.session()
    message = compose(session)
    if message is None or not limited:
        return message
    limit = ratelimit.Limit.from_config(app.config, ratelimit.MAIL_TO)
    store = ratelimit.store_for(app, session)
    if not mail.take_recipient_allowance(store, limit, message.to):
        log.warning("mail to %s (%s) not sent: its limit is reached", message.to, message.subject)
        return None
    return message
