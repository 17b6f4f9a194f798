"""The guided steps of a workshop, laid over the phases and checks of services/progress.py.

A guided step names the progress checks it completes, so "what is missing" is the same text
the sidebar and the phase pages use. Each step shows one small input (or none) and a board of
what the workspace already holds for it (built in services/workshop_boards.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.analysis.process_links import FUNCTIONS_RULE
from workbench.analysis.progress import Check, Progress, combined, progress_of
from workbench.models import Workspace
from workbench.services import progress
from workbench.services.workshop_boards import BoardGroup, board_for


@dataclass(frozen=True)
class GuideStep:
    """One step the facilitator leads the room through."""

    key: str
    phase_key: str
    title: str
    purpose: str
    checks: tuple[str, ...]  # keys of the phase's progress steps this step completes
    input_kind: str | None  # which small form the step shows, if any
    page: str  # the full page of the workbench where the step is worked on in depth
    rule: str = ""  # when the step counts as complete, said on the page where no check says it


GUIDE: tuple[GuideStep, ...] = (
    GuideStep(
        "gather",
        "assessment",
        "Gather what pushes and what holds back",
        "Everyone names business needs, drivers and outside factors at once. Say for each "
        "whether it drives the strategy, enables it or stands in its way.",
        (
            "current_state",
            "business_needs",
            "organisational_drivers",
            "technology_drivers",
            "environmental_factors",
        ),
        "factor",
        "assessment.factors",
    ),
    GuideStep(
        "viability",
        "assessment",
        "Decide whether the strategy is viable",
        "Weigh the drivers and enablers against the barriers and the readiness answers. "
        "Agree as a room whether to go ahead, and on what conditions.",
        ("readiness", "journey"),
        None,
        "assessment.overview",
    ),
    GuideStep(
        "objectives",
        "alignment",
        "Restate the corporate objectives",
        "Turn the corporate goals into objectives the initiatives can be measured against. "
        "Short, concrete titles work best.",
        ("corporate_goals", "objectives"),
        "objective",
        "alignment.objectives",
    ),
    GuideStep(
        "initiatives",
        "alignment",
        "Shape initiatives from the assessment",
        "Propose initiatives that remove a barrier, meet a need or use an enabler found in "
        "Phase 1. Each should serve at least one objective.",
        ("initiatives", "initiative_links"),
        "initiative",
        "alignment.initiatives",
    ),
    GuideStep(
        "principles",
        "alignment",
        "Tag the quality principles",
        "Mark which Total Quality Management principles each initiative applies, so gaps in "
        "the approach show up early.",
        ("principles",),
        None,
        "alignment.principles",
    ),
    GuideStep(
        "approach",
        "alignment",
        "Decide the balance of prevent and recover",
        "Look at how today's budget splits between preventing failures and recovering from "
        "them, then agree the share the room wants on prevention and say why.",
        ("approach_decision",),
        "decision",
        "alignment.approach_decision",
        "This step is complete once a share of the budget for prevention is recorded.",
    ),
    GuideStep(
        "operating_model",
        "operating_model",
        "Build the operating model",
        "List the challenges and opportunities of running service recovery here; the "
        "stakeholders, processes and playbook complete the picture.",
        ("future_state", "stakeholders", "processes", "playbook"),
        "canvas",
        "operating.canvas",
    ),
    GuideStep(
        "organisation",
        "operating_model",
        "Design the transformed organisation",
        "Name the teams the new way of working needs, such as a recovery desk or a quality "
        "team that calls dissatisfied customers back.",
        ("target_organisation",),
        "unit",
        "operating.organisation",
    ),
    GuideStep(
        "functions",
        "metrics",
        "Recap the functions involved",
        "Look back at the departments the initiatives rely on and name every function the "
        "strategy involves. Each of them will need its own measures and its own briefing.",
        ("functions",),
        "function",
        "operating.departments",
        FUNCTIONS_RULE,
    ),
    GuideStep(
        "metrics",
        "metrics",
        "Pick metrics for each function",
        "Choose for every department the measures that show whether the objectives are met, "
        "from the library or your own.",
        ("metrics",),
        None,
        "metrics.library",
    ),
    GuideStep(
        "goals",
        "metrics",
        "Set a goal for each metric",
        "Give each metric a baseline, a target and a date, so progress can be judged rather "
        "than guessed.",
        ("goals",),
        None,
        "metrics.index",
    ),
    GuideStep(
        "communication",
        "metrics",
        "Plan how each department hears about it",
        "Decide who tells each department about its metrics and goals, through which channel "
        "and how often.",
        ("communication",),
        None,
        "metrics.communication",
    ),
)

_PHASE_STEP_KEYS = {phase.key: {step.key for step in phase.steps} for phase in progress.PHASES}
for _step in GUIDE:
    # A typo here would make a step report nothing as missing; fail at import instead.
    assert set(_step.checks) <= _PHASE_STEP_KEYS[_step.phase_key], _step.key


def step_at(index: int) -> GuideStep:
    """Return the guided step at an index, clamped to the guide."""
    return GUIDE[min(max(index, 0), len(GUIDE) - 1)]


@dataclass(frozen=True)
class PhaseBar:
    """A phase's progress as a bar in the room and on the projector."""

    number: int
    title: str
    percent: int
    status: str
    current: bool


@dataclass(frozen=True)
class StepState:
    """What the room shows about the current step: its checks, its phase and the whole."""

    index: int
    count: int
    step: GuideStep
    phase_number: int
    phase_title: str
    step_checks: tuple[Check, ...]
    missing: tuple[str, ...]
    phases: tuple[PhaseBar, ...]
    overall: Progress


def step_state(session: Session, workspace: Workspace, index: int) -> StepState:
    """Evaluate the progress checks once and describe the step the room is on."""
    step = step_at(index)
    bars = []
    results: list[Progress] = []
    step_checks: list[Check] = []
    every_check = progress.all_checks(session, workspace)
    for phase in progress.PHASES:
        checks = every_check[phase.key]
        result = progress_of(checks)
        results.append(result)
        bars.append(
            PhaseBar(
                phase.number,
                phase.title,
                result.percent,
                result.status,
                phase.key == step.phase_key,
            )
        )
        if phase.key == step.phase_key:
            step_checks = [check for check in checks if check.key in step.checks]
    current = progress.phase_by_key(step.phase_key)
    assert current is not None
    return StepState(
        index=GUIDE.index(step),
        count=len(GUIDE),
        step=step,
        phase_number=current.number,
        phase_title=current.title,
        step_checks=tuple(step_checks),
        missing=tuple(check.label for check in step_checks if not check.done),
        phases=tuple(bars),
        overall=combined(results),
    )


def board(
    session: Session, step: GuideStep, workspace: Workspace | None = None
) -> tuple[BoardGroup, ...]:
    """Return what the workspace already holds for a step, grouped for display."""
    return board_for(session, step.key, workspace)
