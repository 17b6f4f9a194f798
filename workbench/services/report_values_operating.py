"""The report context's assessment and operating-model sections as typed, frozen values.

Phase 1 (viability, factors, readiness, journey) and Phase 3 (canvas, stakeholders, RACI,
organisation, playbook) live here so that report_values.py stays short; the same rules
hold: a section is a frozen dataclass, a table line a NamedTuple.
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


@dataclass(frozen=True)
class JourneyStageRow:
    """A journey stage with its friction: how many points, their heat and the worst."""

    stage: str
    points: int
    heat: int
    worst: int
    worst_label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentSection:
    """Phase 1: the viability verdict, the factors, readiness and the journey."""

    verdict: str
    index: float | None
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
    """A process's RACI table: people across, steps down, and the rule violations."""

    name: str
    people: tuple[str, ...]
    rows: tuple[RaciRow, ...]
    violations: tuple[str, ...]


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
    flags: tuple[str, ...]


@dataclass(frozen=True)
class OperatingSection:
    """Phase 3: the canvas, stakeholders, processes with RACI, organisation and playbook."""

    needs: tuple[str, ...]
    drivers: tuple[str, ...]
    environment: tuple[str, ...]
    challenges: tuple[str, ...]
    opportunities: tuple[str, ...]
    stakeholders: tuple[StakeholderRow, ...]
    processes: tuple[ProcessRaci, ...]
    target: tuple[UnitRow, ...]
    changes: tuple[OrgChange, ...]
    scenarios: tuple[ScenarioRow, ...]
    open_points: tuple[OpenPoint, ...] = ()
