"""Phase 2 pages and the storyboard's report context issue a constant number of SQL queries,
whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.conftest import login, seed
from workbench.database import writes_intended
from workbench.extensions import db
from workbench.models import (
    CanvasItem,
    Contribution,
    Direction,
    Factor,
    FactorCategory,
    FailureScenario,
    FrictionPoint,
    Goal,
    Initiative,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Measurement,
    Metric,
    Milestone,
    Objective,
    OrgUnit,
    Perspective,
    Polarity,
    Process,
    ProcessStep,
    RaciAssignment,
    ScenarioInitiative,
    Stakeholder,
    StoryboardSnapshot,
    TqmPrinciple,
    Workspace,
)
from workbench.services import storyboard
from workbench.services.report_context import build_context
from workbench.services.report_values import ReportContext
from workbench.services.tenancy import scope_session, system_access

PAGES = (
    "",  # the workspace overview, with its delivery panel
    "alignment/matrix",
    "alignment/principles",
    "alignment/",
    "alignment/graph",
    "alignment/roadmap",
    "alignment/initiatives",
    "alignment/risks",
)


def _grow(app: Flask, workspace_id: int, initiatives: int) -> None:
    """Bring the workspace to the given number of initiatives, each linked three ways."""
    with app.app_context():
        with system_access(db.session):
            principle_ids = list(db.session.scalars(select(TqmPrinciple.id)))
        scope_session(db.session, workspace_id)
        objectives = list(db.session.scalars(select(Objective)))
        factors = list(db.session.scalars(select(Factor)))
        if not objectives:
            objectives = [
                Objective(title=f"Objective {n}", perspective=Perspective.CUSTOMER)
                for n in range(5)
            ]
            factors = [
                Factor(
                    category=FactorCategory.BUSINESS_NEED,
                    polarity=Polarity.BARRIER,
                    importance=3,
                    title=f"Barrier {n}",
                )
                for n in range(5)
            ]
            db.session.add_all(objectives + factors)
            db.session.flush()
        existing = len(db.session.scalars(select(Initiative.id)).all())
        for n in range(existing, initiatives):
            initiative = Initiative(title=f"Initiative {n}", department=f"dept {n % 4}")
            db.session.add(initiative)
            db.session.flush()
            db.session.add_all(
                [
                    InitiativeObjective(
                        initiative_id=initiative.id,
                        objective_id=objectives[n % 5].id,
                        contribution=Contribution.MODERATE,
                    ),
                    InitiativePrinciple(
                        initiative_id=initiative.id,
                        principle_id=principle_ids[n % len(principle_ids)],
                    ),
                    InitiativeFactor(initiative_id=initiative.id, factor_id=factors[n % 5].id),
                    # Milestones give each row a health and flags: still no query per row.
                    Milestone(
                        initiative_id=initiative.id,
                        title=f"Milestone {n}",
                        due_date=date(2026, 1, 1 + n % 28),
                    ),
                ]
            )
        db.session.commit()


@contextmanager
def _counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries(app: Flask, client: FlaskClient, workspace_id: int) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with _counting(app) as statements:
            response = client.get(f"/workspaces/{workspace_id}/{page}")
            assert response.status_code == 200, page
        counts[page] = len(statements)
    return counts


def test_pages_issue_the_same_queries_at_10_and_300_initiatives(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    _grow(app, wid, 10)
    small = _queries(app, client, wid)
    _grow(app, wid, 300)
    large = _queries(app, client, wid)
    assert small == large, {"10": small, "300": large}
    assert all(count < 40 for count in large.values()), large


def test_the_list_of_published_versions_reads_no_pdf(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        for number in (1, 2):
            db.session.add(
                StoryboardSnapshot(
                    number=number,
                    fingerprint="f" * 64,
                    author_label="Fran",
                    page_count=1,
                    pdf=b"%PDF-1.7 " + b"x" * 100_000,
                    context={"pages": number},
                )
            )
        db.session.commit()
        db.session.expunge_all()
        with _counting(app) as statements:
            listed = storyboard.snapshots(db.session)
        assert [s.number for s in listed] == [2, 1]
        selected = " ".join(statements).lower()
        assert "storyboard_snapshot.number" in selected
        assert "storyboard_snapshot.pdf" not in selected
        assert "storyboard_snapshot.context" not in selected
        # Asked for, the PDF still loads.
        assert listed[0].pdf.startswith(b"%PDF")


def _grow_report(app: Flask, workspace_id: int, rows: int) -> None:
    """Bring every register the storyboard reads to `rows` rows (on top of _grow's)."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        initiatives = list(db.session.scalars(select(Initiative.id)))
        have = len(db.session.scalars(select(Process.id)).all())
        for n in range(have, rows):
            stakeholder = Stakeholder(name=f"Party {n}", interest=1 + n % 5, influence=1 + n % 3)
            process = Process(name=f"Process {n}")
            metric = Metric(
                name=f"Metric {n}", direction=Direction.HIGHER, department=f"dept {n % 4}"
            )
            scenario = FailureScenario(name=f"Scenario {n}", compensation_type="voucher")
            db.session.add_all([stakeholder, process, metric, scenario])
            db.session.add_all(
                [
                    OrgUnit(structure="current", name=f"Unit {n}"),
                    OrgUnit(structure="target", name=f"Unit {n}" if n % 2 else f"New unit {n}"),
                    CanvasItem(kind="challenge", title=f"Challenge {n}"),
                    FrictionPoint(stage_key="trust", description=f"Friction {n}", severity=3),
                ]
            )
            db.session.flush()
            steps = [
                ProcessStep(process_id=process.id, position=p, name=f"Step {p}") for p in (1, 2)
            ]
            db.session.add_all(steps)
            db.session.flush()
            db.session.add_all(
                [
                    RaciAssignment(step_id=steps[0].id, stakeholder_id=stakeholder.id, role="A"),
                    RaciAssignment(step_id=steps[1].id, stakeholder_id=stakeholder.id, role="R"),
                    Goal(
                        metric_id=metric.id,
                        baseline=10.0,
                        target=20.0,
                        baseline_date=date(2025, 1, 1),
                        target_date=date(2027, 1, 1),
                    ),
                    Measurement(metric_id=metric.id, measured_on=date(2025, 6, 1), value=12.0),
                    Measurement(metric_id=metric.id, measured_on=date(2025, 9, 1), value=14.0),
                    ScenarioInitiative(
                        scenario_id=scenario.id, initiative_id=initiatives[n % len(initiatives)]
                    ),
                ]
            )
        db.session.commit()


def _report_queries(app: Flask, workspace_id: int) -> tuple[int, ReportContext]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        with _counting(app) as statements:
            report = build_context(db.session, workspace, date(2026, 3, 1))
        db.session.rollback()
        return len(statements), report


def test_report_context_issues_the_same_queries_at_10_and_200_rows(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    _grow(app, wid, 10)
    _grow_report(app, wid, 10)
    small, small_report = _report_queries(app, wid)
    _grow(app, wid, 200)
    _grow_report(app, wid, 200)
    large, large_report = _report_queries(app, wid)
    assert len(small_report.operating.processes) == 10
    assert len(large_report.operating.processes) == 200
    assert sum(len(d.metrics) for d in large_report.metrics.departments) == 200
    assert len(large_report.operating.scenarios) == 200
    assert small == large, {"10": small, "200": large}
    # A fixed budget: each chapter adds its few reads (the application portfolio, stories,
    # training, drills, process links and sites take one or two each).
    assert large < 70, large


def test_ticking_a_cell_takes_two_transactions_and_the_write_lock_once(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    """Who asks is read first; the tick and its answer share one writing transaction."""
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    _grow(app, wid, 1)
    with app.app_context():
        scope_session(db.session, wid)
        initiative_id = db.session.scalars(select(Initiative.id)).one()
        linked = set(db.session.scalars(select(InitiativeObjective.objective_id)))
        objective_id = next(
            o
            for o in db.session.scalars(select(Objective.id).order_by(Objective.id))
            if o not in linked
        )
        engine = db.engine
    begun: list[bool] = []

    def on_begin(_conn) -> None:  # type: ignore[no-untyped-def]
        begun.append(writes_intended())

    event.listen(engine, "begin", on_begin)
    try:
        with _counting(app) as statements:
            response = client.post(
                f"/workspaces/{wid}/alignment/matrix/cell",
                data={
                    "initiative_id": initiative_id,
                    "objective_id": objective_id,
                    "version": "0",
                    "contribution": "strong",
                },
                headers={"HX-Request": "true"},
            )
    finally:
        event.remove(engine, "begin", on_begin)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    # Before the unit of work: 3 transactions, 2 of them writing, 8 statements besides BEGIN.
    # SQLite reads who asks in a transaction of its own, then takes the write lock once;
    # PostgreSQL locks nothing at BEGIN, so its one transaction reads on into the writes.
    assert begun == ([False, True] if engine.dialect.name == "sqlite" else [False])
    work = [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]
    assert len(work) <= 7, work
