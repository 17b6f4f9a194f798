"""Operations: health and readiness, the proxy setting, Redis rate limits, backup and restore."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request, url_for
from redis import Redis
from sqlalchemy import func, inspect, select, text

from tests.conftest import BASE_CONFIG, PASSWORD, login, make_user
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Factor, LoginAttempt
from workbench.services.login_throttle import keys_for
from workbench.services.tenancy import scope_session

REDIS_URL = "redis://127.0.0.1:6379/0"


def _app(database_url: str, **extra: Any) -> Flask:
    return create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **extra})


# ----------------------------------------------------------------- health and readiness


def test_health_needs_only_the_process_and_readiness_checks_the_database() -> None:
    down = _app(
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
        TESTING=False,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    client = down.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["Retry-After"] == "5"
    body = ready.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("unreachable")
    assert "nobody" not in ready.get_data(as_text=True)


def test_readiness_reports_every_check(database_url: str) -> None:
    app = _app(database_url)
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok"},
    }
    with_redis = _app(database_url, REDIS_URL=REDIS_URL).test_client().get("/readyz")
    assert with_redis.get_json()["checks"]["redis"] == "ok"
    no_redis = _app(database_url, REDIS_URL="redis://127.0.0.1:1/0").test_client().get("/readyz")
    assert no_redis.status_code == 503
    assert no_redis.get_json()["checks"]["redis"].startswith("unreachable")


def test_readiness_fails_while_migrations_are_behind(database_url: str) -> None:
    app = _app(database_url)
    with app.app_context(), db.engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    try:
        ready = app.test_client().get("/readyz")
        assert ready.status_code == 503
        assert "workbench db upgrade" in ready.get_json()["checks"]["migrations"]
    finally:
        # The PostgreSQL test database is shared by the whole run: put the mark back.
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head}
            )


# ----------------------------------------------------------------- reverse proxy


def _echo(app: Flask) -> Flask:
    def echo() -> dict[str, str]:
        return {
            "addr": request.remote_addr or "",
            "scheme": request.scheme,
            "url": url_for("main.home", _external=True),
        }

    app.add_url_rule("/echo", "echo", echo)
    return app


FORWARDED = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "workbench.example.org",
}


def test_forwarded_headers_are_ignored_without_configured_hops(database_url: str) -> None:
    client = _echo(_app(database_url)).test_client()
    seen = client.get("/echo", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert seen.get_json() == {"addr": "10.0.0.5", "scheme": "http", "url": "http://localhost/"}


def test_forwarded_headers_are_honoured_with_one_hop(database_url: str) -> None:
    client = _echo(_app(database_url, PROXY_HOPS=1)).test_client()
    seen = client.get("/echo", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert seen.get_json() == {
        "addr": "203.0.113.9",
        "scheme": "https",
        "url": "https://workbench.example.org/",
    }
    # Only the nearest proxy's entry is trusted: a client cannot add its own in front.
    spoofed = client.get(
        "/echo",
        headers={**FORWARDED, "X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
    )
    assert spoofed.get_json()["addr"] == "203.0.113.9"


# ----------------------------------------------------------------- rate limits in Redis


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own for one test; its keys are deleted afterwards."""
    prefix = f"wb-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"{prefix}*"):
        redis.delete(key)


def _post_login(client: Any, email: str, password: str, addr: str = "192.0.2.1") -> int:
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    ).status_code


def test_login_limits_live_in_redis_and_hold_across_workers(
    database_url: str, redis_prefix: str
) -> None:
    config = {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": redis_prefix, "LOGIN_ATTEMPT_LIMIT": 3}
    first, second = _app(database_url, **config), _app(database_url, **config)
    person = make_user(first, "rita@example.org", "Rita")
    one, two = first.test_client(), second.test_client()
    # Failures spread over two "workers" count together.
    assert [_post_login(one, person.email, "wrong password!")] * 1 == [401]
    assert _post_login(two, person.email, "wrong password!") == 401
    assert _post_login(one, person.email, "wrong password!") == 401
    assert _post_login(two, person.email, PASSWORD) == 429
    assert _post_login(one, person.email, PASSWORD) == 429
    redis = Redis.from_url(REDIS_URL)
    account = f"{redis_prefix}failures:login-account:email:rita@example.org"
    pair = f"{redis_prefix}failures:login-pair:{keys_for(person.email, '192.0.2.1').pair}"
    assert redis.zcard(account) == redis.zcard(pair) == 3
    assert 0 < redis.ttl(account) <= 901
    with first.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0


def test_a_successful_login_clears_the_pair_count_in_redis(
    database_url: str, redis_prefix: str
) -> None:
    app = _app(database_url, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    person = make_user(app, "sam@example.org", "Sam")
    client = app.test_client()
    for _ in range(4):
        assert _post_login(client, person.email, "wrong password!") == 401
    assert _post_login(client, person.email, PASSWORD) == 302
    redis = Redis.from_url(REDIS_URL)
    pair = keys_for(person.email, "192.0.2.1").pair
    assert redis.exists(f"{redis_prefix}failures:login-pair:{pair}") == 0
    # The address and the account keep their own, wider counts.
    assert redis.zcard(f"{redis_prefix}failures:login:addr:192.0.2.1") == 4
    assert redis.zcard(f"{redis_prefix}failures:login-account:email:sam@example.org") == 4


def test_the_wait_ends_in_redis_too(database_url: str, redis_prefix: str) -> None:
    app = _app(
        database_url,
        REDIS_URL=REDIS_URL,
        REDIS_KEY_PREFIX=redis_prefix,
        LOGIN_ATTEMPT_LIMIT=1,
        LOGIN_DELAY_SECONDS=1,
    )
    person = make_user(app, "tom@example.org", "Tom")
    client = app.test_client()
    assert _post_login(client, person.email, "wrong password!") == 401
    assert _post_login(client, person.email, PASSWORD) == 429
    import time

    time.sleep(1.2)
    assert _post_login(client, person.email, PASSWORD) == 302


# ----------------------------------------------------------------- backup and restore


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    with app.app_context():
        names = sorted(inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            return {
                name: sorted(
                    tuple(str(value) for value in row)
                    for row in connection.execute(text(f'SELECT * FROM "{name}"'))
                )
                for name in names
            }


def test_backup_and_restore_bring_back_the_whole_instance(
    app: Flask, team: dict, tmp_path: Path
) -> None:
    client = app.test_client()
    login(client, team["analyst"])
    wid = team["workspace_id"]
    factors = f"/workspaces/{wid}/assessment/factors"
    form = {"category": "business_need", "polarity": "driver", "importance": "3"}
    assert client.post(factors, data={**form, "titles": "Live chat\n顧客の声"}).status_code == 303
    before = _snapshot(app)
    target = tmp_path / "instance.backup"
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and target.stat().st_size > 0
    assert runner.invoke(args=["backup", str(target)]).exit_code != 0  # never overwritten
    later = client.post(factors, data={**form, "titles": "Added after the backup"})
    assert later.status_code == 303
    assert _snapshot(app) != before
    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0 and _snapshot(app) != before
    restored = runner.invoke(args=["restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output
    assert _snapshot(app) == before
    with app.app_context():
        scope_session(db.session, wid)
        titles = set(db.session.scalars(select(Factor.title)))
    assert {"Live chat", "顧客の声"} <= titles and "Added after the backup" not in titles
    # The restored instance serves as before.
    assert client.get(factors).status_code == 200


def test_restore_refuses_a_file_that_is_not_a_backup(app: Flask, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text('=HYPERLINK("http://example.org")', encoding="utf-8")
    before = _snapshot(app)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert _snapshot(app) == before


# ----------------------------------------------------------------- migration 0011


def test_the_job_migration_carries_render_jobs_both_ways(database_url: str, team: dict) -> None:
    from flask_migrate import downgrade, upgrade

    app = _app(database_url)
    wid, uid = team["workspace_id"], team["facilitator"].id
    insert = text(
        "INSERT INTO render_job (id, status, stage, requested_by_id, requested_at, "
        "snapshot_number, reused, error, workspace_id) VALUES "
        "(:id, :status, 'x', :uid, '2026-11-01 10:00:00', :number, :reused, :error, :wid)"
    )
    with app.app_context():
        downgrade(revision="0008")
        with db.engine.begin() as connection:
            for id_, status, number in ((7, "done", 2), (8, "failed", None), (9, "running", None)):
                connection.execute(
                    insert,
                    {
                        "id": id_,
                        "status": status,
                        "uid": uid,
                        "number": number,
                        "reused": status == "done",
                        "error": "",
                        "wid": wid,
                    },
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, kind, status, error FROM job ORDER BY id")
            ).all()
        assert [(row[0], row[1], row[2]) for row in rows] == [
            (7, "storyboard.publish", "done"),
            (8, "storyboard.publish", "failed"),
            (9, "storyboard.publish", "failed"),
        ]
        assert "Try again" in rows[2][3]
        scope_session(db.session, wid)
        from workbench.models import Job

        assert db.session.get(Job, 7).result == {"snapshot_number": 2, "reused": True}
        new = Job(kind="storyboard.publish")
        db.session.add(new)
        db.session.commit()
        assert new.id > 9  # the sequence continues after the carried ids
        db.session.remove()
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            back = connection.execute(
                text("SELECT id, status, snapshot_number FROM render_job ORDER BY id")
            ).all()
        assert [tuple(row) for row in back][:3] == [
            (7, "done", 2),
            (8, "failed", None),
            (9, "failed", None),
        ]
        upgrade()
        db.engine.dispose()


# ----------------------------------------------------------------- migration 0014


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_the_unused_reused_from_column_goes_and_comes_back_with_the_data(
    database_url: str, team: dict
) -> None:
    from flask_migrate import downgrade, upgrade

    app = _app(database_url)
    wid, uid = team["workspace_id"], team["facilitator"].id
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO storyboard_snapshot (id, workspace_id, number, fingerprint, "
                    "author_id, author_label, published_at, page_count, pdf, context) VALUES "
                    "(41, :wid, 1, :print, :uid, 'Fran', '2026-11-01 10:00:00', 3, :pdf, '{}')"
                ),
                {"wid": wid, "uid": uid, "print": "f" * 64, "pdf": b"%PDF-1.7"},
            )
            connection.execute(
                text(
                    "INSERT INTO share_link (id, workspace_id, snapshot_id, nonce, expires_at, "
                    "created_by_id, revoked, opened) VALUES "
                    "(5, :wid, 41, 'n0nce', '2026-12-01 10:00:00', :uid, false, 2)"
                ),
                {"wid": wid, "uid": uid},
            )
        assert "reused_from" not in _columns("storyboard_snapshot")
        downgrade(revision="0013")
        assert "reused_from" in _columns("storyboard_snapshot")
        upgrade()
        assert "reused_from" not in _columns("storyboard_snapshot")
        with db.engine.connect() as connection:
            kept = connection.execute(text("SELECT id, page_count FROM storyboard_snapshot"))
            links = connection.execute(text("SELECT id, snapshot_id, opened FROM share_link"))
            assert [tuple(row) for row in kept] == [(41, 3)]
            # On SQLite a rebuilt table would have cascaded its delete to the share links.
            assert [tuple(row) for row in links] == [(5, 41, 2)]
        db.engine.dispose()
