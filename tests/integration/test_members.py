"""Members by email, roles, removal, and signed expiring revocable invite links."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import login, make_user
from tests.mail_support import confirm_registration, link_path, outbox, text_of
from workbench.extensions import db
from workbench.models import Invite, Membership, Role
from workbench.models.base import utcnow
from workbench.services.tenancy import scope_session, system_access


def _memberships(app: Flask, workspace_id: int) -> dict[str, Role]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = db.session.query(Membership).all()
        return {m.user.email: m.role for m in rows}


def _membership_of(app: Flask, workspace_id: int, email: str) -> tuple[int, int]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        for m in db.session.query(Membership).all():
            if m.user.email == email:
                return m.id, m.version
    raise AssertionError(email)


def _invite(client: FlaskClient, wid: int, email: str, role: str = "analyst") -> tuple[int, str]:
    response = client.post(
        f"/workspaces/{wid}/members", data={"email": email, "role": role}, follow_redirects=True
    )
    flashes = re.findall(r'<li class="flash[^"]*">(.*?)</li>', response.get_data(as_text=True))
    return response.status_code, " ".join(flashes).replace(email.lower(), "X")


def test_invite_by_email_answers_the_same_with_or_without_an_account(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    """An address with an account and one without get the same page and an invitation each."""
    newcomer = make_user(app, "newcomer@example.org")
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    with_account = _invite(client, wid, "NewComer@example.org")
    without_account = _invite(client, wid, "ghost@example.org")
    assert with_account == without_account
    assert with_account[0] == 200 and "An invitation to join as analyst" in with_account[1]
    assert "No account uses that email" not in with_account[1] + without_account[1]
    assert newcomer.email not in _memberships(app, wid)
    mailed = {str(m["To"]): m for m in outbox(app)}
    assert set(mailed) == {"newcomer@example.org", "ghost@example.org"}
    invitation = mailed["ghost@example.org"]
    assert invitation["Subject"] == "Invitation to “Harbour Test Hotels”"
    assert "Fran Facilitator invites you" in text_of(invitation)

    # The invited person joins with the link; it works once.
    link = link_path(mailed["newcomer@example.org"], "/join/")
    client.post("/logout")
    login(client, newcomer)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert _memberships(app, wid)[newcomer.email] is Role.ANALYST
    client.post("/logout")
    login(client, team["outsider"])
    spent = client.post(link)
    assert spent.status_code == 410
    assert "already been used" in spent.get_data(as_text=True)
    assert team["outsider"].email not in _memberships(app, wid)


def test_invitation_reaches_someone_without_an_account_through_registration(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    """A person without an account registers from the invitation and lands in the workspace."""
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    _invite(client, wid, "ghost@example.org", "executive")
    client.post("/logout")
    link = link_path(outbox(app)[-1], "/join/")
    landing = client.get(link)
    assert landing.status_code == 200
    create_account = re.search(
        r'href="(/register\?next=[^"]+)"[^>]*>Create an account<', landing.get_data(as_text=True)
    )
    assert create_account, "the invitation offers no way to create an account"
    registered = client.post(
        create_account.group(1).replace("&amp;", "&"),
        data={
            "display_name": "Gus Ghost",
            "email": "ghost@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert registered.status_code == 200
    confirmed = confirm_registration(app, client, "ghost@example.org", "a long enough password")
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == link
    assert client.post(link).status_code == 302
    assert _memberships(app, wid)["ghost@example.org"] is Role.EXECUTIVE


def test_add_member_errors_are_explained(client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    duplicate = client.post(
        f"/workspaces/{wid}/members", data={"email": team["analyst"].email, "role": "executive"}
    )
    assert duplicate.status_code == 400
    assert "already a member" in duplicate.get_data(as_text=True)
    bad_role = client.post(
        f"/workspaces/{wid}/members", data={"email": team["outsider"].email, "role": "owner"}
    )
    assert bad_role.status_code == 400


def test_change_role_and_protect_last_facilitator(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    member_id, version = _membership_of(app, wid, team["analyst"].email)
    url = f"/workspaces/{wid}/members/{member_id}/role"
    assert client.post(url, data={"role": "executive", "version": version}).status_code == 302
    assert _memberships(app, wid)[team["analyst"].email] is Role.EXECUTIVE
    stale = client.post(url, data={"role": "facilitator", "version": version})
    assert stale.status_code == 409
    own_id, own_version = _membership_of(app, wid, team["facilitator"].email)
    demote = client.post(
        f"/workspaces/{wid}/members/{own_id}/role",
        data={"role": "analyst", "version": own_version},
        follow_redirects=True,
    )
    assert "at least one facilitator" in demote.get_data(as_text=True)
    assert _memberships(app, wid)[team["facilitator"].email] is Role.FACILITATOR
    remove_self = client.post(f"/workspaces/{wid}/members/{own_id}/remove", follow_redirects=True)
    assert "at least one facilitator" in remove_self.get_data(as_text=True)


def test_remove_member(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    member_id, _ = _membership_of(app, wid, team["executive"].email)
    assert client.post(f"/workspaces/{wid}/members/{member_id}/remove").status_code == 302
    assert team["executive"].email not in _memberships(app, wid)


def _create_invite(client: FlaskClient, wid: int, role: str = "executive") -> str:
    page = client.post(f"/workspaces/{wid}/invites", data={"role": role})
    assert page.status_code == 200
    match = re.search(r'value="(http[^"]+/join/[^"]+)"', page.get_data(as_text=True))
    assert match, "invite link not shown"
    return match.group(1).split("localhost", 1)[1]


def test_invite_link_joins_with_its_role(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    path = _create_invite(client, wid, "executive")
    joiner = make_user(app, "joiner@example.org")
    guest = app.test_client()
    anonymous = guest.get(path)
    assert anonymous.status_code == 200 and "Sign in to accept" in anonymous.get_data(as_text=True)
    assert guest.post(path).headers["Location"].startswith("/login")
    login(guest, joiner)
    offer = guest.get(path).get_data(as_text=True)
    assert "Harbour Test Hotels" in offer and "executive" in offer
    joined = guest.post(path)
    assert joined.status_code == 302
    assert _memberships(app, wid)[joiner.email] is Role.EXECUTIVE
    assert guest.get(f"/workspaces/{wid}/").status_code == 200


def test_revoked_expired_and_tampered_invites_are_refused(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    revoked_path = _create_invite(client, wid)
    expired_path = _create_invite(client, wid)
    with app.app_context():
        scope_session(db.session, wid)
        first, second = db.session.query(Invite).order_by(Invite.id).all()
        first.revoked = True
        second.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    joiner = make_user(app, "late@example.org")
    guest = app.test_client()
    login(guest, joiner)
    revoked = guest.post(revoked_path)
    assert revoked.status_code == 410
    assert "withdrawn" in revoked.get_data(as_text=True)
    expired = guest.get(expired_path)
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True)
    tampered = guest.get(revoked_path[:-3] + "abc")
    assert tampered.status_code == 410
    assert "not valid" in tampered.get_data(as_text=True)
    assert guest.get("/join/" + "x" * 600).status_code == 400
    assert joiner.email not in _memberships(app, wid)


def test_invite_signed_with_another_key_is_refused(app: Flask, team: dict) -> None:
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("guessed-key", salt="workbench-invite").dumps(
        {"w": team["workspace_id"], "n": "0" * 32}
    )
    guest = app.test_client()
    login(guest, team["outsider"])
    assert guest.post(f"/join/{forged}").status_code == 410
    with app.app_context(), system_access(db.session):
        assert (
            db.session.query(Membership)
            .filter_by(workspace_id=team["workspace_id"], user_id=team["outsider"].id)
            .count()
            == 0
        )


def test_revoke_invite_from_members_page(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    _create_invite(client, wid)
    with app.app_context():
        scope_session(db.session, wid)
        invite_id = db.session.query(Invite).one().id
    assert client.post(f"/workspaces/{wid}/invites/{invite_id}/revoke").status_code == 302
    page = client.get(f"/workspaces/{wid}/members").get_data(as_text=True)
    assert "No open invite links." in page
