"""The one Redis connection of a deployment, shared by the job queue and the login limits."""

from __future__ import annotations

from functools import cache

from flask import Flask
from redis import Redis


@cache
def _redis(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)


def redis_for(app: Flask) -> Redis:
    """Return the shared Redis connection of the configured URL."""
    url = app.config.get("REDIS_URL") or ""
    if not url:
        raise RuntimeError("WORKBENCH_REDIS_URL is not set")
    return _redis(url)
