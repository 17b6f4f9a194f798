"""Read a workspace into the plain records the XML formats take (a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange.records import (
    ContributionLink,
    ExchangeData,
    FactorRecord,
    InitiativeRecord,
    MeasurementRecord,
    MetricRecord,
    ObjectiveRecord,
    PrincipleRecord,
    ProcessRecord,
    RaciRecord,
    StakeholderRecord,
    WorkspaceRecord,
)
from workbench.models import Goal, Measurement, ProcessStep, RaciAssignment, Workspace
from workbench.services import (
    alignment,
    departments,
    factors,
    initiatives,
    matrix,
    metrics,
    objectives,
    operating,
    processes,
)

RACI_ORDER = "RACI"


def _money(value: Decimal | None) -> str | None:
    return format(value, "f") if value is not None else None


def _workspace(workspace: Workspace) -> WorkspaceRecord:
    return WorkspaceRecord(
        id=workspace.id,
        name=workspace.name,
        industry=workspace.industry or "",
        purpose=workspace.purpose or "",
        vision=workspace.vision or "",
        mission=workspace.mission or "",
        values=workspace.values or "",
    )


def _metrics(session: Session, names: dict[str, str]) -> list[MetricRecord]:
    goals = {goal.metric_id: goal for goal in session.scalars(select(Goal))}
    readings: dict[int, list[MeasurementRecord]] = defaultdict(list)
    for row in session.scalars(
        # The XML formats speak of the organisation: its own readings, not its sites'.
        select(Measurement)
        .where(Measurement.site_id.is_(None))
        .order_by(Measurement.metric_id, Measurement.measured_on)
    ):
        readings[row.metric_id].append(MeasurementRecord(row.measured_on, row.value, row.note))
    records = []
    for metric in sorted(metrics.list_metrics(session), key=lambda m: (m.position, m.id)):
        goal = goals.get(metric.id)
        records.append(
            MetricRecord(
                id=metric.id,
                name=metric.name,
                definition=metric.definition or "",
                unit=metric.unit or "",
                direction=metric.direction.value,
                department=departments.display_name(names, metric.department),
                owner=metric.owner or "",
                baseline=goal.baseline if goal else None,
                baseline_date=goal.baseline_date if goal else None,
                target=goal.target if goal else None,
                target_date=goal.target_date if goal else None,
                rationale=goal.rationale if goal else "",
                measurements=tuple(readings.get(metric.id, ())),
            )
        )
    return records


def _processes(session: Session) -> tuple[list[ProcessRecord], list[RaciRecord]]:
    steps: dict[int, list[str]] = defaultdict(list)
    for step in session.scalars(
        select(ProcessStep).order_by(ProcessStep.process_id, ProcessStep.position, ProcessStep.id)
    ):
        steps[step.process_id].append(step.name)
    records = [
        ProcessRecord(p.id, p.name, p.description or "", tuple(steps.get(p.id, ())))
        for p in sorted(processes.list_processes(session), key=lambda p: p.id)
    ]
    roles: dict[tuple[int, int], set[str]] = defaultdict(set)
    for process_id, stakeholder_id, role in session.execute(
        select(ProcessStep.process_id, RaciAssignment.stakeholder_id, RaciAssignment.role).join(
            ProcessStep, ProcessStep.id == RaciAssignment.step_id
        )
    ):
        roles[(process_id, stakeholder_id)].add(role)
    raci = [
        RaciRecord(process_id, stakeholder_id, tuple(r for r in RACI_ORDER if r in held))
        for (process_id, stakeholder_id), held in sorted(roles.items())
    ]
    return records, raci


def gather(session: Session, workspace: Workspace) -> ExchangeData:
    """Read the workspace the session is scoped to into exchange records."""
    links = alignment.gather(session)
    process_records, raci = _processes(session)
    # The XML formats name departments as people read them.
    names = departments.names(session)
    return ExchangeData(
        workspace=_workspace(workspace),
        objectives=[
            ObjectiveRecord(
                id=o.id,
                title=o.title,
                description=o.description or "",
                perspective=o.perspective.value,
                parent_id=o.parent_id,
                owner=o.owner or "",
                due_date=o.due_date,
            )
            for o in objectives.list_objectives(session)
        ],
        initiatives=[
            InitiativeRecord(
                id=i.id,
                title=i.title,
                description=i.description or "",
                owner=i.owner or "",
                department=departments.display_name(names, i.department),
                status=i.status.value,
                priority=i.priority.value,
                approach=i.approach.value if i.approach else None,
                budget=_money(i.budget),
                spend=_money(i.spend),
                start_date=i.start_date,
                end_date=i.end_date,
            )
            for i in initiatives.list_initiatives(session)
        ],
        factors=[
            FactorRecord(
                id=f.id,
                title=f.title,
                category=f.category.value,
                polarity=f.polarity.value,
                importance=f.importance,
                description=f.description or "",
            )
            for f in factors.list_factors(session)
        ],
        principles=[
            PrincipleRecord(p.id, p.key, p.name, p.description or "")
            for p in matrix.principles(session)
        ],
        stakeholders=[
            StakeholderRecord(s.id, s.name, s.kind, s.interest, s.influence, s.notes or "")
            for s in sorted(operating.list_stakeholders(session), key=lambda s: s.id)
        ],
        processes=process_records,
        raci=raci,
        metrics=_metrics(session, names),
        contributions=sorted(
            (
                ContributionLink(link.initiative_id, link.objective_id, link.contribution)
                for link in links.objective_links
            ),
            key=lambda link: (link.initiative_id, link.objective_id),
        ),
        principle_links=sorted((p.initiative_id, p.principle_id) for p in links.principle_links),
        factor_links=sorted((f.initiative_id, f.factor_id) for f in links.factor_links),
        dependencies=sorted((d.initiative_id, d.depends_on_id) for d in links.dependencies),
        metric_links=sorted((m.metric_id, m.objective_id) for m in links.metric_links),
    )
