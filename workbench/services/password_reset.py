"""Password reset by email: a signed, short-lived link that works once.

The token names the account and a fingerprint of its current password hash, signed with
the app's secret key for this purpose only. Setting a password (by this link or any other
way) changes the hash, so the link that was used, and every older one, stops working.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from workbench.models import User
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


def _fingerprint(user: User) -> str:
    # The hash carries a fresh random salt each time a password is set.
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:32]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=PURPOSE)


def token_for(user: User, secret_key: str) -> str:
    """Return a reset token for the account's current password."""
    return str(_serializer(secret_key).dumps({"u": user.id, "f": _fingerprint(user)}))


def account_for_reset(session: Session, email: str) -> User | None:
    """Return the active account a reset may be sent to, or None (the caller says the same)."""
    user = find_user_by_email(session, email)
    # An unconfirmed account may be reset too: the link proves the address as well.
    return user if user is not None and user.is_active_account else None


def check_token(session: Session, token: str, secret_key: str, max_age_minutes: int) -> User:
    """Return the account a reset token is for, or raise why it no longer works."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise ServiceError(INVALID)
    try:
        payload = _serializer(secret_key).loads(token, max_age=max_age_minutes * 60)
    except SignatureExpired:  # a subclass of BadSignature: caught first to be told apart
        raise ServiceError(EXPIRED) from None
    except BadSignature:
        raise ServiceError(INVALID) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise ServiceError(INVALID)
    user = session.get(User, payload["u"])
    if user is None or not user.is_active_account:
        raise ServiceError(INVALID)
    if payload.get("f") != _fingerprint(user):
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
