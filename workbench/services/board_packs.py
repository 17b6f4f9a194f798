"""Storyboard packs (the sections each audience gets, in order) and the team's commentary on
each section: read, added, renamed, reordered, written and deleted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import board_packs as rules
from workbench.analysis.rich_text import RichTextError, check, to_html
from workbench.analysis.text import clean_text
from workbench.models import SectionCommentary, StoryboardPack
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

MAX_PACKS = 20


@dataclass(frozen=True)
class PackChoice:
    """The pack a storyboard is rendered for: its key, name and ordered section keys."""

    key: str
    name: str
    sections: tuple[str, ...]


FULL_PACK = PackChoice(rules.FULL_PACK_KEY, "Leadership team", rules.SECTION_KEYS)


def ensure_default_packs(session: Session) -> None:
    """Give the session's workspace the starting packs when it has no pack at all."""
    if session.scalar(select(StoryboardPack.id).limit(1)) is not None:
        return
    for key, name, sections in rules.DEFAULT_PACKS:
        session.add(StoryboardPack(code=key, name=name, sections=rules.join_sections(sections)))
    session.flush()


def list_packs(session: Session) -> list[StoryboardPack]:
    """Return the workspace's packs in the order they were made."""
    return list(session.scalars(select(StoryboardPack).order_by(StoryboardPack.id)))


def get_pack(session: Session, pack_id: int) -> StoryboardPack:
    """Return a pack of the session's workspace or raise NotFoundError."""
    row = session.get(StoryboardPack, pack_id)
    if row is None:
        raise NotFoundError("That pack no longer exists; someone may have deleted it.")
    return row


def choice_of(row: StoryboardPack) -> PackChoice:
    """Return a stored pack as the choice a storyboard is rendered for."""
    return PackChoice(row.code, row.name, rules.readable_sections(row.sections))


def resolve_pack(session: Session, wanted: str | None) -> PackChoice:
    """Return the pack named by key or name (case aside); with none given, the full storyboard.

    A workspace without stored packs still knows the starting ones, so a storyboard can be
    rendered for "Board" before anyone has opened the packs.
    """
    if wanted is None or not wanted.strip():
        stored = session.scalar(
            select(StoryboardPack).where(StoryboardPack.code == rules.FULL_PACK_KEY)
        )
        return choice_of(stored) if stored is not None else FULL_PACK
    folded = wanted.strip().casefold()
    rows = list_packs(session)
    known = [choice_of(row) for row in rows] or [
        PackChoice(key, name, sections) for key, name, sections in rules.DEFAULT_PACKS
    ]
    for pack in known:
        if folded in {pack.key.casefold(), pack.name.casefold()}:
            return pack
    names = ", ".join(f"“{pack.name}”" for pack in known)
    raise NotFoundError(f"There is no pack called “{wanted.strip()[:80]}”. The packs are {names}.")


def _name(session: Session, value: object, pack_id: int | None) -> str:
    name = clean_text(str(value or ""))
    if not name:
        raise ServiceError("Give the pack a name.", "name")
    if len(name) > rules.NAME_MAX:
        raise ServiceError(f"Keep the name to {rules.NAME_MAX} characters.", "name")
    if "\n" in name:
        raise ServiceError("Keep the name on one line.", "name")
    for other in list_packs(session):
        if other.name.casefold() == name.casefold() and other.id != pack_id:
            raise ServiceError(f"A pack called “{other.name}” exists already.", "name")
    return name


def _sections(value: str | Iterable[str]) -> str:
    try:
        return rules.join_sections(rules.parse_sections(value))
    except rules.PackShapeError as error:
        raise ServiceError(str(error), "sections") from None


def create_pack(session: Session, name: object, sections: Sequence[str]) -> StoryboardPack:
    """Add a pack with a name and its sections in the order given."""
    ensure_default_packs(session)
    rows = list_packs(session)
    if len(rows) >= MAX_PACKS:
        raise ServiceError(f"A workspace keeps at most {MAX_PACKS} packs; delete one first.")
    clean = _name(session, name, None)
    row = StoryboardPack(
        code=rules.pack_key(clean, [r.code for r in rows]), name=clean, sections=_sections(sections)
    )
    session.add(row)
    session.flush()
    return row


def update_pack(
    session: Session,
    pack_id: int,
    loaded_version: int | None,
    name: object,
    sections: str | Sequence[str],
) -> StoryboardPack:
    """Rename a pack or change its sections unless someone changed the same since loading."""
    row = get_pack(session, pack_id)
    changes = {"name": _name(session, name, pack_id), "sections": _sections(sections)}
    apply_versioned_edit(row, loaded_version, changes, f"The pack “{row.name}”")
    session.flush()
    return row


def move_section(
    session: Session, pack_id: int, loaded_version: int | None, section: str, step: int
) -> StoryboardPack:
    """Move one section of a pack a place up (-1) or down (+1)."""
    row = get_pack(session, pack_id)
    try:
        order = rules.moved(rules.readable_sections(row.sections), section, step)
    except rules.PackShapeError as error:
        raise ServiceError(str(error), "sections") from None
    return update_pack(session, pack_id, loaded_version, row.name, order)


def delete_pack(session: Session, pack_id: int) -> str:
    """Delete a pack (its published versions stay, under its name); return its name."""
    row = get_pack(session, pack_id)
    if len(list_packs(session)) == 1:
        raise ServiceError("Keep at least one pack, so there is something to publish.")
    name = row.name
    session.delete(row)
    session.flush()
    return name


def commentary(session: Session) -> dict[str, SectionCommentary]:
    """Return the workspace's commentary rows by section key."""
    return {row.section: row for row in session.scalars(select(SectionCommentary))}


def commentary_for(session: Session, section: str) -> SectionCommentary | None:
    """Return one section's commentary row, if any was ever written."""
    _known(section)
    return session.scalar(select(SectionCommentary).where(SectionCommentary.section == section))


def _known(section: str) -> None:
    if section not in rules.SECTION_TITLES:
        raise NotFoundError("There is no storyboard section of that name.")


def save_commentary(
    session: Session, section: str, loaded_version: int | None, body: object
) -> SectionCommentary:
    """Write a section's commentary; a stale save over someone else's change is refused."""
    _known(section)
    try:
        text = check(clean_text(str(body or "")))
    except RichTextError as error:
        raise ServiceError(str(error), "body") from None
    row = commentary_for(session, section)
    if row is None:
        row = SectionCommentary(section=section, body=text)
        session.add(row)
    else:
        title = rules.SECTION_TITLES[section]
        apply_versioned_edit(row, loaded_version, {"body": text}, f"Our view on “{title}”")
    session.flush()
    return row


@dataclass(frozen=True)
class CommentaryPanel:
    """One section's commentary as a page shows it: as written, as printed, and its version."""

    section: str
    title: str
    body: str
    html: str
    version: int | None


def commentary_panel(session: Session, section: str) -> CommentaryPanel:
    """Return what a page needs to show and edit one section's commentary."""
    row = commentary_for(session, section)
    body = row.body if row is not None else ""
    return CommentaryPanel(
        section,
        rules.SECTION_TITLES[section],
        body,
        to_html(body),
        row.version if row is not None else None,
    )


def commentary_panels(session: Session) -> list[CommentaryPanel]:
    """Return every section's commentary panel, in the order of the full storyboard."""
    rows = commentary(session)
    return [
        CommentaryPanel(
            key,
            title,
            rows[key].body if key in rows else "",
            to_html(rows[key].body) if key in rows else "",
            rows[key].version if key in rows else None,
        )
        for key, title in rules.SECTIONS
    ]
