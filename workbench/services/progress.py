"""The four phases of the blueprint, what each needs, and how much of it a workspace has.

Each step names a check, declared with the figures it needs in `progress_checks`. Every
figure is fetched in one statement, so the sidebar on every page costs one query however
many steps there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from workbench.analysis.progress import Check, Progress, combined, progress_of
from workbench.models import Workspace
from workbench.services.progress_checks import CHECKS, FIGURES


@dataclass(frozen=True)
class Step:
    """One step of a phase."""

    key: str
    label: str


@dataclass(frozen=True)
class Phase:
    """A phase of the blueprint."""

    key: str
    number: int
    title: str
    question: str
    summary: str
    steps: tuple[Step, ...]
    # The pages where the phase is worked on: (label, endpoint taking workspace_id).
    pages: tuple[tuple[str, str], ...] = ()


PHASES: tuple[Phase, ...] = (
    Phase(
        "assessment",
        1,
        "Organisational assessment",
        "Is a service recovery strategy viable here?",
        "Gather business needs, organisational and technology drivers and environmental "
        "factors; class each as a driver, an enabler or a barrier; check readiness; mark "
        "where the customer journey rubs; then decide whether the strategy can succeed.",
        (
            Step("current_state", "The current state is described"),
            Step("business_needs", "Business needs recorded"),
            Step("organisational_drivers", "Organisational drivers recorded"),
            Step("technology_drivers", "Technology drivers recorded"),
            Step("environmental_factors", "Environmental factors recorded"),
            Step("readiness", "Readiness assessment answered"),
            Step("journey", "Friction points marked on three or more journey stages"),
        ),
        (
            ("Overview and verdict", "assessment.overview"),
            ("Factors", "assessment.factors"),
            ("Questionnaires", "questionnaires.index"),
            ("Journey", "journey.index"),
        ),
    ),
    Phase(
        "alignment",
        2,
        "Initiatives aligned with objectives",
        "Does every initiative serve the corporate strategy?",
        "Draw objectives from the corporate goals, write initiatives that remove barriers, "
        "meet needs or use enablers, link each to the objectives it serves, and tag the "
        "Total Quality Management principles it applies.",
        (
            Step("corporate_goals", "Corporate goals are stated"),
            Step("objectives", "Corporate objectives written"),
            Step("initiatives", "Initiatives written"),
            Step("initiative_links", "Every initiative linked to an objective"),
            Step("principles", "TQM principles tagged"),
            Step("approach_decision", "Balance of prevent and recover decided"),
        ),
        (
            ("Gaps and score", "alignment.overview"),
            ("Objectives", "alignment.objectives"),
            ("Initiatives", "alignment.initiatives"),
            ("Objectives matrix", "alignment.matrix"),
            ("Principles matrix", "alignment.principles"),
            ("Graph", "alignment.graph"),
            ("Roadmap", "alignment.roadmap"),
            ("Risks", "alignment.risks"),
        ),
    ),
    Phase(
        "operating_model",
        3,
        "Operating model",
        "How will the organisation work once the strategy is in place?",
        "Picture needs, drivers, challenges, opportunities, processes and stakeholders; "
        "design the transformed organisation; and write the failure-scenario playbook the "
        "front line will follow.",
        (
            Step("future_state", "The future state is described"),
            Step("stakeholders", "Stakeholders mapped"),
            Step("processes", "Recovery process defined with responsibilities"),
            Step("target_organisation", "Target organisation drawn"),
            Step("playbook", "Failure scenarios in the playbook"),
        ),
        (
            ("Canvas", "operating.canvas"),
            ("Stakeholders", "operating.stakeholders"),
            ("Departments", "operating.departments"),
            ("Processes and RACI", "processes.index"),
            ("Organisation", "operating.organisation"),
            ("Playbook", "operating.playbook"),
            ("Applications", "operating.applications"),
            ("Success stories", "operating.stories"),
            ("Training", "operating.training"),
            ("Drills", "operating.drills"),
        ),
    ),
    Phase(
        "metrics",
        4,
        "Metrics and goals",
        "How will each department know the strategy is working?",
        "Choose business metrics for each department that evidence the objectives, set a "
        "goal for each with a baseline, target and date, and plan how every department "
        "hears about its metrics.",
        (
            Step("functions", "Functions involved named, with every initiative's department"),
            Step("metrics", "Metrics chosen for two or more departments"),
            Step("goals", "A goal set for every metric"),
            Step("communication", "Communication plan for each department"),
        ),
        (
            ("Scorecard", "metrics.index"),
            ("Metric library", "metrics.library"),
            ("Sites", "metrics.sites"),
            ("Communication plans", "metrics.communication"),
            ("Recovery economics", "metrics.economics"),
        ),
    ),
)


def phase_by_key(key: str) -> Phase | None:
    """Return the phase with this key, if any."""
    return next((phase for phase in PHASES if phase.key == key), None)


@lru_cache(maxsize=1)
def _figures_statement() -> Select[Any]:
    # One statement with the workspace as a parameter, so it is built and compiled once.
    workspace_id = bindparam("figures_workspace_id", type_=Integer)
    columns = [
        FIGURES[name](workspace_id).scalar_subquery().label(name) for name in sorted(FIGURES)
    ]
    return select(*columns)


def figures(session: Session, workspace_id: int) -> dict[str, int]:
    """Fetch every registered figure of a workspace in one statement."""
    if not FIGURES:
        return {}
    row = session.execute(_figures_statement(), {"figures_workspace_id": workspace_id}).one()
    return {name: int(value or 0) for name, value in zip(sorted(FIGURES), row, strict=True)}


def all_checks(session: Session, workspace: Workspace) -> dict[str, list[Check]]:
    """Evaluate the checks of every phase for a workspace, keyed by phase key."""
    values = figures(session, workspace.id)
    result = {}
    for phase in PHASES:
        checks = []
        for step in phase.steps:
            rule = CHECKS.get((phase.key, step.key))
            checks.append(Check(step.key, step.label, bool(rule and rule(values, workspace))))
        result[phase.key] = checks
    return result


def phase_checks(session: Session, workspace: Workspace, phase: Phase) -> list[Check]:
    """Evaluate the checks of one phase for a workspace."""
    return all_checks(session, workspace)[phase.key]


def phase_progress(session: Session, workspace: Workspace) -> dict[str, Progress]:
    """Return the progress of every phase, keyed by phase key, plus 'overall'."""
    checks = all_checks(session, workspace)
    result = {phase.key: progress_of(checks[phase.key]) for phase in PHASES}
    result["overall"] = combined(list(result.values()))
    return result
