"""StratML and ArchiMate exports of real workspaces; StratML import by the service and the CLI."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import func, select

from tests.conftest import SEEDS, make_user, make_workspace, seed
from tests.exchange_schemas import (
    ALLOWED_RELATIONSHIPS,
    ARCHIMATE,
    STRATML_PART1,
    STRATML_PART2,
    assert_valid,
)
from workbench.extensions import db
from workbench.models import (
    Change,
    Contribution,
    Factor,
    FactorCategory,
    Goal,
    Initiative,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Measurement,
    MetricObjective,
    Objective,
    Perspective,
    Polarity,
    Process,
    ProcessStep,
    RaciAssignment,
    Stakeholder,
    TqmPrinciple,
    Workspace,
)
from workbench.services import (
    factors,
    initiatives,
    matrix,
    metrics,
    objectives,
    operating,
    processes,
    seeding,
    workspaces,
)
from workbench.services.exchange_exports import run_export
from workbench.services.stratml_import import StratmlRefusedError, import_file
from workbench.services.tenancy import allow_system_access, scope_session, system_access

P1 = "{urn:ISO:std:iso:17469:tech:xsd:stratml_core}"
P2 = "{urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport}"
AM = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
HOSTILE = (
    '<script>alert("x")</script> ]]> &lt; =HYPERLINK("http://evil") file:///etc/passwd '
    "\x01\x08\x0b\x1b\ufffe"
)
UNICODE = "مرحبا שלום 你好 👩🏽‍💻"


def _demo(app: Flask) -> int:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        return workspace.id


def _exports(workspace_id: int) -> tuple[bytes, bytes, bytes]:
    scope_session(db.session, workspace_id)
    workspace = db.session.get_one(Workspace, workspace_id)
    return (
        run_export(db.session, workspace, "stratml-core"),
        run_export(db.session, workspace, "stratml"),
        run_export(db.session, workspace, "archimate"),
    )


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_exports_are_valid_and_match_the_database(app: Flask) -> None:
    workspace_id = _demo(app)
    with app.app_context():
        part1_bytes, part2_bytes, model_bytes = _exports(workspace_id)
        assert (part1_bytes, part2_bytes, model_bytes) == _exports(workspace_id)
        part1 = assert_valid(part1_bytes, STRATML_PART1)
        part2 = assert_valid(part2_bytes, STRATML_PART2)
        model = assert_valid(model_bytes, ARCHIMATE)

        objective_rows = db.session.scalars(select(Objective)).all()
        roots = [o for o in objective_rows if o.parent_id is None]
        assert len(roots) >= 2 and len(roots) < len(objective_rows)
        assert len(part1.findall(f"{P1}StrategicPlanCore/{P1}Goal")) == len(roots)
        assert len(part1.findall(f".//{P1}Objective")) == len(objective_rows) - len(roots)
        goal_ids = {g.findtext(f"{P1}Identifier") for g in part1.iter(f"{P1}Goal")}
        assert goal_ids == {f"id-objective-{o.id}" for o in roots}

        links = db.session.execute(select(MetricObjective.metric_id)).scalars().all()
        indicators = part2.findall(f".//{P2}PerformanceIndicator")
        assert len(indicators) == len(links) > 0
        # The plan speaks of the organisation: its own readings, not its sites'.
        readings = Counter(
            db.session.scalars(select(Measurement.metric_id).where(Measurement.site_id.is_(None)))
        )
        actuals = part2.findall(f".//{P2}ActualResult")
        assert len(actuals) == sum(readings[metric_id] for metric_id in links) > 0
        with_goal = {
            g.metric_id
            for g in db.session.scalars(select(Goal))
            if g.target is not None or g.baseline is not None
        }
        targets = part2.findall(f".//{P2}TargetResult")
        assert len(targets) == sum(1 for metric_id in links if metric_id in with_goal) > 0
        organisation = part2.find(f"{P2}StrategicPlanCore/{P2}Organization")
        assert len(organisation.findall(f"{P2}Stakeholder")) == _count(Stakeholder) > 0
        applied = set(db.session.scalars(select(InitiativePrinciple.principle_id)))
        tqm = [v for v in part2.iter(f"{P2}Value") if v.findtext(f"{P2}Name").startswith("TQM")]
        assert len(tqm) == len(applied) > 0

        elements = Counter(e.get(XSI_TYPE) for e in model.iter(f"{AM}element"))
        factor_rows = db.session.scalars(select(Factor)).all()
        assert elements["Assessment"] == len(factor_rows)
        assert elements["Driver"] == len({f.category for f in factor_rows})
        assert elements["Goal"] == len(roots)
        assert elements["Outcome"] == len(objective_rows) - len(roots)
        assert elements["WorkPackage"] == _count(Initiative)
        assert elements["Stakeholder"] == _count(Stakeholder)
        assert elements["BusinessProcess"] == _count(Process) > 0
        assert elements["Principle"] == len(applied)

        relations = list(model.iter(f"{AM}relationship"))
        kinds = Counter(r.get(XSI_TYPE) for r in relations)
        nested = len(objective_rows) - len(roots)
        assert kinds["Realization"] == _count(InitiativeObjective) + nested
        assert kinds["Triggering"] == _count(InitiativeDependency)
        raci_pairs = set(
            db.session.execute(
                select(ProcessStep.process_id, RaciAssignment.stakeholder_id).join(
                    ProcessStep, ProcessStep.id == RaciAssignment.step_id
                )
            )
        )
        assert kinds["Association"] == (
            len(factor_rows)
            + _count(InitiativeFactor)
            + _count(InitiativePrinciple)
            + len(raci_pairs)
        )
        polarity = {f"id-factor-{f.id}": f.polarity.value for f in factor_rows}
        influences = [r for r in relations if r.get(XSI_TYPE) == "Influence"]
        assert influences and {r.get("modifier") for r in influences} == {"+", "-"}
        for relation in influences:
            expected = "-" if polarity[relation.get("source")] == "barrier" else "+"
            assert relation.get("modifier") == expected

        types = {e.get("identifier"): e.get(XSI_TYPE) for e in model.iter(f"{AM}element")}
        used = {
            (types[r.get("source")], r.get(XSI_TYPE), types[r.get("target")]) for r in relations
        }
        assert used <= ALLOWED_RELATIONSHIPS

        element_ids = set(types)
        views = model.findall(f"{AM}views/{AM}diagrams/{AM}view")
        assert len(views) == 1
        nodes = {n.get("identifier"): n.get("elementRef") for n in views[0].iter(f"{AM}node")}
        assert {ref for ref in nodes.values() if ref} == element_ids
        connections = views[0].findall(f"{AM}connection")
        assert len(connections) == len(relations)
        for connection in connections:
            assert connection.get("source") in nodes and connection.get("target") in nodes


def test_empty_workspace_exports_are_valid(app: Flask, team: dict[str, object]) -> None:
    seed(app)
    with app.app_context():
        part1, part2, model = _exports(int(team["workspace_id"]))
        assert_valid(part1, STRATML_PART1)
        assert_valid(part2, STRATML_PART2)
        root = assert_valid(model, ARCHIMATE)
        assert root.find(f"{AM}elements") is None


def _fill_hostile(app: Flask, workspace_id: int) -> None:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        texts = {name: f"{name} {HOSTILE} {UNICODE}" for name in ("purpose", "vision", "mission")}
        texts["values"] = f"- {UNICODE}\n- {HOSTILE}"
        workspaces.update_strategy(db.session, workspace, workspace.version, texts)
        goal = objectives.create_objective(
            db.session,
            {"title": f"{UNICODE} {HOSTILE}"[:200], "perspective": Perspective.CUSTOMER},
        )
        child = objectives.create_objective(
            db.session,
            {
                "title": HOSTILE,
                "description": UNICODE,
                "perspective": Perspective.FINANCIAL,
                "parent_id": goal.id,
                "owner": HOSTILE[:120],
            },
        )
        initiative = initiatives.create_initiative(
            db.session, {"title": HOSTILE, "description": UNICODE, "budget": 1000}
        )
        matrix.set_contribution(db.session, initiative.id, child.id, Contribution.STRONG, 0)
        barrier = factors.quick_add(
            db.session,
            FactorCategory.ENVIRONMENTAL_FACTOR,
            Polarity.BARRIER,
            4,
            [HOSTILE, UNICODE],
            None,
        )
        initiatives.set_factors(db.session, initiative.id, {barrier[0].id})
        with system_access(db.session):
            principle_id = db.session.scalar(select(TqmPrinciple.id).limit(1))
        matrix.set_principle(db.session, initiative.id, principle_id, True)
        person = operating.create_stakeholder(
            db.session,
            {"name": UNICODE, "kind": "person", "interest": 5, "influence": 1, "notes": HOSTILE},
        )
        process = processes.create_process(db.session, HOSTILE, UNICODE)
        step = processes.add_step(db.session, process.id, UNICODE, HOSTILE)
        processes.set_role(db.session, process.id, step.id, person.id, "A", 0)
        metric = metrics.create_metric(
            db.session,
            {"name": HOSTILE, "definition": UNICODE, "unit": "😀", "direction": "higher"},
        )
        metrics.set_objectives(db.session, metric.id, metrics.objectives_token(set()), {goal.id})
        metrics.save_goal(db.session, metric.id, 0, {"baseline": -3.5, "target": 1e-6})
        metrics.import_measurements(db.session, metric.id, "2026-01-05, 12.5")
        db.session.commit()


def test_hostile_and_unicode_workspace_exports_are_valid(
    app: Flask, team: dict[str, object]
) -> None:
    seed(app)
    workspace_id = int(team["workspace_id"])
    _fill_hostile(app, workspace_id)
    with app.app_context():
        part1, part2, model = _exports(workspace_id)
        root1 = assert_valid(part1, STRATML_PART1)
        root2 = assert_valid(part2, STRATML_PART2)
        assert_valid(model, ARCHIMATE)
        for document in (part1, part2, model):
            assert b"<script>" not in document and b"\x01" not in document
            assert UNICODE.encode() in document
        goal = root1.find(f".//{P1}Goal")
        assert goal.findtext(f"{P1}Name").startswith(UNICODE)
        assert "]]>" in goal.find(f"{P1}Objective").findtext(f"{P1}Name")
        target = root2.find(f".//{P2}TargetResult/{P2}NumberOfUnits")
        assert target.text == "0.000001"
        # What was exported comes back as it was, minus the characters XML cannot carry.
        plan_back = etree.fromstring(part1).findtext(f".//{P1}Objective/{P1}Name")
        assert (
            plan_back
            == HOSTILE.replace("\x01", "")
            .replace("\x08", "")
            .replace("\x0b", "")
            .replace("\x1b", "")
            .replace("\ufffe", "")
            .strip()
        )


def _tree(workspace_id: int) -> set[tuple[object, ...]]:
    scope_session(db.session, workspace_id)
    rows = db.session.scalars(select(Objective)).all()
    titles = {o.id: o.title for o in rows}
    return {
        (o.title, titles.get(o.parent_id), o.perspective, o.owner, o.due_date, o.description)
        for o in rows
    }


def test_round_trip_from_the_demo_into_an_empty_workspace(app: Flask) -> None:
    demo_id = _demo(app)
    owner = make_user(app, "ivy@example.org")
    target_id = make_workspace(app, owner, "Imported Hotels")
    with app.app_context():
        part1, _part2, _model = _exports(demo_id)
        expected = _tree(demo_id)
        scope_session(db.session, target_id)
        report = import_file(db.session, part1)
        db.session.commit()
        assert len(report.added) == len(expected) and not report.duplicates
        assert _tree(target_id) == expected
        creates = db.session.scalar(
            select(func.count(Change.id)).where(
                Change.entity == "Objective", Change.action == "create"
            )
        )
        assert creates == len(expected)

        # Importing again adds nothing and names every duplicate.
        scope_session(db.session, target_id)
        again = import_file(db.session, part1)
        db.session.commit()
        assert not again.added and len(again.duplicates) == len(expected)
        assert _tree(target_id) == expected


BROKEN_LATE = (
    b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>P</Name>'
    b"<StrategicPlanCore><Goal><Name>Fine goal</Name><Description/></Goal>"
    b"<Goal><Name>Second</Name><Description/><Objective><Name/></Objective></Goal>"
    b"</StrategicPlanCore></StrategicPlan>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>&x;</Name>'
    b"<StrategicPlanCore><Goal><Name>&x;</Name><Description/></Goal></StrategicPlanCore>"
    b"</StrategicPlan>"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (XXE, "DOCTYPE"),
        (BROKEN_LATE, "Goal 2, objective 1 has neither a name nor a description"),
        (b"not xml at all", "not well-formed"),
        (b'<StrategicPlan xmlns="urn:wrong"><Name>x</Name></StrategicPlan>', "expected"),
    ],
)
def test_refused_files_import_nothing(
    app: Flask, team: dict[str, object], data: bytes, message: str
) -> None:
    with app.app_context():
        scope_session(db.session, int(team["workspace_id"]))
        with pytest.raises(StratmlRefusedError) as caught:
            import_file(db.session, data)
        db.session.rollback()
        assert message in caught.value.message
        assert _count(Objective) == 0


def test_import_stratml_command(app: Flask, tmp_path: Path) -> None:
    demo_id = _demo(app)
    owner = make_user(app, "cli@example.org")
    target_id = make_workspace(app, owner, "Command Line Hotels")
    with app.app_context():
        part1, _part2, _model = _exports(demo_id)
        expected = len(_tree(demo_id))
        db.session.remove()
    plan = tmp_path / "plan.xml"
    plan.write_bytes(part1)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["import-stratml", str(plan), "Command Line Hotels"])
    assert first.exit_code == 0, first.output
    assert f"{expected} added, 0 already present." in first.output
    second = runner.invoke(args=["import-stratml", str(plan), str(target_id)])
    assert second.exit_code == 0, second.output
    assert f"0 added, {expected} already present." in second.output
    assert "already present, left alone: goal “" in second.output

    hostile = tmp_path / "hostile.xml"
    hostile.write_bytes(XXE)
    refused = runner.invoke(args=["import-stratml", str(hostile), str(target_id)])
    assert refused.exit_code != 0
    assert "DOCTYPE" in refused.output and "Nothing was imported." in refused.output
    missing = runner.invoke(args=["import-stratml", str(plan), "No Such Workspace"])
    assert missing.exit_code != 0 and "no workspace called" in missing.output
    with app.app_context():
        scope_session(db.session, target_id)
        assert _count(Objective) == expected
        labels = set(
            db.session.scalars(select(Change.user_label).where(Change.entity == "Objective"))
        )
        assert labels == {"import-stratml"}


@pytest.mark.parametrize(
    ("format_name", "schema_path"),
    [("stratml", STRATML_PART2), ("stratml-core", STRATML_PART1), ("archimate", ARCHIMATE)],
)
def test_registered_xml_formats_download_and_export_valid_files(
    app: Flask, tmp_path: Path, format_name: str, schema_path: Path
) -> None:
    workspace_id = _demo(app)
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "demo@example.org", "password": "harbourline-demo"}
    )
    assert signed_in.status_code == 302
    page = client.get(f"/workspaces/{workspace_id}/exchange").get_data(as_text=True)
    assert f'name="export_format" value="{format_name}"' in page
    download = client.get(f"/workspaces/{workspace_id}/export/{format_name}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('.xml"')
    assert_valid(download.get_data(), schema_path)
    out = tmp_path / "plan.xml"
    with app.app_context():  # as the `workbench` command provides one
        result = app.test_cli_runner().invoke(
            args=["export", str(workspace_id), "--format", format_name, "--out", str(out)]
        )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == download.get_data()
