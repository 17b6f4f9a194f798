"""Error pages: a clear message and the right status, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, make_response, render_template
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from workbench.extensions import login_manager
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web import api, conflicts
from workbench.web.htmx import is_htmx
from workbench.web.unit_of_work import discard

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("Not allowed", "Your role in this workspace does not allow this."),
    404: ("Not found", "There is nothing here, or you are not a member of this workspace."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: ("Changed meanwhile", "Someone else saved this while you were editing."),
    413: ("Too large", "What you sent is larger than the workbench accepts ({limit})."),
    429: ("Too many attempts", "Too many attempts in a short time. Wait a little and retry."),
    500: ("Something went wrong", "The problem has been logged. Nothing you saved is lost."),
    503: ("Temporarily unavailable", "The database is not answering. Try again in a moment."),
}


REDIS_DOWN = "A shared service (Redis) is not answering. Try again in a moment."
CANNOT_WRITE = (
    "The database cannot store anything at the moment: its disk is full or its file is "
    "read-only. Nothing was saved. Copy anything long you typed, and tell whoever runs "
    "the workbench."
)

STORAGE_SIGNS = ("readonly", "read-only", "disk is full", "no space left", "disk full")


def _storage_message(error: OperationalError) -> str | None:
    # SQLite reports a full disk or a read-only file as an OperationalError too; say so.
    text = str(error.orig).lower()
    if any(sign in text for sign in STORAGE_SIGNS):
        return CANNOT_WRITE
    return None


def _whole_page(response: Response) -> Response:
    # An htmx request expected a fragment; an error or conflict page replaces the whole page.
    if is_htmx():
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def readable_size(size: int) -> str:
    """Return a byte count as people read it: "2 MB", "1.5 MB", "500 KB"."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def error_page(status: int, message: str | None = None) -> Response:
    """Render the generic error page for a status (a JSON error under /api)."""
    if api.is_api_request():
        return api.errors.status_response(status)
    title, default = MESSAGES.get(status, MESSAGES[500])
    body = render_template(
        "errors/error.html", status=status, title=title, message=message or default
    )
    return _whole_page(make_response(body, status))


def register(app: Flask) -> None:
    """Install the error handlers."""

    def rollback() -> None:
        # Errors raised outside a view (hooks, CSRF) have no boundary to discard their work;
        # after a view's boundary has discarded it, this is a no-op. Error pages only read.
        discard()

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        rollback()
        status = error.code or 500
        message = None
        if status == 413:
            limit = readable_size(int(current_app.config["MAX_CONTENT_LENGTH"]))
            message = MESSAGES[413][1].format(limit=limit)
        response = error_page(status, message)
        allowed = getattr(error, "valid_methods", None)
        if status == 405 and allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Response:
        rollback()
        return error_page(
            400,
            "This form has expired or was opened in another session. Reload the page, "
            "then submit again; copy anything long you typed first.",
        )

    @app.errorhandler(StaleEditError)
    def _stale(error: StaleEditError) -> Response:
        rollback()
        body = render_template(
            "errors/conflict.html",
            conflict=error,
            rows=conflicts.conflict_rows(error),
            shown=conflicts.stored_texts(error),
            carried=conflicts.carried_fields(error) if error.conflicts is not None else [],
        )
        return _whole_page(make_response(body, 409))

    @app.errorhandler(StaleDataError)
    def _stale_flush(error: StaleDataError) -> Response:
        rollback()
        return error_page(409, None)

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError) -> Response:
        # A duplicate or a broken link found by the database, usually at the commit: another
        # request stored the same thing first.
        log.warning("integrity conflict: %s", error.orig)
        rollback()
        return error_page(409, None)

    @app.errorhandler(ServiceError)
    def _service(error: ServiceError) -> Response:
        rollback()
        return error_page(error.status_code, error.message)

    @app.errorhandler(OperationalError)
    def _database_down(error: OperationalError) -> Response:
        log.error("database unavailable: %s", error)
        rollback()
        # The page shows as to a visitor: the rollback forgot the account, and asking the
        # database for it again while rendering could fail the same way.
        g._login_user = login_manager.anonymous_user()
        response = error_page(503, _storage_message(error))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(RedisError)
    def _redis_down(error: RedisError) -> Response:
        log.error("redis unavailable: %s", error)
        rollback()
        response = error_page(503, REDIS_DOWN)
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        rollback()
        return error_page(500, None)
