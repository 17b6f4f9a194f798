"""The demo team's own view on three storyboard sections, from seeds/demo_commentary.yaml."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from workbench.models import Workspace
from workbench.services import board_packs
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_commentary(session: Session, workspace: Workspace, seeds_dir: Path) -> int:
    """Write the demo's commentary on the sections that have none yet; return how many."""
    scope_session(session, workspace.id)
    written = 0
    for section, body in load_document(seeds_dir / "demo_commentary.yaml").items():
        if board_packs.commentary_for(session, str(section)) is not None:
            continue
        # Through the same checks as the form: the seed text is held to the sanitiser too.
        board_packs.save_commentary(session, str(section), None, body)
        written += 1
    return written
