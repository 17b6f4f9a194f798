"""An invite link opened while logged out: who invites, to what, and the way in and back."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, login, make_user
from tests.mail_support import confirm_registration, link_path, outbox
from workbench.extensions import db
from workbench.models import Invite, Membership, Role
from workbench.models.base import utcnow
from workbench.services.tenancy import scope_session, system_access

WORKSPACE = "Harbour Test Hotels"
INVITER = "Fran Facilitator"


def _link(client: FlaskClient, team: dict, role: str = "executive") -> str:
    """A facilitator's invite link for the role, as a path; the client ends logged out."""
    login(client, team["facilitator"])
    page = client.post(f"/workspaces/{team['workspace_id']}/invites", data={"role": role})
    match = re.search(r'value="http://localhost(/join/[^"]+)"', page.get_data(as_text=True))
    assert match, "invite link not shown"
    client.post("/logout")
    return match.group(1)


def _members(app: Flask, workspace_id: int) -> dict[str, Role]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return {m.user.email: m.role for m in db.session.scalars(select(Membership))}


def _href(page: str, text: str) -> str:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>' + re.escape(text) + "<", page)
    assert match, f"no link “{text}”"
    return html.unescape(match.group(1))


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's words: inline tags vanish, block tags separate."""
    inline = re.sub(r"</?(span|strong|em|a)\b[^>]*>", "", response.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def test_a_visitor_reads_who_invites_them_to_which_workspace_and_role(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    link = _link(client, team)
    before = _members(app, team["workspace_id"])
    landing = client.get(link)
    assert landing.status_code == 200
    text = _text(landing)
    assert f"{INVITER} invited you to join “{WORKSPACE}” as executive" in text
    assert "Reads the strategy and downloads the storyboard." in text
    assert "Please log in to continue" not in text
    page = landing.get_data(as_text=True)
    assert _href(page, "Sign in to accept") == f"/login?next={link}"
    assert _href(page, "Create an account") == f"/register?next={link}"
    # Reading the invitation is not accepting it: no form to join, nobody added.
    assert 'method="post"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert _members(app, team["workspace_id"]) == before
    # Joining still needs an account: a visitor's post goes to the login page.
    assert client.post(link).headers["Location"].startswith("/login")
    assert _members(app, team["workspace_id"]) == before


def test_signing_in_from_the_invitation_brings_the_member_back_to_join(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    link = _link(client, team, "analyst")
    joiner = make_user(app, "joiner@example.org", "Jo Joiner")
    sign_in = _href(client.get(link).get_data(as_text=True), "Sign in to accept")
    form = client.get(sign_in)
    assert "Sign in to accept your invitation" in _text(form)
    signed_in = client.post(sign_in, data={"email": joiner.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == link
    offer = client.get(link)
    assert f"Join “{WORKSPACE}”" in _text(offer) and "Join the workspace" in _text(offer)
    assert client.post(link).status_code == 302
    assert _members(app, team["workspace_id"])[joiner.email] is Role.ANALYST


def test_after_registering_from_the_invitation_joining_comes_first(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    link = _link(client, team)
    register = _href(client.get(link).get_data(as_text=True), "Create an account")
    assert "Create your account to accept your invitation" in _text(client.get(register))
    password = "a long enough password"
    registered = client.post(
        register,
        data={
            "display_name": "Nia Newcomer",
            "email": "nia@example.org",
            "password": password,
            "confirm": password,
        },
    )
    assert registered.status_code == 200
    assert "brings you back to your invitation" in _text(registered)
    confirmed = confirm_registration(app, client, "nia@example.org", password)
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == link
    text = _text(client.get(link))
    assert "Accept the invitation to join" in text
    assert "Create a workspace" not in text
    joining = text.index(f"Join “{WORKSPACE}”")
    assert joining < text.index("Join the workspace")
    assert client.post(link).status_code == 302
    assert _members(app, team["workspace_id"])["nia@example.org"] is Role.EXECUTIVE


def test_registering_without_an_invitation_still_starts_with_a_workspace(
    app: Flask, client: FlaskClient
) -> None:
    password = "a long enough password"
    client.post(
        "/register",
        data={
            "display_name": "Sol",
            "email": "sol@example.org",
            "password": password,
            "confirm": password,
        },
    )
    confirmed = confirm_registration(app, client, "sol@example.org", password)
    assert confirmed.headers["Location"] == "/workspaces/"
    assert "Create a workspace for your organisation" in _text(client.get("/workspaces/"))


def test_nothing_of_the_invitation_shows_without_its_link(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    link = _link(client, team)
    token = link.removeprefix("/join/")
    for path in (
        "/join/" + token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        "/join/not-a-token",
        "/login?next=" + quote("/join/not-a-token", safe=""),
        "/login",
        "/register",
    ):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert WORKSPACE not in text and INVITER not in text, path
    refused = client.get("/join/not-a-token")
    assert refused.status_code == 410 and "This invite link is not valid" in _text(refused)
    # A `next` that leaves the site is dropped: login lands on the workspace list.
    stranger = make_user(app, "stranger@example.org")
    signed_in = client.post(
        "/login?next=" + quote("//evil.example/join/x", safe=""),
        data={"email": stranger.email, "password": PASSWORD},
    )
    assert signed_in.headers["Location"] == "/workspaces/"


def test_expired_withdrawn_and_used_links_say_so_plainly(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    expired, withdrawn = _link(client, team), _link(client, team)
    login(client, team["facilitator"])
    client.post(
        f"/workspaces/{team['workspace_id']}/members",
        data={"email": "once@example.org", "role": "analyst"},
    )
    client.post("/logout")
    used = link_path(outbox(app)[-1], "/join/")
    once = make_user(app, "once@example.org")
    login(client, once)
    assert client.post(used).status_code == 302
    client.post("/logout")
    with app.app_context(), system_access(db.session):
        first, second = db.session.scalars(
            select(Invite).where(Invite.email.is_(None)).order_by(Invite.id)
        ).all()
        first.expires_at = utcnow() - timedelta(minutes=1)
        second.revoked = True
        db.session.commit()
        invites = db.session.scalar(select(func.count(Invite.id)))
    for path, words in (
        (expired, "This invite link has expired."),
        (withdrawn, "This invite link was withdrawn."),
        (used, "This invitation has already been used."),
    ):
        response = client.get(path)
        text = _text(response)
        assert response.status_code == 410, path
        assert "This invite cannot be used" in text and words in text
        assert "Ask the facilitator for a new one." in text
        assert "Sign in to accept" not in text and WORKSPACE not in text and INVITER not in text
    with app.app_context(), system_access(db.session):
        assert db.session.scalar(select(func.count(Invite.id))) == invites


def test_a_member_opening_an_invitation_is_told_their_role_stays(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    link = _link(client, team, "facilitator")
    login(client, team["executive"])
    page = client.get(link)
    text = _text(page)
    assert "You are already a member of “Harbour Test Hotels” as executive" in text
    assert "Join the workspace" not in text
    assert _href(page.get_data(as_text=True), "Open the workspace") == (
        f"/workspaces/{team['workspace_id']}/"
    )
    # Posting anyway keeps the role the member has.
    assert client.post(link).status_code == 302
    assert _members(app, team["workspace_id"])[team["executive"].email] is Role.EXECUTIVE
