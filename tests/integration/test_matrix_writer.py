"""One writer per alignment-matrix cell: `matrix.set_contribution` and `matrix.set_principle`.

The whole matrix, its htmx cell, an initiative's page and the API all save a cell through
them, so they check the same versions and leave the same row behind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login, seed
from workbench.extensions import db
from workbench.models import (
    Contribution,
    InitiativeObjective,
    InitiativePrinciple,
    Perspective,
    TqmPrinciple,
)
from workbench.services import initiatives, matrix, objectives, plan
from workbench.services.errors import StaleEditError
from workbench.services.tenancy import scope_session, system_access

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
CELL_MODELS = {"InitiativeObjective", "InitiativePrinciple"}
# The demo seed builds a fresh workspace's links in bulk; nothing else may create a cell.
CELL_BUILDERS = {"services/matrix.py", "services/demo.py"}


def _cell_writes(tree: ast.AST) -> list[int]:
    """Lines that build a cell row or assign a contribution."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CELL_MODELS:
            lines.append(node.lineno)
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "contribution" for t in targets):
                lines.append(node.lineno)
    return lines


def test_only_the_matrix_service_writes_a_cell() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith("models/") or name in CELL_BUILDERS:
            continue
        found = _cell_writes(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[name] = found
    assert offenders == {}
    # The scan does find the writer itself, so an empty answer above means something.
    assert _cell_writes(ast.parse((PACKAGE / "services/matrix.py").read_text()))
    assert not hasattr(initiatives, "set_contribution")
    assert not hasattr(initiatives, "set_principle")


@pytest.fixture
def cell(app: Flask, team: dict) -> dict[str, int]:
    """One initiative and one objective in the team workspace, no link yet."""
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        objective = objectives.create_objective(
            db.session, {"title": "Raise NPS", "perspective": Perspective.CUSTOMER}
        )
        initiative = initiatives.create_initiative(db.session, {"title": "Case system"})
        with system_access(db.session):
            pid = db.session.scalars(select(TqmPrinciple.id).order_by(TqmPrinciple.id)).first()
        ids = {"wid": wid, "iid": initiative.id, "oid": objective.id, "pid": pid}
        db.session.commit()
    return ids


def _link(app: Flask, ids: dict[str, int]) -> tuple[str, str, int] | None:
    with app.app_context():
        scope_session(db.session, ids["wid"])
        link = db.session.scalar(select(InitiativeObjective))
        if link is None:
            return None
        return link.contribution.value, link.rationale, link.version


def test_every_path_leaves_the_same_row_and_version(
    app: Flask, client: FlaskClient, team: dict, cell: dict[str, int]
) -> None:
    login(client, team["analyst"])
    wid, iid, oid = cell["wid"], cell["iid"], cell["oid"]
    page = client.post(
        f"/workspaces/{wid}/alignment/initiatives/{iid}/objectives",
        data={"objective_id": oid, "contribution": "weak", "rationale": "Why ✓", "version": 0},
    )
    assert page.status_code == 303
    assert _link(app, cell) == ("weak", "Why ✓", 1)
    # The htmx cell has no rationale field: the stored rationale stays.
    htmx = client.post(
        f"/workspaces/{wid}/alignment/matrix/cell",
        data={"initiative_id": iid, "objective_id": oid, "contribution": "strong", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200
    assert _link(app, cell) == ("strong", "Why ✓", 2)
    whole = client.post(
        f"/workspaces/{wid}/alignment/matrix",
        data={f"c-{iid}-{oid}": "moderate", f"v-{iid}-{oid}": "2"},
    )
    assert whole.status_code == 303
    assert _link(app, cell) == ("moderate", "Why ✓", 3)
    # Each path refuses a version it did not load, with the same 409, and saves nothing.
    for url, data in (
        (f"/workspaces/{wid}/alignment/matrix", {f"c-{iid}-{oid}": "weak", f"v-{iid}-{oid}": "2"}),
        (
            f"/workspaces/{wid}/alignment/matrix/cell",
            {"initiative_id": iid, "objective_id": oid, "contribution": "weak", "version": 2},
        ),
        (
            f"/workspaces/{wid}/alignment/initiatives/{iid}/objectives",
            {"objective_id": oid, "contribution": "weak", "rationale": "", "version": 2},
        ),
    ):
        assert client.post(url, data=data).status_code == 409, url
    assert _link(app, cell) == ("moderate", "Why ✓", 3)


def test_the_writer_checks_versions_and_clears_cells(app: Flask, cell: dict[str, int]) -> None:
    with app.app_context():
        scope_session(db.session, cell["wid"])
        link = matrix.set_contribution(
            db.session, cell["iid"], cell["oid"], Contribution.STRONG, 0, "First"
        )
        assert link is not None and link.version == 1
        with pytest.raises(StaleEditError) as refused:
            matrix.set_contribution(db.session, cell["iid"], cell["oid"], Contribution.WEAK, 0)
        assert refused.value.stored == {"contribution": "strong"}
        assert refused.value.submitted == {"contribution": "weak"}
        assert matrix.set_contribution(db.session, cell["iid"], cell["oid"], None, 1) is None
        assert db.session.scalars(select(InitiativeObjective)).all() == []
        # Clearing a cell that is already empty is not an error.
        assert matrix.set_contribution(db.session, cell["iid"], cell["oid"], None, 0) is None


def test_one_principle_writer_for_the_matrix_and_the_initiative_page(
    app: Flask, cell: dict[str, int]
) -> None:
    iid, pid = cell["iid"], cell["pid"]
    with app.app_context():
        scope_session(db.session, cell["wid"])

        def ticked() -> bool:
            return db.session.scalar(select(InitiativePrinciple.id)) is not None

        matrix.set_principle(db.session, iid, pid, True, was_applied=False)
        assert ticked()
        # What the matrix page showed is checked: the tick is there already.
        with pytest.raises(StaleEditError):
            matrix.set_principle(db.session, iid, pid, True, was_applied=False)
        # Without what was shown (the API), the call is idempotent.
        matrix.set_principle(db.session, iid, pid, True)
        assert len(db.session.scalars(select(InitiativePrinciple)).all()) == 1
        links = plan.initiative_links(db.session, iid)
        plan.save_links(db.session, iid, links.token, set(), set())
        assert not ticked()
