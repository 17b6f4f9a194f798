"""Accounts: registration, login, logout, password change, rate limiting, cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import BASE_CONFIG, PASSWORD, login, make_user
from tests.mail_support import confirm_registration, link_path, outbox, text_of


def _register(client: FlaskClient, email: str = "new@example.org", **extra: str):
    data = {
        "display_name": "New Person",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        **extra,
    }
    return client.post("/register", data=data)


def test_register_confirms_the_address_by_email_then_logs_in(
    app: Flask, client: FlaskClient
) -> None:
    response = _register(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    # Not yet: the address is unconfirmed until the mailed link is followed.
    assert client.get("/workspaces/").status_code == 302
    refused = client.post("/login", data={"email": "new@example.org", "password": PASSWORD})
    assert refused.status_code == 401
    confirmed = confirm_registration(app, client, "new@example.org", PASSWORD)
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"].endswith("/workspaces/")
    page = client.get("/workspaces/")
    assert page.status_code == 200
    assert "New Person" in page.get_data(as_text=True)
    client.post("/logout")
    # The link works once; the password logs in from now on.
    assert confirm_registration(app, client, "new@example.org", PASSWORD).status_code == 410
    assert (
        client.post("/login", data={"email": "new@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_register_with_an_existing_email_answers_like_a_new_one(
    app: Flask, client: FlaskClient
) -> None:
    owner = make_user(app, "owner@example.org", "Olive Owner")
    taken = _register(
        client,
        email="OWNER@Example.org",
        password="another password entirely",
        confirm="another password entirely",
    )
    fresh = _register(
        client,
        email="fresh@example.org",
        password="another password entirely",
        confirm="another password entirely",
    )
    assert taken.status_code == fresh.status_code == 200
    strip = re.compile(r'content="[^"]*"')
    taken_page = strip.sub("", taken.get_data(as_text=True)).replace("owner@example.org", "X")
    fresh_page = strip.sub("", fresh.get_data(as_text=True)).replace("fresh@example.org", "X")
    assert taken_page == fresh_page
    [note] = [m for m in outbox(app) if "owner@example.org" in str(m["To"])]
    assert note["Subject"] == "Someone tried to register with your address"
    assert link_path(note, "/password/forgot") == "/password/forgot"
    assert "Olive Owner" in text_of(note)
    # The owner's account is untouched: same name, same password, nothing confirmed anew.
    login(client, owner)
    assert "Olive Owner" in client.get("/workspaces/").get_data(as_text=True)


def test_register_refuses_short_and_mismatched_passwords(client: FlaskClient) -> None:
    short = _register(client, password="short", confirm="short")
    assert short.status_code == 400
    assert "at least 10 characters" in short.get_data(as_text=True)
    mismatch = _register(client, email="b@example.org", confirm="something else entirely")
    assert mismatch.status_code == 400
    assert "differ" in mismatch.get_data(as_text=True)


def test_password_is_stored_as_argon2_hash(app: Flask) -> None:
    make_user(app, "hash@example.org")
    from workbench.extensions import db
    from workbench.services.accounts import find_user_by_email

    with app.app_context():
        user = find_user_by_email(db.session, "hash@example.org")
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_wrong_password_gives_generic_message(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "p@example.org")
    wrong = client.post("/login", data={"email": person.email, "password": "wrong password!"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "whatever12"})
    assert wrong.status_code == unknown.status_code == 401
    message = "do not match an account"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_attempts_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "limited@example.org")
    limit = app.config["LOGIN_ATTEMPT_LIMIT"]
    for _ in range(limit):
        response = client.post("/login", data={"email": person.email, "password": "bad guess 123"})
        assert response.status_code == 401
    blocked = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.get_data(as_text=True)


def test_session_cookie_flags_and_fresh_session_at_login(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "cookie@example.org")
    client.get("/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    with client.session_transaction() as after:
        assert "planted" not in after


def test_secure_cookie_when_configured(database_url: str) -> None:
    from tests.conftest import BASE_CONFIG
    from workbench.app import create_app

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "SESSION_COOKIE_SECURE": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    person = make_user(app, "secure@example.org")
    response = app.test_client().post(
        "/login", data={"email": person.email, "password": PASSWORD}, base_url="https://localhost"
    )
    assert "Secure" in response.headers.get("Set-Cookie", "")


def test_logout_ends_the_session_even_for_a_copied_cookie(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "leaver@example.org")
    login(client, person)
    with client.session_transaction() as stolen:
        copied = dict(stolen)
    client.post("/logout")
    assert client.get("/workspaces/").status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(copied)
    response = replay.get("/workspaces/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_change_password(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "changer@example.org")
    login(client, person)
    wrong = client.post(
        "/account/password",
        data={
            "current": "not my password",
            "password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert wrong.status_code == 400
    assert "current password is not correct" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert ok.status_code == 302
    client.post("/logout")
    login(client, person, "a brand new secret")


def test_next_parameter_cannot_redirect_off_site(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "next@example.org")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"/login?next={target}", data={"email": person.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"]
        client.post("/logout")


def test_production_password_costs_are_argon2_recommendations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import Parameters, profiles

    from workbench.app import create_app
    from workbench.services import accounts

    recommended: Parameters = profiles.RFC_9106_LOW_MEMORY
    for name in ("TIME_COST", "MEMORY_KIB", "PARALLELISM"):
        monkeypatch.delenv(f"WORKBENCH_PASSWORD_HASH_{name}")
    try:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "SECRET_KEY": "x"})
        assert accounts.password_hash_costs() == {
            "time_cost": recommended.time_cost,
            "memory_cost": recommended.memory_cost,
            "parallelism": recommended.parallelism,
        }
        stored = accounts.hash_password("correct horse battery")
        assert f"m={recommended.memory_cost},t={recommended.time_cost}," in stored
    finally:
        accounts.configure_password_hashing(
            BASE_CONFIG["PASSWORD_HASH_TIME_COST"],
            BASE_CONFIG["PASSWORD_HASH_MEMORY_KIB"],
            BASE_CONFIG["PASSWORD_HASH_PARALLELISM"],
        )


def test_register_form_states_the_password_rules_up_front(client: FlaskClient) -> None:
    """The rules are a hint tied to the field, and attributes the browser checks too."""
    page = client.get("/register").get_data(as_text=True)
    field = re.search(r"<input[^>]*\bid=\"password\"[^>]*>", page)
    assert field is not None
    tag = field.group(0)
    assert 'minlength="10"' in tag
    assert 'maxlength="256"' in tag
    assert "required" in tag
    assert 'aria-describedby="password-hint"' in tag
    hint = re.search(r'<p class="hint" id="password-hint">([^<]*)</p>', page)
    assert hint is not None
    assert "At least 10 characters, at most 256" in hint.group(1)
    repeat = re.search(r"<input[^>]*\bid=\"confirm\"[^>]*>", page)
    assert repeat is not None
    assert 'aria-describedby="confirm-hint"' in repeat.group(0)
    # The browser's own checks apply: the form does not switch them off.
    form = re.search(r"<form[^>]*method=\"post\"[^>]*>", page)
    assert form is not None
    assert "novalidate" not in form.group(0)


def test_register_shows_every_broken_rule_on_the_first_submit(client: FlaskClient) -> None:
    """A short password typed differently twice, and no name: all three said at once."""
    answer = _register(client, display_name="", password="short", confirm="shorter")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Choose a password of at least 10 characters." in page
    assert "The two passwords differ." in page
    assert "Enter your name." in page
    # Each error is announced with its field.
    for name in ("password", "confirm"):
        tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page)
        assert tag is not None
        assert f'aria-describedby="{name}-hint {name}-error"' in tag.group(0)


def test_change_and_reset_password_forms_carry_the_same_rules(
    app: Flask, client: FlaskClient
) -> None:
    """Changing a password states and checks the rules as registering does."""
    person = make_user(app, "rules@example.org")
    login(client, person)
    page = client.get("/account/password").get_data(as_text=True)
    assert 'minlength="10"' in page
    assert "At least 10 characters, at most 256" in page
    answer = client.post(
        "/account/password",
        data={"current": "wrong current one", "password": "short", "confirm": "other"},
    )
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "Choose a password of at least 10 characters." in text
    assert "The two passwords differ." in text
