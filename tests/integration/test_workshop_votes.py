"""Dot votes: totals with several participants, the N-dot limit under concurrency, applying."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import login
from tests.integration.workshop_helpers import (
    add_factors,
    join,
    latest_vote,
    member_client,
    open_session,
    participant_id,
)
from workbench.extensions import db
from workbench.models import Factor, Initiative, Priority, WorkshopDot
from workbench.services.tenancy import allow_system_access, scope_session


@pytest.fixture
def fac(app: Flask, team: dict[str, Any]) -> FlaskClient:
    """The facilitator, logged in."""
    client = app.test_client()
    login(client, team["facilitator"])
    return client


def url(team: dict[str, Any], session_id: int, tail: str = "") -> str:
    return f"/workspaces/{team['workspace_id']}/workshop/{session_id}{tail}"


def dot(
    client: FlaskClient,
    team: dict[str, Any],
    session_id: int,
    vote_id: int,
    item: int,
    action: str = "add",
    htmx: bool = False,
) -> Any:
    headers = {"HX-Request": "1"} if htmx else {}
    return client.post(
        url(team, session_id, f"/votes/{vote_id}/dots"),
        data={"item_id": str(item), "action": action},
        headers=headers,
    )


def dots_of(app: Flask, vote_id: int, user_id: int | None = None) -> int:
    with app.app_context():
        allow_system_access(db.session)
        query = select(func.count(WorkshopDot.id)).where(WorkshopDot.vote_id == vote_id)
        if user_id is not None:
            query = query.where(WorkshopDot.user_id == user_id)
        return db.session.scalar(query) or 0


def test_three_participants_vote_and_the_totals_are_right(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    slow, blame, silo = add_factors(
        app, team["workspace_id"], ["Slow refunds", "Blame culture", "Silos"]
    )
    session_id, code = open_session(app, fac, team)
    ana = member_client(app, team["analyst"], code)
    eve = member_client(app, team["executive"], code)
    opened = fac.post(
        url(team, session_id, "/votes"),
        data={"kind": "barriers", "dots": "3", "question": "Which barriers hurt most?"},
    )
    assert opened.status_code == 303
    vote = latest_vote(app, session_id)
    for client, items in (
        (fac, [slow, slow, blame]),
        (ana, [slow, silo, blame]),
        (eve, [slow, slow, slow]),
    ):
        for item in items:
            assert dot(client, team, session_id, vote.id, item).status_code == 303
    panel = eve.get(url(team, session_id, f"/votes/{vote.id}"), headers={"HX-Request": "1"})
    assert panel.get_data(as_text=True).startswith('<section id="room-vote"')
    assert "yours 3" in panel.get_data(as_text=True)
    page = fac.get(url(team, session_id, f"/votes/{vote.id}")).get_data(as_text=True)
    assert "9 dots from 3 people" in page
    rows = [line for line in page.split("<tr>") if "<td>" in line]
    assert "Slow refunds" in rows[0] and "<td>6</td>" in rows[0]
    assert "Blame culture" in rows[1] and "<td>2</td>" in rows[1]
    assert "Silos" in rows[2] and "<td>1</td>" in rows[2]

    # A fourth dot is refused: each person has three.
    refused = dot(eve, team, session_id, vote.id, blame, htmx=True)
    assert refused.status_code == 400
    assert "all 3 of your dots" in refused.get_data(as_text=True)
    # Taking one back frees it.
    assert dot(eve, team, session_id, vote.id, slow, "remove").status_code == 303
    assert dot(eve, team, session_id, vote.id, blame, htmx=True).status_code == 200
    assert dots_of(app, vote.id) == 9

    # Close, then apply on confirmation: importance follows the ranking.
    assert (
        fac.post(
            url(team, session_id, f"/votes/{vote.id}/apply"),
            data={"version": str(vote.version)},
            follow_redirects=True,
        ).status_code
        == 200
    )
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        assert db.session.get(Factor, slow).importance == 2  # not applied while open
    assert (
        fac.post(
            url(team, session_id, f"/votes/{vote.id}/close"), data={"version": str(vote.version)}
        ).status_code
        == 303
    )
    closed = latest_vote(app, session_id)
    assert dot(ana, team, session_id, vote.id, silo).status_code == 303
    assert dots_of(app, vote.id) == 9  # no dots after the vote closed
    stale = fac.post(
        url(team, session_id, f"/votes/{vote.id}/apply"), data={"version": str(vote.version)}
    )
    assert stale.status_code == 409
    applied = fac.post(
        url(team, session_id, f"/votes/{vote.id}/apply"), data={"version": str(closed.version)}
    )
    assert applied.status_code == 303
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        importance = {row.title: row.importance for row in db.session.scalars(select(Factor))}
    # Three voted items spread over five bands: ranks 1, 2, 3 fall in bands 0, 1, 3.
    assert importance == {"Slow refunds": 5, "Blame culture": 4, "Silos": 2}


def test_initiative_ranking_sets_priorities(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        rows = [Initiative(title=t) for t in ("Callback desk", "Refund in a day", "Bot triage")]
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
    session_id, _code = open_session(app, fac, team)
    fac.post(url(team, session_id, "/votes"), data={"kind": "initiatives", "dots": "3"})
    vote = latest_vote(app, session_id)
    for item in (ids[1], ids[1], ids[0]):
        dot(fac, team, session_id, vote.id, item)
    fac.post(url(team, session_id, f"/votes/{vote.id}/close"), data={"version": str(vote.version)})
    fac.post(
        url(team, session_id, f"/votes/{vote.id}/apply"), data={"version": str(vote.version + 1)}
    )
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        priority = {row.title: row.priority for row in db.session.scalars(select(Initiative))}
    assert priority["Refund in a day"] == Priority.HIGH
    assert priority["Callback desk"] == Priority.MEDIUM
    assert priority["Bot triage"] == Priority.MEDIUM  # no dots: left as it was


def test_dots_cannot_exceed_n_with_concurrent_posts(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    items = add_factors(app, team["workspace_id"], ["One", "Two"])
    session_id, code = open_session(app, fac, team)
    fac.post(url(team, session_id, "/votes"), data={"kind": "factors", "dots": "2"})
    vote = latest_vote(app, session_id)
    ana_id = team["analyst"].id
    for _round in range(3):
        clients = [member_client(app, team["analyst"], code) for _ in range(4)]
        barrier = threading.Barrier(len(clients))
        answers: list[int] = []

        def post(client: FlaskClient, item: int, gate: threading.Barrier, out: list[int]) -> None:
            gate.wait()
            out.append(dot(client, team, session_id, vote.id, item, htmx=True).status_code)

        threads = [
            threading.Thread(target=post, args=(c, items[n % 2], barrier, answers))
            for n, c in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers).count(200) <= 2
        assert all(code in (200, 400) for code in answers), answers
        assert dots_of(app, vote.id, ana_id) == 2
        with app.app_context():
            allow_system_access(db.session)
            placed = list(
                db.session.scalars(select(WorkshopDot.item_id).where(WorkshopDot.user_id == ana_id))
            )
        for item in placed:
            dot(clients[0], team, session_id, vote.id, item, "remove")
        assert dots_of(app, vote.id, ana_id) == 0


def test_vote_rules(app: Flask, team: dict[str, Any], fac: FlaskClient) -> None:
    session_id, code = open_session(app, fac, team)
    empty = fac.post(
        url(team, session_id, "/votes"),
        data={"kind": "scenarios", "dots": "3"},
        follow_redirects=True,
    )
    assert "no failure scenarios to vote on" in empty.get_data(as_text=True)
    for bad in (
        {"kind": "factors", "dots": "0"},
        {"kind": "factors", "dots": "21"},
        {"kind": "everything", "dots": "3"},
        {"kind": "factors", "dots": "three"},
    ):
        assert fac.post(url(team, session_id, "/votes"), data=bad).status_code == 303
    with app.app_context():
        allow_system_access(db.session)
        from workbench.models import WorkshopVote

        assert db.session.scalar(select(func.count(WorkshopVote.id))) == 0
    items = add_factors(app, team["workspace_id"], ["Only one"])
    fac.post(url(team, session_id, "/votes"), data={"kind": "factors", "dots": "1"})
    vote = latest_vote(app, session_id)
    # A dot on an item outside the vote, or a malformed one, changes nothing.
    for item in ("999999", "-1", "1 OR 1=1", "<script>", ""):
        response = fac.post(
            url(team, session_id, f"/votes/{vote.id}/dots"), data={"item_id": item, "action": "add"}
        )
        assert response.status_code == 303
    assert dots_of(app, vote.id) == 0
    # An admitted guest votes; a waiting one cannot.
    guest = app.test_client()
    join(guest, code, "Gwen")
    assert dot(guest, team, session_id, vote.id, items[0]).status_code == 404
    fac.post(
        url(team, session_id, f"/participants/{participant_id(app, session_id, 'Gwen')}"),
        data={"decision": "admit"},
    )
    assert dot(guest, team, session_id, vote.id, items[0]).status_code == 303
    assert dots_of(app, vote.id) == 1
    # Someone outside the workspace is told nothing.
    otto = app.test_client()
    login(otto, team["outsider"])
    assert dot(otto, team, session_id, vote.id, items[0]).status_code == 404
    # Opening another vote closes this one.
    fac.post(url(team, session_id, "/votes"), data={"kind": "barriers", "dots": "2"})
    assert latest_vote(app, session_id).id != vote.id
    with app.app_context():
        allow_system_access(db.session)
        from workbench.models import WorkshopVote

        assert db.session.get(WorkshopVote, vote.id).status.value == "closed"


def test_a_voted_factor_never_ends_below_one_nobody_voted_for_and_the_change_is_previewed(
    app: Flask, team: dict[str, Any], fac: FlaskClient
) -> None:
    three, two, one, none = add_factors(
        app, team["workspace_id"], ["Three dots", "Two dots", "One dot", "No dots"]
    )
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        for factor_id, importance in ((three, 5), (two, 5), (one, 4), (none, 4)):
            db.session.get_one(Factor, factor_id).importance = importance
        db.session.commit()
    session_id, _code = open_session(app, fac, team)
    fac.post(url(team, session_id, "/votes"), data={"kind": "factors", "dots": "6"})
    vote = latest_vote(app, session_id)
    for item in (three, three, three, two, two, one):
        assert dot(fac, team, session_id, vote.id, item).status_code == 303
    fac.post(url(team, session_id, f"/votes/{vote.id}/close"), data={"version": str(vote.version)})
    closed = latest_vote(app, session_id)
    panel = fac.get(
        url(team, session_id, f"/votes/{vote.id}"), headers={"HX-Request": "1"}
    ).get_data(as_text=True)
    assert "What applying the ranking changes" in panel
    assert "Two dots</span>: 5 → <strong>4</strong>" in panel
    assert "One dot" not in panel.split("What applying the ranking changes")[1].split("</ul>")[0]
    applied = fac.post(
        url(team, session_id, f"/votes/{vote.id}/apply"), data={"version": str(closed.version)}
    )
    assert applied.status_code == 303
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        importance = {row.title: row.importance for row in db.session.scalars(select(Factor))}
    assert importance == {"Three dots": 5, "Two dots": 4, "One dot": 4, "No dots": 4}
