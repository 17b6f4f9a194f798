"""Personal API tokens: the account page creates (shown once), lists and revokes; stored hashed."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login, make_user
from tests.integration.api_support import API, call, make_token
from workbench.extensions import db
from workbench.models import ApiToken, User
from workbench.services import api_tokens

PAGE = "/account/tokens/"


def _tokens(app: Flask) -> list[ApiToken]:
    with app.app_context():
        rows = list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))
        db.session.expunge_all()
        return rows


def _secret(html: str) -> str:
    match = re.search(r'id="new-token"[^>]*value="(wbt_[A-Za-z0-9_-]+)"', html)
    assert match, "no new token on the page"
    return match.group(1)


def test_token_is_shown_once_and_stored_hashed(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """The secret appears on the creation answer only; the database holds its SHA-256."""
    login(client, team["analyst"])
    empty = client.get(PAGE).get_data(as_text=True)
    assert "no API tokens yet" in empty
    created = client.post(PAGE, data={"label": "Nightly export"})
    assert created.status_code == 303
    secret = _secret(client.get(PAGE).get_data(as_text=True))
    assert secret.startswith("wbt_") and len(secret) > 40
    [row] = _tokens(app)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.token_hash, row.label) and row.hint == secret[:10]
    listed = client.get(PAGE).get_data(as_text=True)
    assert "Nightly export" in listed and secret not in listed and row.hint in listed
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 200


def test_revoking_stops_the_token(app: Flask, client: FlaskClient, team: dict[str, Any]) -> None:
    """A revoked token answers 401 from then on; the page marks it revoked."""
    secret = make_token(app, team["analyst"].id, "Dashboard")
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 200
    [row] = _tokens(app)
    login(client, team["analyst"])
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-confirm="Revoke the token' in page
    revoked = client.post("/account/tokens/revoke", data={"token_id": str(row.id)})
    assert revoked.status_code == 303
    assert "revoked" in client.get(PAGE).get_data(as_text=True)
    refused = call(client, "GET", f"{API}/workspaces", secret)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "invalid_token"
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_nobody_can_revoke_another_users_token(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """Another user's token id is answered as unknown and stays live."""
    secret = make_token(app, team["facilitator"].id, "Fran's script")
    [row] = _tokens(app)
    login(client, team["outsider"])
    answer = client.post(
        "/account/tokens/revoke", data={"token_id": str(row.id)}, follow_redirects=True
    )
    assert "no such token" in answer.get_data(as_text=True)
    assert "Fran's script" not in answer.get_data(as_text=True)
    assert _tokens(app)[0].revoked_at is None
    for junk in ("", "abc", "-1", "99999999999", str(row.id) + "<script>"):
        response = client.post("/account/tokens/revoke", data={"token_id": junk})
        assert response.status_code == 303
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 200


def test_token_names_are_checked(app: Flask, client: FlaskClient, team: dict[str, Any]) -> None:
    """Empty, too long and control-character names are handled; markup stays text."""
    login(client, team["analyst"])
    assert client.post(PAGE, data={"label": "   "}).status_code == 400
    long = client.post(PAGE, data={"label": "x" * 81})
    assert long.status_code == 400 and "under 80 characters" in long.get_data(as_text=True)
    assert _tokens(app) == []
    hostile = client.post(PAGE, data={"label": "<script>alert(1)</script> 🔑 מפתח"})
    assert hostile.status_code == 303
    html = client.get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert _tokens(app)[0].label == "<script>alert(1)</script> 🔑 מפתח"


def test_oversized_token_form_is_refused(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """A form body over the request limit gets the 413 page and creates nothing."""
    login(client, team["analyst"])
    response = client.post(PAGE, data={"label": "x" * (2 * 1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "larger than the workbench accepts" in response.get_data(as_text=True)
    assert _tokens(app) == []


def test_active_tokens_are_limited(app: Flask, client: FlaskClient, team: dict[str, Any]) -> None:
    """A user may hold a bounded number of live tokens."""
    for n in range(api_tokens.MAX_ACTIVE_TOKENS):
        make_token(app, team["analyst"].id, f"t{n}")
    login(client, team["analyst"])
    refused = client.post(PAGE, data={"label": "one more"})
    assert refused.status_code == 400 and "revoke one" in refused.get_data(as_text=True)


def test_last_use_is_recorded(app: Flask, client: FlaskClient, team: dict[str, Any]) -> None:
    """Using a token records when, at most once a minute."""
    secret = make_token(app, team["executive"].id)
    assert _tokens(app)[0].last_used_at is None
    call(client, "GET", f"{API}/workspaces", secret)
    first = _tokens(app)[0].last_used_at
    assert first is not None
    call(client, "GET", f"{API}/workspaces", secret)
    assert _tokens(app)[0].last_used_at == first
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row is not None
        row.last_used_at = first - timedelta(minutes=5)
        db.session.commit()
    call(client, "GET", f"{API}/workspaces", secret)
    assert _tokens(app)[0].last_used_at > first - timedelta(minutes=5)


def test_deactivated_account_tokens_stop(app: Flask, client: FlaskClient) -> None:
    """A token of an account that can no longer log in is refused."""
    person = make_user(app, "gone@example.org")
    secret = make_token(app, person.id)
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user is not None
        user.is_active_account = False
        db.session.commit()
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 401


def test_tokens_need_a_login(client: FlaskClient) -> None:
    """The page sends visitors to log in."""
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
