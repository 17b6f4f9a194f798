"""The sidebar's progress: every figure in one statement, each workspace counting only its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import event, select

from tests.conftest import make_user, make_workspace
from workbench.extensions import db
from workbench.models import (
    CommunicationPlan,
    Factor,
    FactorCategory,
    FailureScenario,
    Goal,
    Initiative,
    InitiativeObjective,
    Metric,
    OrgUnit,
    Polarity,
    ProcessStep,
    RaciAssignment,
    Stakeholder,
    Workspace,
)
from workbench.services import factors, processes, progress, seeding
from workbench.services.tenancy import scope_session, system_access

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _demo_and_empty(app: Flask) -> tuple[int, int]:
    with app.app_context():
        seeding.load_catalogues(db.session, SEEDS)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        demo_id = demo.id
    other = make_workspace(app, make_user(app, "other@example.org"), "Other Rail")
    return demo_id, other


def _statements(app: Flask) -> list[str]:
    seen: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def _progress(app: Flask, workspace_id: int) -> dict[str, progress.Progress]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        return progress.phase_progress(db.session, workspace)


def test_every_figure_comes_in_one_statement(app: Flask) -> None:
    demo_id, _other = _demo_and_empty(app)
    seen = _statements(app)
    with app.app_context():
        scope_session(db.session, demo_id)
        workspace = db.session.get_one(Workspace, demo_id)
        seen.clear()
        progress.phase_progress(db.session, workspace)
        selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1, selects


def test_demo_is_complete_and_an_empty_workspace_counts_nothing_of_it(app: Flask) -> None:
    demo_id, other = _demo_and_empty(app)
    demo = _progress(app, demo_id)
    # The demo leaves one initiative unlinked and a RACI step without one party Accountable
    # on purpose, so the gap analysis and the RACI check each have a finding.
    assert demo["overall"].missing == (
        "Every initiative linked to an objective",
        "Recovery process defined with responsibilities",
    )
    empty = _progress(app, other)
    assert empty["overall"].done == 0
    assert "Business needs recorded" in empty["assessment"].missing


def test_figures_match_a_plain_count_of_the_workspace_rows(app: Flask) -> None:
    demo_id, other = _demo_and_empty(app)
    with app.app_context():
        for workspace_id in (demo_id, other):
            values = progress.figures(db.session, workspace_id)
            with system_access(db.session):

                def count(column, *where, ws=workspace_id):  # type: ignore[no-untyped-def]
                    model = column.class_
                    query = select(column).where(model.workspace_id == ws, *where)
                    return len(set(db.session.scalars(query)))

                assert values["initiatives"] == count(Initiative.id)
                assert values["initiatives_linked"] == count(InitiativeObjective.initiative_id)
                assert values["goals"] == count(Goal.id)
                assert values["failure_scenarios"] == count(FailureScenario.id)
                assert values["metric_departments"] == count(Metric.department)
                assert values["target_units"] == count(OrgUnit.id, OrgUnit.structure == "target")
                assert values["factors_business_need"] == count(
                    Factor.id, Factor.category == FactorCategory.BUSINESS_NEED
                )
        assert progress.figures(db.session, other)["initiatives"] == 0
        assert progress.figures(db.session, demo_id)["initiatives"] > 0


def test_a_department_without_a_plan_leaves_communication_undone(app: Flask) -> None:
    demo_id, _other = _demo_and_empty(app)
    assert _progress(app, demo_id)["metrics"].missing == ()
    with app.app_context():
        scope_session(db.session, demo_id)
        plans = db.session.scalars(select(CommunicationPlan)).all()
        department = plans[0].department
        for plan in plans:
            if plan.department == department:
                db.session.delete(plan)
        db.session.commit()
        unplanned = progress.figures(db.session, demo_id)["unplanned_departments"]
        assert unplanned == 1
    assert _progress(app, demo_id)["metrics"].missing == ("Communication plan for each department",)


def test_a_factor_added_in_one_workspace_shows_only_there(app: Flask) -> None:
    _demo_id, other = _demo_and_empty(app)
    with app.app_context():
        scope_session(db.session, other)
        factors.quick_add(
            db.session,
            FactorCategory.TECHNOLOGY_DRIVER,
            Polarity.ENABLER,
            3,
            ["Cloud contact centre"],
            None,
        )
        db.session.commit()
        assert progress.figures(db.session, other)["factors_technology_driver"] == 1
    result = _progress(app, other)
    assert result["assessment"].done == 1
    assert "Technology drivers recorded" not in result["assessment"].missing


def test_every_step_has_a_declared_check_whatever_the_process_imported() -> None:
    # A fresh interpreter that imports the progress service alone, as a worker might.
    script = (
        "from workbench.services import progress\n"
        "steps = {(p.key, s.key) for p in progress.PHASES for s in p.steps}\n"
        "print(len(steps), len(set(progress.CHECKS) & steps), len(set(progress.CHECKS) - steps))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    steps, checked, unknown = (int(n) for n in result.stdout.split())
    assert steps == 22
    assert checked == steps
    assert unknown == 0


def test_the_process_step_is_done_only_when_every_raci_step_is_sound(app: Flask) -> None:
    demo_id, _other = _demo_and_empty(app)
    with app.app_context():
        scope_session(db.session, demo_id)
        unsound = {
            v.step_id
            for matrix in processes.matrices(db.session)
            for v in matrix.report.errors
            if v.step_id is not None
        }
        assert progress.figures(db.session, demo_id)["unsound_raci_steps"] == len(unsound) > 0
        for step_id in unsound:
            for row in db.session.scalars(
                select(RaciAssignment).where(RaciAssignment.step_id == step_id)
            ):
                db.session.delete(row)
        db.session.commit()
        assert progress.figures(db.session, demo_id)["unsound_raci_steps"] == len(unsound)
        steps = {s.id for s in db.session.scalars(select(ProcessStep))}
        person = db.session.scalars(select(Stakeholder)).first()
        for step_id in unsound:
            db.session.add(RaciAssignment(step_id=step_id, stakeholder_id=person.id, role="A"))
            other = db.session.scalars(
                select(Stakeholder).where(Stakeholder.id != person.id)
            ).first()
            db.session.add(RaciAssignment(step_id=step_id, stakeholder_id=other.id, role="R"))
        assert unsound <= steps
        db.session.commit()
        assert progress.figures(db.session, demo_id)["unsound_raci_steps"] == 0
    assert (
        "Recovery process defined with responsibilities"
        not in _progress(app, demo_id)["operating_model"].missing
    )
