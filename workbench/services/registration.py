"""Registration on the web: the same answer for a new address and one that has an account.

A new address gets an unconfirmed account and a signed link that confirms it; an address
that already has an account gets a note telling its owner, and nothing changes. Either way
the person registering is told to look in their inbox, so the form reveals no account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.models import User
from workbench.services.account_links import is_current, make_link_token, open_link_token
from workbench.services.accounts import (
    check_password_rules,
    find_user_by_email,
    hash_password,
    normalise_email,
    password_matches,
)
from workbench.services.errors import ServiceError

PURPOSE = "workbench-confirm-email"
# Long enough to register in the evening and confirm the next morning.
CONFIRM_MAX_AGE_HOURS = 48
TOKEN_MAX_LENGTH = 1000
INVALID = "This confirmation link is not valid. Register again to get a new one."
EXPIRED = "This confirmation link has expired. Register again to get a new one."
WRONG_PASSWORD = (
    "That is not the password chosen when registering. If you did not register, use "
    "“Forgot your password?” on the log-in page instead."
)


@dataclass(frozen=True)
class Registration:
    """What registering did: a new unconfirmed account, or found the address's owner."""

    user: User
    is_new: bool


def register(session: Session, email: str, display_name: str, password: str) -> Registration:
    """Create an unconfirmed account, or return the existing one untouched."""
    check_password_rules(password)
    email = normalise_email(email)
    # Hashed in both cases, so the time taken does not tell the two apart.
    password_hash = hash_password(password)
    existing = find_user_by_email(session, email)
    if existing is not None:
        if not existing.email_confirmed:
            # Nobody has proved this address yet: the latest registration's details count.
            existing.display_name = display_name.strip()
            existing.password_hash = password_hash
            session.flush()
            return Registration(existing, True)
        return Registration(existing, False)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        session_token=secrets.token_hex(16),
        email_confirmed=False,
    )
    session.add(user)
    session.flush()
    return Registration(user, True)


def confirmation_token(user: User, secret_key: str, next_path: str | None) -> str:
    """Return the signed token of a confirmation link (with where to go afterwards)."""
    return make_link_token(user, secret_key, PURPOSE, n=next_path or "")


def confirm(
    session: Session,
    token: str,
    password: str,
    secret_key: str,
    max_age_hours: int = CONFIRM_MAX_AGE_HOURS,
) -> tuple[User, str]:
    """Confirm the account a link names with its password; return it and where to go next.

    The password is asked for so that only the person who registered can confirm: the owner
    of a mailbox someone else registered cannot be led into an account whose password that
    someone knows (they reset the password instead, which confirms the address too).
    """
    user, payload = open_link_token(
        session, token, secret_key, PURPOSE, max_age_hours * 3600, TOKEN_MAX_LENGTH,
        (INVALID, EXPIRED),
    )  # fmt: skip
    # A later registration of the same address, or a reset, changed the password: the
    # link of the earlier one must not confirm someone else's choice.
    if not is_current(user, payload):
        raise ServiceError(INVALID)
    if user.email_confirmed:
        # Used once already: the link must not stay a way to log in for its whole life.
        raise ServiceError("This address is already confirmed. Log in with your password.")
    if not password_matches(user, password):
        raise ServiceError(WRONG_PASSWORD, "password")
    user.email_confirmed = True
    session.flush()
    return user, str(payload.get("n") or "")
