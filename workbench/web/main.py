"""Home page and health checks."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from workbench.extensions import db

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
def home():  # type: ignore[no-untyped-def]
    """Send members to their workspaces and visitors to the introduction."""
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    return render_template("main/home.html")


@blueprint.route("/healthz")
def health():  # type: ignore[no-untyped-def]
    """Answer whether the process is up and the database reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
