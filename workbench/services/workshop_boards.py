"""The boards of the workshop's guided steps: what the workspace already holds for each.

One builder per step key (services/workshop_guide.py defines the steps); each reads the
rows it shows in a few queries and returns headings with the lines under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workbench.analysis.process_links import functions_check
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
from workbench.services import approach_decision, plan
from workbench.services import departments as department_service


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


def board_for(
    session: Session, key: str, workspace: Workspace | None = None
) -> tuple[BoardGroup, ...]:
    """Return what the workspace already holds for the step with this key, grouped."""
    if key == "approach":
        return _approach(session, workspace) if workspace is not None else ()
    builder = _BOARDS.get(key)
    return builder(session) if builder else ()


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
