"""An initiative's milestones, nested under it: list, read, add, change (versioned), delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy.orm.exc import StaleDataError

from workbench.extensions import db
from workbench.models import Milestone, catalogue
from workbench.services import milestones as service
from workbench.services.access import Action
from workbench.services.errors import StaleEditError
from workbench.web.api.core import Context, Endpoint, Reply, page_schema, paginate
from workbench.web.api.fields import columns, from_register, parse, row_schema, serialise
from workbench.web.api.registers import (
    VERSION_SCHEMA,
    W,
    body_version,
    read_only_properties,
    stale,
)

TAG = "Phase 2: alignment"
BASE = f"{W}/initiatives/{{initiative_id}}/milestones"
ITEM = f"{BASE}/{{milestone_id}}"

MILESTONE_FIELDS = from_register(catalogue.MILESTONES, "title", "due_date", "done_date", "owner")
READ_ONLY = frozenset(
    {c.key for c in columns(Milestone)} - {f.name for f in MILESTONE_FIELDS} - {"version"}
)


def _list(ctx: Context, initiative_id: int) -> Reply:
    return paginate(service.list_milestones(db.session(), initiative_id), serialise)


def _get(ctx: Context, initiative_id: int, milestone_id: int) -> Reply:
    return Reply(serialise(service.get_milestone(db.session(), initiative_id, milestone_id)))


def _create(ctx: Context, initiative_id: int) -> Reply:
    # An unknown initiative is 404 before the body is judged.
    service.list_milestones(db.session(), initiative_id)
    values = parse(MILESTONE_FIELDS, ctx.body, creating=True)
    row = service.create_milestone(db.session(), initiative_id, values, date.today())
    db.session.flush()
    assert ctx.workspace is not None
    location = url_for(
        "api.get_milestone",
        workspace_id=ctx.workspace.id,
        initiative_id=initiative_id,
        milestone_id=row.id,
    )
    return Reply(serialise(row), 201, {"Location": location})


def _update(ctx: Context, initiative_id: int, milestone_id: int) -> Reply:
    row = service.get_milestone(db.session(), initiative_id, milestone_id)
    version = body_version(ctx.body)
    given = {k: v for k, v in ctx.body.items() if k != "version"}
    values: dict[str, Any] = {f.name: getattr(row, f.name) for f in MILESTONE_FIELDS}
    values.update(parse(MILESTONE_FIELDS, given, creating=False, ignored=READ_ONLY))
    try:
        row = service.update_milestone(
            db.session(), initiative_id, milestone_id, version, values, date.today()
        )
        db.session.flush()
    except (StaleEditError, StaleDataError) as error:
        raise stale(
            lambda: serialise(service.get_milestone(db.session(), initiative_id, milestone_id)),
            error,
        ) from None
    return Reply(serialise(row))


def _delete(ctx: Context, initiative_id: int, milestone_id: int) -> Reply:
    service.delete_milestone(db.session(), initiative_id, milestone_id)
    return Reply(None, 204)


def milestone_endpoints() -> list[Endpoint]:
    """The milestones of one initiative."""
    schema = row_schema(Milestone)
    create_body = {
        "type": "object",
        "properties": {f.name: f.schema() for f in MILESTONE_FIELDS},
        "required": [f.name for f in MILESTONE_FIELDS if f.required],
        "additionalProperties": False,
    }
    update_body = {
        "type": "object",
        "properties": {
            "version": {**VERSION_SCHEMA, "minimum": 1},
            **{f.name: f.schema() for f in MILESTONE_FIELDS},
            **read_only_properties(READ_ONLY),
        },
        "required": ["version"],
        "additionalProperties": False,
    }
    return [
        Endpoint(
            "list_milestones",
            "GET",
            BASE,
            _list,
            "List an initiative's milestones, by due date",
            TAG,
            response=page_schema(schema),
            paginated=True,
            errors=(404,),
        ),
        Endpoint(
            "create_milestone",
            "POST",
            BASE,
            _create,
            "Add a milestone to an initiative",
            TAG,
            Action.EDIT,
            create_body,
            schema,
            201,
            errors=(400, 404, 413, 415, 422),
        ),
        Endpoint(
            "get_milestone",
            "GET",
            ITEM,
            _get,
            "Read one milestone",
            TAG,
            response=schema,
            errors=(404,),
        ),
        Endpoint(
            "update_milestone",
            "PATCH",
            ITEM,
            _update,
            "Change a milestone (send the version you read)",
            TAG,
            Action.EDIT,
            update_body,
            schema,
            errors=(400, 404, 409, 413, 415, 422),
        ),
        Endpoint(
            "delete_milestone",
            "DELETE",
            ITEM,
            _delete,
            "Delete a milestone",
            TAG,
            Action.EDIT,
            status=204,
            errors=(404,),
        ),
    ]
