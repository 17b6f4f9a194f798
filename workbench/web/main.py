"""Home page and health checks."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from workbench.services import health as health_service
from workbench.services import proxy_check

# Health and readiness answer without loading the account, so they work when the database
# does not (every request hook skips them).
PROBE_ENDPOINTS = frozenset({"main.health", "main.ready"})

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
def home() -> Response | str:
    """Send members to their workspaces and visitors to the introduction."""
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    return render_template("main/home.html")


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """Serve the icon to clients that ask for it at the conventional address."""
    folder = f"{current_app.static_folder}/img"
    return send_from_directory(folder, "favicon.svg", mimetype="image/svg+xml")


@blueprint.route("/healthz")
def health() -> dict[str, str]:
    """Liveness: the process answers; nothing else is checked."""
    # A database outage must not make the supervisor restart healthy processes.
    return {"status": "ok"}


@blueprint.route("/readyz")
def ready() -> tuple[dict[str, object], int, dict[str, str]]:
    """Readiness: database reachable, migrations at head, Redis reachable when configured."""
    ok, checks = health_service.readiness(current_app)
    body: dict[str, object] = {"status": "ok" if ok else "unavailable", "checks": checks}
    # A misconfigured proxy is reported, never made a failure: the instance still serves.
    if warnings := proxy_check.warnings(current_app):
        body["warnings"] = warnings
    return body, (200 if ok else 503), {"Retry-After": "5"} if not ok else {}
