"""The workspace's branding: its logo and accent colour, set by a facilitator, shown in reports.

A workspace has no branding row until something is set; the storyboard without one is the
storyboard's own design. Saves are versioned like every edit: the logo is compared by its
digest, so a colleague's new accent does not block a logo upload, while two people
replacing the logo at once do conflict.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from workbench.analysis.contrast import check_accent, parse_hex
from workbench.exchange.logo import CleanLogo, LogoRefusedError, clean_logo
from workbench.models import Branding
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import ServiceError

LABEL = "The branding"
LOGO_FIELDS = ("logo_kind", "logo_sha256", "logo_bytes")


@dataclass(frozen=True)
class BrandingView:
    """What the settings page shows: the accent, the logo as a data: URI, and the version."""

    accent: str | None
    logo_uri: str | None
    logo_kind: str | None
    logo_bytes: int | None
    version: int


@dataclass(frozen=True)
class ReportBranding:
    """The branding a report carries (part of its fingerprint).

    `logo_uri` is a data: URI for HTML and PDF (PNG or SVG); `logo_png` the base64 of a PNG
    for formats that take only raster images; `logo_width` and `logo_height` that PNG's
    pixels; `logo_alt` the organisation's name. Either half may be absent.
    """

    accent: str | None
    logo_uri: str | None
    logo_png: str | None
    logo_width: int | None
    logo_height: int | None
    logo_alt: str


def get_branding(session: Session, with_images: bool = False) -> Branding | None:
    """Return the session's workspace branding row, or None when nothing was ever set."""
    query = select(Branding)
    if with_images:
        query = query.options(undefer(Branding.logo), undefer(Branding.logo_png))
    return session.scalars(query).first()


def data_uri(kind: str, data: bytes) -> str:
    """Return a stored logo as a data: URI."""
    media = "image/svg+xml" if kind == "svg" else "image/png"
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def view(session: Session) -> BrandingView:
    """Return the branding as the settings page shows it (version 0 before the first save)."""
    row = get_branding(session, with_images=True)
    if row is None:
        return BrandingView(None, None, None, None, 0)
    uri = data_uri(row.logo_kind, row.logo) if row.logo_kind and row.logo else None
    return BrandingView(row.accent, uri, row.logo_kind, row.logo_bytes, row.version)


def _save(session: Session, loaded_version: int | None, changes: dict[str, object]) -> Branding:
    """Apply changes to the branding row, creating it on the first save."""
    row = get_branding(session)
    if row is None:
        row = Branding(**changes)
        session.add(row)
    else:
        apply_versioned_edit(row, loaded_version, changes, LABEL)
    session.flush()
    return row


def checked_accent(text: str) -> str | None:
    """Return the accent as stored ("#RRGGBB", None for none), or refuse it with the ratio."""
    text = text.strip()
    if not text:
        return None
    colour = parse_hex(text)
    if colour is None:
        raise ServiceError(
            "Write the colour as # and six hexadecimal digits, such as #0F5C63.", "accent"
        )
    verdict = check_accent(colour)
    if not verdict.passes:
        raise ServiceError(verdict.message(), "accent")
    return verdict.colour


def set_accent(session: Session, loaded_version: int | None, text: str) -> Branding:
    """Save the accent colour (empty for the storyboard's own) unless it reads badly."""
    return _save(session, loaded_version, {"accent": checked_accent(text)})


def set_logo(session: Session, loaded_version: int | None, raw: bytes) -> Branding:
    """Check and remake an uploaded logo, then store it; a refused file changes nothing."""
    try:
        logo: CleanLogo = clean_logo(raw)
    except LogoRefusedError as error:
        raise ServiceError(str(error), "logo") from None
    row = _save(session, loaded_version, _logo_fields(logo))
    # Set only once the versioned fields were accepted: a conflict leaves no image behind.
    _put_images(row, logo)
    session.flush()
    return row


def _logo_fields(logo: CleanLogo) -> dict[str, object]:
    return {
        "logo_kind": logo.kind,
        "logo_sha256": hashlib.sha256(logo.data).hexdigest(),
        "logo_bytes": len(logo.data),
    }


def _put_images(row: Branding, logo: CleanLogo) -> None:
    row.logo = logo.data
    row.logo_png = logo.png
    row.logo_width, row.logo_height = logo.width, logo.height


def store(session: Session, accent: str | None, logo: CleanLogo | None) -> Branding:
    """Give a workspace that has no branding yet an accent and a logo already checked.

    A restored backup uses this once `checked_accent` and `clean_logo` accepted both.
    """
    if get_branding(session) is not None:
        raise ServiceError("This workspace has its branding already.")
    row = Branding(accent=accent, **(_logo_fields(logo) if logo else {}))
    if logo:
        _put_images(row, logo)
    session.add(row)
    session.flush()
    return row


def remove_logo(session: Session, loaded_version: int | None) -> bool:
    """Remove the logo; returns whether there was one."""
    row = get_branding(session)
    if row is None or row.logo_kind is None:
        return False
    apply_versioned_edit(row, loaded_version, dict.fromkeys(LOGO_FIELDS), LABEL)
    row.logo = row.logo_png = None
    row.logo_width = row.logo_height = None
    session.flush()
    return True


def report_branding(session: Session, organisation: str) -> ReportBranding | None:
    """Return the branding a report carries, or None when the workspace has none."""
    row = get_branding(session, with_images=True)
    if row is None or (row.accent is None and row.logo_kind is None):
        return None
    has_logo = row.logo_kind is not None and row.logo is not None and row.logo_png is not None
    return ReportBranding(
        accent=row.accent,
        logo_uri=data_uri(row.logo_kind or "png", row.logo or b"") if has_logo else None,
        logo_png=base64.b64encode(row.logo_png or b"").decode("ascii") if has_logo else None,
        logo_width=row.logo_width if has_logo else None,
        logo_height=row.logo_height if has_logo else None,
        logo_alt=organisation,
    )
