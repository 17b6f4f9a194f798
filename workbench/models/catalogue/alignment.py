"""Phase 2 registers: objectives, initiatives, milestones, contributions and risks."""

from __future__ import annotations

from workbench.models.alignment import (
    Approach,
    Contribution,
    InitiativeStatus,
    Perspective,
    Priority,
)
from workbench.models.catalogue.shared import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    TITLE_MAX,
    RegisterSpec,
    department,
    owner,
)
from workbench.models.fields import choice, day, enum_choices, integer, line, money, text
from workbench.models.risks import RiskStatus

OBJECTIVES = RegisterSpec(
    "objectives",
    (
        line("title", "Objective", TITLE_MAX, required=True),
        text("description", "Description", DESCRIPTION_MAX),
        choice(
            "perspective",
            "Perspective",
            enum_choices(Perspective, {Perspective.LEARNING_GROWTH: "Learning and growth"}),
            Perspective.CUSTOMER.value,
            enum_type=Perspective,
        ),
        owner(),
        day("due_date", "Due date"),
    ),
)

INITIATIVES = RegisterSpec(
    "initiatives",
    (
        line("title", "Initiative", TITLE_MAX, required=True),
        text("description", "Description", DESCRIPTION_MAX),
        owner(),
        department(),
        choice(
            "status",
            "Status",
            enum_choices(InitiativeStatus),
            InitiativeStatus.PROPOSED.value,
            enum_type=InitiativeStatus,
        ),
        choice(
            "priority",
            "Priority",
            enum_choices(Priority),
            Priority.MEDIUM.value,
            enum_type=Priority,
        ),
        money("budget", "Budget"),
        money("spend", "Spend so far"),
        day("start_date", "Start"),
        day("end_date", "End"),
        choice(
            "approach",
            "Approach",
            (
                (Approach.PREVENT.value, "Prevent: stop failures reaching the customer"),
                (Approach.RECOVER.value, "Recover: put failures right so well that loyalty grows"),
            ),
            nullable=True,
            enum_type=Approach,
        ),
        integer("percent_complete", "Percentage complete", 0, 100, nullable=True),
        # Kept by the service when the work is first approved; shown, never typed in a form.
        day("baseline_start", "Baseline start"),
        day("baseline_end", "Baseline end"),
    ),
)

MILESTONES = RegisterSpec(
    "milestones",
    (
        line("title", "Milestone", TITLE_MAX, required=True),
        day("due_date", "Due", required=True),
        day("done_date", "Done on"),
        owner(),
    ),
)

ALIGNMENT = RegisterSpec(
    "alignment",
    (
        choice(
            "contribution",
            "Contribution",
            enum_choices(Contribution),
            required=True,
            enum_type=Contribution,
        ),
        text("rationale", "Rationale", NOTE_MAX),
    ),
)

LIKELIHOOD_LABELS = {
    1: "1 - rare",
    2: "2 - unlikely",
    3: "3 - possible",
    4: "4 - likely",
    5: "5 - almost certain",
}
IMPACT_LABELS = {
    1: "1 - negligible",
    2: "2 - minor",
    3: "3 - moderate",
    4: "4 - major",
    5: "5 - severe",
}

RISKS = RegisterSpec(
    "risks",
    (
        line("title", "Risk", TITLE_MAX, required=True),
        text("cause", "Cause", DESCRIPTION_MAX),
        integer("likelihood", "Likelihood", 1, 5, 3, labels=LIKELIHOOD_LABELS),
        integer("impact", "Impact", 1, 5, 3, labels=IMPACT_LABELS),
        owner(),
        text("mitigation", "Mitigation", DESCRIPTION_MAX),
        day("review_date", "Next review"),
        choice(
            "status",
            "Status",
            enum_choices(RiskStatus),
            RiskStatus.OPEN.value,
            enum_type=RiskStatus,
        ),
    ),
)
