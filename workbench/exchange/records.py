"""Plain records of a workspace for the XML exchange formats (no ORM, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class WorkspaceRecord:
    """The workspace and its corporate strategy texts."""

    id: int
    name: str
    industry: str = ""
    purpose: str = ""
    vision: str = ""
    mission: str = ""
    values: str = ""


@dataclass(frozen=True)
class ObjectiveRecord:
    """A corporate objective; `parent_id` nests it under another."""

    id: int
    title: str
    description: str = ""
    perspective: str = "customer"
    parent_id: int | None = None
    owner: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class InitiativeRecord:
    """A service recovery initiative."""

    id: int
    title: str
    description: str = ""
    owner: str = ""
    department: str = ""
    status: str = "proposed"
    priority: str = "medium"
    approach: str | None = None
    budget: str | None = None
    spend: str | None = None
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class FactorRecord:
    """A Phase 1 factor: category, polarity (driver, enabler, barrier) and importance."""

    id: int
    title: str
    category: str
    polarity: str
    importance: int = 3
    description: str = ""


@dataclass(frozen=True)
class PrincipleRecord:
    """One of the eight TQM principles."""

    id: int
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class StakeholderRecord:
    """A stakeholder of the operating model."""

    id: int
    name: str
    kind: str = "team"
    interest: int = 3
    influence: int = 3
    notes: str = ""


@dataclass(frozen=True)
class ProcessRecord:
    """A business process with its step names in order."""

    id: int
    name: str
    description: str = ""
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class RaciRecord:
    """The roles (R, A, C, I) one stakeholder holds across the steps of one process."""

    process_id: int
    stakeholder_id: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class MeasurementRecord:
    """One reading of a metric."""

    measured_on: date
    value: float
    note: str = ""


@dataclass(frozen=True)
class MetricRecord:
    """A metric with its goal (baseline and target) and its readings."""

    id: int
    name: str
    definition: str = ""
    unit: str = ""
    direction: str = "higher"
    department: str = ""
    owner: str = ""
    baseline: float | None = None
    baseline_date: date | None = None
    target: float | None = None
    target_date: date | None = None
    rationale: str = ""
    measurements: tuple[MeasurementRecord, ...] = ()


@dataclass(frozen=True)
class ContributionLink:
    """An initiative's contribution (strong, moderate, weak) to an objective."""

    initiative_id: int
    objective_id: int
    contribution: str


@dataclass
class ExchangeData:
    """Everything the StratML and ArchiMate writers need, in a stable order."""

    workspace: WorkspaceRecord
    objectives: list[ObjectiveRecord] = field(default_factory=list)
    initiatives: list[InitiativeRecord] = field(default_factory=list)
    factors: list[FactorRecord] = field(default_factory=list)
    principles: list[PrincipleRecord] = field(default_factory=list)
    stakeholders: list[StakeholderRecord] = field(default_factory=list)
    processes: list[ProcessRecord] = field(default_factory=list)
    raci: list[RaciRecord] = field(default_factory=list)
    metrics: list[MetricRecord] = field(default_factory=list)
    contributions: list[ContributionLink] = field(default_factory=list)
    # (initiative_id, principle_id), (initiative_id, factor_id), (initiative_id, depends_on_id),
    # (metric_id, objective_id), each sorted.
    principle_links: list[tuple[int, int]] = field(default_factory=list)
    factor_links: list[tuple[int, int]] = field(default_factory=list)
    dependencies: list[tuple[int, int]] = field(default_factory=list)
    metric_links: list[tuple[int, int]] = field(default_factory=list)

    def applied_principles(self) -> list[PrincipleRecord]:
        """Return the principles at least one initiative applies, in their order."""
        used = {principle_id for _initiative, principle_id in self.principle_links}
        return [p for p in self.principles if p.id in used]
