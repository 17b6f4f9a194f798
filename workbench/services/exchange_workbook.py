"""Workbook import: compare an edited workbook with the workspace, preview, apply all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.exchange import workbook
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.schema import TABLES, Column, Problems, Table, as_plain, check_rows
from workbench.models import Department, Membership, TqmPrinciple, User
from workbench.services import branding, departments
from workbench.services.errors import ServiceError
from workbench.services.exchange import attribute, collect, id_keys, model_of, model_value
from workbench.services.tenancy import system_access

SHOWN_PER_LIST = 50
OWN_COLOUR = "none (the storyboard's own colour)"
# The operations on a register the workbook leaves out (an optional sheet): none.
NOTHING: dict[str, list[Any]] = {"update": [], "add": [], "remove": []}


@dataclass
class SheetChanges:
    """What an import would do to one register."""

    name: str
    title: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        """Whether anything in this register would change."""
        return bool(self.added or self.changed or self.removed)


@dataclass
class WorkbookPlan:
    """The preview of a workbook import: changes per sheet, problems, and a fingerprint."""

    sheets: list[SheetChanges]
    problems: list[str]
    fingerprint: str
    operations: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def has_changes(self) -> bool:
        """Whether applying would change anything."""
        return any(sheet.has_changes for sheet in self.sheets)

    def counts(self) -> tuple[int, int, int]:
        """Rows added, changed and removed over every sheet."""
        return (
            sum(len(s.added) for s in self.sheets),
            sum(len(s.changed) for s in self.sheets),
            sum(len(s.removed) for s in self.sheets),
        )


def _short(value: Any) -> str:
    text = "(empty)" if value in (None, "", []) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(column: Column, value: Any) -> Any:
    value = as_plain(column, value)
    if column.kind == "user" and isinstance(value, str):
        return value.lower()
    return value


def _label(table: Table, row: dict[str, Any]) -> str:
    first = next((c for c in table.columns if c.kind == "text" and c.required), None)
    name = _short(row.get(first.name)) if first else ""
    return f"{row['key']} {name}".strip() if row.get("key") else name or "(new row)"


def _check_globals(
    session: Session, parsed: dict[str, list[tuple[str, dict[str, Any]]]], problems: Problems
) -> None:
    emails = {
        row["respondent"].lower()
        for _p, row in parsed.get("responses", [])
        if row.get("respondent")
    }
    keys = {row["principle"] for _p, row in parsed.get("principles", []) if row.get("principle")}
    # An email names a member: naming only members also keeps the import from telling
    # whether some other address has an account here. Anyone else is a named respondent
    # (respondent_label), never looked up.
    known_emails = set(
        session.scalars(
            select(func.lower(User.email))
            .join(Membership, Membership.user_id == User.id)
            .where(func.lower(User.email).in_(emails))
        )
    )
    with system_access(session):
        known_keys = set(
            session.scalars(select(TqmPrinciple.key).where(TqmPrinciple.key.in_(keys)))
        )
    for place, row in parsed.get("responses", []):
        if row.get("respondent") and row["respondent"].lower() not in known_emails:
            problems.add(
                place,
                f"respondent: {_short(row['respondent'])} is not a member of this workspace; "
                "write the name of a respondent who is not a member in respondent_label instead",
            )
    for place, row in parsed.get("principles", []):
        if row.get("principle") and row["principle"] not in known_keys:
            problems.add(place, f"principle: {_short(row['principle'])} is not a TQM principle key")


def plan_import(session: Session, raw: bytes, max_bytes: int) -> WorkbookPlan:
    """Read a workbook and work out what importing it would change; write nothing."""
    parsed, problems, accent_text = workbook.read_book(raw, max_bytes)
    current = collect(session, id_keys)
    stored_branding = branding.get_branding(session)
    stored_accent = stored_branding.accent if stored_branding else None
    digest = hashlib.sha256(raw)
    digest.update(json.dumps([current, stored_accent], sort_keys=True, default=str).encode())
    if not problems:
        for table in TABLES:
            existing = {row["key"] for row in current[table.name]}
            for place, row in parsed.get(table.name, []):
                if row.get("key") and row["key"] not in existing:
                    problems.add(
                        place,
                        f"key {row['key']} is not a row of this workspace's {table.title}; "
                        "leave the key empty to add a row",
                    )
        check_rows(parsed, problems)
        _check_globals(session, parsed, problems)
    sheets: list[SheetChanges] = []
    operations: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        sheet = SheetChanges(table.name, table.title)
        sheets.append(sheet)
        if problems or table.name not in parsed:
            continue
        stored = {row["key"]: row for row in current[table.name]}
        updates, additions = [], []
        seen = set()
        for _place, row in parsed[table.name]:
            key = row.get("key")
            if key is None:
                additions.append(row)
                sheet.added.append(_label(table, row))
                continue
            seen.add(key)
            before = stored[key]
            differences = [
                f"{c.name}: {_short(before.get(c.name))} → {_short(_plain(c, row.get(c.name)))}"
                for c in table.columns
                # A column the file lacks (written before it existed) keeps its stored value.
                if c.name in row and _plain(c, before.get(c.name)) != _plain(c, row.get(c.name))
            ]
            if differences:
                updates.append(row)
                sheet.changed.append(f"{_label(table, row)}: " + "; ".join(differences))
            else:
                sheet.unchanged += 1
        removals = [key for key in stored if key not in seen]
        sheet.removed = [_label(table, stored[key]) for key in removals]
        operations[table.name] = {"update": updates, "add": additions, "remove": removals}
    if accent_text is not None:
        sheets.append(_plan_accent(accent_text, stored_accent, problems, operations))
    return WorkbookPlan(sheets, problems.items, digest.hexdigest(), operations)


def _plan_accent(
    text: str, stored: str | None, problems: Problems, operations: dict[str, dict[str, Any]]
) -> SheetChanges:
    """The accent colour's change, checked as the settings page checks it."""
    sheet = SheetChanges("branding", "Branding (About sheet)")
    try:
        accent = branding.checked_accent(text)
    except ServiceError as error:
        problems.add(f"{workbook.ABOUT_SHEET}: {workbook.ACCENT_LABEL}", error.message)
        return sheet
    if accent == stored:
        sheet.unchanged = 1
    elif not problems:
        sheet.changed.append(
            f"{workbook.ACCENT_LABEL}: {stored or OWN_COLOUR} → {accent or OWN_COLOUR}"
        )
        operations["branding"] = {"accent": accent or ""}
    return sheet


def _row_id(table: Table, key: str) -> int:
    return int(key[len(table.prefix) :])


def _values(
    table: Table,
    row: dict[str, Any],
    lookups: dict[str, dict[str, int]],
    department_keys: departments.Resolver,
) -> dict[str, Any]:
    model = model_of(table)
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in row:  # absent from an older file: the stored value stays
            continue
        value = row[column.name]
        if column.kind == "ref" and value is not None:
            value = _row_id(next(t for t in TABLES if t.name == column.ref), value)
        elif column.kind == "user" and value is not None:
            # The plan's validation left a member's email here (a named respondent has none).
            value = lookups["users"][str(value).lower()]
        elif column.kind == "principle":
            value = lookups["principles"][str(value)]
        elif column.department:
            value = department_keys.key_for(value)
        values[attribute(column)] = model_value(model, column, value)
    return values


def apply_import(session: Session, raw: bytes, max_bytes: int, expected: str) -> WorkbookPlan:
    """Apply a previewed workbook: every change or none. The caller commits or rolls back.

    `expected` is the fingerprint of the preview; if the file or the workspace changed
    since, nothing is applied and the new preview is returned with a problem saying so.
    """
    plan = plan_import(session, raw, max_bytes)
    if plan.problems:
        raise ExchangeRefusedError(plan.problems)
    if plan.fingerprint != expected:
        plan.problems.append(
            "The workspace or the file changed since the preview. Check this preview, then apply."
        )
        return plan
    with system_access(session):
        lookups = {
            "users": {e.lower(): i for i, e in session.execute(select(User.id, User.email))},
            "principles": dict(session.execute(select(TqmPrinciple.key, TqmPrinciple.id)).all()),
        }
    # Department text names the register by display name or key; new names join it.
    department_keys = departments.Resolver(session)
    removed_departments: dict[str, str] = {}
    try:
        for table in reversed(TABLES):
            model = model_of(table)
            for key in plan.operations.get(table.name, NOTHING)["remove"]:
                obj = session.get(model, _row_id(table, key))
                if obj is not None:
                    if isinstance(obj, Department):
                        removed_departments[obj.key] = obj.name
                    session.delete(obj)
            session.flush()
        for table in TABLES:
            model = model_of(table)
            operations = plan.operations.get(table.name, NOTHING)
            for row in operations["update"]:
                obj = session.get_one(model, _row_id(table, row["key"]))
                for name, value in _values(table, row, lookups, department_keys).items():
                    if getattr(obj, name) != value:
                        setattr(obj, name, value)
            added = [
                model(**_values(table, row, lookups, department_keys)) for row in operations["add"]
            ]
            session.add_all(added)
            if table.name == "departments":
                departments.assign_keys(session, added)
            session.flush()
    except IntegrityError as error:
        raise ExchangeRefusedError(
            [f"The changes break a rule of the database, so none were applied ({error.orig})"[:400]]
        ) from None
    # As on the register page, a department goes only once nothing names it.
    in_use = departments.refuse_removal_in_use(session, removed_departments)
    if in_use:
        raise ExchangeRefusedError(in_use)
    if "branding" in plan.operations:
        row = branding.get_branding(session)
        branding.set_accent(
            session, row.version if row else 0, plan.operations["branding"]["accent"]
        )
    return plan
