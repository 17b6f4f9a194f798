"""The report context's assessment, operating-model and metric-table values, typed and frozen.

Phase 1 (viability, factors, readiness, capability results, journey), Phase 3 (canvas,
stakeholders, RACI, organisation, playbook) and the lines of the Phase 4 tables live here so
that report_values.py stays short; the same rules hold: a section is a frozen dataclass, a
table line a NamedTuple.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from workbench.analysis.decisions import OpenPoint


class ScoredName(NamedTuple):
    """A named score such as a readiness dimension (None when nobody answered)."""

    name: str
    score: float | None


class BalanceRow(NamedTuple):
    """One factor category: how many drivers, enablers and barriers it holds."""

    category: str
    drivers: int
    enablers: int
    barriers: int


@dataclass(frozen=True)
class FactorRow:
    """A factor as the assessment table lists it."""

    title: str
    category: str
    polarity: str
    importance: int


@dataclass(frozen=True)
class Readiness:
    """The readiness questionnaire's result."""

    respondents: int
    overall: float | None
    dimensions: tuple[ScoredName, ...]
    discussion: tuple[str, ...]


class FrictionRow(NamedTuple):
    """A friction point of a journey stage and the digital opportunity the team sees in it."""

    description: str
    severity: str
    opportunity: str


@dataclass(frozen=True)
class InstrumentScores:
    """A questionnaire's result by dimension, such as FCR capability or TQM maturity."""

    title: str
    respondents: int
    overall: float | None
    dimensions: tuple[ScoredName, ...]


@dataclass(frozen=True)
class JourneyStageRow:
    """A journey stage with its friction: how many points, their heat and the worst."""

    stage: str
    points: int
    heat: int
    worst: int
    worst_label: str
    items: tuple[FrictionRow, ...]


@dataclass(frozen=True)
class AssessmentSection:
    """Phase 1: the viability verdict, the factors, readiness and the journey."""

    verdict: str
    index: float | None
    provisional: bool  # the index rests on too little evidence for a verdict
    verdict_sentence: str  # the verdict in one sentence, provisional index included
    factor_score: float | None
    readiness_score: float | None
    support: int
    resistance: int
    reasons: tuple[str, ...]
    heavy_barriers: tuple[str, ...]
    weak_dimensions: tuple[ScoredName, ...]
    factor_count: int
    balance: tuple[BalanceRow, ...]
    factors: tuple[FactorRow, ...]
    readiness: Readiness | None
    journey: tuple[JourneyStageRow, ...]
    capabilities: tuple[InstrumentScores, ...] = ()


class StakeholderRow(NamedTuple):
    """A stakeholder on the interest/influence grid."""

    name: str
    kind: str
    interest: int
    influence: int
    quadrant: str


class RaciRow(NamedTuple):
    """A process step and the RACI letter of each person, in the table's column order."""

    step: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ProcessRaci:
    """A process's RACI table: people across, steps down."""

    name: str
    people: tuple[str, ...]
    rows: tuple[RaciRow, ...]
    department: str = ""  # the department that runs it, by display name
    initiatives: tuple[str, ...] = ()  # the initiatives that change it


class UnitRow(NamedTuple):
    """A unit of the target organisation at its depth in the tree."""

    name: str
    depth: int


class OrgChange(NamedTuple):
    """One change from the current to the target organisation."""

    kind: str
    name: str
    detail: str


@dataclass(frozen=True)
class ScenarioRow:
    """A failure scenario of the playbook."""

    name: str
    severity: str
    foreseeable: bool
    responder: str | None
    message: str | None
    minutes: int | None
    compensation: str
    amount: float | None
    currency: str
    limit: float | None
    needs_approval: bool
    prevention: str
    paradox: str
    initiatives: tuple[str, ...]
    undecided: tuple[str, ...]
    slow_target: str | None = None


class CanvasFactor(NamedTuple):
    """A factor on the operating-model canvas with its polarity (driver, enabler or barrier)."""

    title: str
    polarity: str


class ApplicationRow(NamedTuple):
    """An application of the portfolio as the storyboard's table shows it."""

    name: str
    kind: str
    owner: str
    annual_cost: int | None  # whole units of the section's currency
    contract_end: str | None  # ISO date


@dataclass(frozen=True)
class ApplicationsSection:
    """The application portfolio: its table, total cost a year, and the portfolio in words."""

    currency: str
    rows: tuple[ApplicationRow, ...]
    total_cost: int
    sentences: tuple[str, ...]


class DrillRow(NamedTuple):
    """A drill held, with its verdict against the scenario's targets."""

    scenario: str
    held_on: str  # ISO date
    outcome: str  # met or missed
    contact_minutes: int | None
    target_minutes: int
    reasons: tuple[str, ...]
    lessons: str


class ScenarioDrillRow(NamedTuple):
    """A scenario's drilling record: drills held, the latest verdict, the trend."""

    scenario: str
    held: int
    last_outcome: str  # met, missed, or "" when never drilled
    trend: str  # the direction in words; "" with fewer than two timed drills
    next_planned: str | None  # ISO date of the next planned drill


@dataclass(frozen=True)
class DrillSection:
    """The playbook rehearsed: drills held with verdicts, and the scenarios never drilled."""

    held: tuple[DrillRow, ...] = ()
    scenarios: tuple[ScenarioDrillRow, ...] = ()
    never_drilled: tuple[str, ...] = ()
    last_missed: tuple[str, ...] = ()
    overdue: int = 0


@dataclass(frozen=True)
class OperatingSection:
    """Phase 3: the canvas, stakeholders, processes with RACI, organisation and playbook."""

    needs: tuple[CanvasFactor, ...]
    drivers: tuple[CanvasFactor, ...]
    environment: tuple[CanvasFactor, ...]
    challenges: tuple[str, ...]
    opportunities: tuple[str, ...]
    stakeholders: tuple[StakeholderRow, ...]
    processes: tuple[ProcessRaci, ...]
    target: tuple[UnitRow, ...]
    changes: tuple[OrgChange, ...]
    scenarios: tuple[ScenarioRow, ...]
    open_points: tuple[OpenPoint, ...] = ()
    applications: ApplicationsSection | None = None
    # The guidance for customers who stay angry after a sound recovery: heading and summary.
    toughest_title: str = ""
    toughest: str = ""
    drills: DrillSection = DrillSection()


class MetricLine(NamedTuple):
    """A metric's table line as a reader sees it: owner, objectives, values with their unit."""

    owner: str
    objectives: tuple[str, ...]
    baseline: str
    latest: str
    target: str


class PlanRow(NamedTuple):
    """A communication plan: who hears about which metrics, how and how often."""

    department: str
    audience: str
    channel: str
    cadence: str
    owner: str
    metrics: tuple[str, ...]
