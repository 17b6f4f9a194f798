"""Phase 2 pages: objectives, initiatives, links, matrices, gaps, graph and roadmap."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import (
    Initiative,
    InitiativeDependency,
    InitiativeObjective,
    InitiativePrinciple,
    Objective,
    TqmPrinciple,
)
from workbench.models.alignment import InitiativeStatus
from workbench.services.tenancy import scope_session, system_access


def _objective(client: FlaskClient, wid: int, title: str, **extra: str):
    data = {"title": title, "perspective": "customer", "parent": "none", **extra}
    return client.post(f"/workspaces/{wid}/alignment/objectives", data=data)


def _initiative(client: FlaskClient, wid: int, title: str, **extra: str):
    data = {
        "title": title,
        "status": "approved",
        "priority": "high",
        "approach": "recover",
        **extra,
    }
    return client.post(f"/workspaces/{wid}/alignment/initiatives", data=data)


def _ids(app: Flask, wid: int, model: type) -> list[int]:
    with app.app_context():
        scope_session(db.session, wid)
        return list(db.session.scalars(select(model.id).order_by(model.id)))


@pytest.fixture
def planned(app: Flask, client: FlaskClient, team: dict) -> dict:
    """Two objectives and three initiatives in the team workspace, as the analyst."""
    seed(app)
    login(client, team["analyst"])
    wid = team["workspace_id"]
    for title in ("Raise NPS to +30", "Halve repeat complaints"):
        assert _objective(client, wid, title).status_code == 303
    for title in ("Case system", "Goodwill allowance", "Callback team"):
        assert _initiative(client, wid, title, department="service").status_code == 303
    return {
        "wid": wid,
        "objectives": _ids(app, wid, Objective),
        "initiatives": _ids(app, wid, Initiative),
    }


def test_objective_from_corporate_goal_and_parent_rules(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    url = f"/workspaces/{wid}/strategy"
    client.post(
        url,
        data={
            "corporate_goals": "- Grow loyalty\n- Cut complaint costs",
            "version": form_version(client.get(url).get_data(as_text=True)),
        },
    )
    page = client.get(f"/workspaces/{wid}/alignment/objectives").get_data(as_text=True)
    assert "Grow loyalty" in page and "From the corporate goals" in page
    client.post(f"/workspaces/{wid}/alignment/objectives/from-goal", data={"title": "Grow loyalty"})
    parent_id = _ids(app, wid, Objective)[0]
    assert _objective(client, wid, "Child", parent=str(parent_id)).status_code == 303
    child_id = _ids(app, wid, Objective)[1]
    edit = f"/workspaces/{wid}/alignment/objectives/{parent_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    loop = client.post(
        edit,
        data={
            "title": "Grow loyalty",
            "perspective": "customer",
            "parent": str(child_id),
            "version": version,
        },
    )
    assert loop.status_code == 400
    assert "sits beneath this objective" in loop.get_data(as_text=True)
    foreign = _objective(client, wid, "Bad parent", parent="999999")
    assert foreign.status_code == 400
    assert "Choose a parent objective from the list" in foreign.get_data(as_text=True)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": ""}, "Initiative is required."),
        ({"title": "x" * 201}, "under 200 characters"),
        ({"budget": "NaN"}, "Enter an amount such as 1250"),
        ({"budget": "Infinity"}, "Enter an amount such as 1250"),
        ({"budget": "-5"}, "Enter an amount from 0"),
        ({"budget": "1e40"}, "Enter an amount from 0"),
        ({"budget": "=1+1"}, "Enter an amount such as 1250"),
        ({"start_date": "2027-05-01", "end_date": "2027-01-01"}, "end date is before"),
        ({"start_date": "31/12/2027"}, "Enter a date as yyyy-mm-dd"),
        ({"status": "finished"}, "Choose one of"),
        ({"approach": "ignore"}, "Choose one of"),
    ],
)
def test_initiative_bad_input(
    app: Flask, client: FlaskClient, team: dict, extra: dict, message: str
) -> None:
    login(client, team["analyst"])
    response = _initiative(client, team["workspace_id"], **{"title": "Valid title", **extra})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _ids(app, team["workspace_id"], Initiative) == []


def test_initiative_unicode_and_stale_edit(app: Flask, client: FlaskClient, planned: dict) -> None:
    wid, iid = planned["wid"], planned["initiatives"][0]
    url = f"/workspaces/{wid}/alignment/initiatives/{iid}"
    version = form_version(client.get(url).get_data(as_text=True))
    data = {
        "title": "نظام الحالات · 案件システム 🗂️",
        "status": "in_progress",
        "priority": "low",
        "approach": "prevent",
        "budget": "12500.50",
        "spend": "300",
        "start_date": "2027-01-01",
        "end_date": "2027-06-30",
        "version": version,
    }
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data={**data, "title": "Stale"}).status_code == 409
    with app.app_context():
        scope_session(db.session, wid)
        saved = db.session.get(Initiative, iid)
        assert saved.title == "نظام الحالات · 案件システム 🗂️"
        assert str(saved.budget) == "12500.50"


def test_links_save_and_stale_token(app: Flask, client: FlaskClient, planned: dict) -> None:
    wid, iid = planned["wid"], planned["initiatives"][0]
    page = client.get(f"/workspaces/{wid}/alignment/initiatives/{iid}").get_data(as_text=True)
    token = re.search(r'name="links_token" value="([^"]+)"', page).group(1)
    with app.app_context(), system_access(db.session):
        principle_ids = list(db.session.scalars(select(TqmPrinciple.id)))[:2]
    url = f"/workspaces/{wid}/alignment/initiatives/{iid}/links"
    data = {"links_token": token, "principle": [str(p) for p in principle_ids]}
    assert client.post(url, data=data).status_code == 303
    stale = client.post(url, data={**data, "principle": [str(principle_ids[0])]})
    assert stale.status_code == 409
    assert "Someone changed these links" in stale.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        assert len(db.session.scalars(select(InitiativePrinciple)).all()) == 2
    garbage = client.post(url, data={"links_token": token, "factor": "abc"})
    assert garbage.status_code == 400


def test_dependency_cycle_is_refused_and_named(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    a, b, c = planned["initiatives"]
    base = f"/workspaces/{wid}/alignment/initiatives"
    assert client.post(f"{base}/{b}/dependencies", data={"depends_on": str(a)}).status_code == 303
    assert client.post(f"{base}/{c}/dependencies", data={"depends_on": str(b)}).status_code == 303
    loop = client.post(f"{base}/{a}/dependencies", data={"depends_on": str(c)})
    assert loop.status_code == 400
    text = loop.get_data(as_text=True)
    assert "form a loop" in text
    assert "Case system -&gt; Goodwill allowance -&gt; Callback team -&gt; Case system" in text
    itself = client.post(f"{base}/{a}/dependencies", data={"depends_on": str(a)})
    assert itself.status_code == 400 and "cannot depend on itself" in itself.get_data(as_text=True)
    roadmap = client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True)
    first_wave = roadmap.index("Wave 1")
    assert first_wave < roadmap.index("Case system", first_wave) < roadmap.index("Wave 2")
    assert "Wave 3" in roadmap
    client.post(f"{base}/{c}/dependencies/{b}/remove")
    with app.app_context():
        scope_session(db.session, wid)
        assert len(db.session.scalars(select(InitiativeDependency)).all()) == 1


def test_matrix_cell_with_htmx_and_stale_cell(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    iid, oid = planned["initiatives"][0], planned["objectives"][0]
    url = f"/workspaces/{wid}/alignment/matrix/cell"
    data = {
        "initiative_id": str(iid),
        "objective_id": str(oid),
        f"c-{iid}-{oid}": "strong",
        f"v-{iid}-{oid}": "0",
    }
    first = client.post(url, data=data, headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert f'name="v-{iid}-{oid}" value="1"' in first.get_data(as_text=True)
    stale = client.post(
        url, data={**data, f"c-{iid}-{oid}": "weak"}, headers={"HX-Request": "true"}
    )
    assert stale.status_code == 409
    assert stale.headers["HX-Retarget"] == "body"
    cleared = client.post(url, data={**data, f"c-{iid}-{oid}": "none", f"v-{iid}-{oid}": "1"})
    assert cleared.status_code == 303
    bad = client.post(url, data={**data, f"c-{iid}-{oid}": "enormous"})
    assert bad.status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(InitiativeObjective)).all() == []


def test_whole_matrix_form_saves_all_or_nothing(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    (i1, i2, _), (o1, o2) = planned["initiatives"], planned["objectives"]
    url = f"/workspaces/{wid}/alignment/matrix"
    data = {
        f"c-{i1}-{o1}": "strong",
        f"v-{i1}-{o1}": "0",
        f"c-{i2}-{o2}": "weak",
        f"v-{i2}-{o2}": "0",
        f"c-{i1}-{o2}": "none",
        f"v-{i1}-{o2}": "0",
    }
    saved = client.post(url, data=data)
    assert saved.status_code == 303
    assert "2 cells saved." in client.get(saved.headers["Location"]).get_data(as_text=True)
    stale = client.post(url, data={**data, f"c-{i2}-{o2}": "moderate", f"c-{i1}-{o2}": "strong"})
    assert stale.status_code == 409
    assert "Nothing was saved" in stale.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        cells = {
            (c.initiative_id, c.objective_id): c.contribution.value
            for c in db.session.scalars(select(InitiativeObjective))
        }
    assert cells == {(i1, o1): "strong", (i2, o2): "weak"}


def test_cells_of_another_workspace_are_not_found(
    app: Flask, client: FlaskClient, planned: dict, team: dict
) -> None:
    outsider = app.test_client()
    login(outsider, team["outsider"])
    fid = team["foreign_id"]
    iid, oid = planned["initiatives"][0], planned["objectives"][0]
    response = outsider.post(
        f"/workspaces/{fid}/alignment/matrix/cell",
        data={
            "initiative_id": str(iid),
            "objective_id": str(oid),
            "contribution": "strong",
            "version": "0",
        },
    )
    assert response.status_code == 404
    tick = outsider.post(
        f"/workspaces/{fid}/alignment/principles/cell",
        data={"initiative_id": str(iid), "principle_id": "1", "applied": "1", "was": "0"},
    )
    assert tick.status_code == 404
    with app.app_context(), system_access(db.session):
        assert db.session.scalars(select(InitiativeObjective)).all() == []
        assert db.session.scalars(select(InitiativePrinciple)).all() == []


def test_principle_ticks_and_stale_tick(app: Flask, client: FlaskClient, planned: dict) -> None:
    wid, iid = planned["wid"], planned["initiatives"][0]
    with app.app_context(), system_access(db.session):
        pid = db.session.scalars(select(TqmPrinciple.id)).first()
    url = f"/workspaces/{wid}/alignment/principles/cell"
    data = {"initiative_id": str(iid), "principle_id": str(pid), "applied": "1", "was": "0"}
    assert client.post(url, data=data, headers={"HX-Request": "true"}).status_code == 200
    assert client.post(url, data=data).status_code == 409
    whole = client.post(
        f"/workspaces/{wid}/alignment/principles",
        data={"cell": f"p-{iid}-{pid}", "was": f"p-{iid}-{pid}"},
    )
    assert whole.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(InitiativePrinciple)).all() == []


def test_gaps_follow_the_links(client: FlaskClient, planned: dict) -> None:
    wid = planned["wid"]
    iid, oid = planned["initiatives"][0], planned["objectives"][0]
    before = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert re.search(r"Initiatives serving no objective <span class=\"count\">3<", before)
    client.post(
        f"/workspaces/{wid}/alignment/matrix/cell",
        data={
            "initiative_id": str(iid),
            "objective_id": str(oid),
            "contribution": "strong",
            "version": "0",
        },
    )
    after = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert re.search(r"Initiatives serving no objective <span class=\"count\">2<", after)
    assert re.search(r"Objectives nothing serves <span class=\"count\">1<", after)
    graph = client.get(f"/workspaces/{wid}/alignment/graph").get_data(as_text=True)
    assert "<svg" in graph and "Case system" in graph
    assert "<script" not in graph.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_delete_objective_and_initiative_take_their_links(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    iid, oid = planned["initiatives"][0], planned["objectives"][0]
    client.post(
        f"/workspaces/{wid}/alignment/matrix/cell",
        data={
            "initiative_id": str(iid),
            "objective_id": str(oid),
            "contribution": "weak",
            "version": "0",
        },
    )
    assert client.post(f"/workspaces/{wid}/alignment/objectives/{oid}/delete").status_code == 303
    assert client.post(f"/workspaces/{wid}/alignment/initiatives/{iid}/delete").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(InitiativeObjective)).all() == []
    assert oid not in _ids(app, wid, Objective)


def test_contribution_and_rationale_from_the_initiative_page(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    iid, oid = planned["initiatives"][0], planned["objectives"][1]
    url = f"/workspaces/{wid}/alignment/initiatives/{iid}/objectives"
    added = client.post(
        url,
        data={
            "objective_id": str(oid),
            "contribution": "moderate",
            "rationale": "Fewer repeat contacts ✓",
            "version": "0",
        },
    )
    assert added.status_code == 303
    page = client.get(f"/workspaces/{wid}/alignment/initiatives/{iid}").get_data(as_text=True)
    assert 'value="Fewer repeat contacts ✓"' in page
    stale = client.post(
        url,
        data={"objective_id": str(oid), "contribution": "weak", "rationale": "", "version": "0"},
    )
    assert stale.status_code == 409
    long = client.post(
        url,
        data={
            "objective_id": str(oid),
            "contribution": "weak",
            "rationale": "r" * 2001,
            "version": "1",
        },
    )
    assert long.status_code == 400 and "under 2,000 characters" in long.get_data(as_text=True)
    removed = client.post(
        url,
        data={"objective_id": str(oid), "contribution": "none", "rationale": "", "version": "1"},
    )
    assert removed.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(InitiativeObjective)).all() == []


def test_metric_gaps_appear_once_metrics_exist(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    before = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert "Objectives no metric evidences" not in before
    client.post(
        f"/workspaces/{wid}/metrics/library",
        data={"template_key": "nps", "department": "marketing"},
    )
    after = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert re.search(r"Objectives no metric evidences <span class=\"count\">2<", after)
    assert re.search(r"Metrics without a goal <span class=\"count\">1<", after)


def test_the_roadmap_lists_done_work_as_delivered_and_flags_late_work(
    app: Flask, client: FlaskClient, planned: dict
) -> None:
    wid = planned["wid"]
    a, b, c = planned["initiatives"]
    base = f"/workspaces/{wid}/alignment/initiatives"
    assert client.post(f"{base}/{a}/dependencies", data={"depends_on": str(b)}).status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        rows = {i.id: i for i in db.session.scalars(select(Initiative))}
        rows[a].status = InitiativeStatus.DONE
        rows[c].status = InitiativeStatus.IN_PROGRESS
        rows[c].end_date = date.today() - timedelta(days=7)
        db.session.commit()
    roadmap = client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True)
    delivered = roadmap.index("Delivered:")
    assert delivered < roadmap.index("Case system", delivered) < roadmap.index("Wave 1")
    assert "Wave 2" not in roadmap
    assert "Done before a prerequisite" in roadmap
    assert "Late</span>" in roadmap and "7 days ago, and is still in progress" in roadmap
