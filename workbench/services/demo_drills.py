"""The demo organisation's recovery drills, filled from seeds/demo_drills.yaml when still empty."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Drill, FailureScenario, Workspace
from workbench.services import drills
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_drills(session: Session, workspace: Workspace, seeds_dir: Path, today: date) -> bool:
    """Load the demo's drills of its playbook scenarios unless it already has drills."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Drill.id))):
        return False
    document = load_document(seeds_dir / "demo_drills.yaml")
    scenarios = {s.name: s.id for s in session.scalars(select(FailureScenario))}
    for entry in document.get("drills", []):
        scenario_id = scenarios.get(str(entry["scenario"]))
        if scenario_id is None:
            # A playbook the team has rewritten keeps its own names; its drills are its own.
            continue
        values = {
            **{name: entry.get(name) for name in drills.RESULT_FIELDS},
            "scenario_id": scenario_id,
            # Days before today, so the demo's drills are always recent.
            "planned_on": today - timedelta(days=int(entry["held_days_ago"])),
            "site": entry.get("site"),
            "customer_role": entry.get("customer_role"),
            "facilitator": entry.get("facilitator"),
            "status": "done",
        }
        drills.create_drill(session, values, today)
    session.flush()
    return True
