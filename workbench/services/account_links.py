"""Signed links about an account (a password reset, an address confirmation).

A link names the account and a fingerprint of its current password hash, signed with the
app's secret key for one purpose only. Setting a password changes the hash (it carries a
fresh salt), so every link made before stops matching: that is what makes a link single use.
"""

from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from workbench.models import User
from workbench.services.errors import ServiceError


def fingerprint(user: User) -> str:
    """A short digest of the account's current password hash."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:32]


def make_link_token(user: User, secret_key: str, purpose: str, **extra: str) -> str:
    """Return the signed token of a link for this account and purpose."""
    payload = {"u": user.id, "f": fingerprint(user), **extra}
    return str(URLSafeTimedSerializer(secret_key, salt=purpose).dumps(payload))


def open_link_token(
    session: Session,
    token: str,
    secret_key: str,
    purpose: str,
    max_age_seconds: int,
    max_length: int,
    messages: tuple[str, str],
) -> tuple[User, dict[str, Any]]:
    """Return the active account a token names and its payload, or raise why it fails.

    `messages` are (invalid, expired). Whether the fingerprint still matches is left to the
    caller (`is_current`), since purposes answer a stale link differently.
    """
    invalid, expired = messages
    if len(token) > max_length:
        raise ServiceError(invalid)
    try:
        payload = URLSafeTimedSerializer(secret_key, salt=purpose).loads(
            token, max_age=max_age_seconds
        )
    except SignatureExpired:  # a subclass of BadSignature: caught first to be told apart
        raise ServiceError(expired) from None
    except BadSignature:
        raise ServiceError(invalid) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise ServiceError(invalid)
    user = session.get(User, payload["u"])
    if user is None or not user.is_active_account:
        raise ServiceError(invalid)
    return user, payload


def is_current(user: User, payload: dict[str, Any]) -> bool:
    """Whether the link was made for the account's current password."""
    return payload.get("f") == fingerprint(user)
