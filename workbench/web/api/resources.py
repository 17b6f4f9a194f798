"""The core registers the API writes, each through its service: factors to scenarios."""

from __future__ import annotations

from datetime import date
from typing import Any

from workbench.extensions import db
from workbench.models import (
    Application,
    Drill,
    Factor,
    FailureScenario,
    Initiative,
    Metric,
    Objective,
    Risk,
    Site,
    catalogue,
)
from workbench.services import applications as application_service
from workbench.services import drills as drill_service
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services import metrics as metric_service
from workbench.services import objectives as objective_service
from workbench.services import playbook as playbook_service
from workbench.services import risks as risk_service
from workbench.services import sites as site_service
from workbench.web.api.core import Context
from workbench.web.api.departments import DEPARTMENT_NAME_SCHEMA, department_name
from workbench.web.api.fields import Field, from_register
from workbench.web.api.registers import Register
from workbench.web.api.stories import STORIES, TRAINING

# --------------------------------------------------------------------------- factors

FACTOR_FIELDS = from_register(
    catalogue.FACTORS, "title", "category", "polarity", "importance", "description", "evidence"
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
        *from_register(catalogue.OBJECTIVES, "title", "perspective"),
        Field("parent_id", "id", nullable=True, description="the objective this one is part of"),
        *from_register(catalogue.OBJECTIVES, "owner", "due_date", "description"),
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
    from_register(
        catalogue.INITIATIVES,
        "title",
        "description",
        "owner",
        "department",
        "status",
        "priority",
        "approach",
        "budget",
        "spend",
        "start_date",
        "end_date",
        "percent_complete",
    ),
    list_rows=initiative_service.list_initiatives,
    create=lambda ctx, values: initiative_service.create_initiative(db.session(), values),
    update=lambda ctx, i, v, values: initiative_service.update_initiative(
        db.session(), i, v, values
    ),
    delete=initiative_service.delete_initiative,
    extra=department_name,
    extra_schema=DEPARTMENT_NAME_SCHEMA,
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
        *(from_register(catalogue.SCENARIOS, *(f.name for f in catalogue.SCENARIOS.fields))),
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
        *from_register(catalogue.METRICS, *(f.name for f in catalogue.METRICS.fields)),
        Field(
            "rollup_weight_metric_id",
            "id",
            nullable=True,
            description="the volume metric that weighs each site in a weighted mean",
        ),
    ),
    list_rows=metric_service.list_metrics,
    create=lambda ctx, values: metric_service.create_metric(db.session(), values),
    update=lambda ctx, i, v, values: metric_service.update_metric(db.session(), i, v, values),
    delete=metric_service.delete_metric,
    extra=department_name,
    extra_schema=DEPARTMENT_NAME_SCHEMA,
)

# --------------------------------------------------------------------------- risks


def _risk_links(session: Any, row: Risk) -> dict[str, Any]:
    factors, initiatives = risk_service.linked_ids(session, row.id)
    return {"factor_ids": sorted(factors), "initiative_ids": sorted(initiatives)}


def _risk_parts(values: dict[str, Any]) -> tuple[dict[str, Any], set[int], set[int]]:
    fields = {k: v for k, v in values.items() if k not in {"factor_ids", "initiative_ids"}}
    return fields, set(values.get("factor_ids") or ()), set(values.get("initiative_ids") or ())


IDS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1}}

RISKS = Register(
    "risks",
    Risk,
    "risk",
    "Phase 2: alignment",
    (
        *from_register(catalogue.RISKS, *(f.name for f in catalogue.RISKS.fields)),
        Field("factor_ids", "ids", default=set(), description="the barriers the risk comes from"),
        Field(
            "initiative_ids", "ids", default=set(), description="the initiatives that mitigate it"
        ),
    ),
    list_rows=risk_service.list_risks,
    create=lambda ctx, values: risk_service.create_risk(db.session(), *_risk_parts(values)),
    update=lambda ctx, i, v, values: risk_service.update_risk(
        db.session(), i, v, *_risk_parts(values)
    ),
    delete=risk_service.delete_risk,
    extra=_risk_links,
    extra_schema={"factor_ids": IDS_SCHEMA, "initiative_ids": IDS_SCHEMA},
)

# --------------------------------------------------------------------------- applications

APPLICATIONS = Register(
    "applications",
    Application,
    "application",
    "Phase 3: operating model",
    from_register(catalogue.APPLICATIONS, *(f.name for f in catalogue.APPLICATIONS.fields)),
    list_rows=application_service.list_applications,
    create=lambda ctx, values: application_service.create_application(db.session(), values),
    update=lambda ctx, i, v, values: application_service.update_application(
        db.session(), i, v, values
    ),
    delete=application_service.delete_application,
    extra=department_name,
    extra_schema=DEPARTMENT_NAME_SCHEMA,
)

# --------------------------------------------------------------------------- drills

DRILLS = Register(
    "drills",
    Drill,
    "drill",
    "Phase 3: operating model",
    (
        Field("scenario_id", "id", required=True, description="the playbook scenario drilled"),
        *from_register(catalogue.DRILLS, *(f.name for f in catalogue.DRILLS.fields)),
    ),
    list_rows=drill_service.list_drills,
    create=lambda ctx, values: drill_service.create_drill(db.session(), values, date.today()),
    update=lambda ctx, i, v, values: drill_service.update_drill(
        db.session(), i, v, values, date.today()
    ),
    delete=drill_service.delete_drill,
)

# --------------------------------------------------------------------------- sites

SITES = Register(
    "sites",
    Site,
    "site",
    "Phase 4: metrics and goals",
    (
        *from_register(catalogue.SITES, *(f.name for f in catalogue.SITES.fields)),
        Field(
            "parent_id", "id", nullable=True, description="the site (a region, say) it is part of"
        ),
    ),
    list_rows=site_service.list_sites,
    create=lambda ctx, values: site_service.create_site(db.session(), values),
    update=lambda ctx, i, v, values: site_service.update_site(db.session(), i, v, values),
    delete=site_service.delete_site,
)

CORE_REGISTERS = (
    FACTORS,
    OBJECTIVES,
    INITIATIVES,
    RISKS,
    SCENARIOS,
    APPLICATIONS,
    DRILLS,
    STORIES,
    TRAINING,
    SITES,
    METRICS,
)
