"""Shared steps of the workshop tests: open a session, join, admit, read rows back."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Person, login
from workbench.extensions import db
from workbench.models import (
    Factor,
    WorkshopParticipant,
    WorkshopSession,
    WorkshopVote,
)
from workbench.services.tenancy import allow_system_access, scope_session


def open_session(
    app: Flask, client: FlaskClient, team: dict[str, Any], title: str = "Kick-off"
) -> tuple[int, str]:
    """Open a session through the web with a facilitator's client; return its id and code."""
    response = client.post(
        f"/workspaces/{team['workspace_id']}/workshop/", data={"title": title, "minutes": "10"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    session_id = int(re.search(r"/workshop/(\d+)", response.headers["Location"]).group(1))
    return session_id, session_row(app, session_id).code


def session_row(app: Flask, session_id: int) -> WorkshopSession:
    """Read a session back, detached."""
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get(WorkshopSession, session_id)
        assert row is not None
        db.session.expunge(row)
        return row


def join(client: FlaskClient, code: str, name: str = "") -> Any:
    """Post the join form."""
    return client.post("/workshop/join", data={"code": code, "display_name": name})


def member_client(app: Flask, person: Person, code: str) -> FlaskClient:
    """A logged-in member who joined the session with its code."""
    client = app.test_client()
    login(client, person)
    assert join(client, code).status_code == 303
    return client


def participant_id(app: Flask, session_id: int, name: str) -> int:
    """The participant row of a person in the session, by display name."""
    with app.app_context():
        allow_system_access(db.session)
        found = db.session.scalar(
            select(WorkshopParticipant.id).where(
                WorkshopParticipant.session_id == session_id,
                WorkshopParticipant.display_name == name,
            )
        )
        assert found is not None
        return found


def factor_titles(app: Flask, workspace_id: int) -> list[str]:
    """The titles of the workspace's factors, sorted."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        return sorted(db.session.scalars(select(Factor.title)))


def add_factors(app: Flask, workspace_id: int, titles: list[str]) -> list[int]:
    """Put factors in the workspace directly; return their ids."""
    from workbench.models import FactorCategory, Polarity

    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = [
            Factor(
                category=FactorCategory.BUSINESS_NEED,
                polarity=Polarity.BARRIER,
                importance=2,
                title=title,
            )
            for title in titles
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def latest_vote(app: Flask, session_id: int) -> WorkshopVote:
    """The newest vote of a session, detached."""
    with app.app_context():
        allow_system_access(db.session)
        vote = db.session.scalar(
            select(WorkshopVote)
            .where(WorkshopVote.session_id == session_id)
            .order_by(WorkshopVote.id.desc())
        )
        assert vote is not None
        db.session.expunge(vote)
        return vote
