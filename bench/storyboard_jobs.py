"""Two figures of bench/storyboard.py that need the app: publish to ready, and query counts.

- `publish_to_ready`: a facilitator asks to publish through the app (the publish form);
  the job runs in the app's worker thread, as it does without Redis; the time runs until
  the job has stored the PDF as the next version.
- `context_queries`: the SQL statements the report context issues for the demo, and again
  after every register it reads holds `factor` times the demo's rows.

Imported by bench/storyboard.py; it runs nothing itself.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "harbourline-demo"


def _app(folder: Path) -> Any:
    from workbench.app import create_app

    # The form token is not what is measured; the job backend is the default (no Redis).
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )


def publish_to_ready(folder: Path, workspace_id: int, timeout: float = 600) -> float:
    """Return the seconds from the publish request to the PDF stored by the job."""
    from sqlalchemy import select

    from workbench.extensions import db
    from workbench.models import Job, JobStatus, StoryboardSnapshot
    from workbench.services.tenancy import scope_session

    app = _app(folder)
    client = app.test_client()
    answer = client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"the demo login failed ({answer.status_code})")
    started = time.perf_counter()
    answer = client.post(f"/workspaces/{workspace_id}/storyboard/publish", data={})
    if answer.status_code != 303:
        raise RuntimeError(f"publishing was refused ({answer.status_code})")
    job_id = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    while time.perf_counter() - started < timeout:
        with app.app_context():
            scope_session(db.session, workspace_id)
            job = db.session.get(Job, job_id)
            status = job.status if job is not None else None
            stored = db.session.scalar(select(StoryboardSnapshot.id).limit(1))
            db.session.remove()
        if status == JobStatus.DONE and stored is not None:
            return time.perf_counter() - started
        if status == JobStatus.FAILED:
            raise RuntimeError("the publishing job failed")
        time.sleep(0.02)
    raise RuntimeError("the publishing job did not finish in time")


def context_queries(
    folder: Path, workspace_id: int, factor: int
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return (statements, initiatives in the report) at 1x and at `factor`x the demo."""
    from sqlalchemy import event

    from workbench.extensions import db
    from workbench.models import Workspace
    from workbench.services.report_context import build_context
    from workbench.services.tenancy import scope_session

    app = _app(folder)
    counts = []
    for times in (1, factor):
        with app.app_context():
            scope_session(db.session, workspace_id)
            if times > 1:
                _grow(db.session, times)
            statements: list[str] = []

            def count(*_args: Any, seen: list[str] = statements) -> None:
                seen.append("statement")

            workspace = db.session.get_one(Workspace, workspace_id)
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                report = build_context(db.session, workspace, date.today())
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            db.session.rollback()
            counts.append((len(statements), len(report.as_dict()["alignment"]["initiatives"])))
    return counts[0], counts[1]


def _grow(session: Any, times: int) -> None:
    """Bring every register the storyboard reads to `times` its rows, linked like the demo's."""
    from sqlalchemy import func, select

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
        Objective,
        OrgUnit,
        Perspective,
        Polarity,
        Process,
        ProcessStep,
        RaciAssignment,
        ScenarioInitiative,
        Stakeholder,
        TqmPrinciple,
    )
    from workbench.services.tenancy import system_access

    def rows(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    with system_access(session):
        principles = list(session.scalars(select(TqmPrinciple.id)))
    extra = {
        name: rows(model) * (times - 1)
        for name, model in (
            ("factors", Factor),
            ("objectives", Objective),
            ("initiatives", Initiative),
            ("processes", Process),
            ("metrics", Metric),
            ("scenarios", FailureScenario),
            ("stakeholders", Stakeholder),
            ("units", OrgUnit),
            ("canvas", CanvasItem),
            ("friction", FrictionPoint),
        )
    }
    factors = [
        Factor(
            category=list(FactorCategory)[n % 4],
            polarity=list(Polarity)[n % 3],
            importance=1 + n % 5,
            title=f"Grown factor {n}",
        )
        for n in range(extra["factors"])
    ]
    objectives = [
        Objective(title=f"Grown objective {n}", perspective=Perspective.CUSTOMER)
        for n in range(extra["objectives"])
    ]
    session.add_all(factors + objectives)
    session.flush()
    initiatives = [Initiative(title=f"Grown initiative {n}") for n in range(extra["initiatives"])]
    session.add_all(initiatives)
    session.flush()
    for n, initiative in enumerate(initiatives):
        session.add_all(
            [
                InitiativeObjective(
                    initiative_id=initiative.id,
                    objective_id=objectives[n % len(objectives)].id,
                    contribution=Contribution.MODERATE,
                ),
                InitiativePrinciple(
                    initiative_id=initiative.id, principle_id=principles[n % len(principles)]
                ),
                InitiativeFactor(
                    initiative_id=initiative.id, factor_id=factors[n % len(factors)].id
                ),
            ]
        )
    stakeholders = [
        Stakeholder(name=f"Grown party {n}", interest=1 + n % 5, influence=1 + n % 3)
        for n in range(max(1, extra["stakeholders"]))
    ]
    processes = [Process(name=f"Grown process {n}") for n in range(extra["processes"])]
    metrics = [
        Metric(name=f"Grown metric {n}", direction=Direction.HIGHER)
        for n in range(extra["metrics"])
    ]
    scenarios = [
        FailureScenario(name=f"Grown scenario {n}", compensation_type="voucher")
        for n in range(extra["scenarios"])
    ]
    session.add_all(stakeholders + processes + metrics + scenarios)
    session.add_all(
        [OrgUnit(structure="target", name=f"Grown unit {n}") for n in range(extra["units"])]
        + [CanvasItem(kind="challenge", title=f"Grown item {n}") for n in range(extra["canvas"])]
        + [
            FrictionPoint(stage_key="trust", description=f"Grown friction {n}", severity=3)
            for n in range(extra["friction"])
        ]
    )
    session.flush()
    for n, process in enumerate(processes):
        step = ProcessStep(process_id=process.id, position=1, name=f"Step of {n}")
        session.add(step)
        session.flush()
        session.add(
            RaciAssignment(
                step_id=step.id, stakeholder_id=stakeholders[n % len(stakeholders)].id, role="A"
            )
        )
    for metric in metrics:
        session.add_all(
            [
                Goal(
                    metric_id=metric.id,
                    baseline=10.0,
                    target=20.0,
                    baseline_date=date(2025, 1, 1),
                    target_date=date(2027, 1, 1),
                ),
                Measurement(metric_id=metric.id, measured_on=date(2025, 6, 1), value=12.0),
            ]
        )
    for n, scenario in enumerate(scenarios):
        if initiatives:
            session.add(
                ScenarioInitiative(
                    scenario_id=scenario.id, initiative_id=initiatives[n % len(initiatives)].id
                )
            )
    session.flush()
