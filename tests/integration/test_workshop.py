"""Workshop sessions: opening, joining by code, guests, leading the room, the live fragments."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import func, select

from tests.conftest import login
from tests.integration.workshop_helpers import (
    factor_titles,
    join,
    member_client,
    open_session,
    participant_id,
    session_row,
)
from workbench.extensions import db
from workbench.models import LoginAttempt, Membership, WorkshopSession
from workbench.services.tenancy import allow_system_access

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def fac(app: Flask, team: dict[str, Any]) -> FlaskClient:
    """The facilitator, logged in."""
    client = app.test_client()
    login(client, team["facilitator"])
    return client


def room_url(team: dict[str, Any], session_id: int, tail: str = "") -> str:
    return f"/workspaces/{team['workspace_id']}/workshop/{session_id}{tail}"


def test_facilitator_opens_a_session_and_every_view_renders(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    assert len(code) == 8
    page = fac.get(room_url(team, session_id)).get_data(as_text=True)
    assert f"{code[:4]}-{code[4:]}" in page
    assert "Gather what pushes and what holds back" in page
    assert "Step 1 of 12" in page
    assert 'hx-trigger="every 2000ms"' in page
    assert "Business needs recorded" in page  # the step's missing checks, from progress.PHASES
    for tail in ("/state", "/board", "/presenter", "/presenter/live"):
        response = fac.get(room_url(team, session_id, tail))
        assert response.status_code == 200, tail
    listing = fac.get(f"/workspaces/{team['workspace_id']}/workshop/").get_data(as_text=True)
    assert "Kick-off" in listing


def test_the_room_follows_the_facilitator(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    ana = member_client(app, team["analyst"], code)
    before = ana.get(room_url(team, session_id, "/state?at=0-open-0-"), headers={"HX-Request": "1"})
    assert "HX-Refresh" not in before.headers
    version = session_row(app, session_id).version
    moved = fac.post(
        room_url(team, session_id, "/step"), data={"target": "next", "version": version}
    )
    assert moved.status_code == 303
    after = ana.get(room_url(team, session_id, "/state?at=0-open-0-"), headers={"HX-Request": "1"})
    assert after.headers.get("HX-Refresh") == "true"
    assert "Decide whether the strategy is viable" in after.get_data(as_text=True)
    assert "Step 2 of 12" in ana.get(room_url(team, session_id)).get_data(as_text=True)
    jumped = fac.post(
        room_url(team, session_id, "/step"), data={"target": "9", "version": version + 1}
    )
    assert jumped.status_code == 303
    assert session_row(app, session_id).step_index == 9


def test_a_stale_step_move_is_a_conflict(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, _code = open_session(app, fac, team)
    version = session_row(app, session_id).version
    first = fac.post(
        room_url(team, session_id, "/step"), data={"target": "next", "version": version}
    )
    assert first.status_code == 303
    second = fac.post(
        room_url(team, session_id, "/step"), data={"target": "next", "version": version}
    )
    assert second.status_code == 409
    assert session_row(app, session_id).step_index == 1


def test_timer_restarts_with_new_minutes(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, _code = open_session(app, fac, team)
    version = session_row(app, session_id).version
    fac.post(room_url(team, session_id, "/timer"), data={"minutes": "3", "version": version})
    assert session_row(app, session_id).step_minutes == 3
    state = fac.get(room_url(team, session_id, "/state")).get_data(as_text=True)
    assert "3 min left of 3 min" in state or "2 min left of 3 min" in state
    refused = fac.post(
        room_url(team, session_id, "/timer"), data={"minutes": "9999", "version": "2"}
    )
    assert refused.status_code == 303
    assert session_row(app, session_id).step_minutes == 3


def test_members_add_factors_in_the_gather_step(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    ana = member_client(app, team["analyst"], code)
    added = ana.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "Refunds take weeks",
            "category": "business_need",
            "polarity": "barrier",
        },
    )
    assert added.status_code == 303
    assert factor_titles(app, team["workspace_id"]) == ["Refunds take weeks"]
    board = fac.get(room_url(team, session_id, "/board")).get_data(as_text=True)
    assert "Refunds take weeks (barrier)" in board


def test_an_input_for_a_step_the_room_has_left_is_not_saved(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    ana = member_client(app, team["analyst"], code)
    fac.post(room_url(team, session_id, "/step"), data={"target": "2", "version": "1"})
    late = ana.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "Too late",
            "category": "business_need",
            "polarity": "driver",
        },
        follow_redirects=True,
    )
    assert "moved to another step" in late.get_data(as_text=True)
    assert factor_titles(app, team["workspace_id"]) == []


def test_executive_follows_and_cannot_add(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    eve = member_client(app, team["executive"], code)
    page = eve.get(room_url(team, session_id)).get_data(as_text=True)
    assert "Your role lets you follow the room and vote" in page
    refused = eve.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "Executive factor",
            "category": "business_need",
            "polarity": "driver",
        },
    )
    assert refused.status_code == 403
    assert (
        eve.post(
            room_url(team, session_id, "/step"), data={"target": "next", "version": "1"}
        ).status_code
        == 403
    )
    assert factor_titles(app, team["workspace_id"]) == []


def test_a_member_who_has_not_joined_cannot_add(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, _code = open_session(app, fac, team)
    ana = app.test_client()
    login(ana, team["analyst"])
    assert "Join this session" in ana.get(room_url(team, session_id)).get_data(as_text=True)
    refused = ana.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "Not joined",
            "category": "business_need",
            "polarity": "driver",
        },
    )
    assert refused.status_code == 403


def test_an_outsider_account_cannot_join_by_code(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    _session_id, code = open_session(app, fac, team)
    otto = app.test_client()
    login(otto, team["outsider"])
    refused = join(otto, code)
    assert refused.status_code == 403
    assert "not a member of this workspace" in refused.get_data(as_text=True)


def test_guest_waits_is_admitted_works_in_the_session_only_and_leaves_at_close(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    guest = app.test_client()
    joined = join(guest, code.lower(), "Gus Guest")
    assert joined.status_code == 303 and joined.headers["Location"].endswith("/workshop/waiting")
    assert "in the queue" in guest.get("/workshop/waiting").get_data(as_text=True)
    assert guest.get(room_url(team, session_id)).status_code == 404  # not admitted yet
    assert "Admit Gus Guest" in fac.get(room_url(team, session_id, "/board")).get_data(as_text=True)

    pid = participant_id(app, session_id, "Gus Guest")
    assert (
        fac.post(
            room_url(team, session_id, f"/participants/{pid}"), data={"decision": "admit"}
        ).status_code
        == 303
    )
    waiting = guest.get("/workshop/waiting")
    assert waiting.status_code == 303 and waiting.headers["Location"].endswith(
        room_url(team, session_id)
    )
    room_page = guest.get(room_url(team, session_id))
    assert room_page.status_code == 200
    # The header offers a guest nothing that would answer 403.
    header = room_page.get_data(as_text=True).split("</header>")[0]
    assert "Gus Guest, guest" in header and ">Leave<" in header
    for link in ("/workspaces/", "/account/password", "/account/tokens"):
        assert f'href="{link}' not in header, link
    added = guest.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "Guests wait too long",
            "category": "business_need",
            "polarity": "barrier",
        },
    )
    assert added.status_code == 303
    assert factor_titles(app, team["workspace_id"]) == ["Guests wait too long"]

    w = f"/workspaces/{team['workspace_id']}"
    for outside in (
        f"{w}/",
        f"{w}/assessment/factors",
        f"{w}/members",
        f"{w}/workshop/",
        f"/workspaces/{team['foreign_id']}/",
        "/workspaces/",
        "/account/password",
    ):
        assert guest.get(outside).status_code == 403, outside
    assert (
        guest.post(
            f"{w}/assessment/factors",
            data={
                "titles": "x",
                "category": "business_need",
                "polarity": "driver",
                "importance": "3",
            },
        ).status_code
        == 403
    )
    assert (
        guest.post(
            room_url(team, session_id, "/step"), data={"target": "next", "version": "1"}
        ).status_code
        == 403
    )
    assert factor_titles(app, team["workspace_id"]) == ["Guests wait too long"]

    version = session_row(app, session_id).version
    assert (
        fac.post(room_url(team, session_id, "/close"), data={"version": version}).status_code == 303
    )
    gone = guest.get(room_url(team, session_id))
    assert gone.status_code == 303 and gone.headers["Location"].endswith("/workshop/ended")
    polled = guest.get(room_url(team, session_id, "/state"), headers={"HX-Request": "1"})
    assert polled.headers.get("HX-Redirect", "").endswith("/workshop/ended")
    late = guest.post(
        room_url(team, session_id, "/items"),
        data={
            "step": "gather",
            "title": "After close",
            "category": "business_need",
            "polarity": "barrier",
        },
    )
    assert late.status_code == 303
    assert factor_titles(app, team["workspace_id"]) == ["Guests wait too long"]
    with app.app_context():
        allow_system_access(db.session)
        roles = db.session.scalars(
            select(Membership.user_id).where(Membership.workspace_id == team["workspace_id"])
        ).all()
    assert len(roles) == 3  # the guest's session-limited membership ended with the session


def test_turned_away_guest_never_enters(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    session_id, code = open_session(app, fac, team)
    guest = app.test_client()
    join(guest, code, "Mallory")
    pid = participant_id(app, session_id, "Mallory")
    fac.post(room_url(team, session_id, f"/participants/{pid}"), data={"decision": "refuse"})
    assert "did not admit you" in guest.get("/workshop/waiting").get_data(as_text=True)
    assert guest.get(room_url(team, session_id)).status_code == 404


def test_closed_session_refuses_joins_and_writes(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    ana = member_client(app, team["analyst"], code)
    fac.post(room_url(team, session_id, "/close"), data={"version": "1"})
    assert session_row(app, session_id).status.value == "closed"
    assert join(app.test_client(), code, "Late guest").status_code == 403
    again = app.test_client()
    login(again, team["analyst"])
    assert join(again, code).status_code == 403
    writes = {
        "/items": {
            "step": "gather",
            "title": "Closed",
            "category": "business_need",
            "polarity": "driver",
        },
        "/votes": {"kind": "factors", "dots": "3"},
    }
    for tail, data in writes.items():
        assert ana.post(room_url(team, session_id, tail), data=data).status_code == 403, tail
    version = session_row(app, session_id).version
    assert (
        fac.post(
            room_url(team, session_id, "/step"), data={"target": "next", "version": version}
        ).status_code
        == 403
    )
    assert (
        fac.post(room_url(team, session_id, "/close"), data={"version": version}).status_code == 403
    )
    assert factor_titles(app, team["workspace_id"]) == []
    page = ana.get(room_url(team, session_id)).get_data(as_text=True)
    assert "This session has closed" in page
    assert 'hx-trigger="every 2000ms"' not in page


def test_wrong_codes_are_rate_limited(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    app.config["WORKSHOP_JOIN_ATTEMPT_LIMIT"] = 3
    _session_id, code = open_session(app, fac, team)
    visitor = app.test_client()
    answers = [
        join(visitor, wrong, "Guesser").status_code
        for wrong in ("AAAA-AAAA", "BBBB-BBBB", "nonsense")
    ]
    assert answers == [400, 400, 400]
    limited = join(visitor, code, "Guesser")
    assert limited.status_code == 429
    assert "Too many wrong codes" in limited.get_data(as_text=True)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"wb-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"{prefix}*"):
        redis.delete(key)


def test_wrong_codes_are_counted_in_redis_when_configured(
    app: Flask, team: dict[str, Any], fac: FlaskClient, redis_prefix: str
) -> None:
    _session_id, code = open_session(app, fac, team)
    app.config.update(
        REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix, WORKSHOP_JOIN_ATTEMPT_LIMIT=3
    )
    here, elsewhere = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}

    def attempt(typed: str, environ: dict[str, str]) -> int:
        data = {"code": typed, "display_name": "Guesser"}
        return app.test_client().post("/workshop/join", data=data, environ_base=environ).status_code

    assert [attempt(wrong, here) for wrong in ("AAAA-AAAA", "BBBB-BBBB", "nonsense")] == [400] * 3
    assert attempt(code, here) == 429
    redis = Redis.from_url(REDIS_URL)
    name = f"{redis_prefix}failures:workshop-join:addr:198.51.100.7"
    assert redis.zcard(name) == 3
    assert 0 < redis.ttl(name) <= app.config["WORKSHOP_JOIN_WINDOW_SECONDS"] + 1
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
    assert attempt(code, elsewhere) == 303  # another address has its own count
    redis.delete(name)  # the window ends (here: the count is forgotten)
    assert attempt(code, here) == 303
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # Redis goes away: refused, not skipped
    assert attempt("CCCC-CCCC", here) == 503


def test_an_expired_code_no_longer_works(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get(WorkshopSession, session_id)
        row.code_expires_at = row.created_at - timedelta(minutes=1)
        db.session.commit()
    refused = join(app.test_client(), code, "Late")
    assert refused.status_code == 403
    assert "expired" in refused.get_data(as_text=True)


def test_a_guest_cannot_open_another_session_of_the_workspace(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    session_id, code = open_session(app, fac, team)
    other_id, _other = open_session(app, fac, team, "Second room")
    guest = app.test_client()
    join(guest, code, "Gia")
    fac.post(
        room_url(team, session_id, f"/participants/{participant_id(app, session_id, 'Gia')}"),
        data={"decision": "admit"},
    )
    assert guest.get(room_url(team, session_id)).status_code == 200
    assert guest.get(room_url(team, other_id)).status_code == 403


def test_a_guest_account_has_no_password_login_and_the_queue_is_bounded(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    from workbench.models import User
    from workbench.services import workshop_join

    app.config["WORKSHOP_JOIN_ATTEMPT_LIMIT"] = 1000
    _session_id, code = open_session(app, fac, team)
    assert join(app.test_client(), code, "Gus").status_code == 303
    with app.app_context():
        allow_system_access(db.session)
        guest = db.session.scalar(select(User).where(User.display_name == "Gus"))
        email, stored = guest.email, guest.password_hash
    for attempt in (stored, "", "correct horse battery"):
        response = app.test_client().post("/login", data={"email": email, "password": attempt})
        assert response.status_code in (400, 401), attempt
    workshop_join.MAX_WAITING, saved = 3, workshop_join.MAX_WAITING
    try:
        answers = [join(app.test_client(), code, f"Guest {n}").status_code for n in range(3)]
    finally:
        workshop_join.MAX_WAITING = saved
    assert answers == [303, 303, 429]


def test_the_empty_session_list_tells_each_role_what_it_can_do(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    url = f"/workspaces/{team['workspace_id']}/workshop/"
    executive = app.test_client()
    login(executive, team["executive"])
    page = executive.get(url).get_data(as_text=True)
    assert "opens one below" not in page and "Open one below" not in page
    assert "A facilitator of this workspace opens one" in page
    assert "Open one below" in fac.get(url).get_data(as_text=True)
