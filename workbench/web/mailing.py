"""Mail from the web layer: messages leave once the request's work is committed."""

from __future__ import annotations

import logging
import smtplib

from flask import current_app
from sqlalchemy.orm import Session

from workbench.services import mail, ratelimit
from workbench.services.errors import ServiceError
from workbench.services.mail import MailSettings, Message
from workbench.web.unit_of_work import after_commit

log = logging.getLogger(__name__)


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

    def _send() -> None:
        try:
            mail.send(settings, message)
        except (OSError, smtplib.SMTPException, ValueError, ServiceError):
            # The page already answered; the log tells the operator which message was lost.
            log.exception("mail to %s (%s) could not be sent", message.to, message.subject)

    after_commit(_send)


def deliver_unsolicited(message: Message, session: Session) -> bool:
    """Send mail a public form asked for (a reset link, a registration note), at most
    MAIL_PER_RECIPIENT_LIMIT per address per window; return whether it was sent.

    The form's answer stays the same either way, so the limit reveals nothing about the
    address; a dropped message is logged for the operator.
    """
    limit = ratelimit.Limit.from_config(current_app.config, ratelimit.MAIL_TO)
    store = ratelimit.store_for(current_app, session)
    if not mail.take_recipient_allowance(store, limit, message.to):
        log.warning("mail to %s (%s) not sent: its limit is reached", message.to, message.subject)
        return False
    deliver(message)
    return True
