"""JSON error answers of the API: one shape for every refusal, never an HTML page."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "stale_version",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    400: "The request could not be understood.",
    401: "Send a valid personal API token as 'Authorization: Bearer <token>'.",
    403: "Your role in this workspace does not allow this.",
    404: "There is nothing here, or you are not a member of this workspace.",
    405: "This address does not accept that method.",
    409: "Someone changed this since you read it; the current row is included.",
    413: "The request body is larger than the API accepts.",
    415: "Send the body as JSON with 'Content-Type: application/json'.",
    422: "Some fields are not valid.",
    500: "Something went wrong; the problem has been logged and nothing was saved.",
    503: "The database is not answering. Try again in a moment.",
}


class ApiError(Exception):
    """A refusal raised inside an API view, answered as JSON."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.message = message or MESSAGES.get(status, MESSAGES[500])
        self.code = code or CODES.get(status, "error")
        self.fields = fields
        self.extra = extra or {}


def error_response(error: ApiError) -> Response:
    """Return the JSON answer for an ApiError."""
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.fields is not None:
        body["fields"] = error.fields
    body.update(error.extra)
    response = jsonify({"error": body})
    response.status_code = error.status
    if error.status == 401:
        challenge = 'Bearer realm="workbench"'
        if error.code == "invalid_token":
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response


def status_response(status: int, message: str | None = None) -> Response:
    """Return the JSON answer for a plain HTTP status (used by the app-wide handlers)."""
    return error_response(ApiError(status if status in CODES else 500, message))
