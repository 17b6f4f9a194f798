"""Where failed attempts are counted: the database, or Redis when the deployment has one.

Every rate limit of the workbench (logging in, joining a workshop with a code) is a
`Limit` (a name, how many failures, within how many seconds; from configuration) over
one `AttemptStore`. Both stores answer the same four questions (how many failures for a
key within the window, when the latest was, record one, forget a key) so the rules in
`login_throttle` and `workshop_join` do not change with the store. Either way the count
is shared by every worker process and every host. Keys are stored under the limit's name,
so two limits never count, expire or purge each other's failures.

Why not Flask-Limiter (with its Redis storage): it limits requests to a route per key,
counted before the view runs, whereas these rules count only failures (a wrong password,
a wrong code), per account and per address with different ceilings, and forget an
account's failures when it logs in. Its ``deduct_when`` could count only failed
responses, but it has no "clear this account on success", so a member who mistypes
twice and then logs in would carry the two failures for the rest of the window; and its
storages (memory, Redis, Memcached, MongoDB via the ``limits`` library) include no SQL
database, so the embedded and PostgreSQL-only deployments (several gunicorn workers, no
Redis) would either need Redis or count per process, which a guesser defeats by spreading
attempts over the workers. Finally, decorators on routes would move a security rule out
of the services, where the CLI, the API and the tests call it. Our two small stores keep
one count across workers with or without Redis, at the cost of about sixty lines.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any, Protocol

from flask import Flask, current_app
from redis import Redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workbench.models import LoginAttempt
from workbench.models.base import utcnow
from workbench.services.redis_client import redis_for

# Sign-in has three limits (see `login_throttle`): per account and address pair, per
# address, per account. The address limit keeps the old name "login" so counts survive.
LOGIN_PAIR = "login-pair"
LOGIN_ADDRESS = "login"
LOGIN_ACCOUNT = "login-account"
WORKSHOP_JOIN = "workshop-join"
MAIL_TO = "mail-to"
# Each limit's configuration keys: (how many failures, window in seconds).
CONFIG_KEYS = {
    LOGIN_PAIR: ("LOGIN_ATTEMPT_LIMIT", "LOGIN_PAIR_WINDOW_SECONDS"),
    LOGIN_ADDRESS: ("LOGIN_ADDRESS_FAILURE_LIMIT", "LOGIN_ATTEMPT_WINDOW_SECONDS"),
    LOGIN_ACCOUNT: ("LOGIN_ACCOUNT_FAILURE_LIMIT", "LOGIN_ATTEMPT_WINDOW_SECONDS"),
    WORKSHOP_JOIN: ("WORKSHOP_JOIN_ATTEMPT_LIMIT", "WORKSHOP_JOIN_WINDOW_SECONDS"),
    MAIL_TO: ("MAIL_PER_RECIPIENT_LIMIT", "MAIL_PER_RECIPIENT_WINDOW_SECONDS"),
}


@dataclass(frozen=True)
class Limit:
    """At most `attempts` failures per key within `window_seconds`; keys live under `name`."""

    name: str
    attempts: int
    window_seconds: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any], name: str) -> Limit:
        """Return the named limit with its ceiling and window from the app configuration."""
        attempts_key, window_key = CONFIG_KEYS[name]
        return cls(name, int(config[attempts_key]), int(config[window_key]))

    def wait_minutes(self) -> int:
        """Return the window in whole minutes (at least 1), for a message."""
        return max(1, self.window_seconds // 60)


class AttemptStore(Protocol):
    """Counts failed attempts per key of a limit within its sliding window."""

    def failures(self, limit: Limit, key: str) -> int:
        """Return how many failures the key had within the limit's window."""
        ...

    def latest(self, limit: Limit, key: str) -> float | None:
        """Return when the key's latest failure within the window was (Unix time), if any."""
        ...

    def record(self, limit: Limit, keys: list[str]) -> None:
        """Record one failure for each key."""
        ...

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of a key (after a success)."""
        ...


def _stored(limit: Limit, key: str) -> str:
    return f"{limit.name}:{key}"


class DatabaseAttempts:
    """Failures as rows of `login_attempt`, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def failures(self, limit: Limit, key: str) -> int:
        """Return how many failures the key had within the limit's window."""
        since = utcnow() - timedelta(seconds=limit.window_seconds)
        query = select(func.count(LoginAttempt.id)).where(
            LoginAttempt.key == _stored(limit, key), LoginAttempt.attempted_at >= since
        )
        return self.session.scalar(query) or 0

    def latest(self, limit: Limit, key: str) -> float | None:
        """Return when the key's latest failure within the window was (Unix time), if any."""
        since = utcnow() - timedelta(seconds=limit.window_seconds)
        query = select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.key == _stored(limit, key), LoginAttempt.attempted_at >= since
        )
        found = self.session.scalar(query)
        if found is None:
            return None
        # SQLite hands back the aggregate as naive UTC; PostgreSQL as an aware time.
        return (found if found.tzinfo else found.replace(tzinfo=UTC)).timestamp()

    def record(self, limit: Limit, keys: list[str]) -> None:
        """Record one failure for each key (and drop this limit's records past its window)."""
        cutoff = utcnow() - timedelta(seconds=limit.window_seconds)
        self.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.key.startswith(f"{limit.name}:", autoescape=True),
                LoginAttempt.attempted_at < cutoff,
            )
        )
        for key in keys:
            self.session.add(LoginAttempt(key=_stored(limit, key)))
        self.session.flush()

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of a key."""
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == _stored(limit, key)))


class RedisAttempts:
    """Failures as members of one sorted set per key, scored by time; expire with the window."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    def _name(self, limit: Limit, key: str) -> str:
        return f"{self.prefix}failures:{_stored(limit, key)}"

    def failures(self, limit: Limit, key: str) -> int:
        """Return how many failures the key had within the limit's window."""
        name = self._name(limit, key)
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(name, 0, time.time() - limit.window_seconds)
        pipe.zcard(name)
        return int(pipe.execute()[1])

    def latest(self, limit: Limit, key: str) -> float | None:
        """Return when the key's latest failure within the window was (Unix time), if any."""
        newest = self.redis.zrevrangebyscore(
            self._name(limit, key),
            "+inf",
            time.time() - limit.window_seconds,
            start=0,
            num=1,
            withscores=True,
        )
        return float(newest[0][1]) if newest else None

    def record(self, limit: Limit, keys: list[str]) -> None:
        """Record one failure for each key."""
        now = time.time()
        pipe = self.redis.pipeline()
        for key in keys:
            name = self._name(limit, key)
            # A random member: two failures in the same microsecond still count twice.
            pipe.zadd(name, {f"{now:.6f}:{secrets.token_hex(4)}": now})
            pipe.zremrangebyscore(name, 0, now - limit.window_seconds)
            pipe.expire(name, int(limit.window_seconds) + 1)
        pipe.execute()

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of a key."""
        self.redis.delete(self._name(limit, key))


def store_for(app: Flask, session: Session) -> AttemptStore:
    """Return Redis when the deployment configures it, else the database."""
    if app.config.get("REDIS_URL"):
        return RedisAttempts(redis_for(app), app.config["REDIS_KEY_PREFIX"])
    return DatabaseAttempts(session)


def configured_store(session: Session) -> AttemptStore:
    """Return the store of the running app (Redis when configured, else the database)."""
    return store_for(current_app, session)
