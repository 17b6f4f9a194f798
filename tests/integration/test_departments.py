"""Departments are computed one way: `plan.departments`, with or without the metrics' ones."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import login
from workbench.extensions import db
from workbench.models import Direction
from workbench.services import communication, initiatives, metrics, plan, workshop_guide
from workbench.services.tenancy import scope_session


def _fill(app: Flask, workspace_id: int) -> None:
    with app.app_context():
        scope_session(db.session, workspace_id)
        for title, department in (("A", "service"), ("B", "IT"), ("C", ""), ("D", "service")):
            initiatives.create_initiative(db.session, {"title": title, "department": department})
        for name, department in (("NPS", "Marketing"), ("FCR", "service"), ("Cost", "")):
            metrics.create_metric(
                db.session,
                {
                    "name": name,
                    "unit": "score",
                    "direction": Direction.HIGHER,
                    "department": department,
                },
            )
        communication.create_plan(
            db.session, {"department": "Marketing", "audience": "All", "channel": "Mail"}, set()
        )
        db.session.commit()


def test_one_function_for_the_filters_and_the_workshop_boards(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        # Empty names are left out; the order ignores case.
        assert plan.departments(db.session) == ["IT", "service"]
        assert plan.departments(db.session, with_metrics=True) == ["IT", "Marketing", "service"]
        steps = {step.key: step for step in workshop_guide.GUIDE}
        (named,) = workshop_guide.board(db.session, steps["functions"])
        assert named.lines == ("IT", "Marketing", "service")
        _planned, waiting = workshop_guide.board(db.session, steps["communication"])
        assert waiting.lines == ("IT", "service")
    # The Phase 2 filter offers the initiatives' departments only.
    login(client, team["analyst"])
    page = client.get(f"/workspaces/{wid}/alignment/initiatives").get_data(as_text=True)
    assert "<option >IT</option>" in page or "<option>IT</option>" in page
    assert "<option>Marketing</option>" not in page and "<option >Marketing</option>" not in page


def test_another_workspace_s_departments_stay_out(app: Flask, team: dict) -> None:
    _fill(app, team["workspace_id"])
    with app.app_context():
        scope_session(db.session, team["foreign_id"])
        assert plan.departments(db.session, with_metrics=True) == []
