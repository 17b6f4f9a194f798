"""One unit of work per request: commit when the view returns, roll back when it raises.

Views and services never commit. `install` wraps every view function of the app once its
blueprints are registered, so a new route gets the boundary without anyone remembering
it, and the commit runs inside Flask's dispatch: a commit that fails (a conflicting
insert, a stale versioned row, a database gone or full) raises where the view would have,
and reaches the same error handlers (409 conflict, 503) instead of a bare 500. A
decorator on some views only (`workspace_view` plus one for the others) would have to be
remembered on every route outside a workspace; a hook after the view (`after_request`)
cannot send its failure to those handlers.

Sessions keep what they loaded after the commit (`expire_on_commit=False`): the response
the view drew before the commit stays true, and nothing rendered afterwards re-reads or,
on SQLite, waits for the write lock a second time. Versioned rows still refuse a stale
save.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, flash, g, request, session

from workbench.database import set_write_intent
from workbench.extensions import db
from workbench.services.concurrency import take_kept_fields

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

# Static files never touch the database.
UNWRAPPED = frozenset({"static"})

_AFTER_COMMIT = "unit_of_work_after_commit"


def discard() -> None:
    """Roll back the request's unsaved work; whatever is drawn afterwards only reads."""
    try:
        db.session.rollback()
    except Exception:  # pragma: no cover - the connection may be gone altogether
        log.exception("rollback failed")
    # A merged save that was discarded kept nobody's changes: nothing to announce.
    take_kept_fields(db.session())
    set_write_intent(False)


@contextmanager
def dry_run() -> Iterator[None]:
    """Run a block whose writes are only tried (a preview): discard them however it ends."""
    try:
        yield
    finally:
        discard()


def after_commit(callback: Callable[[], None]) -> None:
    """Run a callback once the request's work is committed, e.g. hand over a recorded job."""
    # An inline job runs in its own session and needs the row stored (and, on SQLite, the
    # write lock released) before it starts; a queued one must not start on a discarded row.
    g.setdefault(_AFTER_COMMIT, []).append(callback)


def _restore_cookie_session(saved: dict[str, Any]) -> None:
    # A view whose work is discarded must not leave its traces in the cookie either: a
    # "saved" message, or a login to an account that was never stored.
    if saved.get("_user_id") != session.get("_user_id"):
        g.pop("_login_user", None)
    session.clear()
    session.update(saved)


def unit_of_work(view: F) -> F:
    """Run a view as one unit of work: commit when it returns, roll back when it raises."""

    @wraps(view)
    def boundary(*args: Any, **kwargs: Any) -> Any:
        saved = copy.deepcopy(dict(session))
        try:
            response = view(*args, **kwargs)
            kept = take_kept_fields(db.session())
            db.session.commit()
        except BaseException:
            g.pop(_AFTER_COMMIT, None)
            discard()
            _restore_cookie_session(saved)
            raise
        for callback in g.pop(_AFTER_COMMIT, []):
            callback()
        if kept and not request.path.startswith("/api/"):
            # A stale save merged silently: say whose changes it kept.
            names = ", ".join(name.replace("_", " ") for name in kept)
            flash(f"Saved. Colleagues' changes to {names} were kept.", "info")
        return response

    # A marker read back with getattr; a function object takes any attribute at runtime.
    boundary.unit_of_work = True  # type: ignore[attr-defined]
    return cast(F, boundary)


def install(app: Flask) -> None:
    """Wrap every view function registered on the app so far in the unit of work."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint in UNWRAPPED or getattr(view, "unit_of_work", False):
            continue
        app.view_functions[endpoint] = unit_of_work(view)
