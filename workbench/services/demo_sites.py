"""The demo organisation's sites and their readings, from seeds/demo_sites.yaml when it has none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.cadence import add_months
from workbench.models import Measurement, Metric, Site, Workspace
from workbench.services import sites
from workbench.services.demo import load_document
from workbench.services.tenancy import scope_session


def fill_sites(session: Session, workspace: Workspace, seeds_dir: Path, months: int = 0) -> bool:
    """Load the demo's hotels and their monthly readings unless it already has sites.

    The readings move by `months`, as the organisation's do (demo.reading_shift), so the
    hotels' days stay the group's days.
    """
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Site.id))):
        return False
    document = load_document(seeds_dir / "demo_sites.yaml")
    ids = {
        entry["name"]: sites.create_site(
            session,
            {"name": entry["name"], "kind": entry["kind"], "notes": entry.get("notes") or ""},
        ).id
        for entry in document.get("sites", [])
    }
    days = [
        add_months(day if isinstance(day, date) else date.fromisoformat(str(day)), months)
        for day in document.get("dates", [])
    ]
    # Metrics by library key, or by name for the team's own.
    metrics = {m.template_key or m.name: m.id for m in session.scalars(select(Metric))}
    for key, by_site in (document.get("readings") or {}).items():
        metric_id = metrics.get(key)
        if metric_id is None:
            continue
        for name, values in by_site.items():
            for day, value in zip(days, values, strict=True):
                if value is None:  # no reading that month: the site's readings stopped
                    continue
                session.add(
                    Measurement(
                        metric_id=metric_id, measured_on=day, value=float(value), site_id=ids[name]
                    )
                )
    session.flush()
    return True
