"""The department register: keys that rows name, the display names people read, and their use.

Initiatives, processes, metrics, communication plans, applications, success stories
and training sessions hold a department *key*; the register gives each key a display
name (and an optional description and owner). Text that names no registered department
(typed into the API, an imported file or a library adoption) is matched to the register
by key or by name, whatever its case, and otherwise becomes a new register entry, so a
row never names a department the register does not know.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.text import clean_text, default_department_name, department_slug
from workbench.models import (
    Application,
    CommunicationPlan,
    Department,
    Initiative,
    Metric,
    Process,
    SuccessStory,
    TrainingItem,
)
from workbench.models.catalogue.shared import DEPARTMENT_MAX
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = ("name", "description", "owner")
# The rows that name a department, as (model, what one is called, what several are called).
USERS: tuple[tuple[Any, str, str], ...] = (
    (Initiative, "initiative", "initiatives"),
    (Process, "process", "processes"),
    (Metric, "metric", "metrics"),
    (CommunicationPlan, "communication plan", "communication plans"),
    (Application, "application", "applications"),
    (SuccessStory, "success story", "success stories"),
    (TrainingItem, "training session", "training sessions"),
)


def list_departments(session: Session) -> list[Department]:
    """Return the workspace's departments by display name."""
    return list(
        session.scalars(select(Department).order_by(func.lower(Department.name), Department.id))
    )


def get_department(session: Session, department_id: int) -> Department:
    """Return a department of the session's workspace or raise NotFoundError."""
    row = session.get(Department, department_id)
    if row is None:
        raise NotFoundError("That department no longer exists; someone may have deleted it.")
    return row


def names(session: Session) -> dict[str, str]:
    """Return every department's display name by its key."""
    return {key: name for key, name in session.execute(select(Department.key, Department.name))}


def display_name(known: dict[str, str], key: str | None) -> str:
    """Return the display name of a key ("" for none); an unregistered key reads as typed."""
    if not key:
        return ""
    return known.get(key) or default_department_name(key)


def choices(session: Session) -> list[tuple[str, str]]:
    """Return (key, display name) of every department, for a select."""
    return [(row.key, row.name) for row in list_departments(session)]


def _name(values: dict[str, Any]) -> str:
    name = clean_text(str(values.get("name") or ""))
    if not name:
        raise ServiceError("Give the department a name.", "name")
    if len(name) > DEPARTMENT_MAX:
        raise ServiceError(f"Keep the name to {DEPARTMENT_MAX} characters.", "name")
    return name


def _refuse_same_name(session: Session, name: str, department_id: int | None = None) -> None:
    # Two departments with one display name could not be told apart in any list.
    query = select(Department.id).where(func.lower(Department.name) == name.lower())
    if department_id is not None:
        query = query.where(Department.id != department_id)
    if session.scalar(query.limit(1)) is not None:
        raise ServiceError(f"There is already a department called “{name}”.", "name")


def _free_key(taken: Iterable[str], wanted: str) -> str:
    used = set(taken)
    base = wanted[: DEPARTMENT_MAX - 4] or "department"
    key, number = base, 1
    while key in used:
        number += 1
        key = f"{base}-{number}"
    return key


def create_department(session: Session, values: dict[str, Any]) -> Department:
    """Add a department; its key is made from the name and never changes."""
    name = _name(values)
    _refuse_same_name(session, name)
    key = _free_key(session.scalars(select(Department.key)), department_slug(name))
    row = Department(
        key=key,
        name=name,
        description=values.get("description") or "",
        owner=values.get("owner") or "",
    )
    session.add(row)
    session.flush()
    return row


def update_department(
    session: Session, department_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Department:
    """Rename or describe a department unless it changed since the form was loaded."""
    row = get_department(session, department_id)
    name = _name(values)
    _refuse_same_name(session, name, row.id)
    changes = {
        "name": name,
        "description": values.get("description") or "",
        "owner": values.get("owner") or "",
    }
    apply_versioned_edit(row, loaded_version, changes, f"The department “{row.name}”")
    session.flush()
    return row


@dataclass(frozen=True)
class Use:
    """The rows of one kind that name a department."""

    singular: str
    plural: str
    titles: tuple[str, ...]

    def sentence(self) -> str:
        """Say how many rows there are and name a few: "2 initiatives (A, B)"."""
        count = len(self.titles)
        shown = ", ".join(f"“{t}”" for t in self.titles[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        return f"{count} {self.singular if count == 1 else self.plural} ({shown}{more})"


def _title(row: Any) -> str:
    if isinstance(row, Initiative):
        return row.title
    if isinstance(row, Metric | Application | Process):
        return row.name
    if isinstance(row, SuccessStory):
        return row.title
    if isinstance(row, TrainingItem):
        return row.topic
    return f"{row.audience or 'everyone'} by {row.channel or 'no channel'}"


def usage(session: Session, key: str | None = None) -> dict[str, list[Use]]:
    """Return, by department key, the rows of every kind that name it.

    One query per kind of row, whatever the number of departments; `key` limits it to one.
    """
    titles: dict[str, dict[int, list[str]]] = {}
    for index, (model, _singular, _plural) in enumerate(USERS):
        query = select(model).where(model.department != "").order_by(model.id)
        if key is not None:
            query = query.where(model.department == key)
        for row in session.scalars(query):
            titles.setdefault(row.department, {}).setdefault(index, []).append(_title(row))
    return {
        named: [
            Use(USERS[index][1], USERS[index][2], tuple(found[index])) for index in sorted(found)
        ]
        for named, found in titles.items()
    }


def delete_department(session: Session, department_id: int) -> str:
    """Delete a department that nothing names any more; refuse, naming the users, otherwise."""
    row = get_department(session, department_id)
    uses = usage(session, row.key).get(row.key)
    if uses:
        listed = "; ".join(use.sentence() for use in uses)
        raise ServiceError(
            f"“{row.name}” cannot be deleted while {listed} still name it. "
            "Move them to another department first."
        )
    name = row.name
    session.delete(row)
    session.flush()
    return name


def involved(session: Session) -> list[Department]:
    """Return the departments the room has named as functions involved, by display name."""
    return [row for row in list_departments(session) if row.involved]


def involve(session: Session, text: str) -> Department:
    """Name a function as involved: a register entry found by key or name, or added."""
    if not clean_text(text or ""):
        raise ServiceError("Name the function or department.", "title")
    if len(clean_text(text)) > DEPARTMENT_MAX:
        raise ServiceError(f"Keep the name to {DEPARTMENT_MAX} characters.", "title")
    key = resolve(session, text)
    row = session.scalar(select(Department).where(Department.key == key))
    if row is None:  # the resolver always registers what it cannot match
        raise NotFoundError("That department no longer exists; reload and try again.")
    row.involved = True
    session.flush()
    return row


class Resolver:
    """Turns department text into a register key, adding an entry for text it cannot match.

    Reads the register once, on first use (so an import that adds departments first finds
    them), then costs one insert per new department however many rows it resolves.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, Department] | None = None

    @property
    def rows(self) -> dict[str, Department]:
        """The register by key, read on first use."""
        if self._rows is None:
            self._rows = {row.key: row for row in self.session.scalars(select(Department))}
        return self._rows

    def key_for(self, text: str | None) -> str:
        """Return the key the text names ("" for none), registering it if it is new."""
        wanted = clean_text(text or "")[:DEPARTMENT_MAX]
        if not wanted:
            return ""
        if wanted in self.rows:
            return wanted
        folded = wanted.casefold()
        for row in self.rows.values():
            if row.key.casefold() == folded or row.name.casefold() == folded:
                return row.key
        name = default_department_name(wanted)[:DEPARTMENT_MAX]
        for row in self.rows.values():
            if row.name.casefold() == name.casefold():
                return row.key
        key = _free_key(self.rows, department_slug(wanted))
        row = Department(key=key, name=name, description="", owner="")
        self.session.add(row)
        self.session.flush()
        self.rows[key] = row
        return key


def resolve(session: Session, text: str | None) -> str:
    """Return the register key for department text, adding a department if none matches."""
    return Resolver(session).key_for(text)


def assign_keys(session: Session, rows: Iterable[Department]) -> None:
    """Give departments added without a key (from an imported file) one made from the name."""
    # Reading the keys must not flush the keyless rows first.
    with session.no_autoflush:
        taken = set(session.scalars(select(Department.key).where(Department.key.is_not(None))))
    for row in rows:
        if not row.key:
            row.key = _free_key(taken, department_slug(row.name or ""))
            taken.add(row.key)


def refuse_removal_in_use(session: Session, removed: dict[str, str]) -> list[str]:
    """Return a problem for each removed department (key -> name) that rows still name."""
    uses = usage(session)
    return [
        f"departments: “{name}” cannot be removed while "
        + "; ".join(use.sentence() for use in uses[key])
        + " still name it"
        for key, name in removed.items()
        if key in uses
    ]
