"""The API's request plumbing: endpoints as data, token authentication, JSON bodies, paging."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from sqlalchemy.exc import OperationalError
from werkzeug.routing import BaseConverter

from workbench.database import write_intent
from workbench.extensions import db
from workbench.models import Role, User, Workspace
from workbench.services import api_tokens
from workbench.services.access import Action
from workbench.services.audit import set_actor
from workbench.web.api.errors import ApiError
from workbench.web.api.fields import ID_MAX

log = logging.getLogger(__name__)

BODY_MAX = 512 * 1024
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
# Page numbers are read from at most nine digits; the document states the same bound.
PAGE_NUMBER_MAX = 999_999_999


class PathIdConverter(BaseConverter):
    """An id in an API path: any run of ASCII digits, range-checked by the view, not the router.

    Werkzeug treats a converter's refusal as "this rule does not match"; when a rule for
    another method on the same address does match, it then answers 405. Taking every digit
    string here lets the dispatcher answer an id out of range with the 404 the document
    promises.
    """

    regex = "[0-9]+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        """Return the id, or ID_MAX + 1 for one too long to be an id."""
        digits = value.lstrip("0") or "0"
        # Longer than any id: no need to build a huge int only to refuse it.
        return int(digits) if len(digits) <= len(str(ID_MAX)) else ID_MAX + 1

    def to_url(self, value: Any) -> str:
        """Return the id as it appears in a URL."""
        return str(int(value))


def id_in_range(value: int) -> bool:
    """Return whether a path id can name a row (1 to ID_MAX)."""
    return 1 <= value <= ID_MAX


@dataclass
class Context:
    """What a view knows about the request: who asks, in which workspace, with what body."""

    user: User
    workspace: Workspace | None = None
    role: Role | None = None
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """A view's answer: the body (None for 204), the status and any headers."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    """One operation of the API; the same row registers the route and documents it."""

    name: str
    method: str
    path: str  # OpenAPI form below /api/v1, every parameter an id: /workspaces/{workspace_id}
    view: Callable[..., Reply]
    summary: str
    tag: str
    action: Action | None = Action.READ  # None: any holder of a valid token
    request: dict[str, Any] | None = None  # JSON Schema of the body, if it takes one
    response: dict[str, Any] | None = None  # JSON Schema of the success body
    status: int = 200
    paginated: bool = False
    public: bool = False  # no token needed (the OpenAPI document itself)
    errors: Sequence[int] = ()

    @property
    def writes(self) -> bool:
        """Return whether the operation changes data."""
        return self.method not in {"GET", "HEAD"}


def authenticate() -> User:
    """Return the user of the presented bearer token or raise a 401 ApiError."""
    header = request.headers.get("Authorization", "")
    if not header.strip():
        raise ApiError(401)
    scheme, _, secret = header.strip().partition(" ")
    found = None
    if scheme.lower() == "bearer" and secret.strip():
        # Who asks is read outside SQLite's write lock; a writing call takes it afterwards.
        with write_intent(False):
            found = api_tokens.resolve(db.session(), secret.strip())
    if found is None:
        raise ApiError(401, "The token is not valid, or it has been revoked.", code="invalid_token")
    token, user = found
    if api_tokens.needs_use_recorded(token):
        _record_use(token.id)
    set_actor(db.session(), user.id, user.email)
    return user


def _record_use(token_id: int) -> None:
    # A courtesy kept apart from the call's unit of work, in its own short transaction on
    # another connection: a refused call still counts as a use, and a busy database must
    # not refuse the call. The request holds no write lock yet (see `authenticate`).
    try:
        with write_intent(True), db.engine.begin() as connection:
            api_tokens.record_use(connection, token_id)
    except OperationalError as error:
        log.warning("token use not recorded: %s", error)


def read_json() -> dict[str, Any]:
    """Return the request's JSON object, or raise 415/413/400 as an ApiError."""
    if request.mimetype != "application/json":
        raise ApiError(415)
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "The body is not valid JSON.", code="malformed_json") from None
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.", code="malformed_json")
    return body


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _positive_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    # The length check comes first so a thousand-digit value is never turned into an int.
    too_long = len(raw) > len(str(PAGE_NUMBER_MAX))
    if too_long or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= PAGE_NUMBER_MAX:
        limit = f"must be a whole number from 1 to {PAGE_NUMBER_MAX}"
        raise ApiError(400, f"'{name}' {limit}.", code="bad_parameter", fields={name: limit})
    return int(raw)


def paginate(rows: Sequence[Any], render: Callable[[Any], dict[str, Any]]) -> Reply:
    """Return one page of rows as {items, page, per_page, total, next}."""
    page = _positive_arg("page", 1)
    per_page = min(_positive_arg("per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX)
    start = (page - 1) * per_page
    chunk = rows[start : start + per_page]
    following = None
    if start + per_page < len(rows):
        args = dict(request.view_args or {})
        following = url_for(request.endpoint or "", **args, page=page + 1, per_page=per_page)
    return Reply(
        {
            "items": [render(row) for row in chunk],
            "page": page,
            "per_page": per_page,
            "total": len(rows),
            "next": following,
        }
    )


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON Schema of a page of items."""
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": item},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
            "total": {"type": "integer", "minimum": 0},
            "next": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": ["items", "page", "per_page", "total", "next"],
        "additionalProperties": False,
    }
