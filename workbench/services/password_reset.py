"""Password reset by email: a signed, short-lived link that works once.

The token names the account and a fingerprint of its current password hash, signed with
the app's secret key for this purpose only. Setting a password (by this link or any other
way) changes the hash, so the link that was used, and every older one, stops working.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.models import User
from workbench.services.account_links import is_current, make_link_token, open_link_token
from workbench.services.accounts import check_password_rules, find_user_by_email, hash_password
from workbench.services.errors import ServiceError
from workbench.services.revocation import sign_out_everywhere

PURPOSE = "workbench-password-reset"
TOKEN_MAX_LENGTH = 500

INVALID = "This reset link is not valid. Ask for a new one below."
EXPIRED = "This reset link has expired. Ask for a new one below."
USED = (
    "This reset link has already been used, or the password has changed since. "
    "Ask for a new one below."
)


def token_for(user: User, secret_key: str) -> str:
    """Return a reset token for the account's current password."""
    return make_link_token(user, secret_key, PURPOSE)


def account_for_reset(session: Session, email: str) -> User | None:
    """Return the active account a reset may be sent to, or None (the caller says the same)."""
    user = find_user_by_email(session, email)
    # An unconfirmed account may be reset too: the link proves the address as well.
    return user if user is not None and user.is_active_account else None


def check_token(session: Session, token: str, secret_key: str, max_age_minutes: int) -> User:
    """Return the account a reset token is for, or raise why it no longer works."""
    user, payload = open_link_token(
        session, token, secret_key, PURPOSE, max_age_minutes * 60, TOKEN_MAX_LENGTH,
        (INVALID, EXPIRED),
    )  # fmt: skip
    if not is_current(user, payload):
        raise ServiceError(USED)
    return user


def reset_password(
    session: Session, token: str, new_password: str, secret_key: str, max_age_minutes: int
) -> User:
    """Set a new password through a reset link; every session and API token is revoked."""
    user = check_token(session, token, secret_key, max_age_minutes)
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    # Following a link mailed to the address proves it, as the confirmation link would.
    user.email_confirmed = True
    sign_out_everywhere(session, user)
    return user
