"""A metric's goal and measurements, the read-only registers and the TQM principles."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from workbench.extensions import db
from workbench.models import (
    AssessmentResponse,
    CanvasItem,
    Change,
    CommunicationPlan,
    Department,
    FrictionPoint,
    Goal,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Measurement,
    MetricObjective,
    OrgUnit,
    Process,
    ProcessInitiative,
    ProcessStep,
    RaciAssignment,
    Stakeholder,
    TqmPrinciple,
    catalogue,
)
from workbench.services import api_reads, process_links
from workbench.services import metrics as metric_service
from workbench.services.access import Action
from workbench.services.errors import NotFoundError, StaleEditError
from workbench.web.api.core import Context, Endpoint, Reply, page_schema, paginate
from workbench.web.api.departments import DEPARTMENT_NAME_SCHEMA, department_name
from workbench.web.api.fields import Field, columns, from_register, parse, row_schema, serialise
from workbench.web.api.registers import (
    VERSION_SCHEMA,
    Register,
    W,
    body_version,
    read_only_properties,
    stale,
)

ALIGN = "Phase 2: alignment"
METRICS_TAG = "Phase 4: metrics and goals"
METRIC = f"{W}/metrics/{{metric_id}}"

# --------------------------------------------------------------------------- goals, measurements

GOAL_FIELDS = from_register(
    catalogue.GOALS, "baseline", "baseline_date", "target", "target_date", "rationale", "owner"
)
GOAL_READ_ONLY = frozenset(
    {c.key for c in columns(Goal)} - {f.name for f in GOAL_FIELDS} - {"version"}
)
MEASUREMENT_FIELDS = (
    *from_register(catalogue.MEASUREMENTS, "measured_on", "value", "note"),
    Field(
        "site_id",
        "id",
        nullable=True,
        description="the site measured; none for the whole organisation",
    ),
)


def _get_goal(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session(), metric_id)
    goal = metric_service.goal_of(db.session(), metric_id)
    if goal is None:
        raise NotFoundError("This metric has no goal yet.")
    return Reply(serialise(goal))


def _goal_now(metric_id: int) -> dict[str, Any] | None:
    goal = metric_service.goal_of(db.session(), metric_id)
    return serialise(goal) if goal else None


def _put_goal(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session(), metric_id)
    version = body_version(ctx.body, minimum=0)
    given = {k: v for k, v in ctx.body.items() if k != "version"}
    values = parse(GOAL_FIELDS, given, creating=True, ignored=GOAL_READ_ONLY)
    existed = metric_service.goal_of(db.session(), metric_id) is not None
    try:
        goal = metric_service.save_goal(db.session(), metric_id, version, values)
        db.session.flush()
    except (StaleEditError, StaleDataError) as error:
        raise stale(lambda: _goal_now(metric_id), error) from None
    return Reply(serialise(goal), 200 if existed else 201)


def _delete_goal(ctx: Context, metric_id: int) -> Reply:
    metric_service.delete_goal(db.session(), metric_id)
    return Reply(None, 204)


def _list_measurements(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session(), metric_id)
    return paginate(metric_service.measurements_of(db.session(), metric_id), serialise)


def _add_measurement(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session(), metric_id)  # an unknown metric is 404, before 422
    values = parse(MEASUREMENT_FIELDS, ctx.body, creating=True)
    # A refusal (a taken date, out of range) is a ServiceError: 422 naming its field.
    row = metric_service.record_measurement(
        db.session(),
        metric_id,
        values["measured_on"],
        values["value"],
        values["note"],
        site_id=values.get("site_id"),
    )
    return Reply(serialise(row), 201)


def _delete_measurement(ctx: Context, metric_id: int, measurement_id: int) -> Reply:
    metric_service.delete_measurement(db.session(), metric_id, measurement_id)
    return Reply(None, 204)


def metric_endpoints() -> list[Endpoint]:
    """A metric's goal and its measurements."""
    goal = row_schema(Goal)
    reading = row_schema(Measurement)
    goal_body = {
        "type": "object",
        "properties": {
            "version": {**VERSION_SCHEMA, "description": "0 when the metric has no goal yet"},
            **{f.name: f.schema() for f in GOAL_FIELDS},
            **read_only_properties(GOAL_READ_ONLY),
        },
        "required": ["version"],
        "additionalProperties": False,
    }
    measurement_body = {
        "type": "object",
        "properties": {f.name: f.schema() for f in MEASUREMENT_FIELDS},
        "required": ["measured_on", "value"],
        "additionalProperties": False,
    }
    return [
        Endpoint(
            "get_goal",
            "GET",
            f"{METRIC}/goal",
            _get_goal,
            "Read a metric's goal",
            METRICS_TAG,
            response=goal,
            errors=(404,),
        ),
        Endpoint(
            "set_goal",
            "PUT",
            f"{METRIC}/goal",
            _put_goal,
            "Set a metric's goal (omitted fields are cleared)",
            METRICS_TAG,
            Action.EDIT,
            goal_body,
            goal,
            errors=(400, 404, 409, 413, 415, 422),
        ),
        Endpoint(
            "delete_goal",
            "DELETE",
            f"{METRIC}/goal",
            _delete_goal,
            "Remove a metric's goal",
            METRICS_TAG,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
        Endpoint(
            "metric_measurements",
            "GET",
            f"{METRIC}/measurements",
            _list_measurements,
            "List a metric's measurements, oldest first",
            METRICS_TAG,
            response=page_schema(reading),
            paginated=True,
            errors=(404,),
        ),
        Endpoint(
            "create_measurement",
            "POST",
            f"{METRIC}/measurements",
            _add_measurement,
            "Record a measurement",
            METRICS_TAG,
            Action.EDIT,
            measurement_body,
            reading,
            201,
            errors=(400, 404, 413, 415, 422),
        ),
        Endpoint(
            "delete_measurement",
            "DELETE",
            f"{METRIC}/measurements/{{measurement_id}}",
            _delete_measurement,
            "Delete a measurement",
            METRICS_TAG,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
    ]


# --------------------------------------------------------------------------- read-only registers


def _process_links(session: Any, row: Process) -> dict[str, Any]:
    return {
        **department_name(session, row),
        "initiative_ids": sorted(process_links.initiative_ids(session, row.id)),
    }


PROCESS_SCHEMA = {
    **DEPARTMENT_NAME_SCHEMA,
    "initiative_ids": {
        "type": "array",
        "items": {"type": "integer", "minimum": 1},
        "description": "the initiatives that change this process",
    },
}

READ_ONLY_REGISTERS = (
    Register("friction-points", FrictionPoint, "friction point", "Phase 1: assessment"),
    Register("assessment-responses", AssessmentResponse, "response", "Phase 1: assessment"),
    Register("initiative-objectives", InitiativeObjective, "contribution", ALIGN),
    Register("initiative-principles", InitiativePrinciple, "principle link", ALIGN),
    Register("initiative-factors", InitiativeFactor, "factor link", ALIGN),
    Register("initiative-dependencies", InitiativeDependency, "dependency", ALIGN),
    Register("stakeholders", Stakeholder, "stakeholder", "Phase 3: operating model"),
    Register("departments", Department, "department", "Phase 3: operating model"),
    Register("canvas-items", CanvasItem, "canvas item", "Phase 3: operating model"),
    Register(
        "processes",
        Process,
        "process",
        "Phase 3: operating model",
        extra=_process_links,
        extra_schema=PROCESS_SCHEMA,
    ),
    Register(
        "process-initiatives", ProcessInitiative, "process change", "Phase 3: operating model"
    ),
    Register("process-steps", ProcessStep, "step", "Phase 3: operating model"),
    Register("raci-assignments", RaciAssignment, "assignment", "Phase 3: operating model"),
    Register("org-units", OrgUnit, "unit", "Phase 3: operating model"),
    Register("goals", Goal, "goal", METRICS_TAG),
    Register("measurements", Measurement, "measurement", METRICS_TAG),
    Register("metric-objectives", MetricObjective, "evidence link", METRICS_TAG),
    Register(
        "communication-plans",
        CommunicationPlan,
        "plan",
        METRICS_TAG,
        extra=department_name,
        extra_schema=DEPARTMENT_NAME_SCHEMA,
    ),
    Register("changes", Change, "change", "History", list_rows=api_reads.changes),
)

PRINCIPLE_SCHEMA = row_schema(TqmPrinciple)


def principle_endpoint() -> Endpoint:
    """The eight TQM principles (shared by every workspace)."""

    def view(ctx: Context) -> Reply:
        return paginate(api_reads.principles(db.session()), serialise)

    return Endpoint(
        "list_principles",
        "GET",
        "/principles",
        view,
        "List the eight TQM principles",
        "Reference",
        None,
        response=page_schema(PRINCIPLE_SCHEMA),
        paginated=True,
    )
