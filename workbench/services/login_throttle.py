"""Sign-in limits that slow a guesser without ever locking the rightful user out.

Three counts of failed sign-ins, each in the configured store (`ratelimit`: the database,
or Redis when configured, shared by every worker):

- per pair of account and address, over `LOGIN_PAIR_WINDOW_SECONDS` (a day by default);
- per address, all accounts together, over `LOGIN_ATTEMPT_WINDOW_SECONDS`;
- per account, all addresses together, over the same window.

The rule, checked before the password is:

1. A pair may fail `LOGIN_ATTEMPT_LIMIT` times freely. From then on it waits after each
   further failure, counted from that failure: `LOGIN_DELAY_SECONDS`, doubling with each
   one, never more than `LOGIN_MAX_DELAY_SECONDS`. Nothing is ever locked: after the wait
   the pair may try again, and a success forgets the pair's failures.
2. When the address has failed `LOGIN_ADDRESS_FAILURE_LIMIT` times within the window
   (someone guessing many accounts from one place), or the account has failed
   `LOGIN_ACCOUNT_FAILURE_LIMIT` times from all addresses (someone guessing one account
   from many places), a pair's free failures drop to one: every failing pair then waits
   from its first failure on.
3. A pair with no failures is never refused. So failures made by someone else, from
   another address or for another account, never stop a person who types the right
   password from their own address; the only way to be slowed is to have failed oneself
   (or to share both the address and the account with the guesser).

The address and account counts only decide how soon waiting begins, so a shared office
address or a famous email cannot be turned into a lockout.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.services.errors import ServiceError
from workbench.services.ratelimit import (
    LOGIN_ACCOUNT,
    LOGIN_ADDRESS,
    LOGIN_PAIR,
    AttemptStore,
    Limit,
)

# More doublings than this cannot matter (2**30 seconds is decades); it keeps numbers small.
MAX_DOUBLINGS = 30


class LoginThrottledError(ServiceError):
    """Too many failed sign-ins for this account from this address; try again later."""

    status_code = 429

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class LoginPolicy:
    """The three sign-in limits and the delays, from configuration."""

    pair: Limit
    address: Limit
    account: Limit
    delay_seconds: int
    max_delay_seconds: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginPolicy:
        """Return the policy the app is configured with."""
        return cls(
            pair=Limit.from_config(config, LOGIN_PAIR),
            address=Limit.from_config(config, LOGIN_ADDRESS),
            account=Limit.from_config(config, LOGIN_ACCOUNT),
            delay_seconds=int(config["LOGIN_DELAY_SECONDS"]),
            max_delay_seconds=int(config["LOGIN_MAX_DELAY_SECONDS"]),
        )


@dataclass(frozen=True)
class LoginKeys:
    """Where one sign-in attempt is counted: its pair, its address, its account."""

    pair: str
    address: str
    account: str


def keys_for(email: str, remote_addr: str | None) -> LoginKeys:
    """Return the keys of an attempt with this (normalised) email from this address."""
    address = remote_addr or "unknown"
    # Hashed so the key stays short (emails run to 254 characters) and no email sits in it.
    pair = hashlib.sha256(f"{address}\n{email}".encode()).hexdigest()[:40]
    return LoginKeys(pair=f"pair:{pair}", address=f"addr:{address}", account=f"email:{email}")


def pair_delay(failures: int, free: int, first_delay: int, max_delay: int) -> int:
    """Return the seconds a pair waits after its latest failure, given its failure count."""
    if failures < max(free, 1):
        return 0
    doublings = min(failures - max(free, 1), MAX_DOUBLINGS)
    return int(min(max_delay, first_delay * 2**doublings))


def _free_failures(store: AttemptStore, policy: LoginPolicy, keys: LoginKeys) -> int:
    under_attack = store.failures(policy.address, keys.address) >= policy.address.attempts or (
        store.failures(policy.account, keys.account) >= policy.account.attempts
    )
    return 1 if under_attack else policy.pair.attempts


def seconds_to_wait(
    store: AttemptStore, policy: LoginPolicy, keys: LoginKeys, now: float | None = None
) -> int:
    """Return how many seconds this pair must still wait before its password is checked."""
    failures = store.failures(policy.pair, keys.pair)
    if failures == 0:
        # Rule 3: a pair that has not failed is always heard.
        return 0
    free = _free_failures(store, policy, keys)
    delay = pair_delay(failures, free, policy.delay_seconds, policy.max_delay_seconds)
    latest = store.latest(policy.pair, keys.pair)
    if delay == 0 or latest is None:
        return 0
    remaining = latest + delay - (time.time() if now is None else now)
    return max(0, math.ceil(remaining))


def wait_phrase(seconds: int) -> str:
    """Return a wait as a reader says it: "30 seconds", "2 minutes"."""
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def check(store: AttemptStore, policy: LoginPolicy, keys: LoginKeys) -> None:
    """Refuse the attempt, saying when to try again, while its pair must wait."""
    wait = seconds_to_wait(store, policy, keys)
    if wait > 0:
        raise LoginThrottledError(
            "Too many failed attempts to log in to this account from your address. "
            f"Try again in {wait_phrase(wait)}.",
            wait,
        )


def record_failure(store: AttemptStore, policy: LoginPolicy, keys: LoginKeys) -> None:
    """Count one failed sign-in for its pair, its address and its account."""
    store.record(policy.pair, [keys.pair])
    store.record(policy.address, [keys.address])
    store.record(policy.account, [keys.account])


def record_success(store: AttemptStore, policy: LoginPolicy, keys: LoginKeys) -> None:
    """Forget the pair's failures; the address and account counts are others' doing."""
    store.clear(policy.pair, keys.pair)
