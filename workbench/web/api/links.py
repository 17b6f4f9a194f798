"""An initiative's links: the objectives it serves, principles it applies, factors it addresses."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from workbench.extensions import db
from workbench.models import (
    Contribution,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
)
from workbench.services import api_reads, matrix
from workbench.services import factors as factor_service
from workbench.services import initiatives as initiative_service
from workbench.services.access import Action
from workbench.services.errors import NotFoundError, StaleEditError
from workbench.web.api.core import Context, Endpoint, Reply, page_schema, paginate
from workbench.web.api.fields import Field, parse, row_schema, serialise
from workbench.web.api.registers import VERSION_SCHEMA, W, body_version, stale

ALIGN = "Phase 2: alignment"
INITIATIVE = f"{W}/initiatives/{{initiative_id}}"
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
        initiative_service.get_initiative(db.session(), initiative_id)
        return paginate(api_reads.links_of(db.session(), model, initiative_id), serialise)

    return view


def _put_contribution(ctx: Context, initiative_id: int, objective_id: int) -> Reply:
    version = body_version(ctx.body, minimum=0)
    given = {k: v for k, v in ctx.body.items() if k != "version"}
    values = parse(CONTRIBUTION_FIELDS, given, creating=True)
    existed = api_reads.link_of(db.session(), InitiativeObjective, initiative_id, objective_id)
    try:
        link = matrix.set_contribution(
            db.session(),
            initiative_id,
            objective_id,
            values["contribution"],
            version,
            values["rationale"],
        )
        db.session.flush()
    except (StaleEditError, StaleDataError) as error:
        raise stale(lambda: _contribution_now(initiative_id, objective_id), error) from None
    return Reply(serialise(link), 200 if existed else 201)


def _contribution_now(initiative_id: int, objective_id: int) -> dict[str, Any] | None:
    link = api_reads.link_of(db.session(), InitiativeObjective, initiative_id, objective_id)
    return serialise(link) if link else None


def _delete_contribution(ctx: Context, initiative_id: int, objective_id: int) -> Reply:
    initiative_service.get_initiative(db.session(), initiative_id)
    link = api_reads.link_of(db.session(), InitiativeObjective, initiative_id, objective_id)
    if link is None:
        raise NotFoundError("This initiative does not contribute to that objective.")
    matrix.set_contribution(db.session(), initiative_id, objective_id, None, link.version)
    return Reply(None, 204)


def _set_principle(applied: bool) -> Any:
    def view(ctx: Context, initiative_id: int, principle_id: int) -> Reply:
        matrix.set_principle(db.session(), initiative_id, principle_id, applied)
        if not applied:
            return Reply(None, 204)
        link = api_reads.link_of(db.session(), InitiativePrinciple, initiative_id, principle_id)
        return Reply(serialise(link))

    return view


def _set_factor(applied: bool) -> Any:
    def view(ctx: Context, initiative_id: int, factor_id: int) -> Reply:
        initiative_service.get_initiative(db.session(), initiative_id)
        factor_service.get_factor(db.session(), factor_id)
        current = {
            link.factor_id
            for link in api_reads.links_of(db.session(), InitiativeFactor, initiative_id)
        }
        wanted = current | {factor_id} if applied else current - {factor_id}
        initiative_service.set_factors(db.session(), initiative_id, wanted)
        if not applied:
            return Reply(None, 204)
        link = api_reads.link_of(db.session(), InitiativeFactor, initiative_id, factor_id)
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
        "additionalProperties": False,
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
