"""Signed references: tokens in links that name one row of a workspace, for a purpose.

An invite link and a storyboard share link each carry a token that names a workspace and
the random nonce of a row there (the invite, the share link). The token is signed with the
app's secret key and a salt per purpose, so a token made for one purpose never opens the
other, and it carries its signing time, so it stops working after `max_age_hours` even if
the row's own expiry were lengthened. The row stays the authority: revoking or expiring it
refuses the link whatever the token says.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from workbench.services.errors import ServiceError

INVITE = "workbench-invite"
STORYBOARD_SHARE = "workbench-storyboard-share"


@dataclass(frozen=True)
class Reference:
    """What a token names: a workspace and the nonce of one of its rows."""

    workspace_id: int
    nonce: str


def sign(secret: str, purpose: str, reference: Reference) -> str:
    """Return a URL-safe token for the reference, signed for this purpose."""
    serializer = URLSafeTimedSerializer(secret, salt=purpose)
    return serializer.dumps({"w": reference.workspace_id, "n": reference.nonce})


def read(
    secret: str,
    purpose: str,
    token: str,
    max_age_hours: int,
    invalid: ServiceError,
    expired: ServiceError | None = None,
) -> Reference:
    """Return the reference a token names, or raise `expired` (when given) or `invalid`."""
    serializer = URLSafeTimedSerializer(secret, salt=purpose)
    try:
        payload = serializer.loads(token, max_age=max_age_hours * 3600)
    except SignatureExpired:  # a subclass of BadSignature: caught first to be told apart
        raise (expired or invalid) from None
    except BadSignature:
        raise invalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("w"), int):
        raise invalid
    return Reference(payload["w"], str(payload.get("n")))
