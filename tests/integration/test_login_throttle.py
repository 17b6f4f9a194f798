"""Sign-in limits slow guessers but never lock out a person typing the right password."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select

from tests.conftest import BASE_CONFIG, PASSWORD, make_user
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import LoginAttempt
from workbench.services.login_throttle import keys_for, pair_delay, wait_phrase

REDIS_URL = "redis://127.0.0.1:6379/3"
WRONG = "not the password"


def _app(database_url: str, **extra: Any) -> Flask:
    return create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **extra})


def _login(client: FlaskClient, email: str, password: str, addr: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    )


def _age_pair_failures(app: Flask, email: str, addr: str, seconds: int) -> None:
    """Move a pair's recorded failures into the past, as if `seconds` had gone by."""
    key = f"login-pair:{keys_for(email, addr).pair}"
    with app.app_context():
        rows = db.session.scalars(select(LoginAttempt).where(LoginAttempt.key == key)).all()
        assert rows
        for row in rows:
            row.attempted_at -= timedelta(seconds=seconds)
        db.session.commit()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own in Redis database 3; its keys are deleted afterwards."""
    prefix = f"wb-throttle-{uuid.uuid4().hex[:12]}:"
    yield prefix
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"{prefix}*"):
        redis.delete(key)


# ----------------------------------------------------------------- the rule


def test_the_pair_delay_doubles_up_to_the_cap() -> None:
    delays = [pair_delay(failures, 5, 30, 900) for failures in range(12)]
    assert delays == [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    # Under attack a pair waits from its first failure, and a pair with none never does.
    assert [pair_delay(failures, 1, 30, 900) for failures in range(3)] == [0, 30, 60]
    assert pair_delay(10_000, 5, 30, 900) == 900
    assert [wait_phrase(s) for s in (1, 30, 60, 61, 900)] == [
        "1 second",
        "30 seconds",
        "1 minute",
        "2 minutes",
        "15 minutes",
    ]


def test_an_attackers_failures_elsewhere_never_stop_the_owner(app: Flask) -> None:
    owner = make_user(app, "owner@example.org")
    client = app.test_client()
    for _ in range(25):
        assert _login(client, owner.email, WRONG, "203.0.113.66").status_code in {401, 429}
    # The attacker's own address is slowed ...
    slowed = _login(client, owner.email, PASSWORD, "203.0.113.66")
    assert slowed.status_code == 429
    # ... but the owner, from home, types the right password and is in.
    assert _login(client, owner.email, PASSWORD, "198.51.100.7").status_code == 302


def test_one_users_failures_on_a_shared_address_never_stop_a_colleague(app: Flask) -> None:
    clumsy = make_user(app, "clumsy@example.org")
    colleague = make_user(app, "colleague@example.org")
    client = app.test_client()
    office = "192.0.2.10"
    # Twenty real failures: four wrong passwords with each of the five emails tried.
    emails = [clumsy.email, *(f"clumsy{n}@example.org" for n in range(4))]
    for email in emails:
        for _ in range(4):
            assert _login(client, email, WRONG, office).status_code == 401
    assert _login(client, colleague.email, PASSWORD, office).status_code == 302
    # The person who mistyped is not locked either: one more try with the right password.
    assert _login(app.test_client(), clumsy.email, PASSWORD, office).status_code == 302


def test_a_pairs_delay_grows_and_says_when_to_try_again(app: Flask) -> None:
    person = make_user(app, "grows@example.org")
    client = app.test_client()
    addr = "192.0.2.20"
    for _ in range(5):
        assert _login(client, person.email, WRONG, addr).status_code == 401
    first = _login(client, person.email, PASSWORD, addr)
    assert first.status_code == 429
    assert "Try again in 30 seconds." in first.get_data(as_text=True)
    assert 25 <= int(first.headers["Retry-After"]) <= 30
    # After the wait the password is checked again; one more failure doubles the wait.
    _age_pair_failures(app, person.email, addr, 31)
    assert _login(client, person.email, WRONG, addr).status_code == 401
    second = _login(client, person.email, PASSWORD, addr)
    assert second.status_code == 429
    assert "Try again in 1 minute." in second.get_data(as_text=True)
    assert 55 <= int(second.headers["Retry-After"]) <= 60
    # Never a lock: once the wait is over the right password signs in, and the pair is cleared.
    _age_pair_failures(app, person.email, addr, 61)
    assert _login(client, person.email, PASSWORD, addr).status_code == 302


def test_a_busy_address_or_account_makes_failing_pairs_wait_from_the_first_failure(
    database_url: str,
) -> None:
    app = _app(database_url, LOGIN_ADDRESS_FAILURE_LIMIT=6, LOGIN_ACCOUNT_FAILURE_LIMIT=6)
    target = make_user(app, "target@example.org")
    bystander = make_user(app, "bystander@example.org")
    client = app.test_client()
    # Spraying six unknown accounts from one address reaches the address ceiling.
    for n in range(6):
        assert _login(client, f"guess{n}@example.org", WRONG, "203.0.113.1").status_code == 401
    # A pair from that address with one failure now waits ...
    assert _login(client, target.email, WRONG, "203.0.113.1").status_code == 401
    assert _login(client, target.email, PASSWORD, "203.0.113.1").status_code == 429
    # ... while an account that has not failed there is still heard, right password or not.
    assert _login(client, bystander.email, PASSWORD, "203.0.113.1").status_code == 302
    # Six addresses guessing one account: each failing address waits, a fresh one does not.
    other = app.test_client()
    for n in range(6):
        assert _login(other, bystander.email, WRONG, f"198.51.100.{n}").status_code == 401
    assert _login(other, bystander.email, PASSWORD, "198.51.100.0").status_code == 429
    assert _login(other, bystander.email, PASSWORD, "198.51.100.99").status_code == 302


# ----------------------------------------------------------------- shared between workers


def _shared_between_two_apps(first: Flask, second: Flask) -> None:
    person = make_user(first, "shared@example.org")
    one, two = first.test_client(), second.test_client()
    addr = "192.0.2.30"
    for n in range(5):
        # Failures alternate between the two "workers" and count together.
        assert _login((one, two)[n % 2], person.email, WRONG, addr).status_code == 401
    assert _login(two, person.email, PASSWORD, addr).status_code == 429
    assert _login(one, person.email, PASSWORD, addr).status_code == 429
    # Another address is not slowed on either.
    assert _login(two, person.email, PASSWORD, "192.0.2.31").status_code == 302


def test_counts_are_shared_between_two_apps_on_one_database(database_url: str) -> None:
    _shared_between_two_apps(_app(database_url), _app(database_url))


def test_counts_are_shared_between_two_apps_on_redis(database_url: str, redis_prefix: str) -> None:
    config = {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": redis_prefix}
    first, second = _app(database_url, **config), _app(database_url, **config)
    _shared_between_two_apps(first, second)
    redis = Redis.from_url(REDIS_URL)
    assert redis.zcard(f"{redis_prefix}failures:login-account:email:shared@example.org") == 5


# ----------------------------------------------------------------- proxy misconfiguration


def test_forwarded_headers_with_zero_hops_are_warned_on_readyz_and_logged_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app(database_url)
    client = app.test_client()
    assert "warnings" not in client.get("/readyz").get_json()
    headers = {"X-Forwarded-For": "198.51.100.4"}
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        for _ in range(3):
            client.get("/login", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    logged = [r for r in caplog.records if "WORKBENCH_PROXY_HOPS is 0" in r.getMessage()]
    assert len(logged) == 1
    ready = client.get("/readyz")
    # Reported, not failed: the instance still serves.
    assert ready.status_code == 200
    (warning,) = ready.get_json()["warnings"]
    assert "X-Forwarded-For" in warning and "203.0.113.5" in warning


def test_a_private_remote_address_with_zero_hops_is_warned(database_url: str) -> None:
    app = _app(database_url)
    client = app.test_client()
    client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    (warning,) = client.get("/readyz").get_json()["warnings"]
    assert "10.0.0.2" in warning and "WORKBENCH_PROXY_HOPS" in warning


def test_no_proxy_warning_with_hops_set_or_for_a_public_visitor(database_url: str) -> None:
    proxied = _app(database_url, PROXY_HOPS=1).test_client()
    proxied.get("/login", headers={"X-Forwarded-For": "198.51.100.4"})
    assert "warnings" not in proxied.get("/readyz").get_json()
    direct = _app(database_url).test_client()
    direct.get("/login", environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert "warnings" not in direct.get("/readyz").get_json()
