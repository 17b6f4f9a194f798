"""Phase 3 registers: departments, stakeholders, canvas, processes, units, scenarios and the
application portfolio."""

from __future__ import annotations

from workbench.models.catalogue.shared import (
    DEPARTMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTE_MAX,
    OWNER_MAX,
    TITLE_MAX,
    RegisterSpec,
    currency,
    department,
    owner,
)
from workbench.models.drills import DrillStatus
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
from workbench.models.vocabulary import (
    APPLICATION_CAPABILITIES,
    APPLICATION_KINDS,
    CANVAS_KINDS,
    COMPENSATION_TYPES,
    DETECTION_CHANNELS,
    RACI_ROLES,
    RESPONSE_CHANNELS,
    SEVERITIES,
    STAKEHOLDER_KINDS,
    STRUCTURES,
)

DEPARTMENTS = RegisterSpec(
    "departments",
    (
        line("name", "Name", DEPARTMENT_MAX, required=True),
        text("description", "What it does", NOTE_MAX),
        line("owner", "Head or contact", OWNER_MAX),
    ),
)

SCALE_1_5 = {n: str(n) for n in range(1, 6)}

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
        department(),
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

APPLICATIONS = RegisterSpec(
    "applications",
    (
        line("name", "Application", NAME_MAX, required=True),
        choice("kind", "Kind", APPLICATION_KINDS, "other"),
        line("vendor", "Vendor", NAME_MAX),
        owner(),
        department(),
        money("annual_cost", "Annual cost"),
        day("contract_end", "Contract ends"),
        # Labelled in words, not from the keys: the capabilities are sentences.
        FieldSpec(
            "capabilities",
            "Capabilities it covers",
            "choices",
            choices=tuple((key, label) for key, label, _csm in APPLICATION_CAPABILITIES),
            default=(),
        ),
        text("notes", "Notes", NOTE_MAX),
    ),
)

# A week, as for a scenario's target: a slower answer is no recovery.
DRILL_MINUTES_MAX = 10080

DRILLS = RegisterSpec(
    "drills",
    (
        day("planned_on", "Drill date", required=True),
        line("site", "Site or location", NAME_MAX),
        line("customer_role", "Who plays the customer", OWNER_MAX),
        line("facilitator", "Facilitator or observer", OWNER_MAX),
        choice(
            "status",
            "Status",
            enum_choices(DrillStatus),
            DrillStatus.PLANNED.value,
            enum_type=DrillStatus,
        ),
        flag("detected", "The failure was detected"),
        line("detected_by", "Detected by (channel or person)", NAME_MAX),
        integer(
            "detection_minutes",
            "Minutes from failure to detection",
            0,
            DRILL_MINUTES_MAX,
            nullable=True,
        ),
        integer(
            "contact_minutes",
            "Minutes from alert to first contact with the customer",
            0,
            DRILL_MINUTES_MAX,
            nullable=True,
        ),
        text("message_used", "Message used", DESCRIPTION_MAX),
        text("remedy_given", "Remedy given", DESCRIPTION_MAX),
        flag("escalated", "Escalated to a manager"),
        line("escalated_to", "Escalated to", OWNER_MAX),
        money("compensation_amount", "Compensation given (in the scenario's currency)"),
        text("lessons", "Notes and lessons", DESCRIPTION_MAX),
    ),
)
