"""The OpenAPI 3.1 document, written from the same endpoint table that registers the routes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from workbench.web.api.core import PAGE_NUMBER_MAX, PER_PAGE_DEFAULT, PER_PAGE_MAX, Endpoint
from workbench.web.api.errors import MESSAGES
from workbench.web.api.fields import ID_MAX

_PARAM = re.compile(r"{(\w+)}")

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "problems": {"type": "array", "items": {"type": "string"}},
                "current": {"description": "the row as it is now (409 only)"},
                "conflicts": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "the fields you and someone else both changed since "
                    "your version (409 only)",
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        }
        for name in _PARAM.findall(endpoint.path)
    ]
    if endpoint.paginated:
        parameters += [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": PAGE_NUMBER_MAX,
                    "default": 1,
                },
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": f"values above {PER_PAGE_MAX} are lowered to it",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": PAGE_NUMBER_MAX,
                    "default": PER_PAGE_DEFAULT,
                },
            },
        ]
    return parameters


def _error(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": MESSAGES.get(status, "error"),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == 401:
        answer["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer challenge"}
        }
    return answer


def operation(endpoint: Endpoint) -> dict[str, Any]:
    """Return the OpenAPI operation object of one endpoint."""
    success: dict[str, Any] = {"description": endpoint.summary}
    if endpoint.response is not None and endpoint.status != 204:
        success["content"] = {"application/json": {"schema": endpoint.response}}
    responses: dict[str, Any] = {str(endpoint.status): success}
    if endpoint.name in {"set_contribution", "set_goal"}:
        responses["201"] = {
            "description": "created",
            "content": {"application/json": {"schema": endpoint.response}},
        }
    statuses = set(endpoint.errors)
    if not endpoint.public:
        statuses |= {401}
        if "{workspace_id}" in endpoint.path:
            statuses |= {403, 404} if endpoint.writes else {404}
    if endpoint.paginated:
        statuses |= {400}
    for status in sorted(statuses):
        responses[str(status)] = _error(status)
    result: dict[str, Any] = {
        "operationId": endpoint.name,
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "parameters": _parameters(endpoint),
        "responses": responses,
    }
    if endpoint.public:
        result["security"] = []
    if endpoint.request is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": endpoint.request}},
        }
    return result


def _row_field(endpoint: Endpoint, name: str) -> str:
    """Return the field of the endpoint's answered row that holds the id `name`."""
    schema = endpoint.response or {}
    if endpoint.paginated:
        schema = schema.get("properties", {}).get("items", {}).get("items", {})
    # A link row names the linked id (objective_id); any other row is its own `id`.
    return name if name in schema.get("properties", {}) else "id"


def link_parameters(source: Endpoint, target: Endpoint) -> dict[str, str] | None:
    """Return where each path id of `target` comes from once `source` has answered, if all do.

    A listing or a creation in a collection leads to the operations on the row it answered
    (the first listed, or the one created; a creation not to reading what it did not make);
    any other operation acts on one thing (a row, a link, a metric's goal) and leads to the
    other operations on it and beneath it, with the same ids.
    """
    wanted = _PARAM.findall(target.path)
    if target is source or target.public or not wanted:
        return None
    known = set(_PARAM.findall(source.path))
    listing = source.paginated and source.method == "GET"
    creating = source.method == "POST" and source.response is not None
    if not (listing or creating):
        beneath = target.path == source.path or target.path.startswith(source.path + "/")
        if not beneath or not set(wanted) <= known:
            return None
        return {name: f"$request.path.{name}" for name in wanted}
    prefix = source.path + "/{"
    if not target.path.startswith(prefix):
        return None
    new = target.path[len(prefix) :].split("}", 1)[0]
    if not set(wanted) <= known | {new}:
        return None
    row_path = f"{prefix}{new}}}"
    if (
        creating
        and target.method in {"GET", "DELETE"}
        and not target.paginated
        and target.path != row_path
    ):
        # A new row has its collections (empty) but not its singletons: a new metric has no
        # goal yet, so reading or deleting it straight after the creation rightly answers 404.
        return None
    pointer = "/items/0/" if listing else "/"
    return {
        name: f"$request.path.{name}"
        if name != new
        else f"$response.body#{pointer}{_row_field(source, name)}"
        for name in wanted
    }


def links(source: Endpoint, endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    """Return the OpenAPI links from the source's success answer to the operations it leads to."""
    found: dict[str, Any] = {}
    for target in endpoints:
        parameters = link_parameters(source, target)
        if parameters is not None:
            found[target.name] = {"operationId": target.name, "parameters": parameters}
    return found


def document(endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    """Return the whole OpenAPI 3.1 document for the endpoints (paths below /api/v1)."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        answer = operation(endpoint)
        # Links let a client (and Schemathesis's stateful phase) chain calls by real ids.
        following = links(endpoint, endpoints)
        if following:
            for status, response in answer["responses"].items():
                if status.startswith("2"):
                    response["links"] = following
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = answer
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Recovery Strategy Workbench API",
            "version": "1",
            "description": (
                "Read every register of a workspace and write its core ones. Authenticate "
                "with a personal API token from the account page: "
                "'Authorization: Bearer wbt_...'. Updates carry the version last read; a "
                "stale one that changes only fields nobody else changed since is merged and "
                "saved, otherwise it is answered 409 with the row as it is now and the "
                "conflicting fields."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA},
        },
    }
