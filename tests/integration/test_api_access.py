"""API access matrix: each /api/v1 rule x method x caller x workspace; refusals write nothing.

The policy, written out independently of the API's own tables:
- no token or a revoked one: 401 with a Bearer challenge;
- a workspace the caller is not a member of, or a row id from another workspace: 404;
- an executive's token may read but not write: 403 on writes;
- facilitators and analysts may read and write.
Every rule of the app under /api/v1 is exercised; a new rule this module cannot fill fails
`test_every_api_rule_is_exercised`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.api_support import (
    API,
    ApiWorld,
    build_api_world,
    call,
    state,
    version_of,
)
from workbench.models import (
    Application,
    Drill,
    Factor,
    FailureScenario,
    Goal,
    Initiative,
    InitiativeObjective,
    Metric,
    Milestone,
    Objective,
    Risk,
    Site,
    SuccessStory,
    TrainingItem,
)
from workbench.web.api import ENDPOINTS
from workbench.web.api.openapi import ERROR_SCHEMA, document

CALLERS = ("facilitator", "analyst", "executive", "outsider", "no token", "revoked")
MEMBER_ROLES = {"facilitator", "analyst", "executive"}
HIDDEN = {"own": "Harbour Test Hotels", "foreign": "Foreign Ferries"}
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
GLOBAL_PARAMS = {"workspace_id", "principle_id"}

Body = Callable[[ApiWorld, str], Any]


def _v(model: type, key: str) -> Body:
    return lambda world, side: version_of(world.app, model, world.ids[side][key])


BODIES: dict[str, Body] = {
    "create_milestone": lambda w, s: {"title": "Pilot at one hotel", "due_date": "2027-03-31"},
    "update_milestone": lambda w, s: {
        "version": _v(Milestone, "milestone_id")(w, s),
        "done_date": "2026-01-15",
    },
    "create_factors": lambda w, s: {
        "title": "Unclear refund policy",
        "category": "business_need",
        "polarity": "barrier",
        "importance": 5,
        "description": "Raised in the workshop",
    },
    "update_factors": lambda w, s: {"version": _v(Factor, "factor_id")(w, s), "title": "Slower"},
    "create_objectives": lambda w, s: {"title": "Win back trust", "perspective": "customer"},
    "update_objectives": lambda w, s: {
        "version": _v(Objective, "objective_id")(w, s),
        "owner": "COO",
    },
    "create_initiatives": lambda w, s: {
        "title": "Refund on the spot",
        "budget": 1250.5,
        "start_date": "2027-01-01",
        "end_date": "2027-03-31",
        "approach": "recover",
    },
    "update_initiatives": lambda w, s: {
        "version": _v(Initiative, "initiative_id")(w, s),
        "status": "approved",
    },
    "create_scenarios": lambda w, s: {
        "name": "Lost luggage",
        "detection_channels": ["survey"],
        "response_channels": ["phone"],
        "initiative_ids": [w.ids[s]["initiative_id"]],
    },
    "update_scenarios": lambda w, s: {
        "version": _v(FailureScenario, "scenario_id")(w, s),
        "severity": "high",
    },
    "create_risks": lambda w, s: {
        "title": "Refunds stall at month end",
        "likelihood": 4,
        "impact": 3,
        "factor_ids": [w.ids[s]["factor_id"]],
        "initiative_ids": [w.ids[s]["initiative_id"]],
    },
    "update_risks": lambda w, s: {"version": _v(Risk, "risk_id")(w, s), "status": "mitigating"},
    "create_applications": lambda w, s: {
        "name": "Review monitor",
        "kind": "reviews_surveys",
        "annual_cost": 9600,
        "capabilities": ["feedback_capture"],
    },
    "update_applications": lambda w, s: {
        "version": _v(Application, "application_id")(w, s),
        "owner": "Head of marketing",
    },
    "create_stories": lambda w, s: {
        "title": "A wedding saved",
        "permission": "named",
        "customer_name": "Ana Silva",
        "scenario_id": w.ids[s]["scenario_id"],
    },
    "update_stories": lambda w, s: {"version": _v(SuccessStory, "story_id")(w, s), "rating": 5},
    "create_training": lambda w, s: {
        "department": "service",
        "topic": "Using the goodwill limit",
        "scenario_ids": [w.ids[s]["scenario_id"]],
    },
    "update_training": lambda w, s: {
        "version": _v(TrainingItem, "training_session_id")(w, s),
        "done_on": "2026-11-30",
    },
    "create_drills": lambda w, s: {
        "scenario_id": w.ids[s]["scenario_id"],
        "planned_on": "2026-04-01",
        "status": "done",
        "detected": True,
        "contact_minutes": 12,
    },
    "update_drills": lambda w, s: {"version": _v(Drill, "drill_id")(w, s), "site": "Front desk"},
    "create_sites": lambda w, s: {"name": "Station Hotel", "kind": "hotel"},
    "update_sites": lambda w, s: {"version": _v(Site, "site_id")(w, s), "notes": "Near the sea"},
    "create_metrics": lambda w, s: {
        "name": "First contact resolution",
        "min_value": 0,
        "max_value": 100,
    },
    "update_metrics": lambda w, s: {"version": _v(Metric, "metric_id")(w, s), "owner": "Head"},
    "set_contribution": lambda w, s: {
        "version": _v(InitiativeObjective, "contribution_id")(w, s),
        "contribution": "moderate",
    },
    "set_goal": lambda w, s: {
        "version": _v(Goal, "goal_id")(w, s),
        "baseline": 40,
        "target": 80,
        "target_date": "2027-12-31",
    },
    "create_measurement": lambda w, s: {
        "measured_on": "2026-02-28",
        "value": 55.5,
        "note": "February",
    },
}

METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


@dataclass(frozen=True)
class Case:
    """One request of the matrix."""

    rule: str
    method: str
    endpoint: str
    target: str | None  # whose workspace the URL names
    sub: str | None  # whose rows the other ids name


def api_rules(app: Flask) -> list[tuple[str, str, str]]:
    """(rule, method, endpoint name) of every API rule of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((rule.rule, method, rule.endpoint.removeprefix("api.")))
    return found


def cases(app: Flask) -> list[Case]:
    """Every case of the matrix, reads first and deeper deletes before shallower ones."""
    result = []
    for rule, method, name in api_rules(app):
        params = set(_PARAM.findall(rule))
        targets = ("own", "foreign") if "workspace_id" in params else (None,)
        subs = ("own", "foreign") if params - GLOBAL_PARAMS else (None,)
        result += [Case(rule, method, name, t, s) for t in targets for s in subs]
    return sorted(result, key=lambda c: (METHOD_ORDER[c.method], -c.rule.count("/")))


def fill(case: Case, world: ApiWorld) -> str:
    """The URL of a case."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "workspace_id":
            return str(world.ids[case.target or "own"]["workspace_id"])
        if name == "principle_id":
            return str(world.principle_id)
        return str(world.ids[case.sub or "own"][name])

    return _PARAM.sub(value, case.rule)


def expected(case: Case, caller: str) -> set[int]:
    """The statuses the policy allows for a case and caller."""
    endpoint = next(e for e in ENDPOINTS if e.name == case.endpoint)
    if endpoint.public:
        return {200}
    if caller in {"no token", "revoked"}:
        return {401}
    if case.target is not None:
        role = caller if caller in MEMBER_ROLES and case.target == "own" else None
        if caller == "outsider" and case.target == "foreign":
            role = "facilitator"
        if role is None:
            return {404}
        if endpoint.writes and role == "executive":
            return {403}
        if case.sub is not None and case.sub != case.target:
            return {404}
    if endpoint.method == "PUT" and endpoint.request is not None:
        return {200, 201}
    return {endpoint.status}


def _schema(doc: dict[str, Any], case: Case, status: int) -> dict[str, Any] | None:
    path = re.sub(r"<\w+:(\w+)>", r"{\1}", case.rule.removeprefix(API))
    answer = doc["paths"][path][case.method.lower()]["responses"][str(status)]
    return answer.get("content", {}).get("application/json", {}).get("schema")


def run(client: FlaskClient, world: ApiWorld, caller: str) -> tuple[int, list[str]]:
    """Send every case as one caller; return the count and the failures."""
    doc = document(ENDPOINTS)
    token = None if caller == "no token" else world.tokens[caller]
    failures: list[str] = []
    all_cases = cases(world.app)
    for case in all_cases:
        allowed = expected(case, caller)
        refused = not allowed & {200, 201, 204}
        url = fill(case, world)
        maker = BODIES.get(case.endpoint)
        body = maker(world, case.sub or case.target or "own") if maker else None
        before = state(world.app) if refused else None
        response = call(client, case.method, url, token, body)
        label = f"{caller} {case.method} {url} (workspace={case.target}, ids={case.sub})"
        if response.status_code not in allowed:
            failures.append(
                f"{label}: expected {sorted(allowed)}, got {response.status_code} "
                f"{response.get_data(as_text=True)[:200]}"
            )
            continue
        if response.status_code != 204:
            if response.mimetype != "application/json":
                failures.append(f"{label}: answered {response.mimetype}, not JSON")
                continue
            schema = (
                ERROR_SCHEMA
                if response.status_code >= 400
                else _schema(doc, case, response.status_code)
            )
            try:
                jsonschema.validate(response.get_json(), schema or {})
            except jsonschema.ValidationError as problem:
                failures.append(f"{label}: body does not match the document: {problem.message}")
        if response.status_code == 401 and "Bearer" not in response.headers.get(
            "WWW-Authenticate", ""
        ):
            failures.append(f"{label}: 401 without a Bearer challenge")
        if before is not None and state(world.app) != before:
            failures.append(f"{label}: a refused request wrote to the database")
        if response.status_code in (403, 404):
            text = response.get_data(as_text=True)
            leaked = [name for name in HIDDEN.values() if name in text]
            if leaked:
                failures.append(f"{label}: refusal reveals {leaked}")
    return len(all_cases), failures


def test_every_api_rule_is_exercised(app: Flask) -> None:
    """Each /api/v1 rule and method is a case, with a body when it takes one."""
    rules = api_rules(app)
    assert len(rules) == len(ENDPOINTS)
    by_name = {e.name: e for e in ENDPOINTS}
    covered = {(c.rule, c.method) for c in cases(app)}
    for rule, method, name in rules:
        assert (rule, method) in covered, f"{method} {rule} is not exercised"
        assert name in by_name, f"{name} is not in the endpoint table"
        if by_name[name].request is not None:
            assert name in BODIES, f"{method} {rule} takes a body; add one to BODIES"
        unknown = set(_PARAM.findall(rule)) - GLOBAL_PARAMS - {key for key in _side_keys()}
        assert not unknown, f"{rule}: the matrix cannot fill {unknown}"
    assert set(BODIES) <= set(by_name), "BODIES names an endpoint that no longer exists"


def _side_keys() -> set[str]:
    # The ids api_support creates for each side.
    import inspect

    from tests.integration import api_support

    return set(re.findall(r'"(\w+_id)":', inspect.getsource(api_support._fill_side)))


@pytest.mark.parametrize("caller", CALLERS)
def test_api_access_matrix(
    app: Flask, client: FlaskClient, team: dict[str, Any], caller: str
) -> None:
    """Every API case as one caller: the expected status, JSON bodies, nothing written."""
    world = build_api_world(app, team)
    count, failures = run(client, world, caller)
    assert count >= 150
    assert not failures, f"{len(failures)} of {count} API cases failed for {caller}:\n" + (
        "\n".join(failures)
    )
