"""API behaviour: the document matches the routes, versions, pagination, links, audit, errors."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login
from tests.integration.api_support import API, ApiWorld, build_api_world, call, state, version_of
from workbench.extensions import db
from workbench.models import (
    Change,
    Factor,
    FailureScenario,
    Goal,
    InitiativeObjective,
    Metric,
    Objective,
)
from workbench.services.tenancy import allow_system_access
from workbench.web.api import ENDPOINTS
from workbench.web.api.core import PER_PAGE_MAX
from workbench.web.api.openapi import ERROR_SCHEMA


@pytest.fixture
def world(app: Flask, team: dict[str, Any]) -> ApiWorld:
    """Both workspaces filled, with tokens."""
    return build_api_world(app, team)


def _ws(world: ApiWorld, side: str = "own") -> str:
    return f"{API}/workspaces/{world.ids[side]['workspace_id']}"


def test_openapi_document_matches_the_routes(app: Flask, client: FlaskClient) -> None:
    """Every /api/v1 rule is documented with its methods, and nothing else is."""
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    jsonschema.Draft202012Validator.check_schema(ERROR_SCHEMA)
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            path = re.sub(r"<\w+:(\w+)>", r"{\1}", rule.rule.removeprefix(API))
            routed |= {(path, m) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert routed == documented
    assert len({op["operationId"] for ops in doc["paths"].values() for op in ops.values()}) == (
        len(documented)
    )
    for path, ops in doc["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for op in ops.values():
            assert {p["name"] for p in op["parameters"] if p["in"] == "path"} == names
            for answer in op["responses"].values():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema and "$ref" not in schema:
                    jsonschema.Draft202012Validator.check_schema(schema)


def test_workspaces_list_only_the_callers_own(client: FlaskClient, world: ApiWorld) -> None:
    """The workspace list names the caller's workspaces with the role, nobody else's."""
    body = call(client, "GET", f"{API}/workspaces", world.tokens["executive"]).get_json()
    assert [(w["name"], w["role"]) for w in body["items"]] == [("Harbour Test Hotels", "executive")]
    own = call(client, "GET", _ws(world), world.tokens["executive"]).get_json()
    assert own["role"] == "executive" and own["name"] == "Harbour Test Hotels"


# A second, different value for a field a first save changed.
OTHER_VALUE = {"severity": "low", "department": "operations"}


@pytest.mark.parametrize(
    ("path", "key", "model", "change"),
    [
        ("factors", "factor_id", Factor, {"title": "Changed title"}),
        ("objectives", "objective_id", Objective, {"owner": "Someone"}),
        ("scenarios", "scenario_id", FailureScenario, {"severity": "critical"}),
        ("metrics", "metric_id", Metric, {"department": "service"}),
    ],
)
def test_stale_version_is_refused_with_the_current_row(
    client: FlaskClient, world: ApiWorld, path: str, key: str, model: type, change: dict
) -> None:
    """Two clients read version 1 and change one field: the second gets 409 naming it."""
    url = f"{_ws(world)}/{path}/{world.ids['own'][key]}"
    token = world.tokens["analyst"]
    read = call(client, "GET", url, token).get_json()
    first = call(client, "PATCH", url, token, {"version": read["version"], **change})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["version"] == read["version"] + 1
    before = state(world.app)
    second = call(
        client,
        "PATCH",
        url,
        world.tokens["facilitator"],
        {
            "version": read["version"],
            **{name: OTHER_VALUE.get(name, "Overwrite") for name in change},
        },
    )
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["conflicts"] == sorted(change)
    assert error["current"]["version"] == read["version"] + 1
    assert error["current"] == call(client, "GET", url, token).get_json()
    assert state(world.app) == before


# A field the parametrised first save above does not touch, and a new value for it.
DISJOINT = {
    "factors": {"evidence": "Survey of 40 guests"},
    "objectives": {"description": "Guests come back"},
    "scenarios": {"responder": "Duty manager"},
    "metrics": {"owner": "Rita"},
}


@pytest.mark.parametrize(
    ("path", "key", "model", "change"),
    [
        ("factors", "factor_id", Factor, {"title": "Changed title"}),
        ("objectives", "objective_id", Objective, {"owner": "Someone"}),
        ("scenarios", "scenario_id", FailureScenario, {"severity": "critical"}),
        ("metrics", "metric_id", Metric, {"department": "service"}),
    ],
)
def test_stale_patch_of_untouched_fields_is_merged(
    client: FlaskClient, world: ApiWorld, path: str, key: str, model: type, change: dict
) -> None:
    """A stale PATCH that changes only fields nobody else changed succeeds; both survive."""
    url = f"{_ws(world)}/{path}/{world.ids['own'][key]}"
    read = call(client, "GET", url, world.tokens["analyst"]).get_json()
    first = call(
        client, "PATCH", url, world.tokens["analyst"], {"version": read["version"], **change}
    )
    assert first.status_code == 200
    second = call(
        client,
        "PATCH",
        url,
        world.tokens["facilitator"],
        {"version": read["version"], **DISJOINT[path]},
    )
    assert second.status_code == 200, second.get_data(as_text=True)
    now = call(client, "GET", url, world.tokens["analyst"]).get_json()
    assert now["version"] == read["version"] + 2
    for name, value in {**change, **DISJOINT[path]}.items():
        assert now[name] == value, name


def test_update_needs_a_version(client: FlaskClient, world: ApiWorld) -> None:
    """Without `version` an update is refused as invalid; nothing changes."""
    url = f"{_ws(world)}/factors/{world.ids['own']['factor_id']}"
    before = state(world.app)
    for body in ({"title": "No version"}, {"version": "1", "title": "x"}, {"version": True}):
        response = call(client, "PATCH", url, world.tokens["analyst"], body)
        assert response.status_code == 422
        assert "version" in response.get_json()["error"]["fields"]
    assert state(world.app) == before


def test_goal_and_contribution_versions(client: FlaskClient, world: ApiWorld) -> None:
    """A goal or contribution saved with an old version gets 409; version 0 creates."""
    own = world.ids["own"]
    goal_url = f"{_ws(world)}/metrics/{own['metric_id']}/goal"
    version = version_of(world.app, Goal, own["goal_id"])
    ok = call(
        client,
        "PUT",
        goal_url,
        world.tokens["analyst"],
        {"version": version, "baseline": 30, "target": 90},
    )
    assert ok.status_code == 200 and ok.get_json()["target"] == 90
    stale = call(
        client, "PUT", goal_url, world.tokens["analyst"], {"version": version, "target": 10}
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current"]["target"] == 90
    out_of_range = call(
        client, "PUT", goal_url, world.tokens["analyst"], {"version": version + 1, "target": 150}
    )
    assert out_of_range.status_code == 422
    assert "target" in out_of_range.get_json()["error"]["fields"]

    assert call(client, "DELETE", goal_url, world.tokens["analyst"]).status_code == 204
    assert call(client, "GET", goal_url, world.tokens["analyst"]).status_code == 404
    assert call(client, "DELETE", goal_url, world.tokens["analyst"]).status_code == 404
    recreated = call(client, "PUT", goal_url, world.tokens["analyst"], {"version": 0, "target": 75})
    assert recreated.status_code == 201 and recreated.get_json()["baseline"] is None

    link_url = f"{_ws(world)}/initiatives/{own['initiative_id']}/objectives/{own['objective_id']}"
    version = version_of(world.app, InitiativeObjective, own["contribution_id"])
    stale = call(
        client, "PUT", link_url, world.tokens["analyst"], {"version": 0, "contribution": "weak"}
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current"]["contribution"] == "strong"
    done = call(
        client,
        "PUT",
        link_url,
        world.tokens["analyst"],
        {"version": version, "contribution": "weak", "rationale": "Only in part"},
    )
    assert done.status_code == 200 and done.get_json()["contribution"] == "weak"


def test_links_and_refused_cycles(client: FlaskClient, world: ApiWorld) -> None:
    """Links are set and removed through the services; their rules answer 422."""
    own = world.ids["own"]
    token = world.tokens["facilitator"]
    create = call(
        client, "POST", f"{_ws(world)}/objectives", token, {"title": "Grow loyalty"}
    ).get_json()
    child = call(
        client,
        "POST",
        f"{_ws(world)}/objectives",
        token,
        {"title": "Fewer repeats", "parent_id": create["id"]},
    ).get_json()
    loop = call(
        client,
        "PATCH",
        f"{_ws(world)}/objectives/{create['id']}",
        token,
        {"version": create["version"], "parent_id": child["id"]},
    )
    assert loop.status_code == 422
    assert "parent_id" in loop.get_json()["error"]["fields"]
    foreign_parent = call(
        client,
        "PATCH",
        f"{_ws(world)}/objectives/{create['id']}",
        token,
        {"version": create["version"], "parent_id": world.ids["foreign"]["objective_id"]},
    )
    assert foreign_parent.status_code == 422
    assert "Foreign" not in foreign_parent.get_data(as_text=True)

    initiative = f"{_ws(world)}/initiatives/{own['initiative_id']}"
    new_link = call(
        client,
        "PUT",
        f"{initiative}/objectives/{create['id']}",
        token,
        {"version": 0, "contribution": "moderate"},
    )
    assert new_link.status_code == 201
    listed = call(client, "GET", f"{initiative}/objectives", token).get_json()
    assert {i["objective_id"] for i in listed["items"]} == {own["objective_id"], create["id"]}
    assert (
        call(client, "DELETE", f"{initiative}/objectives/{create['id']}", token).status_code == 204
    )
    assert (
        call(client, "DELETE", f"{initiative}/objectives/{create['id']}", token).status_code == 404
    )

    scenario = call(
        client,
        "POST",
        f"{_ws(world)}/scenarios",
        token,
        {"name": "Overbooked", "initiative_ids": [world.ids["foreign"]["initiative_id"]]},
    )
    assert scenario.status_code == 422
    amount = call(
        client,
        "POST",
        f"{_ws(world)}/scenarios",
        token,
        {"name": "Overbooked", "compensation_amount": 20},
    )
    assert amount.status_code == 422 and "currency" in amount.get_json()["error"]["fields"]
    dates = call(
        client,
        "POST",
        f"{_ws(world)}/initiatives",
        token,
        {"title": "Backwards", "start_date": "2027-05-01", "end_date": "2027-01-01"},
    )
    assert dates.status_code == 422 and "end_date" in dates.get_json()["error"]["fields"]


def test_measurements_refuse_duplicates_and_ranges(client: FlaskClient, world: ApiWorld) -> None:
    """A reading for a taken date or outside the metric's range is refused, naming why."""
    url = f"{_ws(world)}/metrics/{world.ids['own']['metric_id']}/measurements"
    token = world.tokens["analyst"]
    before = state(world.app)
    taken = call(client, "POST", url, token, {"measured_on": "2026-01-31", "value": 60})
    assert taken.status_code == 422
    high = call(client, "POST", url, token, {"measured_on": "2026-03-31", "value": 160})
    assert high.status_code == 422 and high.get_json()["error"]["message"]
    assert state(world.app) == before


def test_pagination(client: FlaskClient, world: ApiWorld) -> None:
    """Pages of the requested size, a next link until the end, a capped page size."""
    token = world.tokens["facilitator"]
    base = f"{_ws(world)}/factors"
    for n in range(6):
        created = call(
            client,
            "POST",
            base,
            token,
            {"title": f"Factor {n}", "category": "technology_driver", "polarity": "enabler"},
        )
        assert created.status_code == 201
    first = call(client, "GET", f"{base}?per_page=3", token).get_json()
    assert (first["total"], first["page"], first["per_page"], len(first["items"])) == (7, 1, 3, 3)
    seen = [item["id"] for item in first["items"]]
    following = first["next"]
    while following:
        page = call(client, "GET", following, token).get_json()
        seen += [item["id"] for item in page["items"]]
        following = page["next"]
    assert len(seen) == len(set(seen)) == 7
    beyond = call(client, "GET", f"{base}?page=9&per_page=3", token).get_json()
    assert beyond["items"] == [] and beyond["next"] is None
    capped = call(client, "GET", f"{base}?per_page=100000", token).get_json()
    assert capped["per_page"] == PER_PAGE_MAX
    for bad in ("page=0", "page=-1", "per_page=abc", "page=1e3", "page=%EF%BC%91"):
        response = call(client, "GET", f"{base}?{bad}", token)
        assert response.status_code == 400, bad
        jsonschema.validate(response.get_json(), ERROR_SCHEMA)


def test_writes_are_audited_as_the_token_user(
    app: Flask, client: FlaskClient, world: ApiWorld
) -> None:
    """A write through the API is in the history under the token's owner."""
    response = call(
        client,
        "POST",
        f"{_ws(world)}/metrics",
        world.tokens["analyst"],
        {"name": "Net promoter score", "unit": "score", "min_value": -100, "max_value": 100},
    )
    assert response.status_code == 201
    metric_id = response.get_json()["id"]
    assert response.headers["Location"].endswith(f"/metrics/{metric_id}")
    with app.app_context():
        allow_system_access(db.session)
        labels = set(
            db.session.scalars(
                select(Change.user_label).where(
                    Change.entity_id == metric_id, Change.entity == "Metric"
                )
            )
        )
    assert labels == {"ana@example.org"}


def test_a_factor_with_details_is_one_audited_creation(
    app: Flask, client: FlaskClient, world: ApiWorld
) -> None:
    """Creating a factor with a description records one creation, not a creation and an edit."""
    values = {
        "title": "Legacy CRM",
        "category": "technology_driver",
        "polarity": "barrier",
        "description": "Cases are re-keyed by hand.",
        "evidence": "Audit 2026",
    }
    response = call(client, "POST", f"{_ws(world)}/factors", world.tokens["analyst"], values)
    assert response.status_code == 201
    body = response.get_json()
    assert body["description"] == values["description"] and body["version"] == 1
    with app.app_context():
        allow_system_access(db.session)
        actions = list(
            db.session.scalars(
                select(Change.action).where(
                    Change.entity_id == body["id"], Change.entity == "Factor"
                )
            )
        )
    assert actions == ["create"]


def test_session_cookie_is_not_accepted(
    client: FlaskClient, world: ApiWorld, team: dict[str, Any]
) -> None:
    """A browser session gives no access to the API: a token is needed."""
    login(client, team["facilitator"])
    response = client.get(f"{_ws(world)}/factors")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    posted = client.post(
        f"{_ws(world)}/factors",
        json={"title": "x", "category": "business_need", "polarity": "driver"},
    )
    assert posted.status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic Zm9vOmJhcg==",
        "Bearer wbt_not-a-real-token",
        "Bearer " + "wbt_" + "x" * 5000,
        "Bearer \u202ewbt_abc",
        "Token wbt_abc",
    ],
)
def test_bad_authorization_headers(client: FlaskClient, world: ApiWorld, header: str) -> None:
    """Malformed, foreign-scheme and unknown tokens all answer 401 JSON."""
    response = client.get(f"{API}/workspaces", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] in {"invalid_token", "unauthenticated"}
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_unknown_addresses_and_methods_answer_json(client: FlaskClient, world: ApiWorld) -> None:
    """No HTML page under /api, whatever is asked."""
    token = world.tokens["facilitator"]
    for method, url, status in [
        ("GET", f"{API}/nothing-here", 404),
        ("GET", f"{API}/workspaces/99999999", 404),
        ("GET", f"{API}/workspaces/0/factors", 404),
        ("GET", f"{API}/workspaces/{world.ids['own']['workspace_id']}/factors/2147483648", 404),
        ("PUT", f"{_ws(world)}/factors", 405),
        ("POST", f"{API}/workspaces", 405),
        ("GET", "/api/v2/workspaces", 404),
        ("GET", "/api", 404),
    ]:
        response = call(client, method, url, token)
        assert response.status_code == status, (method, url)
        assert response.mimetype == "application/json"
        jsonschema.validate(response.get_json(), ERROR_SCHEMA)
    unknown = call(client, "GET", f"{API}/workspaces/{world.ids['foreign']['workspace_id']}", token)
    missing = call(client, "GET", f"{API}/workspaces/99999", token)
    assert unknown.get_json() == missing.get_json()


def test_every_endpoint_documents_its_errors() -> None:
    """Operations on a workspace document 401 and 404; writes also 403."""
    from workbench.web.api.openapi import operation

    for endpoint in ENDPOINTS:
        responses = operation(endpoint)["responses"]
        if endpoint.public:
            continue
        assert "401" in responses
        if "{workspace_id}" in endpoint.path:
            assert "404" in responses
            assert ("403" in responses) == endpoint.writes


def test_a_created_metric_links_to_setting_its_goal_but_not_to_reading_it(
    client: FlaskClient, world: ApiWorld
) -> None:
    """A new metric has no goal yet, so its creation must not promise a readable one."""
    doc = client.get(f"{API}/openapi.json").get_json()
    created = doc["paths"]["/workspaces/{workspace_id}/metrics"]["post"]["responses"]["201"]
    following = set(created["links"])
    assert "set_goal" in following
    assert "get_goal" not in following
    assert any(name.startswith("get_") and "metric" in name for name in following)
