"""The storyboard's report context as typed, frozen values; its canonical JSON is the fingerprint.

A section is a frozen dataclass (a JSON object); a row shown as a table line or a chart point
is a NamedTuple (a JSON array), so `as_dict()` gives exactly the plain data the templates lay
out and a published snapshot keeps, and equal data always gives the same fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

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


class ScoreComponent(NamedTuple):
    """One term of the alignment score: its label, fraction and percentage."""

    label: str
    numerator: float | None
    denominator: float
    percent: int | None


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective and its perspective."""

    title: str
    perspective: str


@dataclass(frozen=True)
class InitiativeRow:
    """An initiative as the portfolio table lists it."""

    title: str
    department: str | None
    status: str
    budget: float | None
    spend: float | None
    approach: str
    objectives: int


class MatrixRow(NamedTuple):
    """An initiative's row of a matrix: its title and one cell per column."""

    title: str
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class ContributionMatrix:
    """Initiatives by objectives with the contribution in each cell."""

    objectives: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class PrincipleMatrix:
    """Initiatives by TQM principles, a cell true where the principle is applied."""

    names: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class Gaps:
    """What the alignment analysis found missing, by name."""

    unaligned: tuple[str, ...]
    unserved: tuple[str, ...]
    barriers: tuple[str, ...]
    principles: tuple[str, ...]
    without_metrics: tuple[str, ...]
    without_goals: tuple[str, ...]


class LoadBearing(NamedTuple):
    """An initiative the strategy leans on, with its load."""

    title: str
    load: float


class DepartmentBudget(NamedTuple):
    """Budget and spend of one department."""

    label: str
    budget: float | None
    spend: float | None


@dataclass(frozen=True)
class Budget:
    """The portfolio's budget and spend, in total and by department."""

    total: float | None
    spend: float | None
    by_department: tuple[DepartmentBudget, ...]


class GraphNode(NamedTuple):
    """A node of the alignment graph: key, label, kind and whether it is a gap."""

    key: str
    label: str
    sort: str
    flagged: bool


class GraphColumn(NamedTuple):
    """A column of the layered graph."""

    heading: str
    nodes: tuple[GraphNode, ...]


class GraphEdge(NamedTuple):
    """An edge of the alignment graph, with the contribution where there is one."""

    source: str
    target: str
    strength: str


@dataclass(frozen=True)
class Graph:
    """The alignment graph as columns of nodes and edges."""

    columns: tuple[GraphColumn, ...]
    edges: tuple[GraphEdge, ...]


class TimelineBar(NamedTuple):
    """A dated initiative on the roadmap timeline (ISO dates)."""

    title: str
    start: str
    end: str
    status: str


@dataclass(frozen=True)
class AlignmentSection:
    """Phase 2: the score, the portfolio, both matrices, gaps, budget, graph and roadmap."""

    score: float | None
    score_formula: str
    components: tuple[ScoreComponent, ...]
    objectives: tuple[ObjectiveRow, ...]
    initiatives: tuple[InitiativeRow, ...]
    matrix: ContributionMatrix
    principles: PrincipleMatrix
    gaps: Gaps
    load_bearing: tuple[LoadBearing, ...]
    load_formula: str
    budget: Budget
    graph: Graph
    waves: tuple[tuple[str, ...], ...]
    cycle: str | None
    timeline: tuple[TimelineBar, ...]


class StakeholderRow(NamedTuple):
    """A stakeholder on the interest/influence grid."""

    name: str
    kind: str
    interest: int
    influence: int
    quadrant: str


@dataclass(frozen=True)
class ProcessRaci:
    """A process's RACI table: people across, steps down, and the rule violations."""

    name: str
    people: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
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


class Reading(NamedTuple):
    """A measurement: ISO date and value."""

    date: str
    value: float


@dataclass(frozen=True)
class MetricCard:
    """A metric with its goal, latest value, status and readings."""

    name: str
    unit: str | None
    direction: str
    latest: float | None
    baseline: float | None
    target: float | None
    target_date: str | None
    baseline_date: str | None
    status: str
    status_label: str
    progress: int | None
    points: tuple[Reading, ...]
    # The forecast the status is judged by (latest reading to target date) and the metric's
    # bounds, so its chart draws the same line and keeps its axis within what is possible.
    forecast: tuple[Reading, ...] = ()
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class DepartmentCards:
    """A department's metric cards and how many are in each status."""

    name: str
    metrics: tuple[MetricCard, ...]
    counts: dict[str, int]


@dataclass(frozen=True)
class Economics:
    """The recovery economics: inputs and the rounded result."""

    saved: bool
    currency: str
    inputs: dict[str, float]
    customers_retained: int
    revenue_retained: int
    programme_cost: int
    net_benefit: int
    roi: int | None
    break_even_rate: int | None


@dataclass(frozen=True)
class MetricsSection:
    """Phase 4: the scorecards by department and the economics."""

    departments: tuple[DepartmentCards, ...]
    economics: Economics


class EntityCount(NamedTuple):
    """How many recorded changes a kind of row has."""

    entity: str
    changes: int


@dataclass(frozen=True)
class ChangeSummary:
    """The history in brief: changes by kind of row and the last one's time."""

    by_entity: tuple[EntityCount, ...]
    last_change: str | None


@dataclass(frozen=True)
class WorkspaceText:
    """The corporate strategy's texts."""

    name: str
    industry: str | None
    purpose: str | None
    vision: str | None
    mission: str | None
    values: str | None
    corporate_goals: str | None
    current_state: str | None
    future_state: str | None
    analyst_perspective: str | None
    executive_summary: str | None


@dataclass(frozen=True)
class ReportContext:
    """Everything the storyboard shows, as of a day."""

    workspace: WorkspaceText
    as_of: str
    assessment: AssessmentSection
    alignment: AlignmentSection
    operating: OperatingSection
    metrics: MetricsSection
    changes: ChangeSummary

    def as_dict(self) -> dict[str, Any]:
        """Return the context as plain JSON data (what templates and snapshots receive)."""
        data: dict[str, Any] = json.loads(
            json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        )
        return data

    def fingerprint(self) -> str:
        """Return the SHA-256 of the context's canonical JSON."""
        return fingerprint(self.as_dict())


def fingerprint(context: dict[str, Any]) -> str:
    """Return the SHA-256 of a plain context's canonical JSON."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SECTIONS = ("workspace", "assessment", "alignment", "operating", "metrics")


def section_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, bool]]:
    """Say, section by section, whether two plain contexts differ."""
    return [(name, old.get(name) != new.get(name)) for name in SECTIONS]
