"""The audit trail: every change recorded centrally, shown and filtered on the history page."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import Change
from workbench.services.tenancy import scope_session


def _changes(app: Flask, workspace_id: int) -> list[Change]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = db.session.scalars(select(Change).order_by(Change.id)).all()
        db.session.expunge_all()
        return list(rows)


def test_strategy_edit_records_who_what_old_and_new(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/strategy"
    version = form_version(client.get(url).get_data(as_text=True))
    client.post(url, data={"vision": "First vision", "version": version})
    version = form_version(client.get(url).get_data(as_text=True))
    client.post(url, data={"vision": "Second vision", "version": version})
    vision = [c for c in _changes(app, wid) if c.field == "vision"]
    assert [(c.old_value, c.new_value) for c in vision] == [
        ("", "First vision"),
        ("First vision", "Second vision"),
    ]
    assert {c.user_id for c in vision} == {team["analyst"].id}
    assert {c.user_label for c in vision} == {team["analyst"].email}
    assert {c.entity for c in vision} == {"Workspace"}
    # Fields not in the post were untouched and not recorded.
    assert not [c for c in _changes(app, wid) if c.field == "mission"]


def test_membership_creation_and_removal_are_recorded(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    created = [c for c in _changes(app, wid) if c.entity == "Membership" and c.action == "create"]
    assert len(created) == 3
    assert created[1].details["role"] == "analyst"
    login(client, team["facilitator"])
    membership_id = next(c.entity_id for c in created if c.details["role"] == "executive")
    client.post(f"/workspaces/{wid}/members/{membership_id}/remove")
    deleted = [c for c in _changes(app, wid) if c.action == "delete"]
    assert len(deleted) == 1
    assert deleted[0].user_id == team["facilitator"].id
    # The other workspace's trail is untouched.
    assert all(c.workspace_id == team["foreign_id"] for c in _changes(app, team["foreign_id"]))


def test_history_page_filters_by_person_and_entity(client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/strategy"
    version = form_version(client.get(url).get_data(as_text=True))
    client.post(url, data={"purpose": "A distinctive purpose", "version": version})
    client.post("/logout")
    login(client, team["executive"])
    everything = client.get(f"/workspaces/{wid}/history").get_data(as_text=True)
    assert "A distinctive purpose" in everything
    assert "Added member" in everything
    # People by name, kinds in words, never an email or a class name.
    assert team["analyst"].name in everything and team["analyst"].email not in everything
    assert ">Membership<" not in everything and "create " not in everything
    by_analyst = client.get(f"/workspaces/{wid}/history?person={team['analyst'].id}").get_data(
        as_text=True
    )
    assert "A distinctive purpose" in by_analyst
    assert "Added member" not in by_analyst
    memberships = client.get(f"/workspaces/{wid}/history?entity=Membership").get_data(as_text=True)
    assert "A distinctive purpose" not in memberships
    assert "Added member" in memberships
    nothing = client.get(f"/workspaces/{wid}/history?entity=Nothing").get_data(as_text=True)
    assert "No changes match." in nothing
