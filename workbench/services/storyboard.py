"""Publishing the storyboard: snapshots (reused when nothing changed), diffs and share links."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.board_packs import FULL_PACK_KEY
from workbench.analysis.method_notes import method_notes
from workbench.analysis.report_diff import SectionDiff, diff_reports
from workbench.models import ShareLink, StoryboardSnapshot, User, Workspace
from workbench.models.base import utcnow
from workbench.services import signed
from workbench.services.board_packs import PackChoice, resolve_pack
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.report_context import build_context
from workbench.services.signed import Reference
from workbench.services.tenancy import scope_session
from workbench.storyboard.deck import render_pptx
from workbench.storyboard.render import render_html, render_pdf


def meta_for(
    workspace: Workspace, author: str, fp: str, version: str, pack: PackChoice | None = None
) -> dict[str, str]:
    """Document metadata: title, author, subject, language, version and fingerprint."""
    title = f"{workspace.name}: service recovery strategy"
    if pack is not None and pack.key != FULL_PACK_KEY:
        title += f", {pack.name} pack"
    return {
        "lang": "en-GB",
        "title": title,
        "author": author,
        "subject": "Service recovery strategy storyboard",
        "created": utcnow().date().isoformat(),
        "version": version,
        "fingerprint": fp,
    }


@dataclass(frozen=True)
class Report:
    """The storyboard's data for one pack, ready to render: its context, metadata, fingerprint."""

    pack: PackChoice
    context: dict[str, Any]
    meta: dict[str, str]
    fingerprint: str


def report_for(
    session: Session,
    workspace: Workspace,
    author: str,
    today: date,
    version: str,
    pack: PackChoice | None = None,
) -> Report:
    """Read the storyboard's context for a pack (the full one by default) with its metadata."""
    chosen = pack or resolve_pack(session, None)
    report = build_context(session, workspace, today, chosen)
    fp = report.fingerprint()
    meta = meta_for(workspace, author, fp, version, chosen)
    return Report(chosen, report.as_dict(), meta, fp)


def preview_html(
    session: Session,
    workspace: Workspace,
    author: str,
    today: date,
    templates: Path,
    back_url: str | None = None,
    pack: PackChoice | None = None,
) -> str:
    """Render the current storyboard as HTML (the same document the PDF is made from)."""
    report = report_for(session, workspace, author, today, "preview", pack)
    extra = appendix(latest(session, report.pack.key), report.context)
    return render_html(report.context, report.meta, templates, appendix=extra, back_url=back_url)


def render_document(
    session: Session,
    workspace: Workspace,
    author: str,
    today: date,
    templates: Path,
    version: str,
    pack: PackChoice | None = None,
) -> tuple[str, str]:
    """Render the storyboard for print as HTML (not stored); return it with its fingerprint."""
    report = report_for(session, workspace, author, today, version, pack)
    extra = appendix(latest(session, report.pack.key), report.context)
    html = render_html(report.context, report.meta, templates, for_print=True, appendix=extra)
    return html, report.fingerprint


def deck_for(
    context: dict[str, Any], meta: dict[str, str], extra: dict[str, Any] | None = None
) -> tuple[bytes, int]:
    """Render a report context as the deck: the pack's sections, commentary, brand, appendix.

    `extra` is the appendix's additions (see `appendix`), the same the PDF is given.
    """
    pack = context.get("pack") or {}
    commentary = {
        key: tuple(value.get("paragraphs") or ())
        for key, value in (context.get("commentary") or {}).items()
    }
    brand = context.get("branding") or {}
    logo = brand.get("logo_png")
    return render_pptx(
        context,
        meta,
        sections=pack.get("sections"),
        commentary=commentary,
        accent=brand.get("accent"),
        logo_png=base64.b64decode(logo) if logo else None,
        appendix=extra,
    )


def render_deck(
    session: Session,
    workspace: Workspace,
    author: str,
    today: date,
    version: str,
    pack: PackChoice | None = None,
) -> tuple[bytes, int, str]:
    """Render the storyboard as an editable deck; return its bytes, slide count and fingerprint."""
    report = report_for(session, workspace, author, today, version, pack)
    extra = appendix(latest(session, report.pack.key), report.context)
    pptx, slides = deck_for(report.context, report.meta, extra)
    return pptx, slides, report.fingerprint


def appendix(previous: StoryboardSnapshot | None, context: dict[str, Any]) -> dict[str, Any]:
    """What the appendix adds to the data: method notes and the changes since `previous`.

    Kept apart from the context: the same data must give the same fingerprint whatever
    was published before it.
    """
    since = None
    if previous is not None:
        published = previous.published_at
        since = {
            "number": previous.number,
            "published": f"{published.day} {published:%B %Y}" if published else None,
            "sections": [d for d in diff_reports(previous.context, context) if d.changed],
        }
    return {"notes": method_notes(), "since": since}


def latest(session: Session, pack_key: str | None = None) -> StoryboardSnapshot | None:
    """Return the newest snapshot of the session's workspace (of one pack, when given)."""
    query = select(StoryboardSnapshot).order_by(StoryboardSnapshot.number.desc()).limit(1)
    if pack_key is not None:
        query = query.where(StoryboardSnapshot.pack_key == pack_key)
    return session.scalar(query)


def _next_number(session: Session) -> int:
    # Version numbers run across the packs, so a number names one document in the workspace.
    newest = latest(session)
    return (newest.number if newest else 0) + 1


@dataclass(frozen=True)
class Published:
    """The outcome of a publish: the snapshot and whether the PDF was reused."""

    snapshot: StoryboardSnapshot
    reused: bool


@dataclass(frozen=True)
class Rendered:
    """A storyboard rendered but not stored yet: its PDF, its deck and what they came from."""

    fingerprint: str
    context: dict[str, Any]
    pdf: bytes
    pages: int
    author_id: int
    author_label: str
    pptx: bytes
    slides: int
    pack: PackChoice


def render_publication(
    session: Session,
    workspace: Workspace,
    author: User,
    today: date,
    templates: Path,
    pack: PackChoice | None = None,
) -> Published | Rendered:
    """Read and render (no writes): the pack's last snapshot if unchanged, else new PDF and deck."""
    chosen = pack or resolve_pack(session, None)
    report = build_context(session, workspace, today, chosen)
    fp = report.fingerprint()
    previous = latest(session, chosen.key)
    if previous is not None and previous.fingerprint == fp:
        return Published(previous, True)
    meta = meta_for(workspace, author.display_name, fp, str(_next_number(session)), chosen)
    context = report.as_dict()
    extra = appendix(previous, context)
    html = render_html(context, meta, templates, for_print=True, appendix=extra)
    pdf, pages = render_pdf(html)
    pptx, slides = deck_for(context, meta, extra)
    return Rendered(fp, context, pdf, pages, author.id, author.display_name, pptx, slides, chosen)


def store_publication(session: Session, rendered: Rendered) -> Published:
    """Store a rendered storyboard as the next version (or reuse one of its pack meanwhile)."""
    previous = latest(session, rendered.pack.key)
    if previous is not None and previous.fingerprint == rendered.fingerprint:
        return Published(previous, True)
    snapshot = StoryboardSnapshot(
        number=_next_number(session),
        pack_key=rendered.pack.key,
        pack_name=rendered.pack.name,
        fingerprint=rendered.fingerprint,
        author_id=rendered.author_id,
        author_label=rendered.author_label,
        page_count=rendered.pages,
        pdf=rendered.pdf,
        context=rendered.context,
        pptx=rendered.pptx,
        slide_count=rendered.slides,
    )
    session.add(snapshot)
    session.flush()
    return Published(snapshot, False)


def comparable(rows: Sequence[StoryboardSnapshot]) -> list[list[StoryboardSnapshot]]:
    """Group versions by pack, keeping the packs with two or more: only those can compare."""
    by_pack: dict[str, list[StoryboardSnapshot]] = {}
    for row in rows:
        by_pack.setdefault(row.pack_key, []).append(row)
    return [versions for versions in by_pack.values() if len(versions) > 1]


def snapshots(session: Session) -> list[StoryboardSnapshot]:
    """Return the workspace's snapshots, newest first (without loading the PDFs' use)."""
    return list(
        session.scalars(select(StoryboardSnapshot).order_by(StoryboardSnapshot.number.desc()))
    )


def get_snapshot(session: Session, number: int) -> StoryboardSnapshot:
    """Return a snapshot by its number or raise NotFoundError."""
    snapshot = session.scalar(select(StoryboardSnapshot).where(StoryboardSnapshot.number == number))
    if snapshot is None:
        raise NotFoundError("There is no storyboard with that number.")
    return snapshot


def deck_of(snapshot: StoryboardSnapshot) -> bytes:
    """A published version's PowerPoint deck; versions published before decks have none."""
    if snapshot.pptx is None:
        raise NotFoundError(
            "This version was published before decks were kept, so it has no PowerPoint. "
            "Publish a new version to get one."
        )
    return snapshot.pptx


def compare(old: StoryboardSnapshot, new: StoryboardSnapshot) -> list[SectionDiff]:
    """Say, section by section and in sentences with old and new values, what changed.

    Only versions of one pack compare: two audiences' documents differ by design.
    """
    if old.pack_key != new.pack_key:
        raise ServiceError(
            f"Version {old.number} is of the “{old.pack_name}” pack and version {new.number} "
            f"of the “{new.pack_name}” pack. Compare two versions of the same pack."
        )
    return diff_reports(old.context, new.context)


def create_share_link(
    session: Session, snapshot: StoryboardSnapshot, creator: User, hours: int, secret: str
) -> tuple[ShareLink, str]:
    """Create a signed, expiring link to a snapshot; return it with its token."""
    if not 1 <= hours <= 24 * 90:
        raise ServiceError("A share link lasts from one hour to 90 days.")
    link = ShareLink(
        snapshot_id=snapshot.id,
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + timedelta(hours=hours),
        created_by_id=creator.id,
    )
    session.add(link)
    session.flush()
    token = signed.sign(
        secret, signed.STORYBOARD_SHARE, Reference(snapshot.workspace_id, link.nonce)
    )
    return link, token


def share_links(session: Session) -> list[ShareLink]:
    """Return the workspace's share links, newest first."""
    return list(session.scalars(select(ShareLink).order_by(ShareLink.id.desc())))


def revoke_share_link(session: Session, link_id: int) -> None:
    """Withdraw a share link."""
    link = session.get(ShareLink, link_id)
    if link is None:
        raise NotFoundError("That share link does not exist.")
    link.revoked = True
    session.flush()


def open_share_link(
    session: Session, token: str, secret: str, max_hours: int = 24 * 90
) -> StoryboardSnapshot:
    """Resolve a share token to its snapshot, refusing forged, expired or withdrawn links."""
    refused = NotFoundError("This link does not open a storyboard. Ask for a new one.")
    reference = signed.read(secret, signed.STORYBOARD_SHARE, token, max_hours, refused)
    scope_session(session, reference.workspace_id)
    link = session.scalar(select(ShareLink).where(ShareLink.nonce == reference.nonce))
    if link is None or link.revoked or link.expires_at <= utcnow():
        raise refused
    snapshot = session.get(StoryboardSnapshot, link.snapshot_id)
    if snapshot is None:
        raise refused
    link.opened += 1
    session.flush()
    return snapshot
