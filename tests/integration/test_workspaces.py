"""Workspaces and the corporate strategy page, with stale-edit protection."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import form_version, login, make_user
from workbench.extensions import db
from workbench.models import Membership, Role, Workspace
from workbench.services.tenancy import system_access

STRATEGY = {
    "purpose": "Keep every passenger moving",
    "vision": "The most trusted railway in the north",
    "mission": "Run safe, punctual trains and fix problems fast",
    "values": "Own it\nBe kind",
    "corporate_goals": "Raise NPS to +30\nCut complaints by a fifth",
    "current_state": "Complaints arrive by email and wait a week.",
    "future_state": "Every failure is detected within minutes.",
}


def test_create_workspace_makes_creator_facilitator(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "founder@example.org")
    login(client, person)
    response = client.post("/workspaces/", data={"name": "Northern Lines", "industry": "rail"})
    assert response.status_code == 302
    page = client.get("/workspaces/").get_data(as_text=True)
    assert "Northern Lines" in page
    assert "facilitator" in page
    with app.app_context(), system_access(db.session):
        workspace = db.session.query(Workspace).filter_by(name="Northern Lines").one()
        membership = db.session.query(Membership).filter_by(workspace_id=workspace.id).one()
        assert membership.role is Role.FACILITATOR


def test_empty_workspace_list_explains_what_to_do(app: Flask, client: FlaskClient) -> None:
    login(client, make_user(app, "lonely@example.org"))
    page = client.get("/workspaces/").get_data(as_text=True)
    assert "not in any workspace yet" in page


def _save_strategy(client: FlaskClient, workspace_id: int, version: str, **changes: str):
    return client.post(
        f"/workspaces/{workspace_id}/strategy", data={**STRATEGY, **changes, "version": version}
    )


def test_strategy_saves_and_reloads(client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    url = f"/workspaces/{team['workspace_id']}/strategy"
    version = form_version(client.get(url).get_data(as_text=True))
    response = _save_strategy(client, team["workspace_id"], version)
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    for value in STRATEGY.values():
        assert value.split("\n")[0] in page
    assert form_version(page) == str(int(version) + 1)


def test_stale_strategy_save_gets_conflict_page_and_overwrites_nothing(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    other = app.test_client()
    login(client, team["analyst"])
    login(other, team["facilitator"])
    url = f"/workspaces/{team['workspace_id']}/strategy"
    loaded = form_version(client.get(url).get_data(as_text=True))
    assert form_version(other.get(url).get_data(as_text=True)) == loaded
    assert _save_strategy(other, team["workspace_id"], loaded, vision="Facilitator's vision")
    conflict = _save_strategy(client, team["workspace_id"], loaded, vision="Analyst's vision")
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Facilitator&#39;s vision" in html  # stored value shown
    assert "Analyst&#39;s vision" in html  # submitted value kept for re-applying
    with app.app_context(), system_access(db.session):
        workspace = db.session.get(Workspace, team["workspace_id"])
        assert workspace.vision == "Facilitator's vision"
        current = workspace.version
    # Re-applying from the conflict page posts the stored version and succeeds.
    again = _save_strategy(client, team["workspace_id"], str(current), vision="Analyst's vision")
    assert again.status_code == 302
    with app.app_context(), system_access(db.session):
        assert db.session.get(Workspace, team["workspace_id"]).vision == "Analyst's vision"


def test_save_without_or_with_garbage_version_is_refused(client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    for version in ("", "abc", "-1", "²", "99999999999999999999"):
        response = _save_strategy(client, team["workspace_id"], version)
        assert response.status_code == 400, version
        assert "Reload the page" in response.get_data(as_text=True)


def test_executive_reads_strategy_without_a_form(client: FlaskClient, team: dict) -> None:
    login(client, team["executive"])
    page = client.get(f"/workspaces/{team['workspace_id']}/strategy")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Save strategy" not in html
    assert "Not written yet." in html


def test_progress_reflects_the_strategy(client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    before = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    assert "0% of the strategy filled" in before
    version = form_version(client.get(f"/workspaces/{wid}/strategy").get_data(as_text=True))
    _save_strategy(client, wid, version)
    after = client.get(f"/workspaces/{wid}/phases/assessment").get_data(as_text=True)
    assert "1 of 7 steps done" in after
    assert "The current state is described" in after


def test_unknown_phase_is_404(client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    assert client.get(f"/workspaces/{team['workspace_id']}/phases/nonsense").status_code == 404


def test_rename_and_delete_workspace(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    version = form_version(client.get(f"/workspaces/{wid}/settings").get_data(as_text=True))
    renamed = client.post(
        f"/workspaces/{wid}/settings",
        data={"name": "Renamed Hotels", "industry": "hotel", "version": version},
    )
    assert renamed.status_code == 302
    wrong = client.post(f"/workspaces/{wid}/delete", data={"confirm_name": "Harbour Test Hotels"})
    assert wrong.status_code == 400
    assert "Type the workspace name exactly" in wrong.get_data(as_text=True)
    deleted = client.post(f"/workspaces/{wid}/delete", data={"confirm_name": "Renamed Hotels"})
    assert deleted.status_code == 302
    assert client.get(f"/workspaces/{wid}/").status_code == 404
    with app.app_context(), system_access(db.session):
        assert db.session.get(Workspace, wid) is None
        assert db.session.get(Workspace, team["foreign_id"]) is not None
