"""The field catalogue: every register's fields, described once.

Web forms, API fields and exchange columns are built from these descriptions, so a
register's limits (lengths, ranges, required fields, choices) are the same whichever
way a value comes in. A text column's size in the model is the hard ceiling; the
limits in the modules of this package are what people are offered, chosen to fit what
each field is for: `shared` (the register type, common lengths and fields) and one
module per phase (`assessment`, `alignment`, `operating`, `metrics`) plus `stories` (the
operating model's people registers) and `workspace`.
"""

from __future__ import annotations

from workbench.models.catalogue.alignment import (
    ALIGNMENT,
    INITIATIVES,
    MILESTONES,
    OBJECTIVES,
    RISKS,
)
from workbench.models.catalogue.assessment import FACTORS, FRICTION, RESPONSES
from workbench.models.catalogue.metrics import (
    ECONOMICS,
    GOALS,
    MEASUREMENTS,
    METRICS,
    PLANS,
    SITES,
)
from workbench.models.catalogue.operating import (
    APPLICATIONS,
    CANVAS,
    DEPARTMENTS,
    DRILLS,
    ORG_UNITS,
    PROCESSES,
    RACI,
    SCENARIOS,
    STAKEHOLDERS,
    STEPS,
)
from workbench.models.catalogue.shared import RegisterSpec
from workbench.models.catalogue.stories import STORIES, TRAINING
from workbench.models.catalogue.workspace import WORKSPACE

# Callers that read the catalogue as one namespace (catalogue.FACTORS) find every register here.
__all__ = [
    "ALIGNMENT",
    "APPLICATIONS",
    "CANVAS",
    "DEPARTMENTS",
    "DRILLS",
    "ECONOMICS",
    "FACTORS",
    "FRICTION",
    "GOALS",
    "INITIATIVES",
    "MEASUREMENTS",
    "METRICS",
    "MILESTONES",
    "OBJECTIVES",
    "ORG_UNITS",
    "PLANS",
    "PROCESSES",
    "RACI",
    "REGISTERS",
    "RESPONSES",
    "RISKS",
    "SCENARIOS",
    "SITES",
    "STAKEHOLDERS",
    "STEPS",
    "STORIES",
    "TRAINING",
    "WORKSPACE",
]

REGISTERS: dict[str, RegisterSpec] = {
    spec.name: spec
    for spec in (
        FACTORS,
        RESPONSES,
        FRICTION,
        OBJECTIVES,
        DEPARTMENTS,
        INITIATIVES,
        MILESTONES,
        ALIGNMENT,
        RISKS,
        STAKEHOLDERS,
        CANVAS,
        PROCESSES,
        STEPS,
        RACI,
        ORG_UNITS,
        SCENARIOS,
        APPLICATIONS,
        STORIES,
        TRAINING,
        DRILLS,
        SITES,
        METRICS,
        GOALS,
        MEASUREMENTS,
        PLANS,
        ECONOMICS,
        WORKSPACE,
    )
}
