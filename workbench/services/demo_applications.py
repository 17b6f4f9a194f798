"""The demo organisation's application portfolio, filled from seeds/demo_applications.yaml
when still empty."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Application, Workspace
from workbench.services import applications
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_applications(session: Session, workspace: Workspace, seeds_dir: Path, today: date) -> bool:
    """Load the demo's applications unless the workspace already has some."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Application.id))):
        return False
    document = load_document(seeds_dir / "demo_applications.yaml")
    for entry in document.get("applications", []):
        # Days from today, so one contract always ends within the next six months.
        offset = entry.get("contract_end_in_days")
        applications.create_application(
            session,
            {
                "name": str(entry["name"]).strip(),
                "kind": str(entry.get("kind") or "other"),
                "vendor": str(entry.get("vendor") or ""),
                "owner": str(entry.get("owner") or ""),
                "department": str(entry.get("department") or ""),
                "annual_cost": entry.get("annual_cost"),
                "contract_end": None if offset is None else today + timedelta(days=int(offset)),
                "capabilities": list(entry.get("capabilities") or []),
                "notes": str(entry.get("notes") or "").strip(),
            },
        )
    session.flush()
    return True
