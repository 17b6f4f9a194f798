"""The workspace's own register: its name, industry and strategy texts."""

from __future__ import annotations

from workbench.models.catalogue.shared import RegisterSpec
from workbench.models.core import STRATEGY_FIELDS
from workbench.models.fields import line, text
from workbench.models.vocabulary import STRATEGY_TEXT_MAX

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
