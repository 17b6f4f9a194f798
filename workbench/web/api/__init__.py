"""The JSON API under /api/v1: personal tokens, the workspace registers, an OpenAPI document.

Endpoints are rows of one table (`ENDPOINTS`); the same rows register the routes and
write the OpenAPI document, so the two cannot disagree.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from workbench.database import begin_writing
from workbench.extensions import csrf, db
from workbench.models import Role, Workspace
from workbench.services import access
from workbench.services import workspaces as workspace_service
from workbench.services.errors import (
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    StaleEditError,
)
from workbench.web.api import errors as api_errors
from workbench.web.api.business_case import business_case_endpoint
from workbench.web.api.core import (
    BODY_MAX,
    Context,
    Endpoint,
    PathIdConverter,
    Reply,
    authenticate,
    id_in_range,
    page_schema,
    paginate,
    read_json,
)
from workbench.web.api.errors import ApiError, error_response
from workbench.web.api.fields import FieldErrors, row_schema, serialise
from workbench.web.api.links import link_endpoints
from workbench.web.api.milestones import milestone_endpoints
from workbench.web.api.nested import READ_ONLY_REGISTERS, metric_endpoints, principle_endpoint
from workbench.web.api.openapi import document
from workbench.web.api.registers import W, crud_endpoints
from workbench.web.api.resources import CORE_REGISTERS
from workbench.web.api.scorecard import scorecard_endpoints
from workbench.web.unit_of_work import discard

log = logging.getLogger(__name__)
PREFIX = "/api/v1"

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)
# Token authentication only: no cookie is ever honoured here, so there is nothing to forge.
csrf.exempt(blueprint)

WORKSPACE_ITEM = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "industry": {"type": "string"},
        "role": {"type": "string", "enum": ["facilitator", "analyst", "executive"]},
        "member_count": {"type": "integer"},
    },
    "required": ["id", "name", "industry", "role", "member_count"],
    "additionalProperties": False,
}


def _workspaces(ctx: Context) -> Reply:
    rows = workspace_service.list_workspaces_for(db.session(), ctx.user)
    return paginate(
        rows,
        lambda r: {
            "id": r.id,
            "name": r.name,
            "industry": r.industry,
            "role": r.role.value,
            "member_count": r.member_count,
        },
    )


def _workspace(ctx: Context) -> Reply:
    assert ctx.workspace is not None and ctx.role is not None
    return Reply(serialise(ctx.workspace, {"role": ctx.role.value}))


@functools.cache
def _document() -> dict[str, Any]:
    return document(ENDPOINTS)


def _openapi(ctx: Context | None) -> Reply:
    return Reply(_document())


def _build() -> tuple[Endpoint, ...]:
    roles = [role.value for role in Role]
    workspace_schema = row_schema(Workspace, {"role": {"type": "string", "enum": roles}})
    endpoints = [
        Endpoint(
            "openapi",
            "GET",
            "/openapi.json",
            _openapi,
            "This OpenAPI document",
            "Reference",
            None,
            response={"type": "object"},
            public=True,
        ),
        principle_endpoint(),
        Endpoint(
            "list_workspaces",
            "GET",
            "/workspaces",
            _workspaces,
            "List the workspaces you belong to, with your role",
            "Workspaces",
            None,
            response=page_schema(WORKSPACE_ITEM),
            paginated=True,
        ),
        Endpoint(
            "get_workspace",
            "GET",
            W,
            _workspace,
            "Read a workspace and its corporate strategy",
            "Workspaces",
            response=workspace_schema,
            errors=(404,),
        ),
    ]
    for register in CORE_REGISTERS:
        endpoints += crud_endpoints(register)
    endpoints += link_endpoints()
    endpoints += milestone_endpoints()
    endpoints += metric_endpoints()
    endpoints.append(business_case_endpoint())
    endpoints += scorecard_endpoints()
    for register in READ_ONLY_REGISTERS:
        endpoints += crud_endpoints(register)
    return tuple(endpoints)


ENDPOINTS: tuple[Endpoint, ...] = _build()


ID_CONVERTER = "api_id"


def flask_rule(path: str) -> str:
    """Turn an OpenAPI path (every parameter an id) into a Flask rule."""
    return path.replace("{", f"<{ID_CONVERTER}:").replace("}", ">")


def _dispatch(endpoint: Endpoint) -> Any:
    def view(**ids: int) -> Response:
        if not all(id_in_range(value) for value in ids.values()):
            # No row has such an id: the same answer as for an id that is free (see core.py).
            raise ApiError(404)
        if endpoint.public:
            reply = endpoint.view(None)
        else:
            ctx = Context(user=authenticate())
            workspace_id = ids.pop("workspace_id", None)
            if workspace_id is not None:
                try:
                    ctx.workspace, ctx.role = access.enter_workspace(
                        db.session(), ctx.user, workspace_id
                    )
                except NotFoundError:
                    raise ApiError(404) from None
                if endpoint.action and not access.role_allows(ctx.role, endpoint.action):
                    raise ApiError(
                        403, f"Your role ({ctx.role.value}) does not allow this in the workspace."
                    )
            if endpoint.writes:
                # As in workspace_view: the write lock is taken once who asks is known.
                begin_writing(db.session())
            if endpoint.request is not None:
                ctx.body = read_json()
            reply = endpoint.view(ctx, **ids)
        if reply.body is None:
            response = Response(status=reply.status)
        else:
            response = jsonify(reply.body)
            response.status_code = reply.status
        response.headers.update(reply.headers)
        return response

    view.__name__ = endpoint.name
    # The request hook leaves the write lock to the view (see begin_writing).
    # A marker read back with getattr; a function object takes any attribute at runtime.
    view.begins_writing_itself = True  # type: ignore[attr-defined]
    return view


def _limit_body() -> None:
    # The API's bodies are small records; refuse anything bigger before reading it.
    request.max_content_length = BODY_MAX


def _handle(error: Exception) -> Response:
    """Answer every error raised under /api/v1 as JSON."""
    discard()
    if isinstance(error, ApiError):
        return error_response(error)
    if isinstance(error, FieldErrors):
        return error_response(ApiError(422, fields=error.fields))
    if isinstance(error, StaleEditError | StaleDataError):
        return error_response(ApiError(409))
    if isinstance(error, NotFoundError):
        return error_response(ApiError(404, error.message))
    if isinstance(error, PermissionDeniedError):
        return error_response(ApiError(403, error.message))
    if isinstance(error, ServiceError):
        problems = getattr(error, "problems", None)
        extra = {"problems": list(problems)} if problems else None
        return error_response(
            ApiError(422, error.message, fields={error.field or "_": error.message}, extra=extra)
        )
    if isinstance(error, HTTPException):
        response = api_errors.status_response(error.code or 500)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response
    if isinstance(error, IntegrityError):
        return error_response(
            ApiError(
                409, "That would duplicate or break a link; reload and try again.", code="conflict"
            )
        )
    if isinstance(error, OperationalError):
        log.error("database unavailable: %s", error)
        return error_response(ApiError(503))
    log.exception("unhandled API error", exc_info=error)
    return error_response(ApiError(500))


for _endpoint in ENDPOINTS:
    blueprint.add_url_rule(
        flask_rule(_endpoint.path),
        endpoint=_endpoint.name,
        view_func=_dispatch(_endpoint),
        methods=[_endpoint.method],
    )
blueprint.before_request(_limit_body)
blueprint.register_error_handler(Exception, _handle)


def register(app: Flask) -> None:
    """Register the API blueprint on the app."""
    # The converter must be known before the blueprint's rules are added to the map.
    app.url_map.converters[ID_CONVERTER] = PathIdConverter
    app.register_blueprint(blueprint)


def is_api_request() -> bool:
    """Return whether the current request is addressed to the API."""
    # Anything under /api answers JSON, including versions this app does not serve.
    return request.path == "/api" or request.path.startswith("/api/")


__all__ = ["ENDPOINTS", "PREFIX", "blueprint", "flask_rule", "is_api_request", "register"]
