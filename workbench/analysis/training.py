"""Service training plans: each department's sessions planned, done and overdue, and the gaps.

Pure logic: plain records in, frozen values out. A session is done once it has a date done;
otherwise it is overdue when its planned date has passed, planned when the date is today or
later, and unscheduled without a date. A playbook scenario is a gap when no session prepares
its responding team for it: a session of the department its responder names, or, when the
responder names no department, a session of any department.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TrainingRecord:
    """A training session as the rules read it; `department` is the register key."""

    id: int
    department: str
    topic: str
    planned_on: date | None
    done_on: date | None
    scenario_ids: frozenset[int] = frozenset()
    empowerment: bool = False
    head_count: int | None = None


@dataclass(frozen=True)
class ScenarioRecord:
    """A playbook scenario: who responds and the limit above which a manager approves."""

    id: int
    name: str
    responder: str
    escalation_limit: float | None = None


@dataclass(frozen=True)
class DepartmentPlan:
    """One department's plan: its sessions by state and the people the done ones reached."""

    department: str
    name: str
    sessions: int
    done: int
    overdue: int
    planned: int
    unscheduled: int
    people_trained: int  # the head counts of the done sessions that give one
    scenarios: int  # distinct playbook scenarios its sessions prepare staff for


@dataclass(frozen=True)
class Gap:
    """A scenario no session prepares its responding team for."""

    scenario_id: int
    scenario: str
    department: str | None  # the register key the responder names, if any
    department_name: str | None


@dataclass(frozen=True)
class TrainingSummary:
    """Every department's plan, the scenarios left uncovered and limits nobody teaches."""

    plans: tuple[DepartmentPlan, ...]
    gaps: tuple[Gap, ...]
    untaught_limits: tuple[str, ...]  # scenario names with a limit no covering session teaches


def state(item: TrainingRecord, today: date) -> str:
    """Where a session stands on `today`: done, overdue, planned or unscheduled."""
    if item.done_on is not None:
        return "done"
    if item.planned_on is None:
        return "unscheduled"
    return "overdue" if item.planned_on < today else "planned"


def responding_department(responder: str, departments: Mapping[str, str]) -> str | None:
    """The department key a responder's text names (its key or name as whole words), if any.

    The longest name wins, so "Guest services" beats "Services" in "Guest services desk".
    """
    text = responder.casefold()
    if not text.strip():
        return None
    candidates = sorted(
        ((key, name) for key, name in departments.items()),
        key=lambda pair: (-max(len(pair[0]), len(pair[1])), pair[0]),
    )
    for key, name in candidates:
        for wanted in (name, key):
            words = wanted.casefold().strip()
            if words and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text):
                return key
    return None


def department_plans(
    items: Iterable[TrainingRecord], departments: Mapping[str, str], today: date
) -> tuple[DepartmentPlan, ...]:
    """One plan per department that has a session, by display name."""
    grouped: dict[str, list[TrainingRecord]] = {}
    for item in items:
        grouped.setdefault(item.department, []).append(item)
    plans = []
    for key, rows in grouped.items():
        states = [state(row, today) for row in rows]
        plans.append(
            DepartmentPlan(
                department=key,
                name=departments.get(key) or key,
                sessions=len(rows),
                done=states.count("done"),
                overdue=states.count("overdue"),
                planned=states.count("planned"),
                unscheduled=states.count("unscheduled"),
                people_trained=sum(
                    row.head_count or 0 for row, s in zip(rows, states, strict=True) if s == "done"
                ),
                scenarios=len(set().union(*(row.scenario_ids for row in rows))),
            )
        )
    return tuple(sorted(plans, key=lambda p: (p.name.casefold(), p.department)))


def _covering(
    scenario: ScenarioRecord, items: Sequence[TrainingRecord], department: str | None
) -> list[TrainingRecord]:
    return [
        item
        for item in items
        if scenario.id in item.scenario_ids
        and (department is None or item.department == department)
    ]


def summarise(
    scenarios: Iterable[ScenarioRecord],
    items: Iterable[TrainingRecord],
    departments: Mapping[str, str],
    today: date,
) -> TrainingSummary:
    """The plans per department, the scenarios nobody is trained for, and untaught limits."""
    rows = list(items)
    gaps: list[Gap] = []
    untaught: list[str] = []
    for scenario in scenarios:
        key = responding_department(scenario.responder, departments)
        covering = _covering(scenario, rows, key)
        if not covering:
            gaps.append(Gap(scenario.id, scenario.name, key, departments.get(key) if key else None))
        elif scenario.escalation_limit is not None and not any(i.empowerment for i in covering):
            untaught.append(scenario.name)
    return TrainingSummary(department_plans(rows, departments, today), tuple(gaps), tuple(untaught))
