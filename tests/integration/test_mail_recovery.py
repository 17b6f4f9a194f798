"""Mail and account recovery: SMTP and the outbox, password reset links, revocation."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.conftest import BASE_CONFIG, PASSWORD, login, make_user
from tests.integration.api_support import API, call, make_token
from tests.mail_support import (
    SMTP_PASSWORD,
    SMTP_USER,
    html_of,
    link_path,
    outbox,
    smtp_server,
    text_of,
)
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import User
from workbench.services import mail, password_reset
from workbench.services.errors import ServiceError

NEW_PASSWORD = "a brand new passphrase"


def _forgot(client: FlaskClient, email: str) -> str:
    response = client.post("/password/forgot", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _reset_path(app: Flask) -> str:
    messages = [m for m in outbox(app) if m["Subject"] == "Reset your password"]
    assert messages, "no reset message in the outbox"
    return link_path(messages[-1], "/password/reset/")


@pytest.fixture
def smtp_app(database_url: str, tmp_path: Any) -> Iterator[tuple[Flask, Any]]:
    """The app configured to send through a real SMTP server on 127.0.0.1."""
    with smtp_server() as (port, received):
        app = create_app(
            {
                **BASE_CONFIG,
                "DATABASE_URL": database_url,
                "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": port,
                "SMTP_USERNAME": SMTP_USER,
                "SMTP_PASSWORD": SMTP_PASSWORD,
                "SMTP_STARTTLS": False,
                "MAIL_FROM": "Workbench <workbench@example.org>",
            }
        )
        yield app, received
        with app.app_context():
            db.engine.dispose()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_reset_by_smtp_follow_the_link_and_log_in(smtp_app: tuple[Flask, Any]) -> None:
    """The reset message goes through SMTP (with a login), in text and HTML; its link works."""
    app, received = smtp_app
    person = make_user(app, "sam@example.org", "Sam Smith")
    client = app.test_client()
    page = _forgot(client, "SAM@example.org")
    assert "If an account uses sam@example.org" in page
    [message] = received.messages
    assert received.logins == [SMTP_USER]
    assert received.recipients == [["sam@example.org"]]
    assert message["To"] == "Sam Smith <sam@example.org>"
    assert message["From"] == "Workbench <workbench@example.org>"
    assert message.get_content_type() == "multipart/alternative"
    path = link_path(message, "/password/reset/")
    assert path in html_of(message)
    assert outbox(app) == []

    form = client.get(path)
    assert form.status_code == 200 and "sam@example.org" in form.get_data(as_text=True)
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    assert (
        client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 401
    )
    login(client, person, NEW_PASSWORD)
    # Single use: the same link is refused once the password has been set with it.
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 410
    login(client, person, NEW_PASSWORD)


def test_without_smtp_mail_goes_to_the_outbox_for_administrators(
    app: Flask, client: FlaskClient
) -> None:
    """No SMTP host: the message is an .eml file in the outbox, listed for administrators only."""
    admin = make_user(app, "admin@example.org", "Ada Admin")
    make_user(app, "sam@example.org", "Sam Smith")
    app.config["ADMIN_EMAILS"] = "someone@example.org, ADMIN@example.org"
    _forgot(client, "sam@example.org")
    [message] = outbox(app)
    assert message["To"] == "Sam Smith <sam@example.org>"
    assert "/password/reset/" in text_of(message)

    assert client.get("/admin/outbox/").status_code == 302  # to the login page
    login(client, make_user(app, "nosy@example.org"))
    assert client.get("/admin/outbox/").status_code == 404
    assert 'href="/admin/outbox/"' not in client.get("/workspaces/").get_data(as_text=True)
    client.post("/logout")
    login(client, admin)
    assert 'href="/admin/outbox/"' in client.get("/workspaces/").get_data(as_text=True)
    listing = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Reset your password" in listing and "sam@example.org" in listing
    [key] = re.findall(r'href="/admin/outbox/([0-9T-]+[0-9a-f]+)"', listing)
    shown = client.get(f"/admin/outbox/{key}")
    assert shown.status_code == 200 and "/password/reset/" in shown.get_data(as_text=True)
    assert client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert client.get("/admin/outbox/20260101T000000000000-000000000000").status_code == 404


def test_forgot_answers_the_same_whether_or_not_the_email_has_an_account(
    app: Flask, client: FlaskClient
) -> None:
    """No account enumeration: same status and page; only the owner's inbox differs."""
    make_user(app, "sam@example.org")
    answers = {}
    for email in ("sam@example.org", "ghost@example.org"):
        visitor = app.test_client()
        posted = visitor.post("/password/forgot", data={"email": email})
        page = visitor.get(posted.headers["Location"]).get_data(as_text=True)
        # The CSRF token differs per visitor, whatever the address.
        page = re.sub(r'(name="csrf[-_]token"[^>]*value|content)="[^"]*"', "", page)
        answers[email] = (posted.status_code, posted.headers["Location"], page.replace(email, "X"))
    assert answers["sam@example.org"] == answers["ghost@example.org"]
    assert answers["sam@example.org"][0] == 303
    assert [m["To"] for m in outbox(app)] == ["sam <sam@example.org>"]


def test_login_page_offers_the_reset(client: FlaskClient) -> None:
    """The login page links to "Forgot your password?"."""
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Forgot your password?" in page


def _old_token(app: Flask, user_id: int, minutes_ago: int) -> str:
    """A correctly signed reset token whose signature is `minutes_ago` old."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - minutes_ago * 60

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        fresh = password_reset.token_for(user, app.config["SECRET_KEY"])
        payload = URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt=password_reset.PURPOSE
        ).loads(fresh)
    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=password_reset.PURPOSE, signer=Earlier
    )
    return str(serializer.dumps(payload))


def test_reset_link_expires(app: Flask, client: FlaskClient) -> None:
    """A link older than PASSWORD_RESET_MAX_AGE_MINUTES is refused as expired."""
    person = make_user(app, "sam@example.org")
    limit = app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
    recent = client.get(f"/password/reset/{_old_token(app, person.id, limit - 1)}")
    assert recent.status_code == 200
    old = _old_token(app, person.id, limit + 1)
    expired = client.get(f"/password/reset/{old}")
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    posted = client.post(
        f"/password/reset/{old}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert posted.status_code == 410
    login(client, person)  # the password did not change


def test_tampered_or_foreign_tokens_are_refused(app: Flask, client: FlaskClient) -> None:
    """A changed character, another secret or another purpose's token opens nothing."""
    person = make_user(app, "sam@example.org")
    _forgot(client, person.email)
    path = _reset_path(app)
    token = path.rsplit("/", 1)[1]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    other_key = URLSafeTimedSerializer("another key", salt=password_reset.PURPOSE).dumps(
        {"u": person.id, "f": "0" * 32}
    )
    other_purpose = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="workbench-invite").dumps(
        {"u": person.id, "f": "0" * 32}
    )
    for bad in (flipped, other_key, other_purpose, "x" * 600, "not-a-token"):
        response = client.post(
            f"/password/reset/{bad}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.status_code == 410, bad
        assert "not valid" in response.get_data(as_text=True)
    login(client, person)


def test_a_password_change_invalidates_older_reset_links(app: Flask, client: FlaskClient) -> None:
    """Links asked for before the password changed stop working."""
    person = make_user(app, "sam@example.org")
    _forgot(client, person.email)
    path = _reset_path(app)
    login(client, person)
    changed = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    refused = client.get(path)
    assert refused.status_code == 410 and "already been used" in refused.get_data(as_text=True)


def test_api_token_is_refused_after_a_password_change(app: Flask, client: FlaskClient) -> None:
    """Changing the password revokes every API token of the account (it did not before)."""
    person = make_user(app, "sam@example.org")
    other = make_user(app, "kim@example.org")
    secret = make_token(app, person.id, "Nightly export")
    others = make_token(app, other.id, "Dashboard")
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 200
    login(client, person)
    client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert call(client, "GET", f"{API}/workspaces", secret).status_code == 401
    assert call(client, "GET", f"{API}/workspaces", others).status_code == 200
    tokens_page = client.get("/account/tokens/").get_data(as_text=True)
    assert "revoked" in tokens_page


def test_reset_revokes_sessions_and_api_tokens(app: Flask) -> None:
    """A reset by email ends every session of the account and its API tokens."""
    person = make_user(app, "sam@example.org")
    secret = make_token(app, person.id, "Nightly export")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, person)
    assert laptop.get("/workspaces/").status_code == 200
    _forgot(phone, person.email)
    phone.post(_reset_path(app), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert laptop.get("/workspaces/").status_code == 302
    assert call(phone, "GET", f"{API}/workspaces", secret).status_code == 401


def test_sign_out_everywhere(app: Flask) -> None:
    """The account page's button ends every session, this one included, and revokes tokens."""
    person = make_user(app, "sam@example.org")
    other = make_user(app, "kim@example.org")
    secret = make_token(app, person.id, "Nightly export")
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    login(laptop, person)
    login(phone, person)
    login(colleague, other)
    assert "Sign out everywhere" in phone.get("/account/password").get_data(as_text=True)
    done = phone.post("/account/sign-out-everywhere", follow_redirects=True)
    assert done.status_code == 200
    assert "1 API token revoked" in done.get_data(as_text=True)
    for client in (laptop, phone):
        answer = client.get("/workspaces/")
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert colleague.get("/workspaces/").status_code == 200
    assert call(laptop, "GET", f"{API}/workspaces", secret).status_code == 401
    login(laptop, person)  # the password still works


def test_header_injection_is_refused(tmp_path: Any) -> None:
    """Names, addresses and subjects with CR or LF never reach a header."""
    settings = mail.MailSettings(sender="Workbench <wb@example.org>", outbox=tmp_path)
    bad = [
        mail.Message("a@example.org\r\nBcc: x@evil.example", "Hi", "t", "<p>t</p>"),
        mail.Message("a@example.org", "Hi\nBcc: x@evil.example", "t", "<p>t</p>"),
        mail.Message("a@example.org", "Hi", "t", "<p>t</p>", to_name="Eve\r\nBcc: x@evil.example"),
    ]
    for message in bad:
        with pytest.raises(ServiceError):
            mail.send(settings, message)
    assert list(tmp_path.iterdir()) == []
    mail.send(settings, mail.Message("a@example.org", "Hi", "t", "<p>t</p>", to_name="Ann, Lee"))
    [written] = list(tmp_path.iterdir())
    assert b'To: "Ann, Lee" <a@example.org>' in written.read_bytes()


def _register(client: FlaskClient, email: str, name: str, password: str) -> int:
    data = {"display_name": name, "email": email, "password": password, "confirm": password}
    return client.post("/register", data=data).status_code


def _logs_in(client: FlaskClient, password: str) -> bool:
    data = {"email": "vic@example.org", "password": password}
    return client.post("/login", data=data).status_code == 302


def test_the_mailbox_owner_wins_an_address_someone_else_registered(app: Flask) -> None:
    """An unconfirmed registration cannot keep the address's owner out of it."""
    squatter, owner = app.test_client(), app.test_client()
    assert _register(squatter, "vic@example.org", "Squatter", "squatter password") == 200
    first_link = link_path(outbox(app)[-1], "/register/confirm/")
    assert not _logs_in(squatter, "squatter password")
    # The owner registers too: a new confirmation link, and the squatter's stops working.
    assert _register(owner, "vic@example.org", "Vic Owner", NEW_PASSWORD) == 200
    assert squatter.post(first_link, data={"password": "squatter password"}).status_code == 410
    # The owner cannot be led into an account with a password someone else chose: the
    # owner's own link asks for the password chosen when registering.
    owner_link = link_path(outbox(app)[-1], "/register/confirm/")
    wrong = owner.post(owner_link, data={"password": "squatter password"})
    assert wrong.status_code == 400
    assert "not the password chosen" in wrong.get_data(as_text=True)
    # Or the owner resets the password by email, which proves the address as well.
    _forgot(owner, "vic@example.org")
    chosen = "owner's own password"
    owner.post(_reset_path(app), data={"password": chosen, "confirm": chosen})
    assert _logs_in(owner, chosen)
    assert not _logs_in(squatter, "squatter password")


def test_nobody_can_flood_an_inbox_with_reset_links(app: Flask) -> None:
    """Five reset messages an hour reach one address; the form answers the same after that."""
    make_user(app, "flood@example.org")
    answers = []
    for _ in range(8):
        visitor = app.test_client()
        posted = visitor.post("/password/forgot", data={"email": "Flood@Example.org"})
        answers.append((posted.status_code, posted.headers["Location"]))
    assert set(answers) == {answers[0]} and answers[0][0] == 303
    sent = [m for m in outbox(app) if "flood@example.org" in m["To"]]
    assert len(sent) == app.config["MAIL_PER_RECIPIENT_LIMIT"] == 5
