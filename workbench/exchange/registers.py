"""The registers a workspace is exchanged as: their columns, types, limits and references.

One table spec serves the JSON backup, the workbook and the CSV files, so every format
checks a value the same way.
"""

from __future__ import annotations

from workbench.analysis import risks as risk_rules
from workbench.analysis.board_packs import NAME_MAX, SECTION_KEYS
from workbench.analysis.business_case_sensitivity import RANGE_FIELDS
from workbench.analysis.rich_text import MAX_CHARS
from workbench.exchange.columns import (
    POSITION,
    Column,
    Table,
    TargetRule,
    columns_of,
    from_spec,
    integer,
    line,
    ref,
)
from workbench.exchange.registers_operating import OPERATING_TABLES
from workbench.models import catalogue
from workbench.models.assessment import RESPONDENT_LABEL_MAX
from workbench.models.catalogue.shared import NOTE_MAX

# The risk form's rule, applied to the rows of a file: a risk comes only from a barrier.
A_BARRIER = TargetRule(
    "polarity",
    risk_rules.may_come_from,
    "is not a barrier (its polarity is {value}): a risk can only come from a barrier of "
    "the assessment. Choose a barrier, or remove the row",
)

TABLES: tuple[Table, ...] = (
    Table(
        "factors",
        "Factors",
        "F",
        "Factor",
        (
            *columns_of(
                catalogue.FACTORS,
                "category",
                "polarity",
                "title",
                "description",
                "importance",
                "evidence",
            ),
            POSITION,
        ),
    ),
    Table(
        "responses",
        "Assessment answers",
        "R",
        "AssessmentResponse",
        (
            line("instrument_key", 60, required=True),
            integer("instrument_version", 0, 1_000_000, 1),
            line("question_key", 60, required=True),
            # A member's email, or (for a respondent known only by a name) the name: one of
            # the two, never both.
            Column("respondent", "user", 254, nullable=True, default=None),
            line("respondent_label", RESPONDENT_LABEL_MAX, nullable=True),
            integer("value", -1000, 1000, None),
            from_spec(catalogue.RESPONSES.field("note")),
        ),
        unique=(
            ("instrument_key", "question_key", "respondent"),
            ("instrument_key", "question_key", "respondent_label"),
        ),
        one_of=(("respondent", "respondent_label"),),
        added_later=("respondent_label",),
    ),
    Table(
        "friction",
        "Friction points",
        "J",
        "FrictionPoint",
        (
            *columns_of(
                catalogue.FRICTION,
                "stage_key",
                "description",
                "severity",
                "channel",
                "digital_opportunity",
            ),
            POSITION,
        ),
    ),
    Table(
        "objectives",
        "Objectives",
        "O",
        "Objective",
        (
            *columns_of(catalogue.OBJECTIVES, "title", "description", "perspective"),
            ref("parent", "objectives", required=False),
            *columns_of(catalogue.OBJECTIVES, "owner", "due_date"),
            POSITION,
        ),
        acyclic=(("parent", "parent"),),
    ),
    Table(
        "departments",
        "Departments",
        "DE",
        "Department",
        (
            *columns_of(catalogue.DEPARTMENTS, "name", "description", "owner"),
            # Named by the room as a function the strategy involves (the workshop's recap).
            Column("involved", "bool", default=False),
        ),
        unique=(("name",),),
        optional=True,
        added_later=("involved",),
    ),
    Table(
        "initiatives",
        "Initiatives",
        "I",
        "Initiative",
        (
            *(from_spec(spec) for spec in catalogue.INITIATIVES.fields),
            POSITION,
        ),
        added_later=("percent_complete", "baseline_start", "baseline_end"),
    ),
    Table(
        "milestones",
        "Milestones",
        "MS",
        "Milestone",
        (
            ref("initiative", "initiatives"),
            *(from_spec(spec) for spec in catalogue.MILESTONES.fields),
            POSITION,
        ),
        optional=True,
    ),
    Table(
        "alignment",
        "Alignment matrix",
        "A",
        "InitiativeObjective",
        (
            ref("initiative", "initiatives"),
            ref("objective", "objectives"),
            *columns_of(catalogue.ALIGNMENT, "contribution", "rationale"),
        ),
        unique=(("initiative", "objective"),),
    ),
    Table(
        "principles",
        "TQM principles",
        "P",
        "InitiativePrinciple",
        (
            ref("initiative", "initiatives"),
            Column("principle", "principle", 60, required=True, default=None),
        ),
        unique=(("initiative", "principle"),),
    ),
    Table(
        "addressed",
        "Factors addressed",
        "X",
        "InitiativeFactor",
        (ref("initiative", "initiatives"), ref("factor", "factors")),
        unique=(("initiative", "factor"),),
    ),
    Table(
        "dependencies",
        "Dependencies",
        "D",
        "InitiativeDependency",
        (ref("initiative", "initiatives"), ref("depends_on", "initiatives")),
        unique=(("initiative", "depends_on"),),
        acyclic=(("initiative", "depends_on"),),
    ),
    Table(
        "risks",
        "Risks",
        "RK",
        "Risk",
        (*(from_spec(spec) for spec in catalogue.RISKS.fields), POSITION),
        optional=True,
    ),
    Table(
        "risk_factors",
        "Risk barriers",
        "RF",
        "RiskFactor",
        (ref("risk", "risks"), ref("factor", "factors", rule=A_BARRIER)),
        unique=(("risk", "factor"),),
        optional=True,
    ),
    Table(
        "risk_initiatives",
        "Risk mitigations",
        "RM",
        "RiskInitiative",
        (ref("risk", "risks"), ref("initiative", "initiatives")),
        unique=(("risk", "initiative"),),
        optional=True,
    ),
    # Phase 3: the operating model and the front line.
    *OPERATING_TABLES,
    Table(
        "sites",
        "Sites",
        "SE",
        "Site",
        (
            *columns_of(catalogue.SITES, "name", "kind"),
            ref("parent", "sites", required=False),
            *columns_of(catalogue.SITES, "notes"),
        ),
        unique=(("name",),),
        acyclic=(("parent", "parent"),),
        optional=True,
    ),
    Table(
        "metrics",
        "Metrics",
        "M",
        "Metric",
        (
            *(from_spec(spec) for spec in catalogue.METRICS.fields),
            ref("rollup_weight_metric", "metrics", required=False),
            line("template_key", 60, nullable=True),
            POSITION,
        ),
        added_later=("rollup", "rollup_weight_metric"),
    ),
    Table(
        "metric_objectives",
        "Metric objectives",
        "MO",
        "MetricObjective",
        (ref("metric", "metrics"), ref("objective", "objectives")),
        unique=(("metric", "objective"),),
    ),
    Table(
        "goals",
        "Goals",
        "G",
        "Goal",
        (
            ref("metric", "metrics"),
            *(from_spec(spec) for spec in catalogue.GOALS.fields),
        ),
        unique=(("metric",),),
        added_later=("owner",),
    ),
    Table(
        "measurements",
        "Measurements",
        "ME",
        "Measurement",
        (
            ref("metric", "metrics"),
            *(from_spec(spec) for spec in catalogue.MEASUREMENTS.fields),
            ref("site", "sites", required=False),
        ),
        # One reading a day per metric and site; the whole organisation (no site) is one too.
        unique=(("metric", "measured_on", "site"),),
        empty_collides=True,
        added_later=("site",),
    ),
    Table(
        "plans",
        "Communication plans",
        "CP",
        "CommunicationPlan",
        (*(from_spec(spec) for spec in catalogue.PLANS.fields),),
    ),
    Table(
        "plan_metrics",
        "Plan metrics",
        "PM",
        "CommunicationMetric",
        (ref("plan", "plans"), ref("metric", "metrics")),
        unique=(("plan", "metric"),),
    ),
    Table(
        "economics",
        "Recovery economics",
        "E",
        "EconomicsCase",
        (
            *columns_of(
                catalogue.ECONOMICS,
                "customers",
                "failure_rate",
                "complaint_rate",
                "recovery_success_rate",
                "customer_lifetime_value",
                "churn_unrecovered",
                "churn_recovered",
                "cost_per_recovery",
                "programme_fixed_cost",
                "currency",
                "current_recovery_rate",
                "horizon_years",
                "discount_rate",
                *RANGE_FIELDS,
            ),
        ),
        max_rows=1,
    ),
    # The storyboard: the packs per audience and the team's view on each section.
    Table(
        "storyboard_packs",
        "Storyboard packs",
        "SP",
        "StoryboardPack",
        (
            line("code", 60, required=True),
            line("name", NAME_MAX, required=True),
            line("sections", 200, required=True),
        ),
        unique=(("code",), ("name",)),
        max_rows=20,
        optional=True,
    ),
    Table(
        "section_commentary",
        "Our view",
        "SV",
        "SectionCommentary",
        (
            Column("section", "choice", 20, required=True, choices=SECTION_KEYS, default=None),
            Column("body", "text", MAX_CHARS, default=""),
        ),
        unique=(("section",),),
        optional=True,
    ),
)

TABLE_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

# The workspace's own texts travel with it (the name is chosen again on restore), and so does
# the room's prevent-or-recover decision (absent from older files: read as not decided).
WORKSPACE_FIELDS: tuple[Column, ...] = (
    *(from_spec(spec) for spec in catalogue.WORKSPACE.fields),
    integer("approach_prevent_target", 0, 100, None, nullable=True),
    Column("approach_rationale", "text", NOTE_MAX, default=""),
)
