"""Recovery drills as people read them: each drill with its verdict, each scenario's trend,
and the gaps (scenarios never drilled, last drills missed, drills overdue), for the drills
page, a scenario's page and the storyboard (the rows and their edits are in
services/drills.py; the rules in workbench.analysis.drills)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import drills as rules
from workbench.models import Drill, DrillStatus, FailureScenario
from workbench.services.drills import STATUS_LABELS, list_drills
from workbench.services.playbook import list_scenarios


@dataclass(frozen=True)
class DrillLine:
    """A drill as the drills page and a scenario's page list it."""

    id: int
    scenario_id: int
    scenario: str
    planned_on: date
    site: str
    customer_role: str
    facilitator: str
    status: str
    status_label: str
    outcome: str  # met, missed or not_run
    reasons: tuple[str, ...]
    target_minutes: int
    target_is_default: bool
    detected: bool
    detected_by: str
    detection_minutes: int | None
    contact_minutes: int | None
    escalated: bool
    escalated_to: str
    compensation: str  # the amount with its currency, "" when none was given
    lessons: str
    overdue: bool


@dataclass(frozen=True)
class ScenarioDrills:
    """A playbook scenario's drilling record: its target, trend and what comes next."""

    scenario_id: int
    name: str
    target_minutes: int
    target_is_default: bool
    held: int
    last_outcome: str  # met, missed, or "" when never drilled
    trend: rules.ScenarioTrend
    next_planned: date | None


@dataclass(frozen=True)
class DrillBoard:
    """Every drill by date, every scenario's record and the gaps, as of a day."""

    lines: tuple[DrillLine, ...]
    scenarios: tuple[ScenarioDrills, ...]
    never_drilled: tuple[ScenarioDrills, ...]
    last_missed: tuple[ScenarioDrills, ...]
    overdue: tuple[DrillLine, ...]
    counts: dict[str, int]  # met, missed, planned, cancelled


def targets_of(scenario: FailureScenario) -> rules.ScenarioTargets:
    """A scenario's targets as the rules read them."""
    return rules.ScenarioTargets(
        scenario.id,
        scenario.name,
        scenario.target_response_minutes,
        scenario.escalation_limit,
        scenario.currency,
    )


def record_of(row: Drill) -> rules.DrillRecord:
    """A stored drill as the rules read it."""
    return rules.DrillRecord(
        row.id,
        row.scenario_id,
        row.planned_on,
        row.status.value,
        row.detected,
        row.detection_minutes,
        row.contact_minutes,
        row.escalated,
        float(row.compensation_amount) if row.compensation_amount is not None else None,
    )


def _amount(row: Drill, currency: str | None) -> str:
    if row.compensation_amount is None:
        return ""
    shown = f"{row.compensation_amount:,.2f}".removesuffix(".00")
    return f"{currency} {shown}" if currency else shown


def drill_line(row: Drill, scenario: FailureScenario, today: date) -> DrillLine:
    """A drill with its verdict against its scenario's targets."""
    verdict = rules.verdict(record_of(row), targets_of(scenario))
    return DrillLine(
        id=row.id,
        scenario_id=scenario.id,
        scenario=scenario.name,
        planned_on=row.planned_on,
        site=row.site,
        customer_role=row.customer_role,
        facilitator=row.facilitator,
        status=row.status.value,
        status_label=STATUS_LABELS[row.status.value],
        outcome=verdict.outcome,
        reasons=verdict.reasons,
        target_minutes=verdict.target_minutes,
        target_is_default=verdict.target_is_default,
        detected=row.detected,
        detected_by=row.detected_by,
        detection_minutes=row.detection_minutes,
        contact_minutes=row.contact_minutes,
        escalated=row.escalated,
        escalated_to=row.escalated_to,
        compensation=_amount(row, scenario.currency),
        lessons=row.lessons,
        overdue=row.status is DrillStatus.PLANNED and row.planned_on < today,
    )


def _record(
    scenario: FailureScenario, lines: Sequence[DrillLine], drills: Sequence[Drill], today: date
) -> ScenarioDrills:
    targets = targets_of(scenario)
    bar, is_default = rules.target_minutes(targets)
    held = [line for line in lines if line.status == DrillStatus.DONE.value]
    upcoming = [
        line.planned_on
        for line in lines
        if line.status == DrillStatus.PLANNED.value and line.planned_on >= today
    ]
    return ScenarioDrills(
        scenario_id=scenario.id,
        name=scenario.name,
        target_minutes=bar,
        target_is_default=is_default,
        held=len(held),
        last_outcome=held[-1].outcome if held else "",
        trend=rules.trend(targets, [record_of(d) for d in drills]),
        next_planned=min(upcoming) if upcoming else None,
    )


def board(
    session: Session, today: date, scenarios: Sequence[FailureScenario] | None = None
) -> DrillBoard:
    """Every drill with its verdict, every scenario's record and the gaps (two queries, or
    one when the caller has read the playbook already)."""
    scenarios = list_scenarios(session) if scenarios is None else list(scenarios)
    by_id = {s.id: s for s in scenarios}
    rows = [row for row in list_drills(session) if row.scenario_id in by_id]
    lines = tuple(drill_line(row, by_id[row.scenario_id], today) for row in rows)
    records = tuple(
        _record(
            s,
            [line for line in lines if line.scenario_id == s.id],
            [row for row in rows if row.scenario_id == s.id],
            today,
        )
        for s in scenarios
    )
    gaps = rules.gaps([targets_of(s) for s in scenarios], [record_of(r) for r in rows], today)
    record_by_id = {r.scenario_id: r for r in records}
    line_by_id = {line.id: line for line in lines}
    counts = {
        "met": sum(1 for line in lines if line.outcome == rules.MET),
        "missed": sum(1 for line in lines if line.outcome == rules.MISSED),
        "planned": sum(1 for line in lines if line.status == DrillStatus.PLANNED.value),
        "cancelled": sum(1 for line in lines if line.status == DrillStatus.CANCELLED.value),
    }
    return DrillBoard(
        lines=lines,
        scenarios=records,
        never_drilled=tuple(record_by_id[i] for i in gaps.never_drilled),
        last_missed=tuple(record_by_id[i] for i in gaps.last_missed),
        overdue=tuple(line_by_id[i] for i in gaps.overdue),
        counts=counts,
    )


def for_scenario(
    session: Session, scenario: FailureScenario, today: date
) -> tuple[tuple[DrillLine, ...], ScenarioDrills]:
    """A scenario's drills, latest first, and its drilling record."""
    rows = list(
        session.scalars(
            select(Drill)
            .where(Drill.scenario_id == scenario.id)
            .order_by(Drill.planned_on, Drill.id)
        )
    )
    lines = [drill_line(row, scenario, today) for row in rows]
    return tuple(reversed(lines)), _record(scenario, lines, rows, today)
