"""The demo organisation's logo and accent colour, from seeds/demo_branding.yaml when unset."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from workbench.models import Workspace
from workbench.services import branding
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_branding(session: Session, workspace: Workspace, seeds_dir: Path) -> bool:
    """Give the demo its logo and accent unless it already has branding of its own."""
    scope_session(session, workspace.id)
    if branding.get_branding(session) is not None:
        return False
    document = load_document(seeds_dir / "demo_branding.yaml")
    # Both go through the same checks as an upload: the seed file is held to them too.
    row = branding.set_logo(session, 0, (seeds_dir / str(document["logo"])).read_bytes())
    branding.set_accent(session, row.version, str(document.get("accent") or ""))
    return True
