"""Two-factor sign-in: enrol an authenticator app, check codes and recovery codes, turn it off.

The authenticator secret is stored encrypted (Fernet, with a key derived from the app's
two-factor key, by default its secret key) and shown only while enrolment waits for its
first code. Recovery codes are stored as keyed hashes, each used once. Wrong codes are
counted in the rate-limit store under a limit of their own; a code that signed in once
cannot sign in again.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from workbench.analysis import one_time_codes as codes
from workbench.models import Membership, RecoveryCode, TwoFactorSecret, User, Workspace
from workbench.models.base import utcnow
from workbench.services import accounts
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import ServiceError
from workbench.services.ratelimit import AttemptStore, Limit

TWO_FACTOR = "two-factor"
ISSUER = "Service Recovery Workbench"
WRONG_CODE = (
    "That code is not right. Type the six digits your authenticator app shows now, "
    "or one of your recovery codes."
)


@dataclass(frozen=True)
class Keys:
    """The keys two-factor data is protected with, derived from the app's two-factor key."""

    fernet: Fernet
    recovery: bytes


def _derive(secret_key: str, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return hkdf.derive(secret_key.encode())


@cache
def keys_for(secret_key: str) -> Keys:
    """Return the encryption and hashing keys derived from the app's two-factor key."""
    fernet_key = base64.urlsafe_b64encode(_derive(secret_key, b"workbench two-factor secret"))
    return Keys(Fernet(fernet_key), _derive(secret_key, b"workbench recovery codes"))


@dataclass(frozen=True)
class Status:
    """What the account page says about an account's two-factor sign-in."""

    enabled: bool
    pending: bool
    recovery_codes_left: int


def _secret_row(session: Session, user_id: int) -> TwoFactorSecret | None:
    return session.scalar(select(TwoFactorSecret).where(TwoFactorSecret.user_id == user_id))


def _decrypt(row: TwoFactorSecret, keys: Keys) -> str:
    try:
        return keys.fernet.decrypt(row.secret_encrypted.encode()).decode()
    except InvalidToken as error:
        # The secret key changed since enrolment: the stored secret cannot be read.
        raise ServiceError(
            "Your two-factor key cannot be read on this server. Ask the administrator to "
            "check the server's two-factor key setting."
        ) from error


def is_enabled(session: Session, user_id: int) -> bool:
    """Return whether the account signs in with a second factor."""
    query = select(func.count(TwoFactorSecret.id)).where(
        TwoFactorSecret.user_id == user_id, TwoFactorSecret.confirmed_at.is_not(None)
    )
    return bool(session.scalar(query))


def status(session: Session, user: User) -> Status:
    """Return whether two-factor sign-in is on, waiting for its first code, and codes left."""
    row = _secret_row(session, user.id)
    left = session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    enabled = row is not None and row.confirmed_at is not None
    return Status(enabled, row is not None and not enabled, left or 0)


def start_enrolment(session: Session, user: User, keys: Keys) -> str:
    """Give the account a new secret that waits for its first code; return the secret."""
    row = _secret_row(session, user.id)
    if row is not None and row.confirmed_at is not None:
        raise ServiceError("Two-factor sign-in is already on for your account.")
    secret = codes.new_secret()
    encrypted = keys.fernet.encrypt(secret.encode()).decode()
    if row is None:
        session.add(TwoFactorSecret(user_id=user.id, secret_encrypted=encrypted))
    else:
        row.secret_encrypted, row.created_at, row.last_used_step = encrypted, utcnow(), None
    session.flush()
    return secret


def pending_secret(session: Session, user: User, keys: Keys) -> str | None:
    """Return the secret of an enrolment still waiting for its first code (never afterwards)."""
    row = _secret_row(session, user.id)
    if row is None or row.confirmed_at is not None:
        return None
    return _decrypt(row, keys)


def enrolment_uri(user: User, secret: str) -> str:
    """Return the otpauth:// address of the secret, for the QR code."""
    return codes.provisioning_uri(secret, user.email, ISSUER)


def confirm_enrolment(
    session: Session, user: User, code: str, keys: Keys, now: datetime | None = None
) -> list[str]:
    """Turn two-factor sign-in on once a current code proves the app has the secret.

    Returns the ten new recovery codes (shown once). The account's other sessions end.
    """
    row = _secret_row(session, user.id)
    if row is None or row.confirmed_at is not None:
        raise ServiceError("Start again: there is no enrolment waiting for a code.")
    moment = now or utcnow()
    step = codes.matching_step(_decrypt(row, keys), code, moment, None)
    if step is None:
        raise ServiceError(
            "That code does not match. Type the six digits your app shows for this account.",
            "code",
        )
    row.confirmed_at, row.last_used_step = moment, step
    fresh = _replace_recovery_codes(session, user, keys)
    accounts.rotate_session_token(session, user)
    return fresh


def _replace_recovery_codes(session: Session, user: User, keys: Keys) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    fresh = codes.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=codes.recovery_code_digest(code, keys.recovery))
        for code in fresh
    )
    session.flush()
    return fresh


@dataclass(frozen=True)
class Throttle:
    """Where wrong codes are counted, the limit, and the address they come from."""

    store: AttemptStore
    limit: Limit
    remote_addr: str | None

    def keys(self, user: User) -> list[str]:
        """Return the account-and-address key first, then the account's own key."""
        account = f"user:{user.id}"
        return [f"{account}:addr:{self.remote_addr or '-'}", account]


def limit_of(attempts: int, window_seconds: int) -> Limit:
    """Return the limit on wrong codes (from the app's configuration)."""
    return Limit(TWO_FACTOR, attempts, window_seconds)


def _check_throttle(user: User, throttle: Throttle) -> None:
    pair, account = throttle.keys(user)
    # One address gets the limit; the account as a whole four times that, so a guesser
    # spreading over many addresses is still stopped while the owner keeps some tries.
    ceilings = {pair: throttle.limit.attempts, account: throttle.limit.attempts * 4}
    for key, ceiling in ceilings.items():
        if throttle.store.failures(throttle.limit, key) >= ceiling:
            raise accounts.RateLimitedError(
                f"Too many wrong codes. Wait {throttle.limit.wait_minutes()} minutes and try again."
            )


def verify_second_factor(
    session: Session,
    user: User,
    code: str,
    keys: Keys,
    throttle: Throttle,
    now: datetime | None = None,
) -> str:
    """Accept a current authenticator code or an unused recovery code; return which kind.

    A wrong code is counted against the account and address; a code already used (within
    its window) and a used recovery code are refused.
    """
    row = _secret_row(session, user.id)
    if row is None or row.confirmed_at is None:
        raise ServiceError("Two-factor sign-in is not on for this account.")
    _check_throttle(user, throttle)
    moment = now or utcnow()
    if codes.is_totp_shaped(code):
        accepted = _use_totp(session, row, code, keys, moment)
        kind = "code"
    else:
        accepted = codes.is_recovery_shaped(code) and _use_recovery_code(
            session, user, code, keys, moment
        )
        kind = "recovery"
    if not accepted:
        throttle.store.record(throttle.limit, throttle.keys(user))
        raise ServiceError(WRONG_CODE, "code")
    throttle.store.clear(throttle.limit, throttle.keys(user)[0])
    return kind


def _use_totp(
    session: Session, row: TwoFactorSecret, code: str, keys: Keys, moment: datetime
) -> bool:
    step = codes.matching_step(_decrypt(row, keys), code, moment, row.last_used_step)
    if step is None:
        return False
    # Conditional, so two requests racing with the same code cannot both succeed.
    result = session.execute(
        update(TwoFactorSecret)
        .where(
            TwoFactorSecret.id == row.id,
            or_(TwoFactorSecret.last_used_step.is_(None), TwoFactorSecret.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session="fetch")
    )
    return _rowcount(result) == 1


def _use_recovery_code(
    session: Session, user: User, code: str, keys: Keys, moment: datetime
) -> bool:
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == codes.recovery_code_digest(code, keys.recovery),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=moment)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def regenerate_recovery_codes(
    session: Session, user: User, code: str, keys: Keys, throttle: Throttle
) -> list[str]:
    """Replace every recovery code after a current code; the old ones stop working."""
    verify_second_factor(session, user, code, keys, throttle)
    return _replace_recovery_codes(session, user, keys)


def turn_off(
    session: Session, user: User, password: str, code: str, keys: Keys, throttle: Throttle
) -> None:
    """Turn two-factor sign-in off after the password and a code; forget secret and codes."""
    if not accounts.password_matches(user, password):
        raise ServiceError("Your password is not correct.", "password")
    verify_second_factor(session, user, code, keys, throttle)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoFactorSecret).where(TwoFactorSecret.user_id == user.id))
    session.flush()


def cancel_enrolment(session: Session, user: User) -> None:
    """Forget an enrolment that never received its first code."""
    session.execute(
        delete(TwoFactorSecret).where(
            TwoFactorSecret.user_id == user.id, TwoFactorSecret.confirmed_at.is_(None)
        )
    )
    session.flush()


def set_workspace_requirement(
    session: Session, workspace: Workspace, loaded_version: int | None, required: bool, by: User
) -> bool:
    """Require (or stop requiring) two-factor sign-in of the workspace's members.

    A facilitator without it cannot require it: the next page would send them to enrol.
    """
    if required and not workspace.require_two_factor and not is_enabled(session, by.id):
        raise ServiceError(
            "Turn on two-factor sign-in for your own account first, then require it of "
            "the members.",
            "required",
        )
    changed = apply_versioned_edit(
        workspace, loaded_version, {"require_two_factor": required}, "The workspace settings"
    )
    session.flush()
    return changed


def must_enrol(session: Session, workspace: Workspace, user: User) -> bool:
    """Return whether the workspace requires two-factor sign-in and the member has none."""
    return workspace.require_two_factor and not is_enabled(session, user.id)


def members_without(session: Session) -> list[str]:
    """Return the names of the scoped workspace's members who have no two-factor sign-in."""
    enabled = select(TwoFactorSecret.user_id).where(TwoFactorSecret.confirmed_at.is_not(None))
    rows = session.scalars(
        select(User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id.not_in(enabled))
        .order_by(User.display_name)
    )
    return list(rows)


def reset_by_administrator(session: Session, user: User) -> bool:
    """Turn two-factor sign-in off for someone who lost their phone and recovery codes.

    Returns whether it was on (or waiting for its first code). The account's sessions end.
    """
    found = _secret_row(session, user.id) is not None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoFactorSecret).where(TwoFactorSecret.user_id == user.id))
    accounts.rotate_session_token(session, user)
    return found
