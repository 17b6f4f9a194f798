"""The department register: one list of departments, read by its display names everywhere."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, text

from tests.conftest import BASE_CONFIG, form_version, login, seed
from tests.integration.api_support import API, call, make_token
from tests.integration.test_exchange_workbook import column_of, edited, export, plan
from workbench.app import create_app
from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.extensions import db
from workbench.models import (
    Department,
    Direction,
    Initiative,
    Metric,
    MetricObjective,
    Objective,
    Perspective,
    User,
    Workspace,
)
from workbench.services import (
    communication,
    departments,
    exchange,
    exchange_workbook,
    initiatives,
    metrics,
    report_context,
    workshop_guide,
)
from workbench.services import (
    plan as plan_service,
)
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import allow_system_access, scope_session


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
            db.session,
            {"department": "Marketing", "audience": "All", "channel": "Mail", "cadence": "monthly"},
            set(),
        )
        db.session.commit()


def _registered(app: Flask, workspace_id: int) -> dict[str, str]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return departments.names(db.session)


def test_named_departments_join_the_register_once(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    # Text naming no department becomes one entry; the same text again finds it.
    assert _registered(app, wid) == {
        "service": "Customer service",
        "it": "IT",
        "marketing": "Marketing",
    }
    with app.app_context():
        scope_session(db.session, wid)
        rows = {i.title: i.department for i in db.session.scalars(select(Initiative))}
        assert rows == {"A": "service", "B": "it", "C": "", "D": "service"}
        # A key or a display name in any case finds the department; nothing is added.
        for typed in ("it", "IT", " it ", "customer SERVICE", "Service"):
            assert departments.resolve(db.session, typed) in {"it", "service"}
        assert len(departments.names(db.session)) == 3
    assert _registered(app, team["foreign_id"]) == {}


def test_one_function_for_the_filters_and_the_workshop_boards(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        # Empty names are left out; the order is that of the display names, whatever the case.
        assert plan_service.departments(db.session) == [
            ("service", "Customer service"),
            ("it", "IT"),
        ]
        assert [name for _k, name in plan_service.departments(db.session, True)] == [
            "Customer service",
            "IT",
            "Marketing",
        ]
        steps = {step.key: step for step in workshop_guide.GUIDE}
        involved, unnamed, named = workshop_guide.board(db.session, steps["functions"])
        assert named.lines == ("Customer service", "IT", "Marketing")
        # Nobody has named the functions involved yet: the initiatives' departments wait.
        assert involved.lines == () and unnamed.lines == ("Customer service", "IT")
        planned, waiting = workshop_guide.board(db.session, steps["communication"])
        assert waiting.lines == ("Customer service", "IT")
        assert planned.lines == ("Marketing: Mail, monthly",)
        boards = workshop_guide.board(db.session, steps["metrics"])
        assert [group.title for group in boards] == [
            "Customer service",
            "Marketing",
            "No department",
        ]
    # The Phase 2 filter offers the initiatives' departments only, by key, showing the name.
    login(client, team["analyst"])
    page = client.get(f"/workspaces/{wid}/alignment/initiatives").get_data(as_text=True)
    assert '<option value="it" >IT</option>' in page
    assert '<option value="marketing" >Marketing</option>' not in page
    filtered = client.get(f"/workspaces/{wid}/alignment/initiatives?department=it")
    html = filtered.get_data(as_text=True)
    assert ">B</a>" in html and ">A</a>" not in html


def test_pages_show_display_names_not_keys(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        initiatives.create_initiative(db.session, {"title": "Portal", "department": "it"})
        initiatives.create_initiative(db.session, {"title": "Training", "department": "hr"})
        metric = metrics.create_metric(
            db.session,
            {"name": "FCR", "unit": "percent", "direction": Direction.HIGHER, "department": "it"},
        )
        plan = communication.create_plan(
            db.session, {"department": "hr", "audience": "Staff", "channel": "Intranet"}, set()
        )
        db.session.commit()
        metric_id, plan_id = metric.id, plan.id
    login(client, team["executive"])
    base = f"/workspaces/{wid}"
    pages = {
        "initiatives": f"{base}/alignment/initiatives",
        "matrix": f"{base}/alignment/matrix",
        "scorecard": f"{base}/metrics/",
        "metric": f"{base}/metrics/{metric_id}",
        "department": f"{base}/metrics/department?name=it",
        "communication": f"{base}/metrics/communication",
        "one-pager": f"{base}/metrics/communication/{plan_id}/print",
        "register": f"{base}/operating/departments",
    }
    for label, url in pages.items():
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, label
        assert "IT" in page or "Human resources" in page, label
        assert ">it<" not in page and ">hr<" not in page, label
    assert "IT: scorecard" in client.get(pages["department"]).get_data(as_text=True)
    assert "Human resources: the metrics" in client.get(pages["one-pager"]).get_data(as_text=True)
    # A rename shows at once on every page, and the rows keep their key.
    client = app.test_client()
    login(client, team["analyst"])
    with app.app_context():
        scope_session(db.session, wid)
        it = db.session.scalars(select(Department).where(Department.key == "it")).one()
        it_id, version = it.id, it.version
    saved = client.post(
        f"{base}/operating/departments/{it_id}",
        data={"name": "Information technology", "version": str(version)},
    )
    assert saved.status_code == 303
    assert "Information technology" in client.get(pages["initiatives"]).get_data(as_text=True)
    assert "Information technology" in client.get(pages["metric"]).get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalar(select(Metric.department)) == "it"


def test_register_add_rename_conflict_and_roles(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/operating/departments"
    login(client, team["analyst"])
    added = client.post(url, data={"name": "Human resources", "owner": "Hana", "description": ""})
    assert added.status_code == 303
    assert _registered(app, wid) == {"human-resources": "Human resources"}
    # A second department of the same name (in any case) is refused beside the field.
    twice = client.post(url, data={"name": "human RESOURCES"})
    assert twice.status_code == 400
    assert "There is already a department called “human RESOURCES”" in twice.get_data(as_text=True)
    blank = client.post(url, data={"name": "   "})
    assert blank.status_code == 400 and "Give the department a name." in blank.get_data(
        as_text=True
    )
    long = client.post(url, data={"name": "x" * 81})
    assert long.status_code == 400
    assert len(_registered(app, wid)) == 1
    with app.app_context():
        scope_session(db.session, wid)
        row_id = db.session.scalar(select(Department.id))
    edit = f"{url}/{row_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    renamed = client.post(edit, data={"name": "People", "owner": "Hana", "version": version})
    assert renamed.status_code == 303
    # A colleague's stale save of another name is a conflict, never a silent overwrite.
    stale = client.post(edit, data={"name": "Staff", "owner": "Hana", "version": version})
    assert stale.status_code == 409
    assert "People" in stale.get_data(as_text=True)
    # A stale save of a field nobody else changed merges.
    merged = client.post(edit, data={"name": "People", "owner": "Harriet", "version": version})
    assert merged.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.get_one(Department, row_id)
        assert (row.key, row.name, row.owner) == ("human-resources", "People", "Harriet")
    # Executives read the register but neither see the forms nor may post them.
    client = app.test_client()
    login(client, team["executive"])
    page = client.get(url).get_data(as_text=True)
    assert "People" in page and "Add a department" not in page
    assert "Delete department" not in client.get(edit).get_data(as_text=True)
    assert client.post(url, data={"name": "Legal"}).status_code == 403
    assert client.post(f"{edit}/delete").status_code == 403
    assert _registered(app, wid) == {"human-resources": "People"}
    # Another workspace's department is not found through this one.
    client = app.test_client()
    login(client, team["outsider"])
    assert client.get(edit).status_code == 404


def test_delete_is_refused_while_the_department_is_named(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    login(client, team["analyst"])
    with app.app_context():
        scope_session(db.session, wid)
        ids = {row.key: row.id for row in db.session.scalars(select(Department))}
    url = f"/workspaces/{wid}/operating/departments"
    refused = client.post(f"{url}/{ids['service']}/delete", follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "“Customer service” cannot be deleted while 2 initiatives (“A”, “D”)" in page
    assert "1 metric (“FCR”)" in page and "Move them to another department first." in page
    assert "service" in _registered(app, wid)
    # Once nothing names it, it goes.
    with app.app_context():
        scope_session(db.session, wid)
        for row in db.session.scalars(select(Initiative).where(Initiative.department == "it")):
            row.department = "service"
        db.session.commit()
    gone = client.post(f"{url}/{ids['it']}/delete")
    assert gone.status_code == 303
    assert "it" not in _registered(app, wid)


def test_forms_choose_from_the_register_or_add_a_department(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/initiatives"
    page = client.get(url).get_data(as_text=True)
    assert '<select id="department" name="department"' in page
    assert '<option value="marketing">Marketing</option>' in page
    assert 'name="new_department"' in page
    chosen = client.post(url, data={"title": "Chatbot", "department": "marketing"})
    assert chosen.status_code == 303
    added = client.post(
        url, data={"title": "Complaints desk", "department": "it", "new_department": "Legal"}
    )
    assert added.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        rows = dict(db.session.execute(select(Initiative.title, Initiative.department)).all())
    assert rows["Chatbot"] == "marketing" and rows["Complaints desk"] == "legal"
    assert _registered(app, wid)["legal"] == "Legal"
    # A communication plan needs a department: chosen, or added by name.
    plans = f"/workspaces/{wid}/metrics/communication"
    empty = client.post(plans, data={"audience": "Desk", "channel": "Huddle", "version": "0"})
    assert empty.status_code == 400
    new = client.post(
        plans,
        data={"new_department": "Front office", "audience": "Desk", "channel": "Huddle"},
    )
    assert new.status_code == 303, new.get_data(as_text=True)[:2000]
    assert _registered(app, wid)["front-office"] == "Front office"


def test_the_storyboard_names_departments_by_their_display_names(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    seed(app)
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Department).where(Department.key == "it")).one()
        departments.update_department(db.session, row.id, row.version, {"name": "Digital"})
        db.session.commit()
        workspace = db.session.get_one(Workspace, wid)
        context = report_context.build_context(db.session, workspace, date(2026, 12, 4))
    shown = {i.title: i.department for i in context.alignment.initiatives}
    assert shown == {
        "A": "Customer service",
        "B": "Digital",
        "C": "No department",
        "D": "Customer service",
    }
    assert [line.label for line in context.alignment.budget.by_department] == [
        "Customer service",
        "Digital",
        "No department",
    ]
    assert [d.name for d in context.metrics.departments] == [
        "Customer service",
        "Marketing",
        "No department",
    ]
    assert [p.department for p in context.metrics.plans] == ["Marketing"]


def _export_json(app: Flask, workspace_id: int) -> dict[str, Any]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        return json.loads(run_export(db.session, workspace, "json"))


def test_backup_carries_the_register_and_display_names_and_round_trips(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        departments.create_department(
            db.session, {"name": "Legal", "description": "Contracts", "owner": "Lee"}
        )
        db.session.commit()
    first = _export_json(app, wid)
    # Nobody has named a function as involved in a workshop yet.
    no = {"involved": False}
    assert first["registers"]["departments"] == [
        {"key": "DE1", "name": "Customer service", "description": "", "owner": "", **no},
        {"key": "DE2", "name": "IT", "description": "", "owner": "", **no},
        {"key": "DE3", "name": "Marketing", "description": "", "owner": "", **no},
        {"key": "DE4", "name": "Legal", "description": "Contracts", "owner": "Lee", **no},
    ]
    assert [row["department"] for row in first["registers"]["initiatives"]] == [
        "Customer service",
        "IT",
        "",
        "Customer service",
    ]
    assert first["registers"]["plans"][0]["department"] == "Marketing"
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
    second = _export_json(app, report.workspace_id)
    older = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    assert _registered(app, report.workspace_id) == {
        "customer-service": "Customer service",
        "it": "IT",
        "marketing": "Marketing",
        "legal": "Legal",
    }
    # A backup made before the register existed is still read; its texts join the register.
    del older["registers"]["departments"]
    older["registers"]["initiatives"][1]["department"] = "hr"
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        restored = exchange.restore(db.session, owner, backup.load(json.dumps(older).encode()))
        db.session.commit()
    assert _registered(app, restored.workspace_id) == {
        "customer-service": "Customer service",
        "hr": "Human resources",
        "marketing": "Marketing",
    }


def test_xml_exports_and_the_api_show_display_names(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        objective = Objective(title="Loyal guests", perspective=Perspective.CUSTOMER)
        db.session.add(objective)
        db.session.flush()
        for metric_id in db.session.scalars(select(Metric.id)):
            db.session.add(MetricObjective(metric_id=metric_id, objective_id=objective.id))
        db.session.commit()
        workspace = db.session.get_one(Workspace, wid)
        archimate = run_export(db.session, workspace, "archimate").decode()
        stratml = run_export(db.session, workspace, "stratml").decode()
    assert "Customer service" in archimate and ">service<" not in archimate
    assert "Marketing" in stratml and ">marketing<" not in stratml
    token = make_token(app, team["analyst"].id)
    listed = call(client, "GET", f"{API}/workspaces/{wid}/initiatives", token).get_json()
    assert [(r["department"], r["department_name"]) for r in listed["items"]] == [
        ("service", "Customer service"),
        ("it", "IT"),
        ("", ""),
        ("service", "Customer service"),
    ]
    created = call(
        client,
        "POST",
        f"{API}/workspaces/{wid}/initiatives",
        token,
        {"title": "Bot", "department": "Human Resources"},
    )
    assert created.status_code == 201
    assert created.get_json()["department_name"] == "Human Resources"
    # What was read can be sent back unchanged, the display name included.
    row = created.get_json()
    location = created.headers["Location"].replace("http://localhost", "")
    again = call(client, "PATCH", location, token, row)
    assert again.status_code == 200, again.get_json()


def test_a_workbook_import_adds_unknown_departments_and_keeps_named_ones(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    raw = export(app, wid)

    def edit(book: Any) -> None:
        sheet = book["Initiatives"]
        column = column_of(sheet, "department")
        sheet.cell(row=2, column=column).value = "Housekeeping"
        sheet.cell(row=3, column=column).value = "it"

    changed = edited(raw, edit)
    preview = plan(app, wid, changed)
    assert preview.problems == [] and preview.counts() == (0, 2, 0)
    with app.app_context():
        scope_session(db.session, wid)
        exchange_workbook.apply_import(db.session, changed, 2 * 1024 * 1024, preview.fingerprint)
        db.session.commit()
        rows = dict(db.session.execute(select(Initiative.title, Initiative.department)).all())
    assert rows["A"] == "housekeeping" and rows["B"] == "it"
    assert _registered(app, wid)["housekeeping"] == "Housekeeping"
    # Removing a department that rows still name is refused, and nothing is written.
    raw = export(app, wid)

    def remove(book: Any) -> None:
        sheet = book["Departments"]
        for number in range(2, sheet.max_row + 1):
            if sheet.cell(row=number, column=column_of(sheet, "name")).value == "Marketing":
                sheet.delete_rows(number)
                break

    without = edited(raw, remove)
    preview = plan(app, wid, without)
    assert preview.counts() == (0, 0, 1)
    with app.app_context():
        scope_session(db.session, wid)
        try:
            exchange_workbook.apply_import(
                db.session, without, 2 * 1024 * 1024, preview.fingerprint
            )
        except ExchangeRefusedError as error:
            problems = error.problems
        else:
            raise AssertionError("removing a department in use was applied")
        db.session.rollback()
    assert problems == [
        "departments: “Marketing” cannot be removed while 1 metric (“NPS”); "
        "1 communication plan (“All by Mail”) still name it"
    ]
    assert "marketing" in _registered(app, wid)

    # A workbook without the Departments sheet (made before the register) still imports.
    def drop(book: Any) -> None:
        del book["Departments"]

    older = edited(export(app, wid), drop)
    assert plan(app, wid, older).problems == []
    assert load_workbook(io.BytesIO(older)).sheetnames.count("Departments") == 0


def _migration_app(database_url: str) -> Flask:
    return create_app({**BASE_CONFIG, "DATABASE_URL": database_url})


def test_the_migration_makes_a_register_from_the_free_text_and_back(
    database_url: str, team: dict
) -> None:
    from flask_migrate import downgrade, upgrade

    app = _migration_app(database_url)
    wid, other = team["workspace_id"], team["foreign_id"]
    with app.app_context():
        downgrade(revision="0019_respondent_label")
        with db.engine.begin() as connection:
            columns = "(title, description, owner, department, status, priority, position, "
            columns += "version, created_at, updated_at, workspace_id)"
            for title, department, workspace_id in (
                ("A", "it", wid),
                ("B", "hr", wid),
                ("C", "Front Office", wid),
                ("D", "", wid),
                ("E", "customer_service", wid),
                ("F", "it", other),
            ):
                connection.execute(
                    text(
                        f"INSERT INTO initiative {columns} VALUES (:title, '', '', :department, "
                        "'proposed', 'medium', 0, 1, '2026-11-01 10:00:00', "
                        "'2026-11-01 10:00:00', :wid)"
                    ),
                    {"title": title, "department": department, "wid": workspace_id},
                )
            connection.execute(
                text(
                    "INSERT INTO metric (name, definition, unit, direction, frequency, owner, "
                    "department, position, version, created_at, updated_at, workspace_id) "
                    "VALUES ('NPS', '', 'score', 'higher', 'monthly', '', 'marketing', 0, 1, "
                    "'2026-11-01 10:00:00', '2026-11-01 10:00:00', :wid)"
                ),
                {"wid": wid},
            )
            connection.execute(
                text(
                    "INSERT INTO communication_plan (department, audience, channel, cadence, "
                    "owner, notes, version, created_at, updated_at, workspace_id) VALUES "
                    "('it', 'All', 'Mail', 'monthly', '', '', 1, '2026-11-01 10:00:00', "
                    "'2026-11-01 10:00:00', :wid)"
                ),
                {"wid": wid},
            )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT workspace_id, key, name, version FROM department "
                    "ORDER BY workspace_id, key"
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            (wid, "Front Office", "Front Office", 1),
            (wid, "customer_service", "Customer service", 1),
            (wid, "hr", "Human resources", 1),
            (wid, "it", "IT", 1),
            (wid, "marketing", "Marketing", 1),
            (other, "it", "IT", 1),
        ]
        # The application reads the migrated register: keys resolve, names show.
        scope_session(db.session, wid)
        assert departments.resolve(db.session, "Human resources") == "hr"
        assert departments.names(db.session)["customer_service"] == "Customer service"
        db.session.rollback()
        db.session.remove()
        downgrade(revision="0019_respondent_label")
        with db.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT title, department FROM initiative ORDER BY title")
            ).all()
        assert "department" not in db.inspect(db.engine).get_table_names()
        assert [tuple(row) for row in kept] == [
            ("A", "it"),
            ("B", "hr"),
            ("C", "Front Office"),
            ("D", ""),
            ("E", "customer_service"),
            ("F", "it"),
        ]
        upgrade()
        db.engine.dispose()
