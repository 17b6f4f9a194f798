"""Personal API tokens: created and revoked by their user, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from workbench.models import ApiToken, User
from workbench.models.base import utcnow
from workbench.services.errors import NotFoundError, ServiceError

# A recognisable prefix lets secret scanners and people spot a leaked workbench token.
PREFIX = "wbt_"
LABEL_MAX = 80
MAX_ACTIVE_TOKENS = 20
SECRET_MAX = 200
# Recording every use would turn each read into a write; once a minute is enough to tell.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """Return the stored form of a token secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first (revoked ones included, marked as such)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(session: Session, user: User, label: str) -> tuple[ApiToken, str]:
    """Create a token for the user; return it with its secret, which is never shown again."""
    label = label.strip()
    if not label:
        raise ServiceError("Give the token a name, such as the program that will use it.", "label")
    if len(label) > LABEL_MAX:
        raise ServiceError(f"Keep the name under {LABEL_MAX} characters.", "label")
    active = [t for t in list_tokens(session, user) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise ServiceError(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one you no longer use.",
            "label",
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, label=label, token_hash=hash_secret(secret), hint=secret[:10])
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; another user's token id is reported as not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFoundError("There is no such token among yours.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def resolve(session: Session, secret: str) -> tuple[ApiToken, User] | None:
    """Return the live token and its active user for a presented secret, or None."""
    if not secret.startswith(PREFIX) or len(secret) > SECRET_MAX:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active_account:
        return None
    return token, user


def needs_use_recorded(token: ApiToken, now: datetime | None = None) -> bool:
    """Return whether the token's last use is old enough to be written again."""
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION


def record_use(connection: Connection, token_id: int, now: datetime | None = None) -> None:
    """Write the time of use in its own short transaction (the caller commits it)."""
    connection.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now or utcnow())
    )
