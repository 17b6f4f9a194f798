"""One unit of work per request: committed when the view returns, discarded when it raises."""

from __future__ import annotations

import re

from flask import Flask, flash
from flask.testing import FlaskClient
from sqlalchemy import func, select
from wtforms import StringField

from tests.conftest import BASE_CONFIG, PASSWORD, make_user, make_workspace
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Objective, Perspective, User
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.tenancy import scope_session
from workbench.web.forms import FlaskForm, refused
from workbench.web.unit_of_work import unit_of_work


class TitleForm(FlaskForm):
    """A one-field form for the refusal tests."""

    title = StringField("Title")


def _account(email: str) -> User:
    return User(email=email, display_name="Row", password_hash="x", session_token="t")


def _accounts(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)).where(User.email == email)) or 0


def _app(database_url: str, **views: object) -> Flask:
    # Routes added after create_app are not wrapped by it; these wrap themselves.
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    for name, view in views.items():
        app.add_url_rule(f"/{name}", name, unit_of_work(view), methods=["POST"])  # type: ignore[arg-type]
    return app


def _flashes(client: FlaskClient) -> list[object]:
    with client.session_transaction() as cookie:
        return list(cookie.get("_flashes", []))


def test_every_route_runs_in_the_unit_of_work(app: Flask) -> None:
    unwrapped = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not getattr(view, "unit_of_work", False)
    ]
    assert unwrapped == []


def test_what_a_view_returns_is_committed(database_url: str) -> None:
    def save() -> str:
        db.session.add(_account("kept@example.org"))
        return "saved"

    app = _app(database_url, save=save)
    assert app.test_client().post("/save").status_code == 200
    assert _accounts(app, "kept@example.org") == 1


def test_a_view_that_raises_leaves_nothing_behind(database_url: str) -> None:
    def fail() -> str:
        db.session.add(_account("gone@example.org"))
        db.session.flush()
        flash("Saved.", "success")
        raise ServiceError("Refused after writing.")

    app = _app(database_url, fail=fail)
    client = app.test_client()
    response = client.post("/fail")
    assert response.status_code == 400
    assert "Refused after writing." in response.get_data(as_text=True)
    assert _accounts(app, "gone@example.org") == 0
    assert _flashes(client) == []


def test_a_commit_that_fails_at_the_boundary_gets_the_conflict_page(database_url: str) -> None:
    def clash() -> str:
        # Nothing is flushed before the boundary: the duplicate is found by the commit.
        db.session.add(_account("taken@example.org"))
        flash("Saved.", "success")
        return "saved"

    app = _app(database_url, clash=clash)
    make_user(app, "taken@example.org")
    client = app.test_client()
    response = client.post("/clash")
    assert response.status_code == 409
    assert "Changed meanwhile" in response.get_data(as_text=True)
    assert _accounts(app, "taken@example.org") == 1
    # The "saved" message went with the work it announced.
    assert _flashes(client) == []


def test_a_refused_form_discards_the_partial_work_and_shows_the_message(
    database_url: str,
) -> None:
    def refuse() -> tuple[str, int]:
        form = TitleForm()
        try:
            db.session.add(_account("partial@example.org"))
            db.session.flush()
            raise ServiceError("That title is taken.", "title")
        except ServiceError as error:
            status = refused(error, form)
        return " ".join(form.title.errors), status

    app = _app(database_url, refuse=refuse)
    response = app.test_client().post("/refuse", data={"title": "x"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "That title is taken."
    assert _accounts(app, "partial@example.org") == 0


def test_a_form_passes_on_what_is_not_a_refusal_of_its_input(database_url: str) -> None:
    def missing() -> tuple[str, int]:
        form = TitleForm()
        try:
            raise NotFoundError("No such thing.")
        except ServiceError as error:
            return "", refused(error, form)

    app = _app(database_url, missing=missing)
    response = app.test_client().post("/missing", data={"title": "x"})
    assert response.status_code == 404
    assert "No such thing." in response.get_data(as_text=True)


def test_csrf_refuses_a_confirmed_action_without_its_token(database_url: str) -> None:
    """The views no longer check the token themselves: CSRFProtect refuses before they run."""
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True})
    person = make_user(app, "confirm@example.org")
    workspace_id = make_workspace(app, person)
    with app.app_context():
        scope_session(db.session, workspace_id)
        objective = Objective(title="Keep me", perspective=Perspective.CUSTOMER)
        db.session.add(objective)
        db.session.commit()
        objective_id = objective.id
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    data = {"email": person.email, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code == 302
    delete = f"/workspaces/{workspace_id}/alignment/objectives/{objective_id}/delete"
    refused_response = client.post(delete)
    assert refused_response.status_code == 400
    assert "form has expired" in refused_response.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, workspace_id)
        assert db.session.get(Objective, objective_id) is not None
    fresh = client.get(f"/workspaces/{workspace_id}/alignment/objectives").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', fresh)
    assert token
    assert client.post(delete, data={"csrf_token": token.group(1)}).status_code == 303
    with app.app_context():
        scope_session(db.session, workspace_id)
        assert db.session.get(Objective, objective_id) is None
