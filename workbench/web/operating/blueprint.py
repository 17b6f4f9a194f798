"""Phase 3's pages under /operating: one blueprint, a module per page group."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("operating", __name__, url_prefix="/workspaces/<id:workspace_id>/operating")
