"""Phase 2's pages, all under /alignment: one blueprint, a module per page group."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("alignment", __name__, url_prefix="/workspaces/<id:workspace_id>/alignment")
