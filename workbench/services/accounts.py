"""Accounts: registration, password login with rate limiting, password changes."""

from __future__ import annotations

import contextlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.database import begin_writing, write_intent
from workbench.models import Membership, Role, User, Workspace
from workbench.services import login_throttle
from workbench.services.errors import ServiceError
from workbench.services.login_throttle import LoginPolicy
from workbench.services.ratelimit import AttemptStore, DatabaseAttempts
from workbench.services.revocation import sign_out_everywhere
from workbench.services.tenancy import system_access

# Argon2id's recommended costs; tests lower them through configuration, never production.
DEFAULT_HASH_COSTS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


def _new_hasher(costs: dict[str, int]) -> PasswordHasher:
    return PasswordHasher(
        time_cost=costs["time_cost"],
        memory_cost=costs["memory_cost"],
        parallelism=costs["parallelism"],
    )


_hashers = {"current": _new_hasher(DEFAULT_HASH_COSTS)}


def configure_password_hashing(time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Set the Argon2id costs new password hashes are made with (existing ones still verify)."""
    costs = {"time_cost": time_cost, "memory_cost": memory_kib, "parallelism": parallelism}
    if costs != password_hash_costs():
        _hashers["current"] = _new_hasher(costs)
        _dummy_hash.cache_clear()


def password_hash_costs() -> dict[str, int]:
    """Return the Argon2id costs in use: time cost, memory in KiB and parallelism."""
    parameters = _hashers["current"]
    return {
        "time_cost": parameters.time_cost,
        "memory_cost": parameters.memory_cost,
        "parallelism": parameters.parallelism,
    }


def _hasher() -> PasswordHasher:
    return _hashers["current"]


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


class RateLimitedError(ServiceError):
    """Too many failed attempts (wrong workshop codes) from this address; try later."""

    status_code = 429


LOGIN_REFUSED = "That email and password do not match an account."


class UnconfirmedAccountError(ServiceError):
    """The right password of an account whose address is not confirmed yet.

    It says what every refused login says, so the page reveals nothing; the caller may
    mail the address a fresh confirmation link, which only its owner reads.
    """

    def __init__(self, user_id: int) -> None:
        super().__init__(LOGIN_REFUSED)
        self.user_id = user_id


def normalise_email(email: str) -> str:
    """Return the canonical form of an email address used for lookups."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Return an Argon2id hash of the password."""
    return _hasher().hash(password)


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.", "password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError(
            f"Passwords are limited to {MAX_PASSWORD_LENGTH} characters.", "password"
        )


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the account with this email, if any."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def register(session: Session, email: str, display_name: str, password: str) -> User:
    """Create an account; refuse a duplicate email or a weak password."""
    check_password_rules(password)
    email = normalise_email(email)
    if find_user_by_email(session, email) is not None:
        raise ServiceError("An account with this email already exists. Log in instead.", "email")
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        session_token=secrets.token_hex(16),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session,
    email: str,
    password: str,
    remote_addr: str | None,
    policy: LoginPolicy,
    attempts: AttemptStore | None = None,
) -> User:
    """Return the user whose credentials these are, or raise with a generic message.

    Failures are counted in `attempts` (the database unless another store is given) and
    slowed by `login_throttle`'s rule, which never refuses a pair that has not failed.
    """
    store = attempts if attempts is not None else DatabaseAttempts(session)
    keys = login_throttle.keys_for(normalise_email(email), remote_addr)
    # The checks only read, and the password hash is deliberately slow: on SQLite they must
    # not hold the write lock, or a room full of people logging in at once queues every save.
    with write_intent(False):
        login_throttle.check(store, policy, keys)
        user = find_user_by_email(session, email)
        # An unconfirmed account's password is checked too: same effort, same answer.
        account = user if user is not None and user.is_active_account else None
        user_id = account.id if account is not None else None
        confirmed = account is not None and account.email_confirmed
        verified = account is not None and _check(account.password_hash, password)
        if account is None:
            # Spend the same effort as a real check so timing does not reveal which emails exist.
            _verify_dummy(password)
    # The read transaction ends here (nothing has been written yet); what follows writes.
    begin_writing(session)
    if verified and confirmed:
        login_throttle.record_success(store, policy, keys)
        found = session.get(User, user_id)
        if found is not None and _hasher().check_needs_rehash(found.password_hash):
            found.password_hash = _hasher().hash(password)
        if found is not None:
            return found
    # Counted as a failure either way, so the limit treats both alike.
    login_throttle.record_failure(store, policy, keys)
    if verified and user_id is not None:
        raise UnconfirmedAccountError(user_id)
    raise ServiceError(LOGIN_REFUSED)


def _check(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _verify(user: User, password: str) -> bool:
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    return True


def password_matches(user: User, password: str) -> bool:
    """Return whether the password is the account's (a second check, e.g. before a change)."""
    return _verify(user, password)


@cache
def _dummy_hash() -> str:
    # Made on first use rather than at import: hashing costs about 85 ms.
    return _hasher().hash("not-a-real-password")


def _verify_dummy(password: str) -> None:
    with contextlib.suppress(VerificationError):
        _hasher().verify(_dummy_hash(), password)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; every session and API token ends."""
    if not _verify(user, current):
        raise ServiceError("Your current password is not correct.", "current")
    check_password_rules(new)
    user.password_hash = hash_password(new)
    sign_out_everywhere(session, user)


def rotate_session_token(session: Session, user: User) -> None:
    """Invalidate every existing session of the account (used at logout)."""
    user.session_token = secrets.token_hex(16)
    session.flush()


def _parse_identifier(identifier: str) -> tuple[int, str] | None:
    user_id, _, token = identifier.partition(":")
    if not user_id.isdigit() or not token:
        return None
    return int(user_id), token


def _signed_in(user: User | None, token: str) -> User | None:
    """Return the user when the session's token is still theirs and the account active."""
    if user is None or not user.is_active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def load_user(session: Session, identifier: str) -> User | None:
    """Return the user for a session identifier `id:token`, if it is still valid."""
    parsed = _parse_identifier(identifier)
    if parsed is None:
        return None
    user_id, token = parsed
    return _signed_in(session.get(User, user_id), token)


def load_member(
    session: Session, identifier: str, workspace_id: int
) -> tuple[User | None, tuple[Workspace, Role] | None]:
    """Return the user of a session identifier with their workspace and role there, if any.

    A workspace page needs both: one query reads the account (checked as in `load_user`)
    and, when it belongs to the workspace, the workspace and the member's role.
    """
    parsed = _parse_identifier(identifier)
    if parsed is None:
        return None, None
    user_id, token = parsed
    # Memberships of any workspace may be read here: the row asked for is the user's own.
    with system_access(session):
        row = session.execute(
            select(User, Workspace, Membership.role)
            .outerjoin(
                Membership,
                (Membership.user_id == User.id) & (Membership.workspace_id == workspace_id),
            )
            .outerjoin(Workspace, Workspace.id == Membership.workspace_id)
            .where(User.id == user_id)
        ).first()
    if row is None:
        return None, None
    user = _signed_in(row[0], token)
    if user is None or row[1] is None or row[2] is None:
        return user, None
    return user, (row[1], row[2])
