"""Registers as data: one description of a register gives its list, read, create, update and delete.

Every write goes through the register's service function; this layer only turns JSON into
the values a service takes (as a web form does) and rows back into JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy.orm.exc import StaleDataError

from workbench.extensions import db
from workbench.services import api_reads
from workbench.services.access import Action
from workbench.services.errors import StaleEditError
from workbench.web.api.core import Context, Endpoint, Reply, page_schema, paginate
from workbench.web.api.errors import ApiError
from workbench.web.api.fields import (
    Field,
    FieldErrors,
    columns,
    parse,
    row_schema,
    serialise,
    whole_number,
)
from workbench.web.unit_of_work import discard

W = "/workspaces/{workspace_id}"
VERSION_SCHEMA = {"type": "integer", "minimum": 0, "description": "the version last read"}


@dataclass(frozen=True)
class Register:
    """A workspace register exposed by the API."""

    path: str  # URL segment, e.g. "factors"
    model: type
    noun: str  # singular, for summaries: "factor"
    tag: str
    fields: tuple[Field, ...] = ()
    list_rows: Callable[[Any], list[Any]] | None = None
    create: Callable[[Context, dict[str, Any]], Any] | None = None
    update: Callable[[Context, int, int, dict[str, Any]], Any] | None = None
    delete: Callable[[Any, int], Any] | None = None
    extra: Callable[[Any, Any], dict[str, Any]] | None = None  # (session, row) -> values
    extra_schema: dict[str, Any] = field(default_factory=dict)

    @property
    def id_param(self) -> str:
        """Name of the row id in paths."""
        return f"{self.noun.replace(' ', '_')}_id"

    def rows(self) -> list[Any]:
        """Return every row of the register in the current workspace."""
        if self.list_rows is not None:
            return self.list_rows(db.session())
        return api_reads.rows_of(db.session(), self.model)

    def render(self, row: Any) -> dict[str, Any]:
        """Return a row as JSON."""
        return serialise(row, self.extra(db.session(), row) if self.extra else None)

    def schema(self) -> dict[str, Any]:
        """Return the JSON Schema of one rendered row."""
        return row_schema(self.model, self.extra_schema)

    def read_only_names(self) -> frozenset[str]:
        """Names a client may send back unchanged and that are ignored on write."""
        writable = {f.name for f in self.fields}
        shown = {c.key for c in columns(self.model)} | set(self.extra_schema)
        return frozenset(shown - writable - {"version"})

    def create_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of a create body."""
        return {
            "type": "object",
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            # parse() refuses unknown names, so that a typo never passes silently.
            "additionalProperties": False,
        }

    def update_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of an update body: any fields, and the version read."""
        return {
            "type": "object",
            "properties": {
                "version": {**VERSION_SCHEMA, "minimum": 1},
                **{f.name: f.schema() for f in self.fields},
                **read_only_properties(self.read_only_names()),
            },
            "required": ["version"],
            "additionalProperties": False,
        }


def read_only_properties(names: frozenset[str]) -> dict[str, Any]:
    """Return the schema of attributes a client may send back as read, which are ignored."""
    return {
        name: {"description": "read-only: may be sent back as read; ignored"}
        for name in sorted(names)
    }


def body_version(body: dict[str, Any], minimum: int = 1) -> int:
    """Return the `version` of an update body or refuse with 422."""
    version = whole_number(body.get("version"))
    if version is None or version < minimum:
        raise FieldErrors({"version": "is required: the version of the row you last read"})
    return version


def stale(
    render: Callable[[], dict[str, Any] | None], error: StaleEditError | StaleDataError
) -> ApiError:
    """Return the 409 answer after a stale save: the row as it is now, the fields in conflict."""
    # The failed save is discarded first: the row is read back as others left it.
    discard()
    # A save merged with others' changes names the fields both changed; a refusal that
    # cannot tell (a row changed in the same instant) names none.
    names = error.conflict_names() if isinstance(error, StaleEditError) else []
    return ApiError(409, extra={"current": render(), "conflicts": sorted(names)})


def _current_values(register: Register, row: Any) -> dict[str, Any]:
    values = {f.name: getattr(row, f.name) for f in register.fields if hasattr(row, f.name)}
    if register.extra:
        for f in register.fields:
            if f.name not in values:
                current = register.extra(db.session(), row).get(f.name)
                values[f.name] = set(current or ()) if f.kind == "ids" else current
    return values


def crud_endpoints(register: Register) -> list[Endpoint]:
    """Return the list and read operations of a register, and its writes if it has them."""
    base = f"{W}/{register.path}"
    item_path = f"{base}/{{{register.id_param}}}"
    name = register.path.replace("-", "_")
    schema = register.schema()
    noun = register.noun

    def list_view(ctx: Context) -> Reply:
        return paginate(register.rows(), register.render)

    def get_view(ctx: Context, **ids: int) -> Reply:
        return Reply(
            register.render(api_reads.row_of(db.session(), register.model, ids[register.id_param]))
        )

    endpoints = [
        Endpoint(
            f"list_{name}",
            "GET",
            base,
            list_view,
            f"List the {register.path.replace('-', ' ')}",
            register.tag,
            response=page_schema(schema),
            paginated=True,
        ),
        Endpoint(
            f"get_{name}",
            "GET",
            item_path,
            get_view,
            f"Read one {noun}",
            register.tag,
            response=schema,
            errors=(404,),
        ),
    ]
    if register.create is not None:
        create = register.create

        def create_view(ctx: Context) -> Reply:
            values = parse(register.fields, ctx.body, creating=True)
            row = create(ctx, values)
            db.session.flush()
            assert ctx.workspace is not None  # registers are served under a workspace only
            location = url_for(
                f"api.get_{name}",
                workspace_id=ctx.workspace.id,
                **{register.id_param: row.id},
            )
            return Reply(register.render(row), 201, {"Location": location})

        endpoints.append(
            Endpoint(
                f"create_{name}",
                "POST",
                base,
                create_view,
                f"Create a {noun}",
                register.tag,
                Action.EDIT,
                register.create_schema(),
                schema,
                201,
                errors=(400, 413, 415, 422),
            )
        )
    if register.update is not None:
        update = register.update

        def update_view(ctx: Context, **ids: int) -> Reply:
            row_id = ids[register.id_param]
            row = api_reads.row_of(db.session(), register.model, row_id)
            version = body_version(ctx.body)
            given = {k: v for k, v in ctx.body.items() if k != "version"}
            values = {
                **_current_values(register, row),
                **parse(register.fields, given, creating=False, ignored=register.read_only_names()),
            }
            try:
                row = update(ctx, row_id, version, values)
                db.session.flush()
            except (StaleEditError, StaleDataError) as error:
                raise stale(
                    lambda: register.render(api_reads.row_of(db.session(), register.model, row_id)),
                    error,
                ) from None
            return Reply(register.render(row))

        endpoints.append(
            Endpoint(
                f"update_{name}",
                "PATCH",
                item_path,
                update_view,
                f"Change a {noun} (send the version you read)",
                register.tag,
                Action.EDIT,
                register.update_schema(),
                schema,
                errors=(400, 404, 409, 413, 415, 422),
            )
        )
    if register.delete is not None:
        delete = register.delete

        def delete_view(ctx: Context, **ids: int) -> Reply:
            delete(db.session(), ids[register.id_param])
            return Reply(None, 204)

        endpoints.append(
            Endpoint(
                f"delete_{name}",
                "DELETE",
                item_path,
                delete_view,
                f"Delete a {noun}",
                register.tag,
                Action.EDIT,
                status=204,
                errors=(404,),
            )
        )
    return endpoints
