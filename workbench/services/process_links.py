"""What ties a process to the rest of the strategy: the department that runs it and the
initiatives that change it, edited on the process page and read on the initiative page,
the process list and the storyboard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.process_links import merge_links
from workbench.models import Initiative, Process, ProcessInitiative
from workbench.models.base import utcnow
from workbench.models.catalogue.operating import PROCESSES
from workbench.services import departments
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import ServiceError
from workbench.services.processes import get_process


def initiative_ids(session: Session, process_id: int) -> set[int]:
    """Return the ids of the initiatives that change a process."""
    return set(
        session.scalars(
            select(ProcessInitiative.initiative_id).where(
                ProcessInitiative.process_id == process_id
            )
        )
    )


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    name = str(values.get("name") or "").strip()
    if not name:
        raise ServiceError("Give the process a name.", "name")
    limit = PROCESSES.field("name").max_length or 160
    if len(name) > limit:
        raise ServiceError(f"Keep the name to {limit} characters.", "name")
    return {"name": name, "description": str(values.get("description") or "")}


def _set_initiatives(session: Session, process_id: int, wanted: set[int]) -> bool:
    known = set(session.scalars(select(Initiative.id).where(Initiative.id.in_(wanted))))
    if wanted - known:
        raise ServiceError(
            "Some chosen initiatives no longer exist; reload and choose again.", "initiatives"
        )
    links = {
        link.initiative_id: link
        for link in session.scalars(
            select(ProcessInitiative).where(ProcessInitiative.process_id == process_id)
        )
    }
    for initiative_id in sorted(wanted - links.keys()):
        session.add(ProcessInitiative(process_id=process_id, initiative_id=initiative_id))
    for initiative_id in links.keys() - wanted:
        session.delete(links[initiative_id])
    return wanted != set(links)


def save_process(
    session: Session,
    process_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    loaded_initiatives: set[int] | None,
    initiatives: set[int],
) -> Process:
    """Save a process's name, description, department and the initiatives that change it.

    A stale save merges field by field (refusing with a conflict where someone else changed
    the same field differently); the initiative links apply this save's additions and
    removals to the links stored now, so a colleague's new link is never dropped.
    """
    process = get_process(session, process_id)
    changes = _checked(values)
    changes["department"] = departments.resolve(session, values.get("department"))
    changed = apply_versioned_edit(
        process, loaded_version, changes, f"The process “{process.name}”"
    )
    stored = initiative_ids(session, process_id)
    base = stored if loaded_initiatives is None else loaded_initiatives
    wanted = merge_links(base, initiatives, stored)
    if _set_initiatives(session, process_id, wanted) and not changed:
        # A change of links alone still raises the process's version, for stale checks.
        process.updated_at = utcnow()
    session.flush()
    return process


def processes_changing(session: Session, initiative_id: int) -> list[Process]:
    """Return the processes an initiative changes, by name."""
    return list(
        session.scalars(
            select(Process)
            .join(ProcessInitiative, ProcessInitiative.process_id == Process.id)
            .where(ProcessInitiative.initiative_id == initiative_id)
            .order_by(Process.name, Process.id)
        )
    )


@dataclass(frozen=True)
class ProcessLinks:
    """A process's department (display name) and the titles of the initiatives changing it."""

    department: str
    initiatives: tuple[str, ...]


def links_by_process(session: Session) -> dict[int, ProcessLinks]:
    """Every process's department and changing initiatives, in three queries whatever the count."""
    names = departments.names(session)
    titles: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ProcessInitiative.process_id, Initiative.title)
        .join(Initiative, Initiative.id == ProcessInitiative.initiative_id)
        .order_by(Initiative.position, Initiative.id)
    )
    for process_id, title in rows:
        titles[process_id].append(title)
    return {
        process_id: ProcessLinks(
            departments.display_name(names, department), tuple(titles.get(process_id, ()))
        )
        for process_id, department in session.execute(select(Process.id, Process.department))
    }
