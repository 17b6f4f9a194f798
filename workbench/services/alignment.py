"""Phase 2 analysis inputs: the workspace read into plain records with a fixed number of queries."""

from __future__ import annotations

from typing import SupportsFloat

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.alignment_records import (
    AlignmentInput,
    Dependency,
    FactorLink,
    FactorRecord,
    GoalRecord,
    InitiativeRecord,
    MetricLink,
    MetricRecord,
    MilestoneRecord,
    ObjectiveLink,
    ObjectiveRecord,
    PrincipleLink,
    PrincipleRecord,
)
from workbench.analysis.roadmap import check_new_dependency
from workbench.models import (
    Factor,
    Goal,
    Initiative,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Metric,
    MetricObjective,
    Milestone,
    Objective,
    TqmPrinciple,
)
from workbench.services import departments as department_service
from workbench.services.errors import ServiceError
from workbench.services.tenancy import system_access


def _money(value: SupportsFloat | None) -> float | None:
    return float(value) if value is not None else None


def gather(session: Session) -> AlignmentInput:
    """Read the workspace's Phase 1 and 2 data into analysis records (one query per table)."""
    with system_access(session):
        principles = [
            PrincipleRecord(row.id, row.key, row.name, row.position)
            for row in session.execute(
                select(
                    TqmPrinciple.id, TqmPrinciple.key, TqmPrinciple.name, TqmPrinciple.position
                ).order_by(TqmPrinciple.position)
            )
        ]
    factors = [
        FactorRecord(row.id, row.title, row.category.value, row.polarity.value, row.importance)
        for row in session.execute(
            select(
                Factor.id, Factor.title, Factor.category, Factor.polarity, Factor.importance
            ).order_by(Factor.id)
        )
    ]
    objectives = [
        ObjectiveRecord(
            row.id, row.title, row.perspective.value, row.parent_id, row.owner, row.due_date
        )
        for row in session.execute(
            select(
                Objective.id,
                Objective.title,
                Objective.perspective,
                Objective.parent_id,
                Objective.owner,
                Objective.due_date,
            ).order_by(Objective.position, Objective.id)
        )
    ]
    initiatives = [
        InitiativeRecord(
            row.id,
            row.title,
            row.department,
            row.status.value,
            _money(row.budget),
            _money(row.spend),
            row.approach.value if row.approach else None,
            row.start_date,
            row.end_date,
            row.owner,
            row.percent_complete,
            row.baseline_start,
            row.baseline_end,
        )
        for row in session.execute(
            select(
                Initiative.id,
                Initiative.title,
                Initiative.department,
                Initiative.status,
                Initiative.budget,
                Initiative.spend,
                Initiative.approach,
                Initiative.start_date,
                Initiative.end_date,
                Initiative.owner,
                Initiative.percent_complete,
                Initiative.baseline_start,
                Initiative.baseline_end,
            ).order_by(Initiative.position, Initiative.id)
        )
    ]
    objective_links = [
        ObjectiveLink(row.initiative_id, row.objective_id, row.contribution.value)
        for row in session.execute(
            select(
                InitiativeObjective.initiative_id,
                InitiativeObjective.objective_id,
                InitiativeObjective.contribution,
            )
        )
    ]
    principle_links = [
        PrincipleLink(row.initiative_id, row.principle_id)
        for row in session.execute(
            select(InitiativePrinciple.initiative_id, InitiativePrinciple.principle_id)
        )
    ]
    factor_links = [
        FactorLink(row.initiative_id, row.factor_id)
        for row in session.execute(
            select(InitiativeFactor.initiative_id, InitiativeFactor.factor_id)
        )
    ]
    dependencies = [
        Dependency(row.initiative_id, row.depends_on_id)
        for row in session.execute(
            select(InitiativeDependency.initiative_id, InitiativeDependency.depends_on_id)
        )
    ]
    metrics = [
        MetricRecord(row.id, row.name, row.department)
        for row in session.execute(
            select(Metric.id, Metric.name, Metric.department).order_by(Metric.id)
        )
    ]
    goals = [
        GoalRecord(row.id, row.metric_id, "Goal")
        for row in session.execute(select(Goal.id, Goal.metric_id).order_by(Goal.id))
    ]
    metric_links = [
        MetricLink(row.metric_id, row.objective_id)
        for row in session.execute(select(MetricObjective.metric_id, MetricObjective.objective_id))
    ]
    milestones = [
        MilestoneRecord(row.id, row.initiative_id, row.title, row.due_date, row.done_date)
        for row in session.execute(
            select(
                Milestone.id,
                Milestone.initiative_id,
                Milestone.title,
                Milestone.due_date,
                Milestone.done_date,
            ).order_by(Milestone.initiative_id, Milestone.position, Milestone.id)
        )
    ]
    return AlignmentInput(
        factors=factors,
        objectives=objectives,
        initiatives=initiatives,
        principles=principles,
        objective_links=objective_links,
        principle_links=principle_links,
        factor_links=factor_links,
        dependencies=dependencies,
        metrics=metrics,
        goals=goals,
        metric_links=metric_links,
        milestones=milestones,
        department_names=department_service.names(session),
    )


def refuse_cycle(session: Session, initiative_id: int, depends_on_id: int) -> None:
    """Raise a ServiceError naming the loop if the new dependency would close one."""
    problem = check_new_dependency(gather(session), initiative_id, depends_on_id)
    if problem is not None:
        raise ServiceError(problem.message, "depends_on")
