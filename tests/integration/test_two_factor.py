"""Two-factor sign-in: enrolment, the code step, recovery codes, replays, limits, requirement."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import PASSWORD, Person, login, make_user, make_workspace
from workbench.extensions import db
from workbench.models import RecoveryCode, TwoFactorSecret, User, Workspace
from workbench.services import api_tokens
from workbench.services.tenancy import allow_system_access

PAGE = "/account/two-factor/"


def _secret_on_page(client: FlaskClient) -> str:
    page = client.get(PAGE).get_data(as_text=True)
    found = re.search(r'id="two-factor-secret"[^>]*>([^<]+)<', page)
    assert found, "the enrolment page shows no secret"
    assert '<svg role="img"' in page and "QR code" in page
    return found.group(1).replace(" ", "")


def _codes_on_page(client: FlaskClient) -> list[str]:
    page = client.get(PAGE).get_data(as_text=True)
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>", page)


def enrol(client: FlaskClient) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for the logged-in client; return the secret and codes."""
    assert client.post("/account/two-factor/start").status_code == 303
    secret = _secret_on_page(client)
    confirmed = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:800]
    recovery = _codes_on_page(client)
    assert len(recovery) == 10
    return secret, recovery


def next_code(secret: str) -> str:
    """The code of the next thirty-second step (accepted, and newer than any used so far)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _password_step(client: FlaskClient, person: Person) -> None:
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/code")


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/workspaces/").status_code == 200


def test_enrolment_needs_a_current_code_and_shows_codes_once(
    app: Flask, client: FlaskClient
) -> None:
    person = make_user(app, "tf@example.org")
    login(client, person)
    client.post("/account/two-factor/start")
    secret = _secret_on_page(client)
    wrong = client.post("/account/two-factor/confirm", data={"code": "000000"})
    if pyotp.TOTP(secret).verify("000000", valid_window=1):  # pragma: no cover - one in 333,333
        return
    assert wrong.status_code == 400
    assert "does not match" in wrong.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(TwoFactorSecret).where(TwoFactorSecret.user_id == person.id))
        assert row is not None and row.confirmed_at is None
        # Stored encrypted: the database never holds the secret as text.
        assert secret not in row.secret_encrypted and secret.lower() not in row.secret_encrypted
    confirmed = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    shown = re.findall(r"<li><code>([a-z2-7-]{14})</code></li>", page)
    assert len(set(shown)) == 10
    assert "two-factor-secret" not in page and "<svg" not in page
    assert "10 unused recovery codes" in page
    again = client.get(PAGE).get_data(as_text=True)
    assert not any(code in again for code in shown)
    with app.app_context():
        stored = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == person.id)
        ).all()
        assert len(stored) == 10
        assert not {code.replace("-", "") for code in shown} & set(stored)
        assert not any(code in h for code in shown for h in stored)
    # The session carries on; it was renewed with the account's new session token.
    assert _logged_in(client)


def test_sign_in_waits_for_a_code(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "code@example.org")
    login(client, person)
    secret, _ = enrol(client)
    used = pyotp.TOTP(secret).now()
    client.post("/logout")
    _password_step(client, person)
    # Between the steps the session is not logged in.
    assert client.get("/workspaces/").status_code == 302
    _password_step(client, person)
    page = client.get("/login/code")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.get_data(as_text=True)
    wrong = client.post("/login/code", data={"code": "12345"})
    assert wrong.status_code == 401
    assert "not right" in wrong.get_data(as_text=True)
    # The code that confirmed the enrolment cannot be replayed.
    replay = client.post("/login/code", data={"code": used})
    assert replay.status_code == 401
    assert not _logged_in(client)
    _password_step(client, person)
    code = next_code(secret)
    accepted = client.post("/login/code", data={"code": code})
    assert accepted.status_code == 302
    assert accepted.headers["Location"].endswith("/workspaces/")
    assert _logged_in(client)
    client.post("/logout")
    _password_step(client, person)
    assert client.post("/login/code", data={"code": code}).status_code == 401
    assert not _logged_in(client)


def test_next_is_kept_through_the_code_step(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "next@example.org")
    login(client, person)
    secret, _ = enrol(client)
    client.post("/logout")
    client.post("/login?next=/account/tokens/", data={"email": person.email, "password": PASSWORD})
    accepted = client.post("/login/code", data={"code": next_code(secret)})
    assert accepted.headers["Location"].endswith("/account/tokens/")


def test_recovery_code_signs_in_once(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "rec@example.org")
    login(client, person)
    _, recovery = enrol(client)
    client.post("/logout")
    _password_step(client, person)
    typed = recovery[3].upper().replace("-", " ")
    accepted = client.post("/login/code", data={"code": typed})
    assert accepted.status_code == 302
    assert _logged_in(client)
    assert "9 unused recovery codes" in client.get(PAGE).get_data(as_text=True)
    client.post("/logout")
    _password_step(client, person)
    assert client.post("/login/code", data={"code": recovery[3]}).status_code == 401
    assert client.post("/login/code", data={"code": recovery[4]}).status_code == 302


def test_wrong_codes_are_throttled(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "slow@example.org")
    login(client, person)
    secret, recovery = enrol(client)
    client.post("/logout")
    _password_step(client, person)
    limit = app.config["TWO_FACTOR_ATTEMPT_LIMIT"]
    guesses = [f"{n:06d}" for n in range(100000, 100000 + 40)]
    valid = {pyotp.TOTP(secret).at(time.time() + d) for d in (-30, 0, 30, 60)}
    guesses = [g for g in guesses if g not in valid][:limit]
    for guess in guesses:
        assert client.post("/login/code", data={"code": guess}).status_code == 401
    blocked = client.post("/login/code", data={"code": recovery[0]})
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.get_data(as_text=True)
    assert not _logged_in(client)
    # Another address still gets its own tries: the owner is not locked out by a guesser.
    elsewhere = app.test_client()
    elsewhere.post(
        "/login",
        data={"email": person.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    accepted = elsewhere.post(
        "/login/code", data={"code": recovery[0]}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert accepted.status_code == 302


def test_code_step_without_password_step_goes_to_login(app: Flask, client: FlaskClient) -> None:
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_waiting_sign_in_expires(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "late@example.org")
    login(client, person)
    secret, _ = enrol(client)
    client.post("/logout")
    _password_step(client, person)
    with client.session_transaction() as cookie:
        waiting = dict(cookie["two_factor_login"])
        waiting["since"] -= app.config["TWO_FACTOR_LOGIN_SECONDS"] + 1
        cookie["two_factor_login"] = waiting
    late = client.post("/login/code", data={"code": next_code(secret)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/login")
    assert not _logged_in(client)


def test_turning_off_needs_password_and_code(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "off@example.org")
    login(client, person)
    secret, recovery = enrol(client)
    bad_password = client.post(
        "/account/two-factor/off",
        data={"off-password": "not my password", "off-code": next_code(secret)},
    )
    assert bad_password.status_code == 400
    no_code = client.post(
        "/account/two-factor/off", data={"off-password": PASSWORD, "off-code": "999999x"}
    )
    assert no_code.status_code == 400
    assert "not right" in no_code.get_data(as_text=True)
    assert "is on" in client.get(PAGE).get_data(as_text=True)
    done = client.post(
        "/account/two-factor/off", data={"off-password": PASSWORD, "off-code": recovery[0]}
    )
    assert done.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(TwoFactorSecret)) is None
        assert db.session.scalar(select(RecoveryCode)) is None
    client.post("/logout")
    login(client, person)


def test_new_recovery_codes_replace_the_old(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "regen@example.org")
    login(client, person)
    secret, old = enrol(client)
    made = client.post("/account/two-factor/recovery-codes", data={"code": next_code(secret)})
    assert made.status_code == 303
    new = _codes_on_page(client)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    _password_step(client, person)
    assert client.post("/login/code", data={"code": old[0]}).status_code == 401
    assert client.post("/login/code", data={"code": new[0]}).status_code == 302


def test_api_tokens_are_not_asked_for_codes(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "api@example.org")
    login(client, person)
    enrol(client)
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user is not None
        _token, secret = api_tokens.create_token(db.session, user, "nightly")
        db.session.commit()
    answer = app.test_client().get(
        "/api/v1/workspaces", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 200


def _require(client: FlaskClient, workspace_id: int, required: bool) -> Any:
    settings = client.get(f"/workspaces/{workspace_id}/settings").get_data(as_text=True)
    version = re.search(r'settings/two-factor".*?name="version"[^>]*value="(\d+)"', settings, re.S)
    assert version, "no two-factor form on the settings page"
    data = {"version": version.group(1)} | ({"required": "y"} if required else {})
    return client.post(f"/workspaces/{workspace_id}/settings/two-factor", data=data)


def _required(app: Flask, workspace_id: int) -> bool:
    with app.app_context():
        allow_system_access(db.session)
        workspace = db.session.get(Workspace, workspace_id)
        assert workspace is not None
        return workspace.require_two_factor


def test_facilitator_requires_two_factor_of_members(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    # Not before the facilitator has it: the next page would send them to enrol.
    refused = _require(client, workspace_id, True)
    assert refused.status_code == 303
    assert "your own account first" in client.get(refused.headers["Location"]).get_data(
        as_text=True
    )
    assert not _required(app, workspace_id)
    enrol(client)
    assert _require(client, workspace_id, True).status_code == 303
    assert _required(app, workspace_id)
    settings = client.get(f"/workspaces/{workspace_id}/settings").get_data(as_text=True)
    assert "Ana Analyst" in settings and "Eve Executive" in settings
    assert client.get(f"/workspaces/{workspace_id}/").status_code == 200
    client.post("/logout")

    analyst = team["analyst"]
    own_workspace = make_workspace(app, analyst, "Ana's own")
    login(client, analyst)
    sent = client.get(f"/workspaces/{workspace_id}/strategy")
    assert sent.status_code == 303 and sent.headers["Location"].endswith(PAGE)
    assert "requires two-factor sign-in" in client.get(PAGE).get_data(as_text=True)
    posted = client.post(f"/workspaces/{workspace_id}/strategy", data={"purpose": "x"})
    assert posted.status_code == 303
    # A fragment polled by htmx is told to navigate, not handed a whole page to swap in.
    fragment = client.get(f"/workspaces/{workspace_id}/strategy", headers={"HX-Request": "true"})
    assert fragment.headers["HX-Redirect"].endswith(PAGE) and not fragment.get_data()
    # The analyst's other workspaces stay open.
    assert client.get(f"/workspaces/{own_workspace}/").status_code == 200
    # An outsider learns nothing about the requirement: still not found.
    other = app.test_client()
    login(other, team["outsider"])
    assert other.get(f"/workspaces/{workspace_id}/").status_code == 404
    enrol(client)
    assert client.get(f"/workspaces/{workspace_id}/strategy").status_code == 200


def test_requirement_is_versioned_and_audited(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    enrol(client)
    settings = client.get(f"/workspaces/{workspace_id}/settings").get_data(as_text=True)
    loaded = re.search(r'settings/two-factor".*?name="version"[^>]*value="(\d+)"', settings, re.S)
    assert loaded
    assert _require(client, workspace_id, True).status_code == 303
    # A form loaded before that change, saved unchanged, keeps the colleague's change.
    stale = client.post(
        f"/workspaces/{workspace_id}/settings/two-factor", data={"version": loaded.group(1)}
    )
    assert stale.status_code == 303
    assert _required(app, workspace_id)
    # A version the workspace never had is refused as a conflict.
    future = client.post(f"/workspaces/{workspace_id}/settings/two-factor", data={"version": "99"})
    assert future.status_code == 409
    assert _required(app, workspace_id)
    history = client.get(f"/workspaces/{workspace_id}/history").get_data(as_text=True)
    assert "require two factor" in history.lower() or "require_two_factor" in history


def test_analyst_cannot_change_the_requirement(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["analyst"])
    answer = client.post(
        f"/workspaces/{team['workspace_id']}/settings/two-factor",
        data={"version": "1", "required": "y"},
    )
    assert answer.status_code == 403
    assert not _required(app, team["workspace_id"])


def test_administrator_reset_lets_a_locked_out_member_back_in(
    app: Flask, client: FlaskClient
) -> None:
    person = make_user(app, "lost@example.org")
    login(client, person)
    enrol(client)
    client.post("/logout")
    result = app.test_cli_runner().invoke(args=["two-factor-reset", "LOST@example.org"])
    assert result.exit_code == 0, result.output
    assert "is off for lost@example.org" in result.output
    login(client, person)  # the password alone signs in again
    assert "Turn on two-factor sign-in" in client.get(PAGE).get_data(as_text=True)
    unknown = app.test_cli_runner().invoke(args=["two-factor-reset", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No account uses" in unknown.output


def test_the_two_factor_key_outlives_a_new_secret_key(database_url: str) -> None:
    from tests.conftest import BASE_CONFIG
    from workbench.app import create_app

    def app_with(secret_key: str, two_factor_key: str) -> Flask:
        config = {"SECRET_KEY": secret_key, "TWO_FACTOR_KEY": two_factor_key}
        return create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **config})

    first = app_with("old-secret-key", "kept-two-factor-key")
    rotated = app_with("new-secret-key", "kept-two-factor-key")
    changed = app_with("new-secret-key", "another-two-factor-key")
    person = make_user(first, "keys@example.org")
    client = first.test_client()
    login(client, person)
    secret, recovery = enrol(client)
    # The secret key is rotated and the two-factor key kept: codes still work.
    kept = rotated.test_client()
    _password_step(kept, person)
    assert kept.post("/login/code", data={"code": next_code(secret)}).status_code == 302
    # With another two-factor key neither the stored key nor the recovery codes can be used.
    other = changed.test_client()
    _password_step(other, person)
    unreadable = other.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert unreadable.status_code == 401
    assert "cannot be read on this server" in unreadable.get_data(as_text=True)
    assert other.post("/login/code", data={"code": recovery[0]}).status_code == 401
    for each in (first, rotated, changed):
        with each.app_context():
            db.engine.dispose()
