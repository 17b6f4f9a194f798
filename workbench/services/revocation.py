"""Revocation: end every session and every API token of an account at once."""

from __future__ import annotations

import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from workbench.models import ApiToken, User
from workbench.models.base import utcnow


def sign_out_everywhere(session: Session, user: User) -> int:
    """End every session of the account and revoke its live API tokens; return how many."""
    # A new session token makes every session cookie issued before it invalid (load_user).
    user.session_token = secrets.token_hex(16)
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
