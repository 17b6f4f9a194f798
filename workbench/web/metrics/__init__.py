"""Phase 4 (/metrics): scorecards, metrics, communication plans and the recovery economics."""

from __future__ import annotations

# Importing the page modules attaches their routes to the area's one blueprint.
from workbench.web.metrics import communication, economics, feeds, register, sites
from workbench.web.metrics.blueprint import blueprint

__all__ = ["blueprint", "communication", "economics", "feeds", "register", "sites"]
