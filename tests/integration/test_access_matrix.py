"""Access matrix: every route x method x role x workspace, and nothing written when refused.

The policy is written out here, independently of the application's own tables:

- anonymous visitors are sent to /login by every protected route;
- a workspace id the user is not a member of answers 404 and reveals nothing;
- a member whose role lacks the permission gets 403;
- ids inside the URL (a membership, an invite) that belong to another workspace answer 404;
- a refused request writes nothing at all.

Every rule in ``app.url_map`` must be listed in ``ROUTES``; a new route fails
``test_matrix_lists_every_route`` until it is added with its expected access.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, add_member, login, make_user, seed
from workbench.extensions import db
from workbench.models import (
    STRATEGY_FIELDS,
    Application,
    AssessmentResponse,
    Branding,
    CanvasItem,
    Change,
    CommunicationPlan,
    Department,
    Direction,
    Drill,
    EconomicsCase,
    Factor,
    FactorCategory,
    FailureScenario,
    FeedHold,
    FeedKind,
    FrictionPoint,
    Initiative,
    InitiativeDependency,
    InitiativeObjective,
    InitiativePrinciple,
    Invite,
    Job,
    JobFile,
    Measurement,
    Membership,
    Metric,
    MetricFeed,
    Milestone,
    Objective,
    OrgUnit,
    Perspective,
    Polarity,
    Process,
    ProcessStep,
    RaciAssignment,
    Risk,
    RiskFactor,
    RiskInitiative,
    Role,
    ShareLink,
    Site,
    SiteKind,
    Stakeholder,
    StoryboardPack,
    StoryboardSnapshot,
    SuccessStory,
    TrainingItem,
    User,
    WorkshopDot,
    WorkshopParticipant,
    WorkshopSession,
    WorkshopVote,
    Workspace,
)
from workbench.models.base import utcnow
from workbench.models.workshop import ParticipantStatus, VoteKind
from workbench.services import matrix as matrix_service
from workbench.services import metrics as metric_service
from workbench.services import plan as plan_service
from workbench.services import workshop as workshop_service
from workbench.services import workspaces
from workbench.services.assessment import instruments_folder
from workbench.services.instruments import READINESS_KEY, load_catalogue
from workbench.services.tenancy import allow_system_access, scope_session

ROLES = ("anonymous", "facilitator", "analyst", "executive", "outsider")
METHODS = ("GET", "POST")

# What each role may do inside a workspace it belongs to.
PERMISSIONS: dict[str, frozenset[str]] = {
    "facilitator": frozenset({"read", "edit", "manage"}),
    "analyst": frozenset({"read", "edit"}),
    "executive": frozenset({"read"}),
}


# --------------------------------------------------------------------------- the world


@dataclass(frozen=True)
class Side:
    """One workspace of the matrix and the ids that live in it."""

    workspace_id: int
    name: str
    role_member: int  # membership whose role the matrix tries to raise to facilitator
    removed_member: int  # membership the matrix tries to remove
    invite_id: int  # invite the matrix tries to withdraw
    token: str  # a valid invite link into this workspace
    factor_id: int  # a Phase 1 factor the matrix edits, moves and deletes
    point_id: int  # a journey friction point the matrix edits and deletes
    objective_id: int  # a Phase 2 objective the matrix edits and deletes
    initiative_id: int  # a Phase 2 initiative the matrix edits, links and deletes
    other_initiative_id: int  # the initiative it is made to depend on
    metric_id: int  # a Phase 4 metric the matrix edits and deletes
    measurement_id: int  # one of its measurements
    plan_id: int  # a communication plan
    item_id: int  # a canvas challenge
    stakeholder_id: int  # a Phase 3 stakeholder
    process_id: int  # a process with one step
    step_id: int  # that step
    unit_id: int  # a unit of the current structure
    scenario_id: int  # a playbook scenario
    link_id: int  # a share link to the workspace's published storyboard
    job_id: int  # a finished rendering job
    session_id: int = 0  # an open workshop session every member has joined
    vote_id: int = 0  # an open dot vote on the factors of that session
    participant_id: int = 0  # a participant the matrix admits
    export_id: int = 0  # a finished export job with its file
    import_id: int = 0  # a finished workbook import job
    department_id: int = 0  # a department of the register that nothing names
    risk_id: int = 0  # a risk of the register, from the factor, mitigated by the initiative
    milestone_id: int = 0  # a milestone of the initiative
    application_id: int = 0  # an application of the portfolio
    story_id: int = 0  # a success story
    training_id: int = 0  # a session of a department's training plan
    drill_id: int = 0  # a planned drill of the scenario
    site_id: int = 0  # a site no measurement names
    feed_job_id: int = 0  # a finished run of the metric's feed
    hold_id: int = 0  # a day the metric's feed leaves alone
    pack_id: int = 0  # a storyboard pack (the starting 'Front line')


@dataclass(frozen=True)
class World:
    """The team's workspace ("own") and the outsider's ("foreign")."""

    app: Flask
    sides: dict[str, Side]

    def hidden_from(self, role: str) -> list[str]:
        """Names of workspaces the role is not a member of (at the start of the run)."""
        if role == "anonymous":
            return [self.sides["own"].name, self.sides["foreign"].name]
        if role == "outsider":
            return [self.sides["own"].name]
        return [self.sides["foreign"].name]


def _prepare_side(app: Flask, workspace_id: int, owner_id: int, raised: int, removed: int) -> Side:
    secret = app.config["SECRET_KEY"]
    hours = app.config["INVITE_MAX_AGE_HOURS"]
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get(Workspace, workspace_id)
        assert workspace is not None
        name = workspace.name
        workspace.purpose = f"Original purpose of {name}"
        owner = db.session.get(User, owner_id)
        assert owner is not None
        revocable, _ = workspaces.create_invite(db.session, owner, Role.ANALYST, hours, secret)
        _, token = workspaces.create_invite(db.session, owner, Role.EXECUTIVE, hours, secret)
        by_user = {m.user_id: m.id for m in db.session.scalars(select(Membership))}
        invite_id = revocable.id
        factor = Factor(
            category=FactorCategory.BUSINESS_NEED,
            polarity=Polarity.BARRIER,
            importance=4,
            title=f"Factor of {name}",
        )
        point = FrictionPoint(stage_key="trust", description=f"Friction of {name}", severity=3)
        objective = Objective(title=f"Objective of {name}", perspective=Perspective.CUSTOMER)
        initiative = Initiative(title=f"Initiative of {name}")
        other = Initiative(title=f"Prerequisite of {name}")
        metric = Metric(
            name=f"Metric of {name}",
            unit="percent",
            direction=Direction.HIGHER,
            min_value=0,
            max_value=100,
        )
        plan = CommunicationPlan(department="service", audience="Desk", channel="Huddle")
        db.session.add_all([factor, point, objective, initiative, other, metric, plan])
        db.session.flush()
        reading = Measurement(metric_id=metric.id, measured_on=date(2026, 1, 31), value=50)
        db.session.add(reading)
        step_of_plan = Milestone(
            initiative_id=initiative.id, title=f"Milestone of {name}", due_date=date(2027, 1, 29)
        )
        db.session.add(step_of_plan)
        db.session.commit()
        factor_id, point_id = factor.id, point.id
        plan_ids = (objective.id, initiative.id, other.id, metric.id, reading.id, plan.id)
        item = CanvasItem(kind="challenge", title=f"Challenge of {name}")
        person = Stakeholder(name=f"Stakeholder of {name}", kind="team", interest=4, influence=2)
        process = Process(name=f"Process of {name}")
        unit = OrgUnit(structure="current", name=f"Unit of {name}")
        scenario = FailureScenario(name=f"Scenario of {name}", severity="low")
        department = Department(key="matrix", name=f"Department of {name}")
        risk = Risk(title=f"Risk of {name}", likelihood=4, impact=4)
        application = Application(name=f"Application of {name}", capabilities=["routing"])
        story = SuccessStory(title=f"Story of {name}")
        session_item = TrainingItem(department="service", topic=f"Training of {name}")
        db.session.add_all(
            [item, person, process, unit, scenario, department, risk, application, story]
        )
        site = Site(name=f"Site of {name}", kind=SiteKind.HOTEL)
        feed = MetricFeed(metric_id=plan_ids[3], kind=FeedKind.FILE, file_path="matrix.csv", hour=6)
        db.session.add_all([session_item, site, feed])
        db.session.flush()
        feed_job = Job(
            kind="feed.run",
            payload={"feed_id": feed.id, "due_at": None},
            status="done",
            stage="Finished",
            result={"read": 0},
        )
        hold = FeedHold(feed_id=feed.id, measured_on=date(2026, 2, 28), deleted_by="Matrix")
        db.session.add_all([feed_job, hold])
        db.session.flush()
        db.session.add(RiskFactor(risk_id=risk.id, factor_id=factor_id))
        db.session.add(RiskInitiative(risk_id=risk.id, initiative_id=plan_ids[1]))
        drill = Drill(scenario_id=scenario.id, planned_on=date(2026, 3, 1), site=f"Site of {name}")
        db.session.add(drill)
        step = ProcessStep(process_id=process.id, position=1, name="Detect")
        db.session.add(step)
        db.session.commit()
        plan_ids = (*plan_ids, item.id, person.id, process.id, step.id, unit.id, scenario.id)
        snapshot = StoryboardSnapshot(
            number=1,
            fingerprint="0" * 64,
            author_label="Matrix",
            page_count=1,
            pdf=b"%PDF-1.7 matrix",
            context={},
            pptx=b"PK matrix",
            slide_count=1,
        )
        db.session.add(snapshot)
        db.session.flush()
        link = ShareLink(
            snapshot_id=snapshot.id,
            nonce=f"{workspace_id:032d}",
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(link)
        db.session.commit()
        job = Job(
            kind="storyboard.publish",
            status="done",
            stage="Finished",
            result={"snapshot_number": 1, "reused": False},
        )
        db.session.add(job)
        exported = Job(
            kind="exchange.export",
            payload={"format": "json"},
            status="done",
            stage="Finished",
            result={"filename": "matrix.json", "size": 2},
        )
        imported = Job(
            kind="exchange.workbook",
            payload={"expected": "0" * 64},
            status="done",
            stage="Finished",
            result={"added": 0, "changed": 0, "removed": 0, "sheets": []},
        )
        db.session.add_all([exported, imported])
        db.session.flush()
        db.session.add(
            JobFile(
                job_id=exported.id,
                role="result",
                filename="matrix.json",
                media_type="application/json",
                size=2,
                content=b"{}",
            )
        )
        db.session.commit()
        plan_ids = (*plan_ids, link.id, job.id)
        exchange_ids = {
            "export_id": exported.id,
            "import_id": imported.id,
            "department_id": department.id,
            "risk_id": risk.id,
            "milestone_id": step_of_plan.id,
            "application_id": application.id,
            "story_id": story.id,
            "training_id": session_item.id,
            "drill_id": drill.id,
            "site_id": site.id,
            "feed_job_id": feed_job.id,
            "hold_id": hold.id,
            "pack_id": db.session.scalars(
                select(StoryboardPack.id).where(StoryboardPack.code == "front-line")
            ).one(),
        }
    return Side(
        workspace_id,
        name,
        by_user[raised],
        by_user[removed],
        invite_id,
        token,
        factor_id,
        point_id,
        *plan_ids,
        **exchange_ids,
    )


def build_world(app: Flask, team: dict[str, Any]) -> World:
    """Give both workspaces strategy text, a second member, an invite to withdraw and a link."""
    seed(app)
    fay = make_user(app, "fay@example.org", "Fay Foreign")
    add_member(app, team["foreign_id"], fay, Role.ANALYST)
    own = _prepare_side(
        app,
        team["workspace_id"],
        team["facilitator"].id,
        raised=team["executive"].id,
        removed=team["analyst"].id,
    )
    foreign = _prepare_side(app, team["foreign_id"], team["outsider"].id, fay.id, fay.id)
    own = _prepare_workshop(app, own, team["facilitator"].id, team["analyst"].id)
    foreign = _prepare_workshop(app, foreign, team["outsider"].id, fay.id)
    return World(app, {"own": own, "foreign": foreign})


def _prepare_workshop(app: Flask, side: Side, facilitator_id: int, admitted_id: int) -> Side:
    """Open a session in the side's workspace, with every member in it and a vote running."""
    with app.app_context():
        scope_session(db.session, side.workspace_id)
        facilitator = db.session.get(User, facilitator_id)
        assert facilitator is not None
        room = workshop_service.open_session(db.session, facilitator, "Matrix session", 10, 12)
        member_ids = db.session.scalars(select(Membership.user_id)).all()
        for user_id in member_ids:
            if user_id != facilitator_id:
                db.session.add(
                    WorkshopParticipant(
                        session_id=room.id,
                        user_id=user_id,
                        display_name=f"Member {user_id}",
                        status=ParticipantStatus.ADMITTED,
                    )
                )
        vote = WorkshopVote(session_id=room.id, kind=VoteKind.FACTORS, question="Matrix vote")
        db.session.add(vote)
        db.session.commit()
        admitted = db.session.scalar(
            select(WorkshopParticipant.id).where(
                WorkshopParticipant.session_id == room.id,
                WorkshopParticipant.user_id == admitted_id,
            )
        )
        assert admitted is not None
        return replace(side, session_id=room.id, vote_id=vote.id, participant_id=admitted)


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a request could write, read across all workspaces."""
    with app.app_context():
        allow_system_access(db.session)
        session = db.session
        strategy = [getattr(Workspace, name) for name in STRATEGY_FIELDS]
        return {
            "workspace": [
                tuple(row)
                for row in session.execute(
                    select(Workspace.id, Workspace.name, Workspace.industry, Workspace.version)
                    .add_columns(*strategy)
                    .order_by(Workspace.id)
                )
            ],
            "membership": [
                tuple(row)
                for row in session.execute(
                    select(
                        Membership.id,
                        Membership.workspace_id,
                        Membership.user_id,
                        Membership.role,
                        Membership.version,
                    ).order_by(Membership.id)
                )
            ],
            "invite": [
                tuple(row)
                for row in session.execute(
                    select(Invite.id, Invite.workspace_id, Invite.role)
                    .add_columns(Invite.revoked, Invite.used_count)
                    .order_by(Invite.id)
                )
            ],
            "user_account": [
                tuple(row)
                for row in session.execute(
                    select(
                        User.id,
                        User.email,
                        User.display_name,
                        User.password_hash,
                        User.session_token,
                    ).order_by(User.id)
                )
            ],
            "factor": [
                tuple(row)
                for row in session.execute(
                    select(Factor.id, Factor.workspace_id, Factor.title, Factor.position)
                    .add_columns(Factor.version)
                    .order_by(Factor.id)
                )
            ],
            "friction_point": [
                tuple(row)
                for row in session.execute(
                    select(FrictionPoint.id, FrictionPoint.workspace_id)
                    .add_columns(FrictionPoint.description, FrictionPoint.version)
                    .order_by(FrictionPoint.id)
                )
            ],
            "assessment_response": [
                tuple(row)
                for row in session.execute(
                    select(AssessmentResponse.id, AssessmentResponse.workspace_id)
                    .add_columns(AssessmentResponse.value, AssessmentResponse.version)
                    .order_by(AssessmentResponse.id)
                )
            ],
            "objective": [
                tuple(row)
                for row in session.execute(
                    select(
                        Objective.id, Objective.workspace_id, Objective.title, Objective.version
                    ).order_by(Objective.id)
                )
            ],
            "initiative": [
                tuple(row)
                for row in session.execute(
                    select(Initiative.id, Initiative.workspace_id, Initiative.title)
                    .add_columns(Initiative.version)
                    .order_by(Initiative.id)
                )
            ],
            "links": [
                (
                    session.scalar(select(func.count(InitiativeObjective.id))),
                    session.scalar(select(func.count(InitiativePrinciple.id))),
                    session.scalar(select(func.count(InitiativeDependency.id))),
                )
            ],
            "metrics": [
                tuple(row)
                for row in session.execute(
                    select(Metric.id, Metric.workspace_id, Metric.name, Metric.version).order_by(
                        Metric.id
                    )
                )
            ],
            "measurements": [(session.scalar(select(func.count(Measurement.id))),)],
            "plans": [
                tuple(row)
                for row in session.execute(
                    select(CommunicationPlan.id, CommunicationPlan.workspace_id)
                    .add_columns(CommunicationPlan.department, CommunicationPlan.version)
                    .order_by(CommunicationPlan.id)
                )
            ],
            "economics": [(session.scalar(select(func.count(EconomicsCase.id))),)],
            "phase3": [
                tuple(
                    (row.id, row.workspace_id, row.version)
                    for row in session.scalars(select(model).order_by(model.id))
                )
                for model in (
                    CanvasItem,
                    Department,
                    Stakeholder,
                    Process,
                    ProcessStep,
                    OrgUnit,
                    FailureScenario,
                    RaciAssignment,
                )
            ],
            "milestone": [
                tuple(row)
                for row in session.execute(
                    select(Milestone.id, Milestone.workspace_id, Milestone.title)
                    .add_columns(Milestone.done_date, Milestone.version)
                    .order_by(Milestone.id)
                )
            ],
            "change": [(session.scalar(select(func.count(Change.id))),)],
            "job": [
                (session.scalar(select(func.count(Job.id))),),
                (session.scalar(select(func.count(JobFile.id))),),
            ],
            "workshop": [
                tuple(
                    tuple(row)
                    for row in session.execute(
                        select(
                            WorkshopSession.id,
                            WorkshopSession.status,
                            WorkshopSession.step_index,
                            WorkshopSession.step_minutes,
                            WorkshopSession.version,
                        ).order_by(WorkshopSession.id)
                    )
                ),
                tuple(
                    tuple(row)
                    for row in session.execute(
                        select(WorkshopParticipant.id, WorkshopParticipant.status).order_by(
                            WorkshopParticipant.id
                        )
                    )
                ),
                tuple(
                    tuple(row)
                    for row in session.execute(
                        select(WorkshopVote.id, WorkshopVote.status, WorkshopVote.version).order_by(
                            WorkshopVote.id
                        )
                    )
                ),
                (session.scalar(select(func.count(WorkshopDot.id))),),
            ],
        }


@contextmanager
def committed_writes(app: Flask) -> Iterator[list[str]]:
    """Collect the data-changing statements committed while the block runs, in any table.

    Cheaper and wider than comparing snapshots around every refused request: a write to a
    table no snapshot lists is caught too, while work rolled back (as a refusal does) is not
    a write.
    """
    with app.app_context():
        engine = db.engine
    pending: list[str] = []
    committed: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            pending.append(" ".join(statement.split())[:120])

    def on_commit(_conn: Any) -> None:
        committed.extend(pending)
        pending.clear()

    def on_rollback(_conn: Any) -> None:
        pending.clear()

    listeners = (
        ("before_cursor_execute", on_execute),
        ("commit", on_commit),
        ("rollback", on_rollback),
    )
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield committed
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def _version(app: Flask, model: type[Any], row_id: int) -> str:
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get(model, row_id)
        return str(row.version) if row is not None else "1"


# --------------------------------------------------------------------------- payloads
# Each takes (world, target, sub, permitted) and returns form data. A refused request is sent
# the most damaging payload that would succeed if the check were missing.

Payload = Callable[[World, str | None, str | None, bool], dict[str, str]]


def _register_data(*_: Any) -> dict[str, str]:
    # Invalid on purpose, so an anonymous client stays anonymous for the rest of the run.
    return {"display_name": "Matrix", "email": "not an email", "password": "x", "confirm": "y"}


def _password_data(*_: Any) -> dict[str, str]:
    return {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}


def _create_workspace_data(*_: Any) -> dict[str, str]:
    return {"name": "Made by the matrix", "industry": "test"}


def _strategy_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    version = _version(world.app, Workspace, side.workspace_id)
    return {"version": version, "purpose": "Overwritten by the access matrix"}


def _settings_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    version = _version(world.app, Workspace, side.workspace_id)
    return {"version": version, "name": "Renamed by the access matrix", "industry": "x"}


def _requirement_data(world: World, target: str | None, _sub: str | None, ok: bool) -> dict:
    # A permitted save leaves the requirement off, so the rest of the run is not sent to
    # enrol; a refused one asks to turn it on, which must not happen.
    side = world.sides[target or "own"]
    version = _version(world.app, Workspace, side.workspace_id)
    return {"version": version} if ok else {"version": version, "required": "y"}


def _branding_version(world: World, target: str | None) -> str:
    with world.app.app_context():
        scope_session(db.session, world.sides[target or "own"].workspace_id)
        row = db.session.scalars(select(Branding)).first()
        return str(row.version) if row is not None else "0"


def _accent_data(world: World, target: str | None, _sub: str | None, ok: bool) -> dict[str, str]:
    # A permitted save keeps the storyboard's own colour; a refused one would set black.
    return {"version": _branding_version(world, target), "accent": "" if ok else "#000000"}


def _logo_data(world: World, target: str | None, _sub: str | None, ok: bool) -> dict[str, Any]:
    # A permitted post sends no file (400, nothing stored); a refused one a real logo.
    data: dict[str, Any] = {"version": _branding_version(world, target)}
    if not ok:
        image = io.BytesIO()
        Image.new("RGB", (8, 8), (0, 0, 0)).save(image, format="PNG")
        image.seek(0)
        data["logo"] = (image, "matrix.png")
    return data


def _remove_logo_data(
    world: World, target: str | None, _sub: str | None, _ok: bool
) -> dict[str, str]:
    return {"version": _branding_version(world, target), "confirm": "y"}


def _delete_data(world: World, target: str | None, _sub: str | None, ok: bool) -> dict[str, str]:
    # A permitted delete gets a wrong name (400, nothing deleted) so the run can go on;
    # a refused one gets the exact name, which would delete the workspace if let through.
    if ok:
        return {"confirm_name": "not the name of this workspace"}
    with world.app.app_context():
        allow_system_access(db.session)
        workspace = db.session.get(Workspace, world.sides[target or "own"].workspace_id)
        return {"confirm_name": workspace.name if workspace else ""}


def _add_member_data(_w: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    # Into the team's workspace: the outsider; into the foreign one: the team's facilitator.
    email = "otto@example.org" if target == "own" else "fran@example.org"
    return {"email": email, "role": "facilitator"}


def _invite_data(*_: Any) -> dict[str, str]:
    return {"role": "facilitator"}


def _role_data(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
    membership_id = world.sides[sub or "own"].role_member
    return {"role": "facilitator", "version": _version(world.app, Membership, membership_id)}


def _quick_add_data(*_: Any) -> dict[str, str]:
    return {
        "category": "technology_driver",
        "polarity": "enabler",
        "importance": "2",
        "titles": "Matrix factor one\nMatrix factor two",
    }


def _factor_data(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
    factor_id = world.sides[sub or "own"].factor_id
    return {
        "title": "Edited by the matrix",
        "category": "business_need",
        "polarity": "driver",
        "importance": "5",
        "version": _version(world.app, Factor, factor_id),
    }


def _move_data(*_: Any) -> dict[str, str]:
    return {"direction": "down"}


def _friction_data(*_: Any) -> dict[str, str]:
    return {
        "stage_key": "delight",
        "severity": "2",
        "channel": "email",
        "description": "Added by the matrix",
    }


def _friction_edit_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    point_id = world.sides[sub or "own"].point_id
    return {
        **_friction_data(),
        "description": "Edited by the matrix",
        "version": _version(world.app, FrictionPoint, point_id),
    }


def _answer_data(world: World, *_: Any) -> dict[str, str]:
    with world.app.app_context():
        catalogue = load_catalogue(instruments_folder())
        instrument = catalogue.get(READINESS_KEY)
    data = {f"v_{q.key}": "0" for q in instrument.questions()}
    data[f"q_{instrument.questions()[0].key}"] = "4"
    return data


def _objective_data(*_: Any) -> dict[str, str]:
    return {"title": "Objective by the matrix", "perspective": "financial", "parent": "none"}


def _objective_edit_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    objective_id = world.sides[sub or "own"].objective_id
    return {
        **_objective_data(),
        "title": "Objective edited by the matrix",
        "version": _version(world.app, Objective, objective_id),
    }


def _initiative_data(*_: Any) -> dict[str, str]:
    return {
        "title": "Initiative by the matrix",
        "status": "approved",
        "priority": "high",
        "approach": "recover",
        "budget": "1000",
    }


def _initiative_edit_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    initiative_id = world.sides[sub or "own"].initiative_id
    return {
        **_initiative_data(),
        "title": "Initiative edited by the matrix",
        "version": _version(world.app, Initiative, initiative_id),
    }


def _links_data(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[sub or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        token = plan_service.initiative_links(db.session, side.initiative_id).token
    return {"links_token": token, "factor": str(side.factor_id)}


def _link_objective_data(
    world: World, _target: str | None, sub: str | None, ok: bool
) -> dict[str, str]:
    side = world.sides[sub or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        version = (
            matrix_service.objective_matrix(db.session)
            .cell(side.initiative_id, side.objective_id)
            .version
        )
    return {
        "objective_id": str(side.objective_id),
        "contribution": "weak",
        "rationale": "From the matrix",
        "version": str(version),
    }


def _dependency_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    return {"depends_on": str(world.sides[sub or "own"].other_initiative_id)}


def _matrix_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    cell = f"{side.initiative_id}-{side.objective_id}"
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        version = (
            matrix_service.objective_matrix(db.session)
            .cell(side.initiative_id, side.objective_id)
            .version
        )
    return {f"c-{cell}": "strong", f"v-{cell}": str(version)}


def _cell_data(world: World, target: str | None, sub: str | None, ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    data = _matrix_data(world, target, sub, ok)
    return {
        "initiative_id": str(side.initiative_id),
        "objective_id": str(side.objective_id),
        "contribution": "moderate",
        "version": next(v for k, v in data.items() if k[0] == "v"),
    }


def _ticks_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        principle = matrix_service.principles(db.session)
    if not principle:
        return {}
    cell = f"p-{side.initiative_id}-{principle[0].id}"
    return {"cell": cell, "tick": cell}


def _tick_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        principle = matrix_service.principles(db.session)
        ticks = matrix_service.principle_matrix(db.session).ticks
    if not principle:
        return {}
    was = (side.initiative_id, principle[-1].id) in ticks
    return {
        "initiative_id": str(side.initiative_id),
        "principle_id": str(principle[-1].id),
        "applied": "0" if was else "1",
        "was": "1" if was else "0",
    }


def _metric_data(*_: Any) -> dict[str, str]:
    return {
        "name": "Metric by the matrix",
        "unit": "percent",
        "direction": "higher",
        "frequency": "monthly",
        "min_value": "0",
        "max_value": "100",
    }


def _metric_edit_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    metric_id = world.sides[sub or "own"].metric_id
    return {
        **_metric_data(),
        "name": "Metric edited by the matrix",
        "version": _version(world.app, Metric, metric_id),
    }


def _metric_objectives_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    side = world.sides[sub or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        token = metric_service.objectives_token(
            metric_service.objective_ids(db.session, side.metric_id)
        )
    return {"token": token, "objective": str(side.objective_id)}


def _goal_data(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[sub or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        goal = metric_service.goal_of(db.session, side.metric_id)
        version = str(goal.version) if goal else "0"
    return {
        "baseline": "40",
        "baseline_date": "2026-01-01",
        "target": "60",
        "target_date": "2027-12-31",
        "version": version,
    }


def _reading_data(*_: Any) -> dict[str, str]:
    return {"mode": "one", "measured_on": "2026-02-28", "value": "55"}


def _plan_data(*_: Any) -> dict[str, str]:
    return {
        "department": "marketing",
        "audience": "Campaign team",
        "channel": "Email",
        "cadence": "monthly",
    }


def _plan_edit_data(
    world: World, _target: str | None, sub: str | None, _ok: bool
) -> dict[str, str]:
    plan_id = world.sides[sub or "own"].plan_id
    return {**_plan_data(), "version": _version(world.app, CommunicationPlan, plan_id)}


def _economics_data(
    world: World, target: str | None, _sub: str | None, _ok: bool
) -> dict[str, str]:
    side = world.sides[target or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        case = db.session.scalar(select(EconomicsCase))
        version = str(case.version) if case else "0"
    return {
        "customers": "1000",
        "failure_rate": "10",
        "complaint_rate": "30",
        "recovery_success_rate": "60",
        "customer_lifetime_value": "500",
        "churn_unrecovered": "40",
        "churn_recovered": "20",
        "cost_per_recovery": "10",
        "programme_fixed_cost": "1000",
        "currency": "EUR",
        "version": version,
    }


def _versioned(model: type, attribute: str, base: dict[str, str]) -> Payload:
    def payload(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
        row_id = getattr(world.sides[sub or "own"], attribute)
        return {**base, "version": _version(world.app, model, row_id)}

    return payload


def _feed_data(world: World, _target: str | None, sub: str | None, _ok: bool) -> dict[str, str]:
    metric_id = world.sides[sub or "own"].metric_id
    with world.app.app_context():
        allow_system_access(db.session)
        feed = db.session.scalar(select(MetricFeed).where(MetricFeed.metric_id == metric_id))
        version = str(feed.version) if feed else "0"
    return {
        "kind": "file",
        "file_path": "edited.csv",
        "schedule": "weekly",
        "hour": "5",
        "enabled": "y",
        "version": version,
    }


def _drill_plan(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    return {"scenario_id": str(side.scenario_id), "planned_on": "2026-05-01", "status": "planned"}


def _drill_edit(world: World, target: str | None, sub: str | None, ok: bool) -> dict[str, str]:
    side = world.sides[sub or "own"]
    return {
        **_drill_plan(world, sub, sub, ok),
        "site": "Edited site",
        "version": _version(world.app, Drill, side.drill_id),
    }


def _raci_data(world: World, target: str | None, _sub: str | None, _ok: bool) -> dict[str, str]:
    side = world.sides[target or "own"]
    with world.app.app_context():
        scope_session(db.session, side.workspace_id)
        row = db.session.scalar(
            select(RaciAssignment).where(
                RaciAssignment.step_id == side.step_id,
                RaciAssignment.stakeholder_id == side.stakeholder_id,
            )
        )
        version = str(row.version) if row else "0"
    cell = f"{side.step_id}-{side.stakeholder_id}"
    return {f"r-{cell}": "A" if version == "0" else "R", f"v-{cell}": version}


APPLICATION_DATA: dict[str, Any] = {
    "name": "Application by the matrix",
    "kind": "chat",
    "annual_cost": "1200",
    "capabilities": ["routing", "analytics"],
}
SCENARIO_DATA = {
    "name": "Scenario by the matrix",
    "severity": "high",
    "compensation_type": "none",
    "target_response_minutes": "15",
}

STORY_DATA = {"title": "Story by the matrix", "permission": "anonymous", "rating": "4"}
TRAINING_DATA = {"department": "service", "topic": "Training by the matrix"}


def _nothing(*_: Any) -> dict[str, str]:
    return {}


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Expect:
    """An expected answer: a status, and for redirects optionally where to."""

    status: int
    location: str | None = None

    def __str__(self) -> str:
        return f"{self.status}" + (f" -> {self.location}" if self.location else "")


OK = Expect(200)
REDIRECT = Expect(302)
SEE_OTHER = Expect(303)
BAD = Expect(400)
TO_LOGIN = Expect(302, "/login")
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
NOT_ALLOWED = Expect(405)
GONE = Expect(410)


@dataclass(frozen=True)
class Route:
    """One URL rule: the permission each method needs and the answer when it is granted.

    `needs` maps a method to "public" (anyone), "login" (any logged-in user) or a workspace
    permission ("read", "edit", "manage"). `allowed` is the answer when access is granted to
    a logged-in user; `anonymous` the answer of a public route to a visitor. Cases run in
    table order, so routes whose permitted use changes membership come last.
    """

    rule: str
    needs: dict[str, str]
    allowed: dict[str, Expect]
    anonymous: dict[str, Expect] = field(default_factory=dict)
    data: Payload = _nothing
    member: str = "role_member"  # which membership <membership_id> names


W = "/workspaces/<id:workspace_id>"

ROUTES: tuple[Route, ...] = (
    Route("/", {"GET": "public"}, {"GET": REDIRECT}, {"GET": OK}),
    Route("/healthz", {"GET": "public"}, {"GET": OK}, {"GET": OK}),
    Route("/favicon.ico", {"GET": "public"}, {"GET": OK}, {"GET": OK}),
    Route(
        "/register",
        {"GET": "public", "POST": "public"},
        {"GET": REDIRECT, "POST": REDIRECT},
        {"GET": OK, "POST": BAD},
        data=_register_data,
    ),
    Route(
        "/login",
        {"GET": "public", "POST": "public"},
        {"GET": REDIRECT, "POST": REDIRECT},
        {"GET": OK, "POST": BAD},
    ),
    # Account recovery: open to anyone; the matrix's link tokens are not reset or confirmation
    # tokens, so both links answer "gone" whoever follows them.
    Route(
        "/password/forgot",
        {"GET": "public", "POST": "public"},
        {"GET": OK, "POST": BAD},
        {"GET": OK, "POST": BAD},
    ),
    Route(
        "/password/reset/<token>",
        {"GET": "public", "POST": "public"},
        {"GET": GONE, "POST": GONE},
        {"GET": GONE, "POST": GONE},
    ),
    Route(
        "/register/confirm/<token>",
        {"GET": "public", "POST": "public"},
        {"GET": OK, "POST": GONE},
        {"GET": OK, "POST": GONE},
    ),
    # The outbox is for instance administrators only (none in the matrix): it does not exist
    # for anyone else.
    Route("/admin/outbox/", {"GET": "login"}, {"GET": NOT_FOUND}),
    Route("/admin/outbox/<key>", {"GET": "login"}, {"GET": NOT_FOUND}),
    Route(
        "/account/password",
        {"GET": "login", "POST": "login"},
        {"GET": OK, "POST": REDIRECT},
        data=_password_data,
    ),
    Route(
        "/workspaces/",
        {"GET": "login", "POST": "login"},
        {"GET": OK, "POST": REDIRECT},
        data=_create_workspace_data,
    ),
    Route(f"{W}/", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/phases/<phase_key>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/history", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/schedule", {"GET": "manage"}, {"GET": OK}),
    Route(
        f"{W}/strategy",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": REDIRECT},
        data=_strategy_data,
    ),
    Route(
        f"{W}/settings",
        {"GET": "manage", "POST": "manage"},
        {"GET": OK, "POST": REDIRECT},
        data=_settings_data,
    ),
    Route(
        f"{W}/settings/two-factor",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_requirement_data,
    ),
    Route(f"{W}/settings/branding/", {"GET": "manage"}, {"GET": OK}),
    Route(
        f"{W}/settings/branding/accent",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_accent_data,
    ),
    Route(f"{W}/settings/branding/logo", {"POST": "manage"}, {"POST": BAD}, data=_logo_data),
    Route(
        f"{W}/settings/branding/logo/remove",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_remove_logo_data,
    ),
    Route(f"{W}/delete", {"POST": "manage"}, {"POST": BAD}, data=_delete_data),
    Route(
        f"{W}/members",
        {"GET": "manage", "POST": "manage"},
        {"GET": OK, "POST": REDIRECT},
        data=_add_member_data,
    ),
    Route(f"{W}/invites", {"POST": "manage"}, {"POST": OK}, data=_invite_data),
    Route(
        f"{W}/members/<id:membership_id>/role",
        {"POST": "manage"},
        {"POST": REDIRECT},
        data=_role_data,
    ),
    Route(
        f"{W}/members/<id:membership_id>/remove",
        {"POST": "manage"},
        {"POST": REDIRECT},
        member="removed_member",
    ),
    Route(f"{W}/invites/<id:invite_id>/revoke", {"POST": "manage"}, {"POST": REDIRECT}),
    Route(f"{W}/assessment/", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/assessment/factors",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_quick_add_data,
    ),
    Route(
        f"{W}/assessment/factors/<id:factor_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_factor_data,
    ),
    Route(f"{W}/assessment/factors/<id:factor_id>/card", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/assessment/factors/<id:factor_id>/move",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_move_data,
    ),
    Route(f"{W}/assessment/questionnaires/", {"GET": "read"}, {"GET": OK}),
    # Every member answers for themselves, executives included.
    Route(
        f"{W}/assessment/questionnaires/<key>",
        {"GET": "read", "POST": "read"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_answer_data,
    ),
    Route(f"{W}/assessment/questionnaires/<key>/results", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/assessment/journey/",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_friction_data,
    ),
    Route(
        f"{W}/assessment/journey/<id:point_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_friction_edit_data,
    ),
    Route(
        f"{W}/alignment/objectives",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_objective_data,
    ),
    Route(
        f"{W}/alignment/objectives/from-goal",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"title": "From a corporate goal"},
    ),
    Route(
        f"{W}/alignment/objectives/<id:objective_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_objective_edit_data,
    ),
    Route(
        f"{W}/alignment/initiatives",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_initiative_data,
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_initiative_edit_data,
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/milestones",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"title": "Pilot at one hotel", "due_date": "2027-03-31"},
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/milestones/<id:milestone_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(
            Milestone, "milestone_id", {"title": "Edited milestone", "due_date": "2027-02-26"}
        ),
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/milestones/<id:milestone_id>/done",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_versioned(Milestone, "milestone_id", {}),
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/milestones/<id:milestone_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/links",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_links_data,
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/objectives",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_link_objective_data,
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/dependencies",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_dependency_data,
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/dependencies/<id:depends_on_id>/remove",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(f"{W}/alignment/", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/alignment/matrix",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_matrix_data,
    ),
    Route(f"{W}/alignment/matrix/cell", {"POST": "edit"}, {"POST": SEE_OTHER}, data=_cell_data),
    Route(
        f"{W}/alignment/principles",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_ticks_data,
    ),
    Route(f"{W}/alignment/principles/cell", {"POST": "edit"}, {"POST": SEE_OTHER}, data=_tick_data),
    Route(f"{W}/alignment/graph", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/alignment/roadmap", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/alignment/risks", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/alignment/approach-decision",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(
            Workspace,
            "workspace_id",
            {"approach_prevent_target": "35", "approach_rationale": "Most failures are small."},
        ),
    ),
    Route(
        f"{W}/alignment/risks/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"title": "A new risk", "likelihood": "3", "impact": "4", "status": "open"},
    ),
    Route(
        f"{W}/alignment/risks/<id:risk_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(
            Risk,
            "risk_id",
            {"title": "Edited risk", "likelihood": "2", "impact": "2", "status": "closed"},
        ),
    ),
    Route(f"{W}/operating/", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/items",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"kind": "opportunity", "title": "An opportunity"},
    ),
    Route(
        f"{W}/operating/items/<id:item_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(CanvasItem, "item_id", {"title": "Edited challenge"}),
    ),
    Route(
        f"{W}/operating/departments",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"name": "Legal", "owner": "Lee", "description": "Contracts"},
    ),
    Route(
        f"{W}/operating/departments/<id:department_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(Department, "department_id", {"name": "Renamed department"}),
    ),
    Route(
        f"{W}/operating/stakeholders",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {
            "name": "Regulator",
            "kind": "external",
            "interest": "2",
            "influence": "5",
        },
    ),
    Route(
        f"{W}/operating/stakeholders/<id:stakeholder_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(
            Stakeholder,
            "stakeholder_id",
            {"name": "Renamed stakeholder", "kind": "team", "interest": "5", "influence": "5"},
        ),
    ),
    Route(
        f"{W}/operating/processes/",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"name": "Escalation process"},
    ),
    Route(
        f"{W}/operating/processes/adopt",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"template": "service_recovery"},
    ),
    Route(
        f"{W}/operating/processes/<id:process_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(Process, "process_id", {"name": "Renamed process"}),
    ),
    Route(
        f"{W}/operating/processes/<id:process_id>/steps",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"name": "Report"},
    ),
    Route(
        f"{W}/operating/processes/<id:process_id>/steps/<id:step_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(ProcessStep, "step_id", {"name": "Detect early"}),
    ),
    Route(
        f"{W}/operating/processes/<id:process_id>/steps/<id:step_id>/move",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"direction": "down"},
    ),
    Route(
        f"{W}/operating/processes/<id:process_id>/raci",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_raci_data,
    ),
    Route(f"{W}/operating/organisation", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/organisation/<structure>",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"name": "New unit", "parent": "none", "source": "none"},
    ),
    Route(f"{W}/operating/organisation/copy", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/operating/organisation/units/<id:unit_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(
            OrgUnit, "unit_id", {"name": "Renamed unit", "parent": "none", "source": "none"}
        ),
    ),
    Route(f"{W}/operating/playbook", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/playbook/templates",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"key": "hotel_room_not_ready"},
    ),
    Route(
        f"{W}/operating/playbook/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: dict(SCENARIO_DATA),
    ),
    Route(
        f"{W}/operating/playbook/<id:scenario_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(FailureScenario, "scenario_id", SCENARIO_DATA),
    ),
    Route(f"{W}/operating/playbook/<id:scenario_id>/card", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/operating/applications", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/applications/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: dict(APPLICATION_DATA),
    ),
    Route(
        f"{W}/operating/applications/<id:application_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(Application, "application_id", APPLICATION_DATA),
    ),
    Route(f"{W}/operating/stories", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/stories/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: dict(STORY_DATA),
    ),
    Route(
        f"{W}/operating/stories/<id:story_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(SuccessStory, "story_id", STORY_DATA),
    ),
    Route(f"{W}/operating/training", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/training/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: dict(TRAINING_DATA),
    ),
    Route(
        f"{W}/operating/training/<id:training_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(TrainingItem, "training_id", TRAINING_DATA),
    ),
    Route(f"{W}/operating/drills", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/operating/drills/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_drill_plan,
    ),
    Route(
        f"{W}/operating/drills/<id:drill_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_drill_edit,
    ),
    Route(
        f"{W}/operating/drills/<id:drill_id>/result",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(Drill, "drill_id", {"detected": "y", "contact_minutes": "9"}),
    ),
    Route(f"{W}/storyboard/", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/preview", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/publish", {"POST": "manage"}, {"POST": SEE_OTHER}),
    Route(f"{W}/storyboard/<id:number>.pdf", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/<id:number>.pptx", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/jobs/<id:job_id>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/jobs/<id:job_id>/status", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/storyboard/jobs/<id:job_id>/retry", {"POST": "manage"}, {"POST": SEE_OTHER}),
    Route(f"{W}/storyboard/compare", {"GET": "read"}, {"GET": BAD}),
    Route(
        f"{W}/storyboard/<id:number>/share",
        {"POST": "manage"},
        {"POST": OK},
        data=lambda *_: {"hours": "24"},
    ),
    Route(f"{W}/storyboard/links/<id:link_id>/revoke", {"POST": "manage"}, {"POST": SEE_OTHER}),
    # Packs and the team's view per section: editors write them, every member reads them.
    Route(
        f"{W}/storyboard/commentary/<section>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_args: {"body": "Matrix view.", "version": ""},
    ),
    Route(
        f"{W}/storyboard/packs/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_args: {"name": "Matrix pack", "sections": "summary"},
    ),
    Route(
        f"{W}/storyboard/packs/<id:pack_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(StoryboardPack, "pack_id", {"name": "Renamed pack"}),
    ),
    Route(
        f"{W}/storyboard/packs/<id:pack_id>/sections",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_versioned(StoryboardPack, "pack_id", {"section": "metrics", "action": "up"}),
    ),
    Route("/shared/<token>", {"GET": "public"}, {"GET": NOT_FOUND}, {"GET": NOT_FOUND}),
    Route("/shared/<token>/deck", {"GET": "public"}, {"GET": NOT_FOUND}, {"GET": NOT_FOUND}),
    Route(f"{W}/metrics/", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/metrics/library",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"template_key": "nps", "department": "marketing"},
    ),
    Route(
        f"{W}/metrics/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_metric_data,
    ),
    Route(
        f"{W}/metrics/<id:metric_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_metric_edit_data,
    ),
    Route(
        f"{W}/metrics/<id:metric_id>/objectives",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_metric_objectives_data,
    ),
    Route(
        f"{W}/metrics/<id:metric_id>/goal", {"POST": "edit"}, {"POST": SEE_OTHER}, data=_goal_data
    ),
    Route(
        f"{W}/metrics/<id:metric_id>/measurements",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_reading_data,
    ),
    Route(
        f"{W}/metrics/<id:metric_id>/feed",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_feed_data,
    ),
    Route(f"{W}/metrics/<id:metric_id>/feed/run", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/metrics/<id:metric_id>/feed/runs/<id:feed_job_id>", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/metrics/<id:metric_id>/feed/runs/<id:feed_job_id>/status",
        {"GET": "read"},
        {"GET": OK},
    ),
    Route(
        f"{W}/metrics/<id:metric_id>/feed/holds/<id:hold_id>/release",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(f"{W}/metrics/department", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/metrics/sites", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/metrics/sites/new",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"name": "A new site", "kind": "branch", "notes": ""},
    ),
    Route(
        f"{W}/metrics/sites/<id:site_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_versioned(Site, "site_id", {"name": "Edited site", "kind": "station", "notes": ""}),
    ),
    Route(
        f"{W}/metrics/communication",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_plan_data,
    ),
    Route(
        f"{W}/metrics/communication/<id:plan_id>",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_plan_edit_data,
    ),
    Route(f"{W}/metrics/communication/<id:plan_id>/print", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/metrics/economics",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
        data=_economics_data,
    ),
    # Deletions run after every other use of the rows they remove.
    Route(f"{W}/assessment/factors/<id:factor_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/assessment/journey/<id:point_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/metrics/<id:metric_id>/measurements/<id:measurement_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(f"{W}/metrics/communication/<id:plan_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/metrics/<id:metric_id>/feed/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/metrics/<id:metric_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/operating/items/<id:item_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/operating/processes/<id:process_id>/steps/<id:step_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(f"{W}/operating/processes/<id:process_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/operating/departments/<id:department_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(
        f"{W}/operating/stakeholders/<id:stakeholder_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(
        f"{W}/operating/organisation/units/<id:unit_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(f"{W}/operating/drills/<id:drill_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/operating/playbook/<id:scenario_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/operating/applications/<id:application_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    Route(
        f"{W}/alignment/objectives/<id:objective_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}
    ),
    Route(f"{W}/alignment/risks/<id:risk_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/operating/stories/<id:story_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/operating/training/<id:training_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(f"{W}/metrics/sites/<id:site_id>/delete", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route(
        f"{W}/storyboard/packs/<id:pack_id>/delete",
        {"GET": "read", "POST": "edit"},
        {"GET": OK, "POST": SEE_OTHER},
    ),
    Route(
        f"{W}/alignment/initiatives/<id:initiative_id>/delete",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
    ),
    # Exchange: downloads in every registered format, JSON restore, workbook import.
    Route(f"{W}/exchange", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/export/<format_name>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/workbook", {"POST": "edit"}, {"POST": BAD}),
    # Exports and imports as jobs: every member exports; only editors import or retry one.
    Route(
        f"{W}/exchange/exports",
        {"POST": "read"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"export_format": "csv"},
    ),
    Route(f"{W}/exchange/exports/<id:export_id>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/exports/<id:export_id>/status", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/exports/<id:export_id>/download", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/exports/<id:export_id>/retry", {"POST": "read"}, {"POST": SEE_OTHER}),
    Route(f"{W}/exchange/imports/<id:import_id>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/imports/<id:import_id>/status", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/exchange/imports/<id:import_id>/retry", {"POST": "edit"}, {"POST": SEE_OTHER}),
    Route("/workspaces/restore", {"GET": "login", "POST": "login"}, {"GET": OK, "POST": BAD}),
    # Personal API tokens (account area). Listed before the joining and logout rows, which
    # must stay last.
    Route("/account/tokens/", {"GET": "login", "POST": "login"}, {"GET": OK, "POST": BAD}),
    Route("/account/tokens/revoke", {"POST": "login"}, {"POST": SEE_OTHER}),
    # Reminders: each person's choices; the unsubscribe link is public, its token the proof
    # (the matrix's token is an invite's, so it is refused); owners nobody receives for.
    Route("/account/reminders", {"GET": "login", "POST": "login"}, {"GET": OK, "POST": BAD}),
    Route(
        "/reminders/unsubscribe/<token>",
        {"GET": "public", "POST": "public"},
        {"GET": BAD, "POST": BAD},
        {"GET": BAD, "POST": BAD},
    ),
    Route(f"{W}/members/reminder-owners", {"GET": "manage"}, {"GET": OK}),
    # Two-factor sign-in: the code step of logging in, and the account's own settings.
    Route(
        "/login/code",
        {"GET": "public", "POST": "public"},
        {"GET": REDIRECT, "POST": REDIRECT},
        {"GET": TO_LOGIN, "POST": TO_LOGIN},
        data=lambda *_: {"code": "123456"},
    ),
    Route("/account/two-factor/", {"GET": "login"}, {"GET": OK}),
    Route("/account/two-factor/start", {"POST": "login"}, {"POST": SEE_OTHER}),
    Route("/account/two-factor/cancel", {"POST": "login"}, {"POST": SEE_OTHER}),
    Route("/account/two-factor/confirm", {"POST": "login"}, {"POST": BAD}),
    Route("/account/two-factor/recovery-codes", {"POST": "login"}, {"POST": BAD}),
    Route("/account/two-factor/off", {"POST": "login"}, {"POST": BAD}),
    # Guided workshop: sessions, joining, the room, its fragments, votes; closing comes last.
    Route(
        "/workshop/join",
        {"GET": "public", "POST": "public"},
        {"GET": OK, "POST": BAD},
        {"GET": OK, "POST": BAD},
        data=lambda *_: {"code": "AAAA-AAAA", "display_name": "M"},
    ),
    Route("/workshop/waiting", {"GET": "login"}, {"GET": SEE_OTHER}),
    Route("/workshop/ended", {"GET": "public"}, {"GET": OK}, {"GET": OK}),
    Route(
        f"{W}/workshop/",
        {"GET": "read", "POST": "manage"},
        {"GET": OK, "POST": SEE_OTHER},
        data=lambda *_: {"title": "Matrix workshop", "minutes": "5"},
    ),
    Route(f"{W}/workshop/<id:session_id>", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/workshop/<id:session_id>/state", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/workshop/<id:session_id>/board", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/workshop/<id:session_id>/presenter", {"GET": "read"}, {"GET": OK}),
    Route(f"{W}/workshop/<id:session_id>/presenter/live", {"GET": "read"}, {"GET": OK}),
    Route(
        f"{W}/workshop/<id:session_id>/items",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=lambda *_: {
            "step": "gather",
            "title": "Factor from the matrix room",
            "category": "business_need",
            "polarity": "barrier",
        },
    ),
    Route(f"{W}/workshop/<id:session_id>/votes/<id:vote_id>", {"GET": "read"}, {"GET": OK}),
    # The room records its prevent-or-recover decision; on another step it only says so.
    Route(
        f"{W}/workshop/<id:session_id>/decision",
        {"POST": "edit"},
        {"POST": SEE_OTHER},
        data=_versioned(
            Workspace,
            "workspace_id",
            {"approach_prevent_target": "35", "approach_rationale": "Most failures are small."},
        ),
    ),
    # Every participant votes, executives included.
    Route(
        f"{W}/workshop/<id:session_id>/votes/<id:vote_id>/dots",
        {"POST": "read"},
        {"POST": SEE_OTHER},
        data=lambda world, _t, sub, _ok: {
            "item_id": str(world.sides[sub or "own"].factor_id),
            "action": "add",
        },
    ),
    Route(
        f"{W}/workshop/<id:session_id>/participants/<id:participant_id>",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"decision": "admit"},
    ),
    Route(
        f"{W}/workshop/<id:session_id>/timer",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_versioned(WorkshopSession, "session_id", {"minutes": "7"}),
    ),
    Route(
        f"{W}/workshop/<id:session_id>/step",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_versioned(WorkshopSession, "session_id", {"target": "next"}),
    ),
    Route(
        f"{W}/workshop/<id:session_id>/votes/<id:vote_id>/close",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_versioned(WorkshopVote, "vote_id", {}),
    ),
    Route(
        f"{W}/workshop/<id:session_id>/votes/<id:vote_id>/apply",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_versioned(WorkshopVote, "vote_id", {}),
    ),
    Route(
        f"{W}/workshop/<id:session_id>/votes",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=lambda *_: {"kind": "factors", "dots": "2"},
    ),
    Route(
        f"{W}/workshop/<id:session_id>/close",
        {"POST": "manage"},
        {"POST": SEE_OTHER},
        data=_versioned(WorkshopSession, "session_id", {}),
    ),
    # Anyone holding a valid link reads the invitation; joining with it is open to any
    # logged-in user. It runs late because joining adds the user to the link's workspace.
    Route(
        "/join/<token>",
        {"GET": "public", "POST": "login"},
        {"GET": OK, "POST": REDIRECT},
        {"GET": OK},
    ),
    # Ends every session of the account, this one included; only logging out comes after.
    Route("/account/sign-out-everywhere", {"POST": "login"}, {"POST": Expect(303, "/login")}),
    # Last: it ends the session.
    Route("/logout", {"POST": "public"}, {"POST": TO_LOGIN}, {"POST": TO_LOGIN}, data=_nothing),
    # Reliability: readiness for load balancers and orchestrators.
    Route("/readyz", {"GET": "public"}, {"GET": OK}, {"GET": OK}),
)

SIDE_IDS = {
    "objective_id",
    "initiative_id",
    "metric_id",
    "measurement_id",
    "plan_id",
    "item_id",
    "stakeholder_id",
    "process_id",
    "step_id",
    "unit_id",
    "scenario_id",
    "link_id",
    "job_id",
    "session_id",
    "vote_id",
    "participant_id",
    "export_id",
    "import_id",
    "department_id",
    "risk_id",
    "milestone_id",
    "application_id",
    "story_id",
    "training_id",
    "drill_id",
    "site_id",
    "feed_job_id",
    "hold_id",
    "pack_id",
}

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _params(route: Route) -> set[str]:
    return set(_PARAM.findall(route.rule))


def _cases(route: Route) -> list[tuple[str | None, str | None]]:
    """(target, sub) pairs: which workspace the URL names, and whose sub-id it carries."""
    params = _params(route)
    targets: tuple[str | None, ...] = (
        ("foreign", "own") if params & {"workspace_id", "token"} else (None,)
    )
    subs: tuple[str | None, ...] = (
        ("foreign", "own")
        if params & ({"membership_id", "invite_id", "factor_id", "point_id"} | SIDE_IDS)
        else (None,)
    )
    return [(target, sub) for target in targets for sub in subs]


def build_url(route: Route, world: World, target: str | None, sub: str | None) -> str:
    """Fill the rule's placeholders with the ids of the chosen workspaces."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "workspace_id":
            return str(world.sides[target or "own"].workspace_id)
        if name == "token":
            return world.sides[target or "own"].token
        if name == "phase_key":
            return "assessment"
        if name == "membership_id":
            return str(getattr(world.sides[sub or "own"], route.member))
        if name == "invite_id":
            return str(world.sides[sub or "own"].invite_id)
        if name == "factor_id":
            return str(world.sides[sub or "own"].factor_id)
        if name == "point_id":
            return str(world.sides[sub or "own"].point_id)
        if name == "key":
            return READINESS_KEY
        if name == "structure":
            return "current"
        if name == "number":
            return "1"
        if name == "format_name":
            return "json"
        if name == "section":
            return "summary"
        if name in SIDE_IDS:
            return str(getattr(world.sides[sub or "own"], name))
        if name == "depends_on_id":
            return str(world.sides[sub or "own"].other_initiative_id)
        raise AssertionError(f"the matrix cannot fill <{name}> in {route.rule}; teach build_url")

    return _PARAM.sub(fill, route.rule)


def _member_role(role: str, target: str | None) -> str | None:
    if role in PERMISSIONS and target == "own":
        return role
    if role == "outsider" and target == "foreign":
        return "facilitator"  # the outsider runs the foreign workspace
    return None


def expectation(
    route: Route, method: str, role: str, target: str | None, sub: str | None
) -> tuple[Expect, bool]:
    """The expected answer and whether the request must be refused (and write nothing)."""
    need = route.needs.get(method)
    if need is None:
        return NOT_ALLOWED, True
    if need == "public":
        return (route.anonymous if role == "anonymous" else route.allowed)[method], False
    if role == "anonymous":
        return TO_LOGIN, True
    if need == "login":
        return route.allowed[method], False
    member_role = _member_role(role, target)
    if member_role is None:
        return NOT_FOUND, True
    if need not in PERMISSIONS[member_role]:
        return FORBIDDEN, True
    if sub is not None and sub != target:
        return NOT_FOUND, True
    return route.allowed[method], False


def _answer(response: TestResponse) -> str:
    location = response.headers.get("Location")
    return f"{response.status_code}" + (f" -> {location}" if location else "")


def _matches(response: TestResponse, expect: Expect) -> bool:
    if response.status_code != expect.status:
        return False
    if expect.location is None:
        return True
    return urlsplit(response.headers.get("Location", "")).path == expect.location


def run_matrix(client: FlaskClient, world: World, role: str) -> tuple[int, list[str]]:
    """Send every case of the table as `role`; return the number of cases and the failures."""
    failures: list[str] = []
    count = 0
    hidden = world.hidden_from(role)
    for route in ROUTES:
        for method in METHODS:
            for target, sub in _cases(route):
                count += 1
                expect, refused = expectation(route, method, role, target, sub)
                url = build_url(route, world, target, sub)
                label = f"{role} {method} {url} (workspace={target}, sub-id={sub})"
                data = route.data(world, target, sub, not refused) if method == "POST" else {}
                with committed_writes(world.app) as written:
                    response = client.open(url, method=method, data=data)
                if not _matches(response, expect):
                    failures.append(f"{label}: expected {expect}, got {_answer(response)}")
                if refused and written:
                    failures.append(f"{label}: refused request wrote to the database: {written}")
                if response.status_code in (403, 404):
                    body = response.get_data(as_text=True)
                    leaked = [name for name in hidden if name in body]
                    if leaked:
                        failures.append(f"{label}: refusal page reveals {leaked}")
    return count, failures


# --------------------------------------------------------------------------- tests


def test_matrix_lists_every_route(app: Flask) -> None:
    """A route missing from ROUTES (or listed with other methods) fails here."""
    existing: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/v1/"):
            # The JSON API answers 401 instead of a login redirect; tests/integration/
            # test_api_access.py runs its own matrix and fails on any rule it does not cover.
            continue
        existing.setdefault(rule.rule, set()).update((rule.methods or set()) & set(METHODS))
    listed = {route.rule: set(route.needs) for route in ROUTES}
    assert len(listed) == len(ROUTES), "a rule is listed twice in ROUTES"
    missing = sorted(set(existing) - set(listed))
    assert not missing, f"routes not covered by the access matrix, add them to ROUTES: {missing}"
    stale = sorted(set(listed) - set(existing))
    assert not stale, f"ROUTES lists rules the app no longer has: {stale}"
    wrong = {r: (sorted(listed[r]), sorted(m)) for r, m in existing.items() if listed[r] != m}
    assert not wrong, f"methods in ROUTES differ from the app (listed, actual): {wrong}"
    for route in ROUTES:
        unknown = _params(route) - {
            "workspace_id",
            "token",
            "phase_key",
            "membership_id",
            "invite_id",
            "factor_id",
            "point_id",
            "key",
            "objective_id",
            "initiative_id",
            "depends_on_id",
            "structure",
            "number",
            "format_name",
            "section",
            *SIDE_IDS,
        }
        assert not unknown, f"{route.rule}: the matrix cannot fill {unknown}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, client: FlaskClient, team: dict[str, Any], role: str) -> None:
    """Every route, method and workspace as one role: expected answer, nothing written."""
    world = build_world(app, team)
    if role != "anonymous":
        login(client, team[role])
    count, failures = run_matrix(client, world, role)
    assert count >= 70
    assert not failures, f"{len(failures)} of {count} access cases failed for {role}:\n" + (
        "\n".join(failures)
    )


def _strategy_purpose(app: Flask, workspace_id: int) -> str:
    with app.app_context():
        allow_system_access(db.session)
        workspace = db.session.get(Workspace, workspace_id)
        assert workspace is not None
        return workspace.purpose


def test_executive_cannot_change_the_strategy(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    from tests.conftest import form_version

    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    page = client.get(f"/workspaces/{workspace_id}/strategy").get_data(as_text=True)
    saved = client.post(
        f"/workspaces/{workspace_id}/strategy",
        data={"version": form_version(page), "purpose": "Put the guest first"},
    )
    assert saved.status_code == 302
    client.post("/logout")

    login(client, team["executive"])
    page = client.get(f"/workspaces/{workspace_id}/strategy")
    assert page.status_code == 200
    assert "Put the guest first" in page.get_data(as_text=True)
    version = _version(app, Workspace, workspace_id)
    refused = client.post(
        f"/workspaces/{workspace_id}/strategy",
        data={"version": version, "purpose": "Executive rewrite"},
    )
    assert refused.status_code == 403
    assert "does not allow" in refused.get_data(as_text=True)
    assert _strategy_purpose(app, workspace_id) == "Put the guest first"
    again = client.get(f"/workspaces/{workspace_id}/strategy").get_data(as_text=True)
    assert "Put the guest first" in again
    assert "Executive rewrite" not in again


def _members_of(app: Flask, workspace_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        allow_system_access(db.session)
        rows = db.session.execute(
            select(Membership.user_id, Membership.role)
            .where(Membership.workspace_id == workspace_id)
            .order_by(Membership.user_id)
        )
        return [(user_id, role.value) for user_id, role in rows]


def _invites_of(app: Flask, workspace_id: int) -> list[tuple[int, bool]]:
    with app.app_context():
        allow_system_access(db.session)
        rows = db.session.execute(
            select(Invite.id, Invite.revoked)
            .where(Invite.workspace_id == workspace_id)
            .order_by(Invite.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_outsider_writes_to_the_team_workspace_change_nothing(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    world = build_world(app, team)
    own = world.sides["own"]
    w = f"/workspaces/{own.workspace_id}"
    members, invites = _members_of(app, own.workspace_id), _invites_of(app, own.workspace_id)
    login(client, team["outsider"])
    attempts = {
        f"{w}/members": {"email": "otto@example.org", "role": "facilitator"},
        f"{w}/members/{own.role_member}/role": {"role": "facilitator", "version": "1"},
        f"{w}/members/{own.removed_member}/remove": {},
        f"{w}/invites": {"role": "facilitator"},
        f"{w}/invites/{own.invite_id}/revoke": {},
        f"{w}/settings": {"version": "1", "name": "Taken over", "industry": ""},
        f"{w}/strategy": {"version": "1", "purpose": "Taken over"},
        f"{w}/delete": {"confirm_name": own.name},
    }
    answers = {url: client.post(url, data=data).status_code for url, data in attempts.items()}
    assert answers == dict.fromkeys(attempts, 404)
    assert _members_of(app, own.workspace_id) == members
    assert len(members) == 3
    assert _invites_of(app, own.workspace_id) == invites
    assert _strategy_purpose(app, own.workspace_id) == f"Original purpose of {own.name}"
    with app.app_context():
        allow_system_access(db.session)
        workspace = db.session.get(Workspace, own.workspace_id)
        assert workspace is not None
        assert workspace.name == own.name


def test_sub_ids_of_another_workspace_are_not_found_through_own_url(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """A facilitator of A naming B's membership or invite under A's URL: 404, nothing changed."""
    world = build_world(app, team)
    own, foreign = world.sides["own"], world.sides["foreign"]
    w = f"/workspaces/{own.workspace_id}"
    before = snapshot(app)
    login(client, team["facilitator"])
    version = _version(app, Membership, foreign.role_member)
    answers = {
        "role": client.post(
            f"{w}/members/{foreign.role_member}/role",
            data={"role": "facilitator", "version": version},
        ),
        "remove": client.post(f"{w}/members/{foreign.removed_member}/remove"),
        "revoke": client.post(f"{w}/invites/{foreign.invite_id}/revoke"),
    }
    statuses = {name: _answer(response) for name, response in answers.items()}
    assert statuses == {"role": "404", "remove": "404", "revoke": "404"}
    assert snapshot(app) == before
    assert (team["outsider"].id, "facilitator") in _members_of(app, foreign.workspace_id)
    assert len(_members_of(app, foreign.workspace_id)) == 2


def test_foreign_and_missing_workspace_ids_look_the_same(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """A workspace id of another organisation answers exactly like an id that does not exist."""
    login(client, team["facilitator"])
    missing = team["foreign_id"] + 1000
    # CSRF tokens are signed with a timestamp, so they differ between any two responses.
    csrf_meta = re.compile(r'<meta name="csrf-token"[^>]*>|name="csrf_token" value="[^"]*"')
    for path in ("", "strategy", "settings", "members", "history", "phases/assessment"):
        for method in ("GET", "POST"):
            foreign = client.open(f"/workspaces/{team['foreign_id']}/{path}", method=method)
            absent = client.open(f"/workspaces/{missing}/{path}", method=method)
            assert foreign.status_code == absent.status_code, path
            assert foreign.status_code in (404, 405), path
            assert csrf_meta.sub("", foreign.get_data(as_text=True)) == csrf_meta.sub(
                "", absent.get_data(as_text=True)
            ), path
            assert "Foreign Ferries" not in foreign.get_data(as_text=True)


def test_out_of_range_ids_in_urls_are_not_found(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """Ids beyond the database's integer range answer 404 like any other unknown id."""
    world = build_world(app, team)
    before = snapshot(app)
    login(client, team["facilitator"])
    w = f"/workspaces/{world.sides['own'].workspace_id}"
    failures = []
    for number in (2**31, 2**63, 10**20):
        for method, url, data in (
            ("GET", f"/workspaces/{number}/", {}),
            ("POST", f"/workspaces/{number}/strategy", {"version": "1", "purpose": "x"}),
            ("POST", f"{w}/members/{number}/role", {"role": "analyst", "version": "1"}),
            ("POST", f"{w}/members/{number}/remove", {}),
            ("POST", f"{w}/invites/{number}/revoke", {}),
        ):
            response = client.open(url, method=method, data=data)
            if response.status_code != 404:
                failures.append(f"{method} {url}: expected 404, got {_answer(response)}")
    assert snapshot(app) == before
    assert not failures, f"{len(failures)} out-of-range ids not answered 404:\n" + "\n".join(
        failures
    )


def test_the_write_detector_sees_commits_and_ignores_rollbacks(app: Flask, team: dict) -> None:
    with committed_writes(app) as written, app.app_context():
        allow_system_access(db.session)
        workspace = db.session.get(Workspace, team["workspace_id"])
        assert workspace is not None
        workspace.purpose = "Rolled back"
        db.session.flush()
        db.session.rollback()
        assert written == []
        workspace = db.session.get(Workspace, team["workspace_id"])
        assert workspace is not None
        workspace.purpose = "Committed"
        db.session.commit()
    assert any(statement.startswith("UPDATE workspace") for statement in written), written
