"""Blueprints and the request lifecycle: write intent, actor, unit of work, headers, errors."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from workbench.analysis.dates import format_date
from workbench.database import begin_writing, set_write_intent
from workbench.extensions import db, login_manager
from workbench.models import JobStatus, User
from workbench.services import accounts, evidence, workshop_join
from workbench.services.audit import set_actor
from workbench.web import (
    alignment,
    api,
    assessment,
    auth,
    branding,
    conflicts,
    context,
    errors,
    exchange,
    history,
    journey,
    main,
    members,
    metrics,
    operating,
    outbox,
    processes,
    questionnaires,
    recovery,
    reminders,
    schedule,
    storyboard,
    storyboard_packs,
    tokens,
    two_factor,
    unit_of_work,
    workshop,
    workshop_decision,
    workshop_votes,
    workspaces,
)
from workbench.web.context import department_choices, department_name
from workbench.web.main import PROBE_ENDPOINTS
from workbench.web.session_cookie import RefreshingSessionInterface

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Probes answer without loading the account, so they say nothing about a session's state.


def _before_request() -> None:
    if request.endpoint in PROBE_ENDPOINTS:
        return
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        # Refused whether or not the view reads the body: a confirmed action reads none of it
        # (CSRFProtect does, unless it is switched off), yet must not act on an oversized post.
        abort(413)
    # Reads begin a plain transaction; the work of a request that may write takes SQLite's
    # lock up front, but only after the account (and, in a workspace, the membership) has
    # been read, so the lock is held for the change itself.
    set_write_intent(False)
    if current_user.is_authenticated:
        set_actor(db.session(), current_user.id, current_user.email)
    if request.method not in SAFE_METHODS:
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "begins_writing_itself", False):
            begin_writing(db.session())


def workspace_nav() -> Any:
    """Return the sidebar values of the workspace the request is in, or None."""
    factory = g.get("nav_factory")
    if factory is None:
        return None
    try:
        return factory()
    except Exception:
        # An error page must still render when the database is what failed.
        logging.getLogger(__name__).exception("navigation unavailable")
        return None


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class IdConverter(IntegerConverter):
    """A database id in a URL: a positive integer that fits every backend's INTEGER."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=2_147_483_647)


def register_web(app: Flask) -> None:
    """Attach blueprints, hooks and error pages to the app."""
    app.url_map.converters["id"] = IdConverter
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(identifier: str) -> User | None:
        workspace_id = context.workspace_requested()
        if workspace_id is None:
            return accounts.load_user(db.session(), identifier)
        # A workspace page reads the account and its membership there in one query.
        user, found = accounts.load_member(db.session(), identifier, workspace_id)
        context.keep_membership(workspace_id, found)
        return user

    app.jinja_env.globals["workspace_nav"] = workspace_nav
    # `may(action)`, `can_edit` and `can_manage`: what the viewing member's role allows.
    app.context_processor(context.role_context)
    # A workshop guest has no workspaces, password or tokens: the header offers none.
    app.jinja_env.globals["is_guest_account"] = workshop_join.is_guest_account
    # Job pages compare a job's state with the enum, not with strings of their own.
    app.jinja_env.globals["JobStatus"] = JobStatus
    app.jinja_env.filters["long_date"] = format_date
    # Rows hold department keys; pages show the register's display names.
    app.jinja_env.filters["department"] = department_name
    app.jinja_env.globals["department_choices"] = department_choices
    # Published evidence and guidance from seeds/, shown beside the pages they support.
    app.jinja_env.globals["evidence_for"] = evidence.for_page
    app.jinja_env.globals["evidence_for_metric"] = evidence.for_metric
    app.jinja_env.globals["evidence_for_targets"] = evidence.for_targets
    app.jinja_env.globals["toughest_customers"] = evidence.toughest_customers
    app.before_request(_before_request)
    app.before_request(conflicts.resolve_choices)
    app.after_request(_security_headers)
    # The signed cookie is sent again when it changed or is a few minutes old, not each time.
    app.session_interface = RefreshingSessionInterface()
    for blueprint in (
        main.blueprint,
        auth.blueprint,
        recovery.blueprint,
        outbox.blueprint,
        workspaces.blueprint,
        members.blueprint,
        history.blueprint,
        schedule.blueprint,
        assessment.blueprint,
        questionnaires.blueprint,
        journey.blueprint,
        alignment.blueprint,
        metrics.blueprint,
        operating.blueprint,
        processes.blueprint,
        storyboard.blueprint,
        storyboard_packs.blueprint,
        exchange.blueprint,
        tokens.blueprint,
        two_factor.blueprint,
        reminders.blueprint,
        branding.blueprint,
        workshop.blueprint,
        workshop_votes.blueprint,
        workshop_decision.blueprint,
    ):
        app.register_blueprint(blueprint)
    api.register(app)
    unit_of_work.install(app)
    errors.register(app)
