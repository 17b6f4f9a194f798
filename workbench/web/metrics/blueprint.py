"""Phase 4's pages under /metrics: one blueprint, a module per page group."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("metrics", __name__, url_prefix="/workspaces/<id:workspace_id>/metrics")
