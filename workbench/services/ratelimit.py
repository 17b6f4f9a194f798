"""Where failed logins are counted: the database, or Redis when the deployment has one.

Both stores answer the same three questions (how many failures for a key within the
window, record one, forget a key) so the login rules in `accounts` do not change with the
store. Either way the count is shared by every worker process and every host.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Protocol

from flask import Flask
from redis import Redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workbench.models import LoginAttempt
from workbench.models.base import utcnow
from workbench.services.redis_client import redis_for


class AttemptStore(Protocol):
    """Counts failed login attempts per key within a sliding window."""

    def failures(self, key: str, window_seconds: int) -> int:
        """Return how many failures the key had within the window."""
        ...

    def record(self, keys: list[str], window_seconds: int) -> None:
        """Record one failure for each key."""
        ...

    def clear(self, key: str) -> None:
        """Forget the failures of a key (after a successful login)."""
        ...


class DatabaseAttempts:
    """Failures as rows of `login_attempt`, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def failures(self, key: str, window_seconds: int) -> int:
        """Return how many failures the key had within the window."""
        since = utcnow() - timedelta(seconds=window_seconds)
        query = select(func.count(LoginAttempt.id)).where(
            LoginAttempt.key == key, LoginAttempt.attempted_at >= since
        )
        return self.session.scalar(query) or 0

    def record(self, keys: list[str], window_seconds: int) -> None:
        """Record one failure for each key (and drop records older than the window)."""
        cutoff = utcnow() - timedelta(seconds=window_seconds)
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
        for key in keys:
            self.session.add(LoginAttempt(key=key))
        self.session.flush()

    def clear(self, key: str) -> None:
        """Forget the failures of a key."""
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


class RedisAttempts:
    """Failures as members of one sorted set per key, scored by time; expire with the window."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}login-failures:{key}"

    def failures(self, key: str, window_seconds: int) -> int:
        """Return how many failures the key had within the window."""
        name = self._name(key)
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(name, 0, time.time() - window_seconds)
        pipe.zcard(name)
        return int(pipe.execute()[1])

    def record(self, keys: list[str], window_seconds: int) -> None:
        """Record one failure for each key."""
        now = time.time()
        pipe = self.redis.pipeline()
        for key in keys:
            name = self._name(key)
            # A random member: two failures in the same microsecond still count twice.
            pipe.zadd(name, {f"{now:.6f}:{secrets.token_hex(4)}": now})
            pipe.zremrangebyscore(name, 0, now - window_seconds)
            pipe.expire(name, int(window_seconds) + 1)
        pipe.execute()

    def clear(self, key: str) -> None:
        """Forget the failures of a key."""
        self.redis.delete(self._name(key))


def store_for(app: Flask, session: Session) -> AttemptStore:
    """Return Redis when the deployment configures it, else the database."""
    if app.config.get("REDIS_URL"):
        return RedisAttempts(redis_for(app), app.config["REDIS_KEY_PREFIX"])
    return DatabaseAttempts(session)
