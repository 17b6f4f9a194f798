"""The demo organisation's risk register, filled from seeds/demo_risks.yaml when still empty."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Factor, Initiative, Risk, Workspace
from workbench.services import risks
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_risks(session: Session, workspace: Workspace, seeds_dir: Path, today: date) -> bool:
    """Load the demo's risks with their barriers and mitigations unless it already has risks."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Risk.id))):
        return False
    path = seeds_dir / "demo_risks.yaml"
    document = load_document(path)
    factors = {f.title: f.id for f in session.scalars(select(Factor))}
    initiatives = {i.title: i.id for i in session.scalars(select(Initiative))}
    for entry in document.get("risks", []):
        # Days from today, so the demo always has the same reviews ahead and one overdue.
        offset = entry.get("review_in_days")
        values = {
            "title": str(entry["title"]).strip(),
            "cause": str(entry.get("cause") or "").strip(),
            "likelihood": int(entry["likelihood"]),
            "impact": int(entry["impact"]),
            "owner": str(entry.get("owner") or ""),
            "mitigation": str(entry.get("mitigation") or "").strip(),
            "review_date": None if offset is None else today + timedelta(days=int(offset)),
            "status": str(entry.get("status") or "open"),
        }
        risks.create_risk(
            session,
            values,
            {factors[title] for title in entry.get("factors") or []},
            {initiatives[title] for title in entry.get("initiatives") or []},
        )
    session.flush()
    return True
