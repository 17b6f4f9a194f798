"""The core registers the API writes, each through its service: factors to scenarios."""

from __future__ import annotations

from enum import Enum
from typing import Any

from workbench.extensions import db
from workbench.models import (
    Approach,
    Direction,
    Factor,
    FactorCategory,
    FailureScenario,
    Initiative,
    InitiativeStatus,
    Metric,
    Objective,
    Perspective,
    Polarity,
    Priority,
)
from workbench.models.vocabulary import (
    COMPENSATION_TYPES,
    CURRENCIES,
    DETECTION_CHANNELS,
    FREQUENCIES,
    RESPONSE_CHANNELS,
    SEVERITIES,
    UNITS,
)
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services import metrics as metric_service
from workbench.services import objectives as objective_service
from workbench.services import playbook as playbook_service
from workbench.web.api.core import Context
from workbench.web.api.fields import Field
from workbench.web.api.registers import Register


def _values(kind: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


# --------------------------------------------------------------------------- factors

FACTOR_FIELDS = (
    Field("title", "line", required=True, max_length=200),
    Field(
        "category", "enum", required=True, choices=_values(FactorCategory), enum_type=FactorCategory
    ),
    Field("polarity", "enum", required=True, choices=_values(Polarity), enum_type=Polarity),
    Field("importance", "integer", minimum=1, maximum=5, default=3),
    Field("description", "text", max_length=4000, default=""),
    Field("evidence", "text", max_length=4000, default=""),
)


def _create_factor(ctx: Context, values: dict[str, Any]) -> Factor:
    [factor] = factor_service.quick_add(
        db.session(),
        values["category"],
        values["polarity"],
        values["importance"],
        [values["title"]],
        ctx.user.id,
        description=values["description"],
        evidence=values["evidence"],
    )
    return factor


FACTORS = Register(
    "factors",
    Factor,
    "factor",
    "Phase 1: assessment",
    FACTOR_FIELDS,
    list_rows=factor_service.list_factors,
    create=_create_factor,
    update=lambda ctx, i, v, values: factor_service.update_factor(db.session(), i, v, values),
    delete=factor_service.delete_factor,
)

# --------------------------------------------------------------------------- objectives

OBJECTIVES = Register(
    "objectives",
    Objective,
    "objective",
    "Phase 2: alignment",
    (
        Field("title", "line", required=True, max_length=200),
        Field(
            "perspective",
            "enum",
            choices=_values(Perspective),
            default="customer",
            enum_type=Perspective,
        ),
        Field("parent_id", "id", nullable=True, description="the objective this one is part of"),
        Field("owner", "line", max_length=120, default=""),
        Field("due_date", "date", nullable=True),
        Field("description", "text", max_length=4000, default=""),
    ),
    list_rows=objective_service.list_objectives,
    create=lambda ctx, values: objective_service.create_objective(db.session(), values),
    update=lambda ctx, i, v, values: objective_service.update_objective(db.session(), i, v, values),
    delete=objective_service.delete_objective,
)

# --------------------------------------------------------------------------- initiatives

INITIATIVES = Register(
    "initiatives",
    Initiative,
    "initiative",
    "Phase 2: alignment",
    (
        Field("title", "line", required=True, max_length=200),
        Field("description", "text", max_length=4000, default=""),
        Field("owner", "line", max_length=120, default=""),
        Field("department", "line", max_length=80, default=""),
        Field(
            "status",
            "enum",
            choices=_values(InitiativeStatus),
            default="proposed",
            enum_type=InitiativeStatus,
        ),
        Field("priority", "enum", choices=_values(Priority), default="medium", enum_type=Priority),
        Field("approach", "enum", choices=_values(Approach), nullable=True, enum_type=Approach),
        Field("budget", "money", nullable=True),
        Field("spend", "money", nullable=True),
        Field("start_date", "date", nullable=True),
        Field("end_date", "date", nullable=True),
    ),
    list_rows=initiative_service.list_initiatives,
    create=lambda ctx, values: initiative_service.create_initiative(db.session(), values),
    update=lambda ctx, i, v, values: initiative_service.update_initiative(
        db.session(), i, v, values
    ),
    delete=initiative_service.delete_initiative,
)

# --------------------------------------------------------------------------- scenarios


def _scenario_links(session: Any, row: FailureScenario) -> dict[str, Any]:
    return {"initiative_ids": sorted(playbook_service.initiative_ids(session, row.id))}


def _scenario_parts(values: dict[str, Any]) -> tuple[dict[str, Any], set[int]]:
    fields = {k: v for k, v in values.items() if k != "initiative_ids"}
    return fields, set(values.get("initiative_ids") or ())


SCENARIOS = Register(
    "scenarios",
    FailureScenario,
    "scenario",
    "Phase 3: operating model",
    (
        Field("name", "line", required=True, max_length=160),
        Field("description", "text", max_length=4000, default=""),
        Field("severity", "enum", choices=SEVERITIES, default="medium"),
        Field("foreseeable", "boolean", default=False),
        Field("detection_channels", "choices", choices=DETECTION_CHANNELS, default=[]),
        Field("responder", "line", max_length=160, default=""),
        Field("customer_message", "text", max_length=4000, default=""),
        Field("response_channels", "choices", choices=RESPONSE_CHANNELS, default=[]),
        Field("compensation_type", "enum", choices=COMPENSATION_TYPES, default="none"),
        Field("compensation_amount", "number", nullable=True, minimum=0),
        Field("currency", "enum", choices=CURRENCIES, nullable=True),
        Field("escalation_limit", "number", nullable=True, minimum=0),
        Field("target_response_minutes", "integer", nullable=True, minimum=1, maximum=10080),
        Field("prevention_note", "text", max_length=2000, default=""),
        Field(
            "initiative_ids",
            "ids",
            default=set(),
            description="initiatives that prevent or answer this failure",
        ),
    ),
    list_rows=playbook_service.list_scenarios,
    create=lambda ctx, values: playbook_service.create_scenario(
        db.session(), *_scenario_parts(values)
    ),
    update=lambda ctx, i, v, values: playbook_service.update_scenario(
        db.session(), i, v, *_scenario_parts(values)
    ),
    delete=playbook_service.delete_scenario,
    extra=_scenario_links,
    extra_schema={"initiative_ids": {"type": "array", "items": {"type": "integer", "minimum": 1}}},
)

# --------------------------------------------------------------------------- metrics

METRICS = Register(
    "metrics",
    Metric,
    "metric",
    "Phase 4: metrics and goals",
    (
        Field("name", "line", required=True, max_length=160),
        Field("definition", "text", max_length=2000, default=""),
        Field("unit", "enum", choices=UNITS, default="percent"),
        Field(
            "direction", "enum", choices=_values(Direction), default="higher", enum_type=Direction
        ),
        Field("min_value", "number", nullable=True),
        Field("max_value", "number", nullable=True),
        Field("frequency", "enum", choices=FREQUENCIES, default="monthly"),
        Field("owner", "line", max_length=120, default=""),
        Field("department", "line", max_length=80, default=""),
    ),
    list_rows=metric_service.list_metrics,
    create=lambda ctx, values: metric_service.create_metric(db.session(), values),
    update=lambda ctx, i, v, values: metric_service.update_metric(db.session(), i, v, values),
    delete=metric_service.delete_metric,
)

CORE_REGISTERS = (FACTORS, OBJECTIVES, INITIATIVES, SCENARIOS, METRICS)
