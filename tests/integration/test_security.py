"""Security headers, CSRF, body size limit and error pages without stack traces."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import BASE_CONFIG, PASSWORD, make_user
from workbench.app import create_app


def test_security_headers_on_pages_and_errors(client: FlaskClient) -> None:
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(app: Flask, client: FlaskClient, team: dict) -> None:
    from tests.conftest import login

    login(client, team["facilitator"])
    wid = team["workspace_id"]
    for path in (
        "/workspaces/",
        f"/workspaces/{wid}/",
        f"/workspaces/{wid}/strategy",
        f"/workspaces/{wid}/members",
        f"/workspaces/{wid}/history",
    ):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "<style" not in html, path
        assert re.search(r"\son[a-z]+=", html) is None, path


def test_csrf_is_required_on_forms(database_url: str) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True})
    person = make_user(app, "csrf@example.org")
    client = app.test_client()
    missing = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert missing.status_code == 400
    assert "form has expired" in missing.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post(
        "/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302


def test_csrf_token_lasts_a_half_day_workshop(app: Flask) -> None:
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 8 * 3600


def test_oversized_body_is_refused_with_413(client: FlaskClient) -> None:
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 3_000_000})
    assert response.status_code == 413
    assert "larger than the workbench accepts (2 MB)" in response.get_data(as_text=True)


def test_unexpected_error_shows_generic_page_without_trace(database_url: str) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "TESTING": False})

    def explode() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body


def test_unreachable_database_gives_503_page() -> None:
    app = create_app(
        {
            **BASE_CONFIG,
            "TESTING": False,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    response = app.test_client().post(
        "/login", data={"email": "a@example.org", "password": "whatever long"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_data(as_text=True)
    assert "database is not answering" in body
    assert "Traceback" not in body and "psycopg" not in body


def test_method_not_allowed_page(client: FlaskClient) -> None:
    response = client.get("/logout")
    assert response.status_code == 405
    assert "does not accept" in response.get_data(as_text=True)
    assert response.headers["Allow"] == "OPTIONS, POST"


def test_oversized_page_names_the_configured_limit(database_url: str) -> None:
    config = {**BASE_CONFIG, "DATABASE_URL": database_url, "MAX_CONTENT_LENGTH": 512 * 1024}
    client = create_app(config).test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 600_000})
    assert response.status_code == 413
    assert "larger than the workbench accepts (512 KB)" in response.get_data(as_text=True)
