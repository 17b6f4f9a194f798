"""Phase 3 processes: adopt the recovery process template, edit steps, assign RACI roles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.raci import Assignment, PartyRecord, RaciReport, StepRecord, check_raci
from workbench.models import Process, ProcessStep, RaciAssignment, Stakeholder
from workbench.models.vocabulary import RACI_ROLES
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError, StaleEditError


@dataclass(frozen=True)
class ProcessTemplate:
    """A process from seeds/process_templates.yaml."""

    key: str
    name: str
    description: str
    steps: tuple[tuple[str, str], ...]


def templates(seeds_dir: Path) -> list[ProcessTemplate]:
    """Read the process templates."""
    path = seeds_dir / "process_templates.yaml"
    if not path.exists():
        return []
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        ProcessTemplate(
            entry["key"],
            entry["name"],
            entry.get("description", ""),
            tuple((step["name"], step.get("description", "")) for step in entry["steps"]),
        )
        for entry in document.get("processes", [])
    ]


def earlier_copies(session: Session, offered: list[ProcessTemplate]) -> dict[str, tuple[str, ...]]:
    """Per template key, the adopted processes whose steps no longer match the template.

    An adopted copy belongs to the team and is never changed behind its back; the page
    offering the template names these copies so the team can compare or adopt again.
    """
    wanted = {t.key: [name for name, _ in t.steps] for t in offered}
    copies = [
        p for p in session.scalars(select(Process).order_by(Process.id)) if p.template_key in wanted
    ]
    steps: dict[int, list[str]] = defaultdict(list)
    if copies:
        for step in session.scalars(
            select(ProcessStep)
            .where(ProcessStep.process_id.in_([p.id for p in copies]))
            .order_by(ProcessStep.position, ProcessStep.id)
        ):
            steps[step.process_id].append(step.name)
    found: dict[str, list[str]] = defaultdict(list)
    for process in copies:
        key = process.template_key or ""
        if steps[process.id] != wanted[key]:
            found[key].append(process.name)
    return {key: tuple(names) for key, names in found.items()}


def list_processes(session: Session) -> list[Process]:
    """Return the workspace's processes."""
    return list(session.scalars(select(Process).order_by(Process.id)))


def get_process(session: Session, process_id: int) -> Process:
    """Return a process or raise NotFoundError."""
    process = session.get(Process, process_id)
    if process is None:
        raise NotFoundError("That process no longer exists.")
    return process


def adopt_template(session: Session, template: ProcessTemplate) -> Process:
    """Create a process with the template's steps, ready to adapt."""
    process = Process(
        name=template.name, description=template.description, template_key=template.key
    )
    session.add(process)
    session.flush()
    for position, (name, description) in enumerate(template.steps, start=1):
        session.add(
            ProcessStep(
                process_id=process.id, position=position, name=name, description=description
            )
        )
    session.flush()
    return process


def create_process(session: Session, name: str, description: str) -> Process:
    """Create an empty process."""
    process = Process(name=name, description=description)
    session.add(process)
    session.flush()
    return process


def delete_process(session: Session, process_id: int) -> str:
    """Delete a process with its steps and roles."""
    process = get_process(session, process_id)
    name = process.name
    for step in steps_of(session, process_id):
        session.delete(step)
    # The steps go first: without an ORM relationship the unit of work would not order them.
    session.flush()
    session.delete(process)
    session.flush()
    return name


def steps_of(session: Session, process_id: int) -> list[ProcessStep]:
    """Return a process's steps in order."""
    return list(
        session.scalars(
            select(ProcessStep)
            .where(ProcessStep.process_id == process_id)
            .order_by(ProcessStep.position, ProcessStep.id)
        )
    )


def get_step(session: Session, process_id: int, step_id: int) -> ProcessStep:
    """Return a step of a process or raise NotFoundError."""
    step = session.get(ProcessStep, step_id)
    if step is None or step.process_id != process_id:
        raise NotFoundError("That step no longer exists.")
    return step


def add_step(session: Session, process_id: int, name: str, description: str) -> ProcessStep:
    """Append a step to a process."""
    get_process(session, process_id)
    highest = session.scalar(
        select(func.max(ProcessStep.position)).where(ProcessStep.process_id == process_id)
    )
    step = ProcessStep(
        process_id=process_id, position=(highest or 0) + 1, name=name, description=description
    )
    session.add(step)
    session.flush()
    return step


def update_step(
    session: Session,
    process_id: int,
    step_id: int,
    loaded_version: int | None,
    name: str,
    description: str,
) -> ProcessStep:
    """Rename or describe a step, refusing a stale save."""
    step = get_step(session, process_id, step_id)
    apply_versioned_edit(
        step, loaded_version, {"name": name, "description": description}, f"The step “{step.name}”"
    )
    session.flush()
    return step


def move_step(session: Session, process_id: int, step_id: int, direction: str) -> None:
    """Swap a step with its neighbour."""
    if direction not in {"up", "down"}:
        raise ServiceError("Move a step up or down.")
    steps = steps_of(session, process_id)
    step = get_step(session, process_id, step_id)
    index = steps.index(step)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]
        for position, item in enumerate(steps, start=1):
            if item.position != position:
                item.position = position
        session.flush()


def delete_step(session: Session, process_id: int, step_id: int) -> str:
    """Delete a step and its roles."""
    step = get_step(session, process_id, step_id)
    name = step.name
    session.delete(step)
    session.flush()
    return name


def assignments(session: Session, process_id: int) -> dict[tuple[int, int], RaciAssignment]:
    """Return the roles of a process keyed by (step id, stakeholder id)."""
    step_ids = [s.id for s in steps_of(session, process_id)]
    rows = session.scalars(select(RaciAssignment).where(RaciAssignment.step_id.in_(step_ids)))
    return {(row.step_id, row.stakeholder_id): row for row in rows}


def set_role(
    session: Session,
    process_id: int,
    step_id: int,
    stakeholder_id: int,
    role: str,
    loaded_version: int,
) -> RaciAssignment | None:
    """Set one RACI cell ('' clears it), refusing if it changed since the page was loaded."""
    get_step(session, process_id, step_id)
    if session.get(Stakeholder, stakeholder_id) is None:
        raise NotFoundError("That stakeholder no longer exists.")
    if role not in ("", *RACI_ROLES):
        raise ServiceError("A role is R, A, C, I or empty.")
    row = session.scalar(
        select(RaciAssignment).where(
            RaciAssignment.step_id == step_id, RaciAssignment.stakeholder_id == stakeholder_id
        )
    )
    stored_version = row.version if row else 0
    if stored_version != loaded_version:
        raise StaleEditError(
            "This RACI cell",
            {"role": row.role if row else "none"},
            {"role": role or "none"},
            stored_version,
        )
    if not role:
        if row is not None:
            session.delete(row)
        session.flush()
        return None
    if row is None:
        row = RaciAssignment(step_id=step_id, stakeholder_id=stakeholder_id, role=role)
        session.add(row)
    else:
        row.role = role
    session.flush()
    return row


def save_roles(session: Session, process_id: int, changes: list[tuple[int, int, str, int]]) -> None:
    """Apply posted RACI cells (step, stakeholder, role, version), skipping unchanged ones."""
    stored = assignments(session, process_id)
    for step_id, stakeholder_id, role, version in changes:
        current = stored.get((step_id, stakeholder_id))
        if (current.role if current else "", current.version if current else 0) != (role, version):
            set_role(session, process_id, step_id, stakeholder_id, role, version)


def raci_report(session: Session, process_id: int) -> RaciReport:
    """Check the RACI rules for a process."""
    steps = steps_of(session, process_id)
    parties = [PartyRecord(s.id, s.name) for s in session.scalars(select(Stakeholder))]
    cells = assignments(session, process_id)
    return check_raci(
        [StepRecord(s.id, s.position, s.name) for s in steps],
        parties,
        [Assignment(step_id, party_id, row.role) for (step_id, party_id), row in cells.items()],
    )


@dataclass(frozen=True)
class ProcessMatrix:
    """A process with its ordered steps, its roles by (step id, stakeholder id) and the check."""

    process: Process
    steps: tuple[ProcessStep, ...]
    cells: dict[tuple[int, int], RaciAssignment]
    report: RaciReport


def matrices(session: Session) -> list[ProcessMatrix]:
    """Every process with its RACI matrix and check, in four queries whatever the count."""
    steps: dict[int, list[ProcessStep]] = defaultdict(list)
    for step in session.scalars(
        select(ProcessStep).order_by(ProcessStep.process_id, ProcessStep.position, ProcessStep.id)
    ):
        steps[step.process_id].append(step)
    process_of = {step.id: pid for pid, rows in steps.items() for step in rows}
    cells: dict[int, dict[tuple[int, int], RaciAssignment]] = defaultdict(dict)
    for row in session.scalars(select(RaciAssignment)):
        if row.step_id in process_of:
            cells[process_of[row.step_id]][(row.step_id, row.stakeholder_id)] = row
    parties = [PartyRecord(s.id, s.name) for s in session.scalars(select(Stakeholder))]
    result = []
    for process in list_processes(session):
        ordered, held = steps.get(process.id, []), cells.get(process.id, {})
        report = check_raci(
            [StepRecord(s.id, s.position, s.name) for s in ordered],
            parties,
            [Assignment(step_id, party_id, row.role) for (step_id, party_id), row in held.items()],
        )
        result.append(ProcessMatrix(process, tuple(ordered), held, report))
    return result
