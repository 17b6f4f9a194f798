"""Phase 1 registers: factors, questionnaire answers and friction points."""

from __future__ import annotations

from workbench.models.assessment import FactorCategory, Polarity
from workbench.models.catalogue.shared import DESCRIPTION_MAX, NOTE_MAX, TITLE_MAX, RegisterSpec
from workbench.models.fields import choice, enum_choices, integer, line, text
from workbench.models.vocabulary import (
    CATEGORY_LABELS,
    CHANNELS,
    FRICTION_SEVERITY_LABELS,
    IMPORTANCE_LABELS,
    STAGES,
)

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
