"""Phase 4 registers: metrics, goals, measurements, plans and the recovery economics."""

from __future__ import annotations

from workbench.models.catalogue.shared import (
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
from workbench.models.fields import choice, day, enum_choices, integer, line, number, text
from workbench.models.metrics import Direction, Rollup, SiteKind
from workbench.models.vocabulary import CADENCES, FREQUENCIES, UNITS

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
        # Left empty, the rule follows the unit: counts and money add up, the rest average.
        choice(
            "rollup",
            "Organisation value from the sites",
            (
                (Rollup.SUM.value, "Sum of the sites"),
                (Rollup.MEAN.value, "Mean of the sites"),
                (Rollup.WEIGHTED_MEAN.value, "Mean weighted by a volume metric"),
                (Rollup.MIN.value, "Lowest site value"),
                (Rollup.MAX.value, "Highest site value"),
            ),
            None,
            nullable=True,
            enum_type=Rollup,
        ),
    ),
)

SITE_NAME_MAX = 120
SITES = RegisterSpec(
    "sites",
    (
        line("name", "Site", SITE_NAME_MAX, required=True),
        choice("kind", "Kind", enum_choices(SiteKind), SiteKind.HOTEL.value, enum_type=SiteKind),
        text("notes", "Notes", NOTE_MAX),
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
        # Empty means the metric's owner, who then hears about the goal too.
        owner(),
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
