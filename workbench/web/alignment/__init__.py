"""Phase 2 (/alignment): objectives, initiatives, matrices, graph, roadmap and risk register."""

from __future__ import annotations

# Importing the page modules attaches their routes to the area's one blueprint.
from workbench.web.alignment import (
    approach_decision,
    initiatives,
    milestones,
    objectives,
    overview,
    risks,
)
from workbench.web.alignment.blueprint import blueprint

__all__ = [
    "approach_decision",
    "blueprint",
    "initiatives",
    "milestones",
    "objectives",
    "overview",
    "risks",
]
