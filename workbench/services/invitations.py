"""Invitations by email: the same answer whether or not the address has an account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import Invite, Membership, Role, User
from workbench.models.base import utcnow
from workbench.services import signed
from workbench.services.accounts import normalise_email
from workbench.services.errors import ServiceError
from workbench.services.signed import Reference


def invite_by_email(
    session: Session, creator: User, email: str, role: Role, max_age_hours: int, secret_key: str
) -> tuple[Invite, str]:
    """Create a single-use invitation to the session's workspace for one address.

    Whether the address has an account is never consulted, so the facilitator learns
    nothing about other people's accounts; a member already listed on the page is refused.
    """
    email = normalise_email(email)
    member = session.scalar(select(Membership).join(User).where(User.email == email))
    if member is not None:
        raise ServiceError(f"{email} is already a member ({member.role.value}).", "email")
    # A new invitation to the same address replaces the open one, so one link works at a time.
    for older in session.scalars(
        select(Invite).where(Invite.email == email, Invite.revoked.is_(False))
    ):
        older.revoked = True
    invite = Invite(
        role=role,
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + timedelta(hours=max_age_hours),
        created_by_id=creator.id,
        email=email,
    )
    session.add(invite)
    session.flush()
    token = signed.sign(secret_key, signed.INVITE, Reference(invite.workspace_id, invite.nonce))
    return invite, token
