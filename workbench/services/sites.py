"""The sites register: the places the organisation serves from, read, added, edited and deleted
(a metric's league table of sites is in services/site_views.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.text import clean_text
from workbench.models import Measurement, Site, SiteKind
from workbench.models.catalogue.metrics import SITES
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

KIND_LABELS = dict(SITES.field("kind").choices)
NAME_MAX = SITES.field("name").max_length or 120
NOTES_MAX = SITES.field("notes").max_length or 2000


def list_sites(session: Session) -> list[Site]:
    """Return the workspace's sites by name."""
    return sorted(session.scalars(select(Site)), key=lambda s: (s.name.casefold(), s.id))


def get_site(session: Session, site_id: int) -> Site:
    """Return a site of the session's workspace or raise NotFoundError."""
    row = session.get(Site, site_id)
    if row is None:
        raise NotFoundError("That site no longer exists; someone may have deleted it.")
    return row


def _parent_chain_has(session: Session, start: int | None, site_id: int) -> bool:
    # Walk up from the chosen parent: meeting the site itself would make a loop.
    parents = {row.id: row.parent_id for row in session.execute(select(Site.id, Site.parent_id))}
    seen: set[int] = set()
    current = start
    while current is not None and current not in seen:
        if current == site_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _checked(session: Session, values: dict[str, Any], site_id: int | None) -> dict[str, Any]:
    """The values a site stores, refused with a message naming the field when wrong."""
    name = clean_text(str(values.get("name") or ""))
    if not name:
        raise ServiceError("Give the site a name.", "name")
    if len(name) > NAME_MAX:
        raise ServiceError(f"Keep the name to {NAME_MAX} characters.", "name")
    if "\n" in name:
        raise ServiceError("Keep the name on one line.", "name")
    clash = next(
        (
            other
            for other in session.scalars(select(Site))
            if other.name.casefold() == name.casefold() and other.id != site_id
        ),
        None,
    )
    if clash is not None:
        raise ServiceError(f"A site called “{clash.name}” exists already.", "name")
    try:
        kind = SiteKind(values.get("kind") or SiteKind.OTHER)
    except ValueError:
        raise ServiceError("Choose hotel, station, branch, region or other.", "kind") from None
    notes = clean_text(str(values.get("notes") or ""))
    if len(notes) > NOTES_MAX:
        raise ServiceError(f"Keep the notes to {NOTES_MAX} characters.", "notes")
    parent_id = values.get("parent_id")
    if parent_id is not None:
        if isinstance(parent_id, bool) or not isinstance(parent_id, int):
            raise ServiceError("Choose the parent site from the list.", "parent_id")
        if session.get(Site, parent_id) is None:
            raise ServiceError("The chosen parent site no longer exists.", "parent_id")
        if site_id is not None and _parent_chain_has(session, parent_id, site_id):
            raise ServiceError("A site cannot sit inside itself or one of its own.", "parent_id")
    return {"name": name, "kind": kind, "notes": notes, "parent_id": parent_id}


def create_site(session: Session, values: dict[str, Any]) -> Site:
    """Add a site."""
    row = Site(**_checked(session, values, None))
    session.add(row)
    session.flush()
    return row


def update_site(
    session: Session, site_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Site:
    """Save a site unless someone changed the same fields since the form was loaded."""
    row = get_site(session, site_id)
    checked = _checked(session, values, site_id)
    apply_versioned_edit(row, loaded_version, checked, f"The site “{row.name}”")
    session.flush()
    return row


def reading_count(session: Session, site_id: int) -> int:
    """Return how many measurements name the site."""
    return (
        session.scalar(select(func.count(Measurement.id)).where(Measurement.site_id == site_id))
        or 0
    )


def reading_counts(session: Session) -> dict[int, int]:
    """Return how many measurements name each site."""
    rows = session.execute(
        select(Measurement.site_id, func.count(Measurement.id))
        .where(Measurement.site_id.is_not(None))
        .group_by(Measurement.site_id)
    )
    return {site_id: count for site_id, count in rows if site_id is not None}


def delete_site(session: Session, site_id: int) -> str:
    """Delete a site no measurement names (its child sites lose their parent); return its name."""
    row = get_site(session, site_id)
    count = reading_count(session, site_id)
    if count:
        raise ServiceError(
            f"“{row.name}” has {count} measurement{'s' if count != 1 else ''}; delete or move "
            "them first, so no reading loses its site."
        )
    name = row.name
    for child in session.scalars(select(Site).where(Site.parent_id == site_id)):
        child.parent_id = None
    session.delete(row)
    session.flush()
    return name
