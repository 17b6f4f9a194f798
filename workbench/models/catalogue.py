"""The field catalogue: every register's fields, described once.

Web forms, API fields and exchange columns are built from these descriptions, so a
register's limits (lengths, ranges, required fields, choices) are the same whichever
way a value comes in. A text column's size in the model is the hard ceiling; the
limits below are what people are offered, chosen to fit what each field is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.models.alignment import (
    Approach,
    Contribution,
    InitiativeStatus,
    Perspective,
    Priority,
)
from workbench.models.assessment import FactorCategory, Polarity
from workbench.models.core import STRATEGY_FIELDS
from workbench.models.fields import (
    FieldSpec,
    choice,
    choices,
    day,
    enum_choices,
    flag,
    integer,
    labelled,
    line,
    money,
    number,
    text,
)
from workbench.models.metrics import Direction
from workbench.models.risks import RiskStatus
from workbench.models.vocabulary import (
    CADENCES,
    CANVAS_KINDS,
    CATEGORY_LABELS,
    CHANNELS,
    COMPENSATION_TYPES,
    CURRENCIES,
    DEFAULT_CURRENCY,
    DETECTION_CHANNELS,
    FREQUENCIES,
    FRICTION_SEVERITY_LABELS,
    IMPORTANCE_LABELS,
    RACI_ROLES,
    RESPONSE_CHANNELS,
    SEVERITIES,
    STAGES,
    STAKEHOLDER_KINDS,
    STRATEGY_TEXT_MAX,
    STRUCTURES,
    UNITS,
)

# Lengths shared by several registers: a department name is the same thing everywhere.
NAME_MAX = 160
TITLE_MAX = 200
OWNER_MAX = 120
DEPARTMENT_MAX = 80
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000


@dataclass(frozen=True)
class RegisterSpec:
    """A register: its name and its fields in the order they are shown and exchanged."""

    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """Return the field called `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")


def department(required: bool = False) -> FieldSpec:
    """The department a row belongs to: a register key, or a name the register finds or adds."""
    return line("department", "Department", DEPARTMENT_MAX, required)


def owner() -> FieldSpec:
    """The person answerable for a row."""
    return line("owner", "Owner", OWNER_MAX)


def currency(required: bool = False) -> FieldSpec:
    """An amount's currency, from the one list of currencies."""
    listed = tuple((c, c) for c in CURRENCIES)
    if required:
        return choice("currency", "Currency", listed, DEFAULT_CURRENCY, required=True)
    return choice("currency", "Currency", listed, nullable=True)


SCALE_1_5 = {n: str(n) for n in range(1, 6)}

FACTORS = RegisterSpec(
    "factors",
    (
        line("title", "Title", TITLE_MAX, required=True),
        choice(
            "category",
            "Category",
            enum_choices(FactorCategory, CATEGORY_LABELS),
            required=True,
            enum_type=FactorCategory,
        ),
        choice("polarity", "Polarity", enum_choices(Polarity), required=True, enum_type=Polarity),
        integer("importance", "Importance", 1, 5, 3, labels=IMPORTANCE_LABELS),
        text("description", "Description", DESCRIPTION_MAX),
        text("evidence", "Evidence", DESCRIPTION_MAX),
    ),
)

# An answer's value is checked against its instrument's scale; its note is free text.
RESPONSES = RegisterSpec("responses", (text("note", "Note", NOTE_MAX),))

FRICTION = RegisterSpec(
    "friction",
    (
        choice("stage_key", "Stage", STAGES, required=True),
        text("description", "Friction point", NOTE_MAX, required=True),
        integer(
            "severity",
            "Severity",
            1,
            5,
            3,
            labels={k: f"{k} - {v}" for k, v in FRICTION_SEVERITY_LABELS.items()},
        ),
        choice("channel", "Channel", CHANNELS, "other"),
        text("digital_opportunity", "Digital opportunity", NOTE_MAX),
    ),
)

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

DEPARTMENTS = RegisterSpec(
    "departments",
    (
        line("name", "Name", DEPARTMENT_MAX, required=True),
        text("description", "What it does", NOTE_MAX),
        line("owner", "Head or contact", OWNER_MAX),
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

STAKEHOLDERS = RegisterSpec(
    "stakeholders",
    (
        line("name", "Name", NAME_MAX, required=True),
        choice("kind", "Kind", labelled(STAKEHOLDER_KINDS), "team"),
        integer("interest", "Interest (1 low to 5 high)", 1, 5, 3, labels=SCALE_1_5),
        integer("influence", "Influence (1 low to 5 high)", 1, 5, 3, labels=SCALE_1_5),
        text("notes", "Notes", NOTE_MAX),
    ),
)

CANVAS = RegisterSpec(
    "canvas",
    (
        choice("kind", "Kind", labelled(CANVAS_KINDS), required=True),
        line("title", "Title", TITLE_MAX, required=True),
        text("description", "Description", NOTE_MAX),
    ),
)

PROCESSES = RegisterSpec(
    "processes",
    (
        line("name", "Process", NAME_MAX, required=True),
        text("description", "Description", NOTE_MAX),
    ),
)

STEPS = RegisterSpec(
    "steps",
    (
        line("name", "Step", 120, required=True),
        text("description", "What happens", NOTE_MAX),
    ),
)

RACI = RegisterSpec("raci", (choice("role", "Role", labelled(RACI_ROLES), required=True),))

ORG_UNITS = RegisterSpec(
    "org_units",
    (
        choice("structure", "Structure", labelled(STRUCTURES), required=True),
        line("name", "Unit", NAME_MAX, required=True),
        text("purpose", "Purpose", NOTE_MAX),
    ),
)

SCENARIOS = RegisterSpec(
    "scenarios",
    (
        line("name", "Scenario", NAME_MAX, required=True),
        text("description", "What goes wrong", DESCRIPTION_MAX),
        choice("severity", "Severity", labelled(SEVERITIES), "medium"),
        flag("foreseeable", "It was reasonably foreseeable"),
        choices("detection_channels", "Detection channels", DETECTION_CHANNELS),
        line("responder", "Responding team or person", NAME_MAX),
        text("customer_message", "Message to the customer", DESCRIPTION_MAX),
        choices("response_channels", "Response channels", RESPONSE_CHANNELS),
        choice("compensation_type", "Compensation", labelled(COMPENSATION_TYPES), "none"),
        number("compensation_amount", "Amount", low=0),
        currency(),
        number("escalation_limit", "Escalation limit: a manager approves above", low=0),
        # Ten million a year: far beyond the complaints of any one organisation.
        integer("expected_cases_per_year", "Cases expected a year", 0, 10**7, nullable=True),
        # A week: a slower answer is no recovery plan.
        integer(
            "target_response_minutes", "Target response time (minutes)", 1, 10080, nullable=True
        ),
        text("prevention_note", "How to stop it recurring", NOTE_MAX),
    ),
)

METRICS = RegisterSpec(
    "metrics",
    (
        line("name", "Metric", NAME_MAX, required=True),
        text("definition", "Definition", NOTE_MAX),
        choice("unit", "Unit", tuple((u, u) for u in UNITS), "percent"),
        choice(
            "direction",
            "Direction",
            (
                (Direction.HIGHER.value, "Higher is better"),
                (Direction.LOWER.value, "Lower is better"),
            ),
            Direction.HIGHER.value,
            enum_type=Direction,
        ),
        number("min_value", "Lowest possible value"),
        number("max_value", "Highest possible value"),
        choice("frequency", "Measured", tuple((f, f) for f in FREQUENCIES), "monthly"),
        owner(),
        department(),
    ),
)

GOALS = RegisterSpec(
    "goals",
    (
        number("baseline", "Baseline"),
        day("baseline_date", "Baseline date"),
        number("target", "Target"),
        day("target_date", "Target date"),
        text("rationale", "Rationale", NOTE_MAX),
    ),
)

MEASUREMENTS = RegisterSpec(
    "measurements",
    (
        day("measured_on", "Date", required=True),
        number("value", "Value", required=True),
        line("note", "Note", 500),
    ),
)

PLANS = RegisterSpec(
    "plans",
    (
        department(required=True),
        line("audience", "Audience", TITLE_MAX),
        line("channel", "Channel", OWNER_MAX),
        choice("cadence", "Cadence", tuple((c, c) for c in CADENCES), "monthly"),
        owner(),
        text("notes", "Notes", DESCRIPTION_MAX),
    ),
)

# Shares are stored as fractions (the form shows them as percentages); amounts in currency.
SHARES = (
    ("failure_rate", "Customers meeting a failure in a year"),
    ("complaint_rate", "Failures that are reported"),
    ("recovery_success_rate", "Complaints recovered well with the programme"),
    ("churn_unrecovered", "Churn after an unrecovered failure"),
    ("churn_recovered", "Churn after a recovered failure"),
)
# The shares a team rarely knows precisely: the business case varies them low to high.
UNCERTAIN_SHARES = ("complaint_rate", "churn_unrecovered", "churn_recovered")
AMOUNTS = (
    ("customer_lifetime_value", "Customer lifetime value"),
    ("cost_per_recovery", "Cost per recovery attempt"),
    ("programme_fixed_cost", "Programme fixed cost per year"),
)
ECONOMICS = RegisterSpec(
    "economics",
    (
        # An Integer column: a billion customers is far beyond any one organisation.
        integer("customers", "Customers", 0, 10**9, required=True),
        *(number(name, label, 0, 1, required=True) for name, label in SHARES),
        *(number(name, label, 0, required=True) for name, label in AMOUNTS),
        currency(required=True),
        number("current_recovery_rate", "Complaints recovered well today", 0, 1),
        # Left out (an older backup, a form without them), the case keeps 5 years and 8%.
        integer("horizon_years", "Years in the business case", 3, 5, 5),
        number("discount_rate", "Discount rate a year", 0, 0.5).but(default=0.08, nullable=False),
        *(
            number(f"{name}_{end}", f"{label}: {end} value", 0, 1)
            for name, label in SHARES
            if name in UNCERTAIN_SHARES
            for end in ("low", "high")
        ),
        number("customer_lifetime_value_low", "Customer lifetime value: low value", 0),
        number("customer_lifetime_value_high", "Customer lifetime value: high value", 0),
    ),
)

STRATEGY_LABELS = {"analyst_perspective": "Analyst's perspective"}
WORKSPACE = RegisterSpec(
    "workspace",
    (
        line("name", "Organisation name", 120, required=True),
        line("industry", "Industry", 80),
        *(
            text(
                name,
                STRATEGY_LABELS.get(name, name.replace("_", " ").capitalize()),
                STRATEGY_TEXT_MAX,
            )
            for name in STRATEGY_FIELDS
        ),
    ),
)

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
        METRICS,
        GOALS,
        MEASUREMENTS,
        PLANS,
        ECONOMICS,
        WORKSPACE,
    )
}
