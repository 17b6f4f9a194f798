"""The guided steps of a workshop, laid over the phases and checks of services/progress.py.

A guided step names the progress checks it completes, so "what is missing" is the same text
the sidebar and the phase pages use. Each step shows one small input (or none) and a board of
what the workspace already holds for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workbench.analysis.process_links import FUNCTIONS_RULE, functions_check
from workbench.analysis.progress import Check, Progress, combined, progress_of
from workbench.analysis.viability import FactorInput, assess_viability
from workbench.models import (
    CanvasItem,
    CommunicationPlan,
    Factor,
    FailureScenario,
    Goal,
    Initiative,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeStatus,
    Metric,
    Objective,
    OrgUnit,
    Polarity,
    Process,
    Stakeholder,
    Workspace,
)
from workbench.models.vocabulary import CATEGORY_LABELS
from workbench.services import approach_decision, plan, progress
from workbench.services import departments as department_service


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


@dataclass(frozen=True)
class BoardGroup:
    """A heading and the lines under it on a step's board."""

    title: str
    lines: tuple[str, ...]


def _titles(
    session: Session, column: InstrumentedAttribute[str], *where: ColumnElement[bool]
) -> tuple[str, ...]:
    query = select(column).where(*where).order_by(column)
    return tuple(session.scalars(query))


def board(
    session: Session, step: GuideStep, workspace: Workspace | None = None
) -> tuple[BoardGroup, ...]:
    """Return what the workspace already holds for a step, grouped for display."""
    if step.key == "approach":
        return _approach(session, workspace) if workspace is not None else ()
    builder = _BOARDS.get(step.key)
    return builder(session) if builder else ()


def _gather(session: Session) -> tuple[BoardGroup, ...]:
    rows = session.execute(
        select(Factor.category, Factor.polarity, Factor.title).order_by(
            Factor.category, Factor.position, Factor.id
        )
    ).all()
    groups = []
    for category, label in CATEGORY_LABELS.items():
        lines = tuple(f"{title} ({polarity.value})" for c, polarity, title in rows if c == category)
        groups.append(BoardGroup(label, lines))
    return tuple(groups)


def _viability(session: Session) -> tuple[BoardGroup, ...]:
    factors = session.execute(select(Factor.title, Factor.polarity, Factor.importance)).all()
    verdict = assess_viability(
        [FactorInput(title, polarity.value, importance) for title, polarity, importance in factors],
        None,
        [],
    )
    barriers = tuple(title for title, polarity, _i in factors if polarity == Polarity.BARRIER)
    summary = [f"Verdict from the factors alone: {verdict.verdict}"]
    summary.append(f"Support {verdict.support} against resistance {verdict.resistance}")
    summary.extend(verdict.reasons)
    return (BoardGroup("Balance", tuple(summary)), BoardGroup("Barriers", barriers))


def _objectives(session: Session) -> tuple[BoardGroup, ...]:
    return (BoardGroup("Objectives", _titles(session, Objective.title)),)


def _count_by(session: Session, column: InstrumentedAttribute[int]) -> dict[int, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {key: count for key, count in rows}


def _initiatives(session: Session) -> tuple[BoardGroup, ...]:
    served = _count_by(session, InitiativeObjective.initiative_id)
    addressed = _count_by(session, InitiativeFactor.initiative_id)
    rows = session.execute(select(Initiative.id, Initiative.title).order_by(Initiative.position))
    lines = tuple(
        f"{title} · serves {served.get(i, 0)} objective(s), "
        f"addresses {addressed.get(i, 0)} factor(s)"
        for i, title in rows
    )
    barriers = _titles(session, Factor.title, Factor.polarity == Polarity.BARRIER)
    return (BoardGroup("Initiatives", lines), BoardGroup("Barriers to address", barriers))


def _principles(session: Session) -> tuple[BoardGroup, ...]:
    tagged = _count_by(session, InitiativePrinciple.initiative_id)
    rows = session.execute(select(Initiative.id, Initiative.title).order_by(Initiative.position))
    lines = tuple(f"{title} · {tagged.get(i, 0)} principle(s)" for i, title in rows)
    return (BoardGroup("Initiatives and their principles", lines),)


def _operating(session: Session) -> tuple[BoardGroup, ...]:
    return (
        BoardGroup(
            "Challenges", _titles(session, CanvasItem.title, CanvasItem.kind == "challenge")
        ),
        BoardGroup(
            "Opportunities", _titles(session, CanvasItem.title, CanvasItem.kind == "opportunity")
        ),
        BoardGroup("Stakeholders", _titles(session, Stakeholder.name)),
        BoardGroup("Processes", _titles(session, Process.name)),
        BoardGroup("Playbook scenarios", _titles(session, FailureScenario.name)),
    )


def _organisation(session: Session) -> tuple[BoardGroup, ...]:
    return (
        BoardGroup("Today", _titles(session, OrgUnit.name, OrgUnit.structure == "current")),
        BoardGroup("Transformed", _titles(session, OrgUnit.name, OrgUnit.structure == "target")),
    )


def _approach(session: Session, workspace: Workspace) -> tuple[BoardGroup, ...]:
    balance = approach_decision.today(session)
    decision = approach_decision.decision_of(workspace, balance)
    lines = [decision.line()[:1].upper() + decision.line()[1:]]
    if decision.gap():
        lines.append(decision.gap())
    if decision.rationale:
        lines.append(f"Why: {decision.rationale}")
    return (
        BoardGroup("The decision beside today's budget", tuple(lines)),
        BoardGroup("What the roll-up reads", balance.reading),
    )


def _functions(session: Session) -> tuple[BoardGroup, ...]:
    known = department_service.names(session)
    named = department_service.involved(session)
    active = session.scalars(
        select(Initiative.department).where(Initiative.status != InitiativeStatus.DROPPED)
    )
    check = functions_check((row.key for row in named), active)
    return (
        BoardGroup("Functions named as involved", tuple(row.name for row in named)),
        BoardGroup(
            "Initiative departments still to name",
            tuple(
                sorted(
                    (department_service.display_name(known, key) for key in check.missing),
                    key=str.casefold,
                )
            ),
        ),
        BoardGroup(
            "Departments the initiatives and metrics name",
            tuple(name for _key, name in plan.departments(session, with_metrics=True)),
        ),
    )


def _metrics(session: Session) -> tuple[BoardGroup, ...]:
    rows = session.execute(select(Metric.department, Metric.name).order_by(Metric.name)).all()
    if not rows:
        # One heading with "Nothing yet" under it, like every other step's empty board.
        return (BoardGroup("Metrics chosen so far", ()),)
    known = department_service.names(session)
    shown = {d: department_service.display_name(known, d) or "No department" for d, _n in rows}
    groups = [
        BoardGroup(shown[dept], tuple(n for d, n in rows if d == dept))
        for dept in sorted(shown, key=lambda d: (d == "", shown[d].casefold()))
    ]
    return tuple(groups)


def _goals(session: Session) -> tuple[BoardGroup, ...]:
    with_goal = set(session.scalars(select(Goal.metric_id)))
    rows = session.execute(select(Metric.id, Metric.name).order_by(Metric.name)).all()
    return (
        BoardGroup("Metrics with a goal", tuple(n for i, n in rows if i in with_goal)),
        BoardGroup("Metrics still without a goal", tuple(n for i, n in rows if i not in with_goal)),
    )


def _communication(session: Session) -> tuple[BoardGroup, ...]:
    rows = session.execute(
        select(CommunicationPlan.department, CommunicationPlan.channel, CommunicationPlan.cadence)
    ).all()
    planned = {d for d, _c, _k in rows}
    known = department_service.names(session)
    lines = tuple(
        f"{department_service.display_name(known, d)}: {c or 'channel not set'}, {k}"
        for d, c, k in rows
    )
    waiting = tuple(
        name for key, name in plan.departments(session, with_metrics=True) if key not in planned
    )
    return (BoardGroup("Planned", lines), BoardGroup("Departments without a plan", waiting))


_BOARDS = {
    "gather": _gather,
    "viability": _viability,
    "objectives": _objectives,
    "initiatives": _initiatives,
    "principles": _principles,
    "operating_model": _operating,
    "organisation": _organisation,
    "functions": _functions,
    "metrics": _metrics,
    "goals": _goals,
    "communication": _communication,
}
