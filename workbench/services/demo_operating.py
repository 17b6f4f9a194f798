"""The demo organisation's Phase 3, filled from seeds/demo_phase3.yaml when still empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import (
    CanvasItem,
    FailureScenario,
    Initiative,
    OrgUnit,
    ProcessInitiative,
    ProcessStep,
    RaciAssignment,
    ScenarioInitiative,
    Stakeholder,
    Workspace,
)
from workbench.services import departments, processes
from workbench.services.errors import ServiceError
from workbench.services.playbook import FIELDS as SCENARIO_FIELDS
from workbench.services.tenancy import scope_session


def _units(
    session: Session, structure: str, entries: list[dict[str, Any]], current: dict[str, int]
) -> None:
    created: dict[str, OrgUnit] = {}
    for entry in entries:
        unit = OrgUnit(
            structure=structure,
            name=entry["name"],
            purpose=str(entry.get("purpose") or "").strip(),
            source_id=current.get(entry.get("continues", "")),
        )
        session.add(unit)
        created[unit.name] = unit
    session.flush()
    for entry in entries:
        if entry.get("parent"):
            created[entry["name"]].parent_id = created[entry["parent"]].id
    session.flush()
    if structure == "current":
        current.update({name: unit.id for name, unit in created.items()})


def fill_phase3(session: Session, workspace: Workspace, seeds_dir: Path) -> bool:
    """Load stakeholders, canvas items, the recovery process, structures and the playbook."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Stakeholder.id))):
        return False
    document = yaml.safe_load((seeds_dir / "demo_phase3.yaml").read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ServiceError("demo_phase3.yaml: expected a mapping at the top")
    people: dict[str, int] = {}
    for entry in document.get("stakeholders", []):
        row = Stakeholder(
            name=entry["name"],
            kind=entry.get("kind", "team"),
            interest=int(entry["interest"]),
            influence=int(entry["influence"]),
            notes=str(entry.get("notes") or ""),
        )
        session.add(row)
        session.flush()
        people[row.name] = row.id
    for kind, key in (("challenge", "challenges"), ("opportunity", "opportunities")):
        for position, entry in enumerate(document.get(key, []), start=1):
            session.add(
                CanvasItem(
                    kind=kind,
                    title=entry["title"],
                    description=str(entry.get("description") or "").strip(),
                    position=position,
                )
            )
    plan = document.get("process") or {}
    template = next(
        (t for t in processes.templates(seeds_dir) if t.key == plan.get("template")), None
    )
    if template is not None:
        process = processes.adopt_template(session, template)
        steps = {
            s.name: s.id
            for s in session.scalars(
                select(ProcessStep).where(ProcessStep.process_id == process.id)
            )
        }
        for step_name, roles in (plan.get("raci") or {}).items():
            for person, role in roles.items():
                session.add(
                    RaciAssignment(
                        step_id=steps[step_name], stakeholder_id=people[person], role=role
                    )
                )
    current: dict[str, int] = {}
    _units(session, "current", document.get("org_current", []), current)
    _units(session, "target", document.get("org_target", []), current)
    initiatives = {i.title: i.id for i in session.scalars(select(Initiative))}
    if template is not None:
        process.department = departments.resolve(session, plan.get("department"))
        for title in plan.get("initiatives") or []:
            session.add(ProcessInitiative(process_id=process.id, initiative_id=initiatives[title]))
    for entry in document.get("scenarios", []):
        values = {name: entry.get(name) for name in SCENARIO_FIELDS}
        for name in ("description", "responder", "customer_message", "prevention_note"):
            values[name] = str(values[name] or "").strip()
        values["detection_channels"] = values["detection_channels"] or []
        values["response_channels"] = values["response_channels"] or []
        values["foreseeable"] = bool(values["foreseeable"])
        scenario = FailureScenario(**values)
        session.add(scenario)
        session.flush()
        for title in entry.get("initiatives") or []:
            session.add(
                ScenarioInitiative(scenario_id=scenario.id, initiative_id=initiatives[title])
            )
    session.flush()
    return True
