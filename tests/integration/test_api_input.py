"""Hostile, unicode, oversized and malformed API bodies: a clear JSON answer, never a 500."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.api_support import API, ApiWorld, build_api_world, call, state
from workbench.web.api.openapi import ERROR_SCHEMA

UNICODE_TITLES = [
    "تأخر استرداد المبالغ",  # Arabic
    "עיכוב בהחזר כספי",  # Hebrew
    "退款延迟 返金の遅れ",  # CJK
    "Refund delays 🙈🔥 👩🏽‍💻",  # emoji with joiners
    "Mixed עברית and English العربية",
]
HOSTILE_TITLES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example/","click")',
    "+cmd|' /C calc'!A0",
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "'; DROP TABLE factor; --",
    "{{ config }}",
]


@pytest.fixture
def world(app: Flask, team: dict[str, Any]) -> ApiWorld:
    """Both workspaces filled, with tokens."""
    return build_api_world(app, team)


def _factors(world: ApiWorld) -> str:
    return f"{API}/workspaces/{world.ids['own']['workspace_id']}/factors"


def _raw(
    client: FlaskClient,
    world: ApiWorld,
    data: bytes | str,
    content_type: str,
    method: str = "POST",
    url: str | None = None,
) -> Any:
    return client.open(
        url or _factors(world),
        method=method,
        data=data,
        content_type=content_type,
        headers={"Authorization": f"Bearer {world.tokens['analyst']}"},
    )


def test_text_is_stored_exactly_and_returned_as_json(client: FlaskClient, world: ApiWorld) -> None:
    """Any script, markup or formula is kept as plain text and comes back unchanged."""
    for title in UNICODE_TITLES + HOSTILE_TITLES:
        _round_trip(client, world, title)


def _round_trip(client: FlaskClient, world: ApiWorld, title: str) -> None:
    created = call(
        client,
        "POST",
        _factors(world),
        world.tokens["analyst"],
        {
            "title": title,
            "category": "business_need",
            "polarity": "barrier",
            "description": title * 3,
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.mimetype == "application/json"
    body = created.get_json()
    assert body["title"] == title and body["description"] == title * 3
    again = call(client, "GET", f"{_factors(world)}/{body['id']}", world.tokens["executive"])
    assert again.get_json()["title"] == title


def test_control_characters_are_removed(client: FlaskClient, world: ApiWorld) -> None:
    """NUL and other control characters are dropped, as in the web forms."""
    created = call(
        client,
        "POST",
        _factors(world),
        world.tokens["analyst"],
        {"title": "Refund\x00 delay\x07", "category": "business_need", "polarity": "barrier"},
    )
    assert created.status_code == 201
    assert created.get_json()["title"] == "Refund delay"


INVALID_FACTORS: list[tuple[dict[str, Any], str | None]] = [
    ({"category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": "   ", "category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": "x" * 201, "category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": "two\nlines", "category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": 42, "category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": ["a"], "category": "business_need", "polarity": "barrier"}, "title"),
    ({"title": {"a": 1}, "category": "business_need", "polarity": "barrier"}, "title"),
    (
        {"title": "\ud800 lone surrogate", "category": "business_need", "polarity": "barrier"},
        "title",
    ),
    ({"title": "ok", "category": "Business_Need", "polarity": "barrier"}, "category"),
    ({"title": "ok", "category": "business_need", "polarity": None}, "polarity"),
    (
        {"title": "ok", "category": "business_need", "polarity": "barrier", "importance": 6},
        "importance",
    ),
    (
        {"title": "ok", "category": "business_need", "polarity": "barrier", "importance": 3.5},
        "importance",
    ),
    (
        {"title": "ok", "category": "business_need", "polarity": "barrier", "importance": True},
        "importance",
    ),
    (
        {
            "title": "ok",
            "category": "business_need",
            "polarity": "barrier",
            "description": "d" * 4001,
        },
        "description",
    ),
    ({"title": "ok", "category": "business_need", "polarity": "barrier", "workspace_id": 2}, None),
    ({"title": "ok", "category": "business_need", "polarity": "barrier", "<script>": 1}, None),
]


def test_invalid_fields_are_named(client: FlaskClient, world: ApiWorld) -> None:
    """Each bad field is named in a 422 answer and nothing is written."""
    before = state(world.app)
    for body, field in INVALID_FACTORS:
        response = call(client, "POST", _factors(world), world.tokens["analyst"], body)
        assert response.status_code == 422, (body, response.get_data(as_text=True))
        error = response.get_json()["error"]
        jsonschema.validate(response.get_json(), ERROR_SCHEMA)
        assert error["code"] == "invalid"
        assert (field in error["fields"]) if field else error["fields"], body
    assert state(world.app) == before


INVALID_VALUES: list[tuple[str, dict[str, Any], str]] = [
    ("initiatives", {"title": "x", "budget": -1}, "budget"),
    ("initiatives", {"title": "x", "budget": 1e15}, "budget"),
    ("initiatives", {"title": "x", "budget": "12"}, "budget"),
    ("initiatives", {"title": "x", "start_date": "2027-02-30"}, "start_date"),
    ("initiatives", {"title": "x", "start_date": "31/01/2027"}, "start_date"),
    ("initiatives", {"title": "x", "status": "finished"}, "status"),
    ("metrics", {"name": "x", "min_value": 1e300}, "min_value"),
    ("metrics", {"name": "x", "min_value": 10, "max_value": 5}, "max_value"),
    ("metrics", {"name": "x", "unit": "furlongs"}, "unit"),
    ("scenarios", {"name": "x", "detection_channels": ["telepathy"]}, "detection_channels"),
    ("scenarios", {"name": "x", "initiative_ids": [0]}, "initiative_ids"),
    ("scenarios", {"name": "x", "initiative_ids": list(range(1, 600))}, "initiative_ids"),
    ("scenarios", {"name": "x", "target_response_minutes": 0}, "target_response_minutes"),
    ("objectives", {"title": "x", "parent_id": 99999}, "parent_id"),
    ("objectives", {"title": "x", "perspective": "spiritual"}, "perspective"),
]


def test_invalid_values_across_registers(client: FlaskClient, world: ApiWorld) -> None:
    """Types, ranges, dates and choices are checked for every register."""
    before = state(world.app)
    for url_part, body, field in INVALID_VALUES:
        url = f"{API}/workspaces/{world.ids['own']['workspace_id']}/{url_part}"
        response = call(client, "POST", url, world.tokens["facilitator"], body)
        assert response.status_code == 422, (body, response.get_data(as_text=True))
        assert field in response.get_json()["error"]["fields"], body
    assert state(world.app) == before


MALFORMED: list[tuple[bytes | str, str, int]] = [
    (b"{not json", "application/json", 400),
    (b"", "application/json", 400),
    (b"[1, 2, 3]", "application/json", 400),
    (b'"just a string"', "application/json", 400),
    (b"null", "application/json", 400),
    (b'{"title": NaN}', "application/json", 400),
    (b'{"title": Infinity}', "application/json", 400),
    (b"\xff\xfe{}", "application/json", 400),
    (b"[" * 100000 + b"]" * 100000, "application/json", 400),
    (b'{"value": 1' + b"0" * 5000 + b"}", "application/json", 400),
    (b"title=x", "application/x-www-form-urlencoded", 415),
    (b"<factor/>", "application/xml", 415),
    (b'{"title": "x"}', "text/plain", 415),
]


def test_malformed_bodies(client: FlaskClient, world: ApiWorld) -> None:
    """Broken JSON, wrong types of body and wrong content types get 400 or 415 JSON."""
    before = state(world.app)
    for data, content_type, status in MALFORMED:
        response = _raw(client, world, data, content_type)
        assert response.status_code == status, data[:40]
        assert response.mimetype == "application/json"
        jsonschema.validate(response.get_json(), ERROR_SCHEMA)
    assert state(world.app) == before


def test_oversized_body_is_refused(client: FlaskClient, world: ApiWorld) -> None:
    """A body over the API's limit gets 413 JSON and nothing is written."""
    before = state(world.app)
    huge = json.dumps(
        {
            "title": "x",
            "category": "business_need",
            "polarity": "barrier",
            "description": "y" * (600 * 1024),
        }
    )
    response = _raw(client, world, huge, "application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert state(world.app) == before
    factor = f"{_factors(world)}/{world.ids['own']['factor_id']}"
    patched = _raw(client, world, huge, "application/json", "PATCH", factor)
    assert patched.status_code == 413
    assert state(world.app) == before


def test_hostile_bodies_on_every_write(client: FlaskClient, world: ApiWorld) -> None:
    """Every write endpoint answers a junk body with 4xx JSON and writes nothing."""
    from workbench.web.api import ENDPOINTS
    from workbench.web.api.core import Endpoint

    own = world.ids["own"]

    def url(endpoint: Endpoint) -> str:
        path = endpoint.path
        for key, value in {**own, "principle_id": world.principle_id}.items():
            path = path.replace("{" + key + "}", str(value))
        return API + path

    before = state(world.app)
    junk: list[Any] = [
        {"version": 1, "title": {"$ne": None}, "name": ["<script>"], "value": "NaN"},
        {"version": -1},
        {"version": 2**70},
        ["not", "an", "object"],
        {"contribution": "total", "version": 0},
    ]
    for endpoint in ENDPOINTS:
        if not endpoint.writes or endpoint.request is None:
            continue
        for body in junk:
            response = call(
                client, endpoint.method, url(endpoint), world.tokens["facilitator"], body
            )
            assert 400 <= response.status_code < 500, (endpoint.name, body, response.status_code)
            assert response.mimetype == "application/json"
    assert state(world.app) == before
