"""What decides that a step of a phase is done: the figures each check needs, and the checks.

Declared here in one place, beside nothing else, so that every process (web, worker, CLI)
sees the same sidebar whichever service modules it happens to import. A figure is a
one-value query of a workspace (a count, mostly); a check is a rule over those figures and
the workspace's own fields. A step without a check counts as not yet done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from workbench.analysis.progress import text_filled
from workbench.models import (
    AssessmentResponse,
    CommunicationPlan,
    Department,
    Factor,
    FactorCategory,
    FailureScenario,
    FrictionPoint,
    Goal,
    Initiative,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeStatus,
    Metric,
    Objective,
    OrgUnit,
    ProcessStep,
    RaciAssignment,
    Stakeholder,
    Workspace,
)
from workbench.services.instruments import READINESS_KEY

Figures = Mapping[str, int]
# A figure: the workspace's id (a bound parameter) in, a query of one number about it out.
FigureQuery = Callable[[ColumnElement[int]], Select[int]]
# A check: the figures and the workspace in, whether the step is done out.
CheckRule = Callable[[Figures, Workspace], bool]


def count_of(
    column: InstrumentedAttribute[Any], *conditions: ColumnElement[bool], distinct: bool = False
) -> FigureQuery:
    """Return a figure counting a workspace's rows of the column's table (or distinct values)."""
    model = column.class_
    counted = func.count(func.distinct(column)) if distinct else func.count(column)
    return lambda workspace_id: select(counted).where(
        model.workspace_id == workspace_id, *conditions
    )


def _unplanned_departments(workspace_id: ColumnElement[int]) -> Select[int]:
    planned = select(CommunicationPlan.department).where(
        CommunicationPlan.workspace_id == workspace_id
    )
    return select(func.count(func.distinct(Metric.department))).where(
        Metric.workspace_id == workspace_id, Metric.department.not_in(planned)
    )


def _unnamed_initiative_departments(workspace_id: ColumnElement[int]) -> Select[int]:
    """Departments running an active initiative that the room has not named as involved."""
    named = select(Department.key).where(
        Department.workspace_id == workspace_id, Department.involved.is_(True)
    )
    return select(func.count(func.distinct(Initiative.department))).where(
        Initiative.workspace_id == workspace_id,
        Initiative.department != "",
        Initiative.status != InitiativeStatus.DROPPED,
        Initiative.department.not_in(named),
    )


def _unsound_steps(workspace_id: ColumnElement[int]) -> Select[int]:
    """Steps breaking the RACI rules that make a matrix unsound (analysis/raci.py, rules 1-2):
    not exactly one party Accountable, or no one Responsible."""
    role = func.upper(func.trim(RaciAssignment.role))

    def holders(letter: str) -> ColumnElement[int]:
        return (
            select(func.count(RaciAssignment.id))
            .where(RaciAssignment.step_id == ProcessStep.id, role == letter)
            .scalar_subquery()
        )

    return select(func.count(ProcessStep.id)).where(
        ProcessStep.workspace_id == workspace_id, or_(holders("A") != 1, holders("R") == 0)
    )


def _factors(category: FactorCategory) -> FigureQuery:
    return count_of(Factor.id, Factor.category == category)


FIGURES: dict[str, FigureQuery] = {
    # Phase 1: organisational assessment
    "factors_business_need": _factors(FactorCategory.BUSINESS_NEED),
    "factors_organisational_driver": _factors(FactorCategory.ORGANISATIONAL_DRIVER),
    "factors_technology_driver": _factors(FactorCategory.TECHNOLOGY_DRIVER),
    "factors_environmental_factor": _factors(FactorCategory.ENVIRONMENTAL_FACTOR),
    "readiness_answers": count_of(
        AssessmentResponse.id, AssessmentResponse.instrument_key == READINESS_KEY
    ),
    "journey_stages_marked": count_of(FrictionPoint.stage_key, distinct=True),
    # Phase 2: initiatives aligned with objectives
    "objectives": count_of(Objective.id),
    "initiatives": count_of(Initiative.id),
    "initiatives_linked": count_of(InitiativeObjective.initiative_id, distinct=True),
    "principle_tags": count_of(InitiativePrinciple.id),
    # Phase 3: operating model
    "stakeholders": count_of(Stakeholder.id),
    "raci_assignments": count_of(RaciAssignment.id),
    "unsound_raci_steps": _unsound_steps,
    "target_units": count_of(OrgUnit.id, OrgUnit.structure == "target"),
    "failure_scenarios": count_of(FailureScenario.id),
    # Phase 4: metrics and goals
    "functions_named": count_of(Department.id, Department.involved.is_(True)),
    "unnamed_initiative_departments": _unnamed_initiative_departments,
    "metrics": count_of(Metric.id),
    "metric_departments": count_of(Metric.department, distinct=True),
    "goals": count_of(Goal.id),
    "unplanned_departments": _unplanned_departments,
}

CHECKS: dict[tuple[str, str], CheckRule] = {
    ("assessment", "current_state"): lambda _f, w: text_filled(w.current_state),
    ("assessment", "business_needs"): lambda f, _w: f["factors_business_need"] > 0,
    ("assessment", "organisational_drivers"): (
        lambda f, _w: f["factors_organisational_driver"] > 0
    ),
    ("assessment", "technology_drivers"): lambda f, _w: f["factors_technology_driver"] > 0,
    ("assessment", "environmental_factors"): lambda f, _w: f["factors_environmental_factor"] > 0,
    ("assessment", "readiness"): lambda f, _w: f["readiness_answers"] > 0,
    ("assessment", "journey"): lambda f, _w: f["journey_stages_marked"] >= 3,
    ("alignment", "corporate_goals"): lambda _f, w: text_filled(w.corporate_goals),
    ("alignment", "objectives"): lambda f, _w: f["objectives"] > 0,
    ("alignment", "initiatives"): lambda f, _w: f["initiatives"] > 0,
    ("alignment", "initiative_links"): (
        lambda f, _w: 0 < f["initiatives"] == f["initiatives_linked"]
    ),
    ("alignment", "principles"): lambda f, _w: f["principle_tags"] > 0,
    ("alignment", "approach_decision"): lambda _f, w: w.approach_prevent_target is not None,
    ("operating_model", "future_state"): lambda _f, w: text_filled(w.future_state),
    ("operating_model", "stakeholders"): lambda f, _w: f["stakeholders"] > 0,
    # Done means the RACI check passes, not merely that someone was given a role.
    ("operating_model", "processes"): (
        lambda f, _w: f["raci_assignments"] > 0 and f["unsound_raci_steps"] == 0
    ),
    ("operating_model", "target_organisation"): lambda f, _w: f["target_units"] > 0,
    ("operating_model", "playbook"): lambda f, _w: f["failure_scenarios"] > 0,
    # The rule of analysis.process_links.functions_check, counted in the one statement.
    ("metrics", "functions"): (
        lambda f, _w: f["functions_named"] > 0 and f["unnamed_initiative_departments"] == 0
    ),
    ("metrics", "metrics"): lambda f, _w: f["metric_departments"] >= 2,
    ("metrics", "goals"): lambda f, _w: 0 < f["metrics"] <= f["goals"],
    ("metrics", "communication"): (
        lambda f, _w: f["metric_departments"] > 0 and f["unplanned_departments"] == 0
    ),
}
