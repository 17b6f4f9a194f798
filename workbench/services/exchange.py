"""Reading a workspace as exchange rows, and restoring a backup into a new workspace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench import models
from workbench.analysis.text import clean_text
from workbench.exchange.backup import Backup, ExchangeRefusedError
from workbench.exchange.schema import TABLES, WORKSPACE_FIELDS, Column, Table, as_plain
from workbench.models import TqmPrinciple, User, Workspace
from workbench.models.base import utcnow
from workbench.models.catalogue.workspace import WORKSPACE
from workbench.services import board_packs, departments, exchange_extras
from workbench.services.tenancy import system_access
from workbench.services.workspaces import create_workspace

LINK_KINDS = frozenset({"ref", "user", "principle"})


def model_of(table: Table) -> Any:
    """Return the model class behind a register."""
    return getattr(models, table.model)


def attribute(column: Column) -> str:
    """Return the model attribute holding a column (references hold an id)."""
    return f"{column.name}_id" if column.kind in LINK_KINDS else column.name


def sequence_keys(table: Table, ids: list[int]) -> dict[int, str]:
    """Keys local to a file: the register's prefix and the row's place (F1, F2, ...)."""
    return {row_id: f"{table.prefix}{index}" for index, row_id in enumerate(ids, start=1)}


def id_keys(table: Table, ids: list[int]) -> dict[int, str]:
    """Keys that stay the same between exports of one workspace: prefix and row id (F12)."""
    return {row_id: f"{table.prefix}{row_id}" for row_id in ids}


def _lookups(session: Session) -> tuple[dict[int, str], dict[int, str]]:
    with system_access(session):
        emails = dict(session.execute(select(User.id, User.email)).all())
        principles = dict(session.execute(select(TqmPrinciple.id, TqmPrinciple.key)).all())
    return emails, principles


def collect(
    session: Session, keying: Callable[[Table, list[int]], dict[int, str]] = sequence_keys
) -> dict[str, list[dict[str, Any]]]:
    """Read every register of the session's workspace as plain rows, sorted by id."""
    emails, principles = _lookups(session)
    # Files name departments as people read them; imports find the key again (see Resolver).
    department_names = departments.names(session)
    objects = {
        table.name: list(session.scalars(select(model_of(table)).order_by(model_of(table).id)))
        for table in TABLES
    }
    keys = {table.name: keying(table, [obj.id for obj in objects[table.name]]) for table in TABLES}
    registers: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = []
        for obj in objects[table.name]:
            row: dict[str, Any] = {"key": keys[table.name][obj.id]}
            for column in table.columns:
                value = getattr(obj, attribute(column))
                if column.kind == "ref":
                    row[column.name] = None if value is None else keys[column.ref or ""][value]
                elif column.kind == "user":
                    row[column.name] = emails.get(value)
                elif column.kind == "principle":
                    row[column.name] = principles.get(value)
                elif column.department:
                    row[column.name] = as_plain(
                        column, departments.display_name(department_names, value)
                    )
                else:
                    row[column.name] = as_plain(column, value)
            rows.append(row)
        registers[table.name] = rows
    return registers


def workspace_texts(workspace: Workspace) -> dict[str, Any]:
    """Return the workspace's own exchanged fields."""
    return {
        column.name: getattr(workspace, column.name)
        if column.kind == "int"
        else clean_text(getattr(workspace, column.name) or "", trim=False)
        for column in WORKSPACE_FIELDS
    }


def model_value(model: Any, column: Column, value: Any) -> Any:
    """Convert a checked exchange value to what the model column stores."""
    if value is None:
        return None
    if column.kind == "choice":
        enum_class = getattr(model.__table__.c[column.name].type, "enum_class", None)
        return enum_class(value) if enum_class else value
    if column.kind == "list":
        return list(value)
    return value


@dataclass
class RestoreReport:
    """What a restore created."""

    workspace_id: int
    rows: int
    # Answers kept under the name the file gives their respondent, linked to no account.
    labelled_answers: int = 0
    # What came back switched off and why (feeds without their address, paths not allowed).
    notes: list[str] = field(default_factory=list)


def _resolve_principles(session: Session, backup: Backup) -> dict[str, int]:
    keys = {row["principle"] for row in backup.registers["principles"]}
    with system_access(session):
        principles = dict(
            session.execute(
                select(TqmPrinciple.key, TqmPrinciple.id).where(TqmPrinciple.key.in_(keys))
            ).all()
        )
    missing = sorted(keys - set(principles))
    if missing:
        raise ExchangeRefusedError(
            [f"principles: the TQM principle {key[:60]!r} is not known here" for key in missing]
        )
    return principles


def _unique_values(table: Table, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The values each of the register's unique rules holds a row to, as the database sees them."""
    keys = []
    for unique in table.unique:
        key = tuple(values.get(attribute(table.column(name))) for name in unique)
        if None not in key or table.empty_collides:
            keys.append((unique, *key))
    return keys


def restore(
    session: Session, owner: User, backup: Backup, name: str | None = None
) -> RestoreReport:
    """Create a new workspace from a checked backup, with fresh ids and every link kept.

    The owner becomes its facilitator and its only member. Answers the file gives to the
    owner's email stay the owner's; every other answer is kept under its respondent's name
    as the file writes it (a label), linked to no account: no other account is looked up,
    linked or revealed, whether or not one has that email. The branding is checked as an
    upload is before anything is written; feeds come back without any database address
    (see exchange_extras). The caller commits, or rolls back on any error.
    """
    principles = _resolve_principles(session, backup)
    checked_branding = exchange_extras.check_branding(backup)
    own_email = owner.email.lower()
    texts = dict(backup.workspace)
    chosen = clean_text(name or "") or texts["name"]
    name_max = WORKSPACE.field("name").max_length
    workspace = create_workspace(session, owner, chosen[:name_max], texts.get("industry") or "")
    for column in WORKSPACE_FIELDS[2:]:
        value = texts.get(column.name)
        setattr(workspace, column.name, value if column.kind == "int" else value or "")
    if backup.registers.get("storyboard_packs"):
        # The file brings its own packs: they replace the starting ones the new workspace got.
        for pack in board_packs.list_packs(session):
            session.delete(pack)
        session.flush()
    new_ids: dict[str, dict[str, int]] = {}
    department_keys = departments.Resolver(session)
    report = RestoreReport(workspace.id, 0)
    for table in TABLES:
        model = model_of(table)
        created: list[tuple[Any, dict[str, Any]]] = []
        seen: set[tuple[Any, ...]] = set()
        for number, row in enumerate(backup.registers[table.name], start=1):
            values: dict[str, Any] = {}
            labels: dict[str, str] = {}
            for column in table.columns:
                value = row.get(column.name)
                if column.kind == "ref":
                    if column.ref == table.name:
                        continue  # set once every row of the register has its id
                    value = None if value is None else new_ids[column.ref or ""][value]
                elif column.kind == "user" and value is not None:
                    if str(value).lower() != own_email:
                        # Someone else: kept by the name the file gives, in the label column
                        # beside this one, and never matched against the accounts here.
                        labels[f"{column.name}_label"] = str(value)
                        value = None
                    else:
                        value = owner.id
                elif column.kind == "principle":
                    value = principles[str(value)]
                elif column.department:
                    value = department_keys.key_for(value)
                values[attribute(column)] = model_value(model, column, value)
            values.update(labels)
            report.labelled_answers += bool(labels)
            for key in _unique_values(table, values):
                if key in seen:
                    raise ExchangeRefusedError(
                        [
                            f"{table.name} row {number}: repeats the {', '.join(key[0])} of "
                            "an earlier row (one respondent written twice: as an email and as "
                            "a name, or in other capitals)"
                        ]
                    )
                seen.add(key)
            obj = model(**values)
            session.add(obj)
            created.append((obj, row))
        if table.name == "departments":
            departments.assign_keys(session, [obj for obj, _row in created])
        try:
            session.flush()
        except IntegrityError as error:
            raise ExchangeRefusedError(
                [f"{table.name}: the rows break a rule of the database ({error.orig})"[:300]]
            ) from None
        new_ids[table.name] = {row["key"]: obj.id for obj, row in created}
        self_refs = [c for c in table.columns if c.kind == "ref" and c.ref == table.name]
        for obj, row in created:
            for column in self_refs:
                target = row.get(column.name)
                setattr(
                    obj, attribute(column), None if target is None else new_ids[table.name][target]
                )
        report.rows += len(created)
    session.flush()
    exchange_extras.restore_branding(session, checked_branding)
    report.notes = exchange_extras.restore_feeds(
        session, backup, new_ids.get("metrics", {}), utcnow()
    )
    return report


def labelled_sentence(report: RestoreReport) -> str:
    """Say how many answers a restore kept under their respondents' names, naming nobody."""
    count = report.labelled_answers
    answers = "questionnaire answer" if count == 1 else "questionnaire answers"
    return (
        f"{count:,} {answers} of other respondents {'is' if count == 1 else 'are'} kept under "
        "the name the backup gives each respondent, linked to no account; only you are a "
        "member of the new workspace."
    )
