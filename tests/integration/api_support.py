"""Shared set-up of the API tests: two workspaces full of rows, tokens per role, a caller."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.conftest import seed
from workbench.extensions import db
from workbench.models import (
    ApiToken,
    Application,
    AssessmentResponse,
    CanvasItem,
    Change,
    CommunicationPlan,
    Contribution,
    Department,
    Direction,
    Drill,
    Factor,
    FactorCategory,
    FailureScenario,
    FrictionPoint,
    Goal,
    Initiative,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Measurement,
    Metric,
    MetricObjective,
    Milestone,
    Objective,
    OrgUnit,
    Perspective,
    Polarity,
    Process,
    ProcessInitiative,
    ProcessStep,
    RaciAssignment,
    Risk,
    RiskFactor,
    RiskInitiative,
    ScenarioInitiative,
    Site,
    SiteKind,
    Stakeholder,
    SuccessStory,
    TqmPrinciple,
    TrainingItem,
    TrainingScenario,
    User,
)
from workbench.services import api_tokens
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.web.api.fields import serialise

API = "/api/v1"

# Models whose rows an API call may write; a refused call must leave all of them alone.
WRITABLE = (
    Factor,
    Objective,
    Initiative,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeFactor,
    FailureScenario,
    ScenarioInitiative,
    Risk,
    RiskFactor,
    RiskInitiative,
    Application,
    SuccessStory,
    TrainingItem,
    TrainingScenario,
    Site,
    Metric,
    Goal,
    Measurement,
    Milestone,
    Change,
    # A write naming a department the register lacks adds it there.
    Department,
    Drill,
)


@dataclass(frozen=True)
class ApiWorld:
    """Two workspaces ("own" with the team, "foreign" run by the outsider) and the tokens."""

    app: Flask
    ids: dict[str, dict[str, int]]  # side -> path parameter -> id
    tokens: dict[str, str]  # role -> bearer secret ("revoked" is a revoked token)
    principle_id: int


def make_token(app: Flask, user_id: int, label: str = "tests") -> str:
    """Create a token for a user through the service; return its secret."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, secret = api_tokens.create_token(db.session, user, label)
        db.session.commit()
        return secret


def _fill_side(app: Flask, workspace_id: int, respondent_id: int, principle_id: int) -> dict:
    with app.app_context():
        scope_session(db.session, workspace_id)
        s = db.session
        factor = Factor(
            category=FactorCategory.BUSINESS_NEED,
            polarity=Polarity.BARRIER,
            importance=4,
            title="Slow refunds",
        )
        objective = Objective(title="Keep customers", perspective=Perspective.CUSTOMER)
        initiative = Initiative(title="Call back within a day")
        other = Initiative(title="Train the desk")
        metric = Metric(
            name="Recovery rate",
            unit="percent",
            direction=Direction.HIGHER,
            min_value=0,
            max_value=100,
        )
        scenario = FailureScenario(name="Room not ready", severity="medium")
        drilled = FailureScenario(name="Lift out of order", severity="low")
        point = FrictionPoint(stage_key="trust", description="Hold music", severity=3)
        holder = Stakeholder(name="Front desk", kind="team", interest=4, influence=2)
        item = CanvasItem(kind="challenge", title="Silos")
        process = Process(name="Recover a guest")
        unit = OrgUnit(structure="current", name="Service")
        plan = CommunicationPlan(department="service", audience="Desk", channel="Huddle")
        department = Department(key="service", name="Customer service")
        risk = Risk(title="Refund backlog", likelihood=4, impact=4, owner="Ops")
        application = Application(name="Guest desk", kind="case_management", capabilities=[])
        story = SuccessStory(title="Rebooked in minutes", permission="anonymous", quote="Great")
        session_item = TrainingItem(department="service", topic="Saying sorry")
        site = Site(name="Harbour Hotel", kind=SiteKind.HOTEL)
        s.add_all(
            [
                factor,
                objective,
                initiative,
                other,
                metric,
                scenario,
                drilled,
                point,
                holder,
                item,
                process,
                unit,
                plan,
                department,
                risk,
                application,
                story,
                session_item,
                site,
            ]
        )
        s.flush()
        step = ProcessStep(process_id=process.id, position=1, name="Detect")
        s.add(step)
        s.flush()
        rows = [
            InitiativeObjective(
                initiative_id=initiative.id,
                objective_id=objective.id,
                contribution=Contribution.STRONG,
            ),
            InitiativePrinciple(initiative_id=initiative.id, principle_id=principle_id),
            InitiativeFactor(initiative_id=initiative.id, factor_id=factor.id),
            InitiativeDependency(initiative_id=initiative.id, depends_on_id=other.id),
            RaciAssignment(step_id=step.id, stakeholder_id=holder.id, role="A"),
            Goal(metric_id=metric.id, baseline=40, target=70, rationale=""),
            Measurement(metric_id=metric.id, measured_on=date(2026, 1, 31), value=50),
            MetricObjective(metric_id=metric.id, objective_id=objective.id),
            AssessmentResponse(
                instrument_key="service_recovery_readiness",
                instrument_version=1,
                question_key="q1",
                respondent_id=respondent_id,
                value=3,
            ),
            ScenarioInitiative(scenario_id=scenario.id, initiative_id=initiative.id),
            RiskFactor(risk_id=risk.id, factor_id=factor.id),
            RiskInitiative(risk_id=risk.id, initiative_id=initiative.id),
            milestone := Milestone(
                initiative_id=initiative.id, title="Callbacks live", due_date=date(2027, 2, 1)
            ),
            # Of a scenario of its own: the scenario the matrix deletes would take it along.
            drill := Drill(scenario_id=drilled.id, planned_on=date(2026, 3, 1), site="Lobby"),
            process_change := ProcessInitiative(process_id=process.id, initiative_id=initiative.id),
        ]
        s.add_all(rows)
        s.commit()
        change = s.scalar(select(Change).order_by(Change.id))
        assert change is not None
        ids = {
            "workspace_id": workspace_id,
            "factor_id": factor.id,
            "objective_id": objective.id,
            "initiative_id": initiative.id,
            "metric_id": metric.id,
            "scenario_id": scenario.id,
            "measurement_id": rows[6].id,
            "friction_point_id": point.id,
            "response_id": rows[8].id,
            "contribution_id": rows[0].id,
            "principle_link_id": rows[1].id,
            "factor_link_id": rows[2].id,
            "dependency_id": rows[3].id,
            "stakeholder_id": holder.id,
            "canvas_item_id": item.id,
            "process_id": process.id,
            "step_id": step.id,
            "assignment_id": rows[4].id,
            "unit_id": unit.id,
            "goal_id": rows[5].id,
            "evidence_link_id": rows[7].id,
            "plan_id": plan.id,
            "department_id": department.id,
            "risk_id": risk.id,
            "application_id": application.id,
            "story_id": story.id,
            "training_session_id": session_item.id,
            "site_id": site.id,
            "change_id": change.id,
            "milestone_id": milestone.id,
            "drill_id": drill.id,
            "process_change_id": process_change.id,
        }
        return ids


def build_api_world(app: Flask, team: dict[str, Any]) -> ApiWorld:
    """Fill both workspaces and give every role a token (and the analyst a revoked one)."""
    seed(app)
    with app.app_context():
        allow_system_access(db.session)
        principle_id = db.session.scalars(select(TqmPrinciple.id)).first()
        assert principle_id is not None
    own = _fill_side(app, team["workspace_id"], team["facilitator"].id, principle_id)
    foreign = _fill_side(app, team["foreign_id"], team["outsider"].id, principle_id)
    tokens = {
        role: make_token(app, team[role].id)
        for role in ("facilitator", "analyst", "executive", "outsider")
    }
    revoked = make_token(app, team["analyst"].id, "old")
    with app.app_context():
        user = db.session.get(User, team["analyst"].id)
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == api_tokens.hash_secret(revoked))
        )
        assert user is not None and token is not None
        api_tokens.revoke_token(db.session, user, token.id)
        db.session.commit()
    tokens["revoked"] = revoked
    return ApiWorld(app, {"own": own, "foreign": foreign}, tokens, principle_id)


def call(
    client: FlaskClient,
    method: str,
    url: str,
    token: str | None = None,
    body: Any = None,
    **kwargs: Any,
) -> TestResponse:
    """Send one API request with an optional bearer token and JSON body."""
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        kwargs.setdefault("data", json.dumps(body))
        kwargs.setdefault("content_type", "application/json")
    return client.open(url, method=method, headers=headers, **kwargs)


def state(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every row an API call could write, across both workspaces."""
    with app.app_context():
        allow_system_access(db.session)
        return {
            model.__tablename__: [
                serialise(row) for row in db.session.scalars(select(model).order_by(model.id))
            ]
            for model in WRITABLE
        }


def version_of(app: Flask, model: type, row_id: int) -> int:
    """Return a row's current version (0 when it is gone)."""
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get(model, row_id)
        return row.version if row is not None else 0
