"""Phase 3 (/operating): the canvas, stakeholders, the organisation and the playbook."""

from __future__ import annotations

# Importing the page modules attaches their routes to the area's one blueprint.
from workbench.web.operating import canvas, departments, drills, organisation, playbook
from workbench.web.operating.blueprint import blueprint

__all__ = ["blueprint", "canvas", "departments", "drills", "organisation", "playbook"]
