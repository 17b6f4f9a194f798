"""Phase 3 (/operating): the canvas, stakeholders, the organisation, the playbook, the
application portfolio, success stories and the training plans."""

from __future__ import annotations

# Importing the page modules attaches their routes to the area's one blueprint.
from workbench.web.operating import (
    applications,
    canvas,
    departments,
    drills,
    organisation,
    playbook,
    stories,
    training,
)
from workbench.web.operating.blueprint import blueprint

__all__ = [
    "applications",
    "blueprint",
    "canvas",
    "departments",
    "drills",
    "organisation",
    "playbook",
    "stories",
    "training",
]
