"""Links of an initiative, a metric's goal and measurements, and the read-only registers."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from workbench.extensions import db
from workbench.models import (
    AssessmentResponse,
    CanvasItem,
    Change,
    CommunicationPlan,
    Contribution,
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
    ProcessStep,
    RaciAssignment,
    Stakeholder,
    TqmPrinciple,
)
from workbench.services import api_reads
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services import metrics as metric_service
from workbench.services.access import Action
from workbench.services.errors import NotFoundError, StaleEditError
from workbench.web.api.core import Context, Endpoint, Reply, page_schema, paginate
from workbench.web.api.errors import ApiError
from workbench.web.api.fields import Field, parse, row_schema, serialise
from workbench.web.api.registers import VERSION_SCHEMA, Register, W, body_version, stale

ALIGN = "Phase 2: alignment"
METRICS_TAG = "Phase 4: metrics and goals"
INITIATIVE = f"{W}/initiatives/{{initiative_id}}"
METRIC = f"{W}/metrics/{{metric_id}}"

# --------------------------------------------------------------------------- initiative links

CONTRIBUTION_FIELDS = (
    Field(
        "contribution",
        "enum",
        required=True,
        choices=tuple(c.value for c in Contribution),
        enum_type=Contribution,
    ),
    Field("rationale", "text", max_length=2000, nullable=True),
)


def _list_links(model: type) -> Any:
    def view(ctx: Context, initiative_id: int) -> Reply:
        initiative_service.get_initiative(db.session, initiative_id)
        return paginate(api_reads.links_of(db.session, model, initiative_id), serialise)

    return view


def _put_contribution(ctx: Context, initiative_id: int, objective_id: int) -> Reply:
    version = body_version(ctx.body, minimum=0)
    given = {k: v for k, v in ctx.body.items() if k != "version"}
    values = parse(CONTRIBUTION_FIELDS, given, creating=True)
    existed = api_reads.link_of(db.session, InitiativeObjective, initiative_id, objective_id)
    try:
        link = initiative_service.set_contribution(
            db.session,
            initiative_id,
            objective_id,
            values["contribution"],
            version,
            values["rationale"],
        )
        db.session.commit()
    except (StaleEditError, StaleDataError):
        raise stale(lambda: _contribution_now(initiative_id, objective_id)) from None
    return Reply(serialise(link), 200 if existed else 201)


def _contribution_now(initiative_id: int, objective_id: int) -> dict[str, Any] | None:
    link = api_reads.link_of(db.session, InitiativeObjective, initiative_id, objective_id)
    return serialise(link) if link else None


def _delete_contribution(ctx: Context, initiative_id: int, objective_id: int) -> Reply:
    initiative_service.get_initiative(db.session, initiative_id)
    link = api_reads.link_of(db.session, InitiativeObjective, initiative_id, objective_id)
    if link is None:
        raise NotFoundError("This initiative does not contribute to that objective.")
    initiative_service.set_contribution(db.session, initiative_id, objective_id, None, link.version)
    db.session.commit()
    return Reply(None, 204)


def _set_principle(applied: bool) -> Any:
    def view(ctx: Context, initiative_id: int, principle_id: int) -> Reply:
        initiative_service.set_principle(db.session, initiative_id, principle_id, applied)
        db.session.commit()
        if not applied:
            return Reply(None, 204)
        link = api_reads.link_of(db.session, InitiativePrinciple, initiative_id, principle_id)
        return Reply(serialise(link))

    return view


def _set_factor(applied: bool) -> Any:
    def view(ctx: Context, initiative_id: int, factor_id: int) -> Reply:
        initiative_service.get_initiative(db.session, initiative_id)
        factor_service.get_factor(db.session, factor_id)
        current = {
            link.factor_id
            for link in api_reads.links_of(db.session, InitiativeFactor, initiative_id)
        }
        wanted = current | {factor_id} if applied else current - {factor_id}
        initiative_service.set_factors(db.session, initiative_id, wanted)
        db.session.commit()
        if not applied:
            return Reply(None, 204)
        link = api_reads.link_of(db.session, InitiativeFactor, initiative_id, factor_id)
        return Reply(serialise(link))

    return view


def _contribution_body() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "version": {**VERSION_SCHEMA, "description": "0 when the link does not exist yet"},
            **{f.name: f.schema() for f in CONTRIBUTION_FIELDS},
        },
        "required": ["version", "contribution"],
    }


def link_endpoints() -> list[Endpoint]:
    """The initiative-objective, initiative-principle and initiative-factor links."""
    contribution = row_schema(InitiativeObjective)
    principle = row_schema(InitiativePrinciple)
    factor = row_schema(InitiativeFactor)
    return [
        Endpoint(
            "initiative_objectives_of",
            "GET",
            f"{INITIATIVE}/objectives",
            _list_links(InitiativeObjective),
            "List the objectives an initiative serves",
            ALIGN,
            response=page_schema(contribution),
            paginated=True,
            errors=(404,),
        ),
        Endpoint(
            "set_contribution",
            "PUT",
            f"{INITIATIVE}/objectives/{{objective_id}}",
            _put_contribution,
            "Set how much an initiative contributes to an objective",
            ALIGN,
            Action.EDIT,
            _contribution_body(),
            contribution,
            errors=(400, 404, 409, 413, 415, 422),
        ),
        Endpoint(
            "delete_contribution",
            "DELETE",
            f"{INITIATIVE}/objectives/{{objective_id}}",
            _delete_contribution,
            "Remove an initiative's contribution to an objective",
            ALIGN,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
        Endpoint(
            "initiative_principles_of",
            "GET",
            f"{INITIATIVE}/principles",
            _list_links(InitiativePrinciple),
            "List the TQM principles an initiative applies",
            ALIGN,
            response=page_schema(principle),
            paginated=True,
            errors=(404,),
        ),
        Endpoint(
            "apply_principle",
            "PUT",
            f"{INITIATIVE}/principles/{{principle_id}}",
            _set_principle(True),
            "Record that an initiative applies a TQM principle",
            ALIGN,
            Action.EDIT,
            response=principle,
            errors=(404,),
        ),
        Endpoint(
            "unapply_principle",
            "DELETE",
            f"{INITIATIVE}/principles/{{principle_id}}",
            _set_principle(False),
            "Record that an initiative does not apply a TQM principle",
            ALIGN,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
        Endpoint(
            "initiative_factors_of",
            "GET",
            f"{INITIATIVE}/factors",
            _list_links(InitiativeFactor),
            "List the Phase 1 factors an initiative addresses",
            ALIGN,
            response=page_schema(factor),
            paginated=True,
            errors=(404,),
        ),
        Endpoint(
            "address_factor",
            "PUT",
            f"{INITIATIVE}/factors/{{factor_id}}",
            _set_factor(True),
            "Record that an initiative addresses a factor",
            ALIGN,
            Action.EDIT,
            response=factor,
            errors=(404,),
        ),
        Endpoint(
            "unaddress_factor",
            "DELETE",
            f"{INITIATIVE}/factors/{{factor_id}}",
            _set_factor(False),
            "Record that an initiative does not address a factor",
            ALIGN,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
    ]


# --------------------------------------------------------------------------- goals, measurements

GOAL_FIELDS = (
    Field("baseline", "number", nullable=True),
    Field("baseline_date", "date", nullable=True),
    Field("target", "number", nullable=True),
    Field("target_date", "date", nullable=True),
    Field("rationale", "text", max_length=2000, nullable=True),
)
MEASUREMENT_FIELDS = (
    Field("measured_on", "date", required=True),
    Field("value", "number", required=True),
    Field("note", "line", max_length=500, default=""),
)


def _get_goal(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session, metric_id)
    goal = metric_service.goal_of(db.session, metric_id)
    if goal is None:
        raise NotFoundError("This metric has no goal yet.")
    return Reply(serialise(goal))


def _goal_now(metric_id: int) -> dict[str, Any] | None:
    goal = metric_service.goal_of(db.session, metric_id)
    return serialise(goal) if goal else None


def _put_goal(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session, metric_id)
    version = body_version(ctx.body, minimum=0)
    given = {k: v for k, v in ctx.body.items() if k != "version"}
    values = parse(GOAL_FIELDS, given, creating=True, ignored=frozenset({"id", "metric_id"}))
    existed = metric_service.goal_of(db.session, metric_id) is not None
    try:
        goal = metric_service.save_goal(db.session, metric_id, version, values)
        db.session.commit()
    except (StaleEditError, StaleDataError):
        raise stale(lambda: _goal_now(metric_id)) from None
    return Reply(serialise(goal), 200 if existed else 201)


def _list_measurements(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session, metric_id)
    return paginate(metric_service.measurements_of(db.session, metric_id), serialise)


def _add_measurement(ctx: Context, metric_id: int) -> Reply:
    metric_service.get_metric(db.session, metric_id)
    values = parse(MEASUREMENT_FIELDS, ctx.body, creating=True)
    # The service imports CSV lines, checking dates, ranges and duplicates; give it one line.
    buffer = io.StringIO()
    csv.writer(buffer).writerow(
        [values["measured_on"].isoformat(), repr(values["value"]), values["note"] or ""]
    )
    try:
        metric_service.import_measurements(db.session, metric_id, buffer.getvalue())
    except metric_service.ImportRefusedError as refused:
        db.session.rollback()
        raise ApiError(
            422, "; ".join(refused.problems), fields={"measured_on": refused.problems[0]}
        ) from None
    db.session.commit()
    row = next(
        m
        for m in metric_service.measurements_of(db.session, metric_id)
        if m.measured_on == values["measured_on"]
    )
    return Reply(serialise(row), 201)


def _delete_measurement(ctx: Context, metric_id: int, measurement_id: int) -> Reply:
    metric_service.delete_measurement(db.session, metric_id, measurement_id)
    db.session.commit()
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
        },
        "required": ["version"],
    }
    measurement_body = {
        "type": "object",
        "properties": {f.name: f.schema() for f in MEASUREMENT_FIELDS},
        "required": ["measured_on", "value"],
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

READ_ONLY_REGISTERS = (
    Register("friction-points", FrictionPoint, "friction point", "Phase 1: assessment"),
    Register("assessment-responses", AssessmentResponse, "response", "Phase 1: assessment"),
    Register("initiative-objectives", InitiativeObjective, "contribution", ALIGN),
    Register("initiative-principles", InitiativePrinciple, "principle link", ALIGN),
    Register("initiative-factors", InitiativeFactor, "factor link", ALIGN),
    Register("initiative-dependencies", InitiativeDependency, "dependency", ALIGN),
    Register("stakeholders", Stakeholder, "stakeholder", "Phase 3: operating model"),
    Register("canvas-items", CanvasItem, "canvas item", "Phase 3: operating model"),
    Register("processes", Process, "process", "Phase 3: operating model"),
    Register("process-steps", ProcessStep, "step", "Phase 3: operating model"),
    Register("raci-assignments", RaciAssignment, "assignment", "Phase 3: operating model"),
    Register("org-units", OrgUnit, "unit", "Phase 3: operating model"),
    Register("goals", Goal, "goal", METRICS_TAG),
    Register("measurements", Measurement, "measurement", METRICS_TAG),
    Register("metric-objectives", MetricObjective, "evidence link", METRICS_TAG),
    Register("communication-plans", CommunicationPlan, "plan", METRICS_TAG),
    Register("changes", Change, "change", "History", list_rows=api_reads.changes),
)

PRINCIPLE_SCHEMA = row_schema(TqmPrinciple)


def principle_endpoint() -> Endpoint:
    """The eight TQM principles (shared by every workspace)."""

    def view(ctx: Context) -> Reply:
        return paginate(api_reads.principles(db.session), serialise)

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
