"""The storyboard's report context as typed, frozen values; its canonical JSON is the fingerprint.

A section is a frozen dataclass (a JSON object); a row shown as a table line or a chart point
is a NamedTuple (a JSON array), so `as_dict()` gives exactly the plain data the templates lay
out and a published snapshot keeps, and equal data always gives the same fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from workbench.analysis.board import Decision
from workbench.services.report_values_economics import Economics
from workbench.services.report_values_operating import (
    AssessmentSection,
    MetricLine,
    OperatingSection,
    PlanRow,
)

if TYPE_CHECKING:
    from workbench.services.branding import ReportBranding
    from workbench.services.report_approach import ApproachSection
    from workbench.services.report_board import Summary
    from workbench.services.report_pack import CommentaryValue, PackValue
    from workbench.services.report_risks import RiskSection
    from workbench.services.report_stories import FrontLineSection


class ScoreComponent(NamedTuple):
    """One term of the alignment score: its label, fraction and percentage."""

    label: str
    numerator: float | None
    denominator: float
    percent: int | None


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective with its perspective, owner, due date and how many initiatives serve it."""

    title: str
    perspective: str
    owner: str = ""
    due: str | None = None
    served_by: int = 0


@dataclass(frozen=True)
class InitiativeRow:
    """An active initiative as the portfolio table lists it, with its delivery flags."""

    title: str
    department: str | None
    status: str
    budget: float | None
    spend: float | None
    approach: str
    objectives: int
    owner: str = ""
    start: str | None = None
    end: str | None = None
    flags: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    percent_complete: int | None = None
    forecast_end: str | None = None
    health: str = ""  # on_track, at_risk or late; "" for done work
    health_label: str = ""
    # Why the forecast puts the work at risk ("" when it does not): no delivery flag says it.
    forecast_risk: str = ""


class DroppedRow(NamedTuple):
    """A dropped initiative, listed apart from the programme with what it had."""

    title: str
    budget: float | None
    spend: float | None


class Wave(NamedTuple):
    """A wave of work still to come: its initiatives and the span of their dates."""

    titles: tuple[str, ...]
    start: str | None
    end: str | None


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
    """The active portfolio's budget and spend in the workspace currency, dropped work apart."""

    total: float | None
    spend: float | None
    by_department: tuple[DepartmentBudget, ...]
    currency: str = ""
    dropped_budget: float = 0.0
    dropped_spend: float = 0.0


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


class EarliestRow(NamedTuple):
    """Work planned to start before its dependencies allow: the start they allow (ISO)."""

    title: str
    day: str
    after: str  # the prerequisite whose finish holds it back


@dataclass(frozen=True)
class AlignmentSection:
    """Phase 2: the score, the portfolio, both matrices, gaps, budget, graph, roadmap, approach."""

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
    waves: tuple[Wave, ...]
    cycle: str | None
    timeline: tuple[TimelineBar, ...]
    approach: ApproachSection
    delivered: tuple[str, ...] = ()
    dropped: tuple[DroppedRow, ...] = ()
    # The roadmap chart's dependencies and critical path, as positions in `timeline`.
    links: tuple[tuple[int, int], ...] = ()
    chain: tuple[int, ...] = ()
    programme_end: str | None = None
    earliest: tuple[EarliestRow, ...] = ()


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
    # The day of the latest reading, when the next was due and, once the data is stale,
    # the first day it counted as stale (ISO dates).
    last_reading: str | None = None
    next_due: str | None = None
    stale_since: str | None = None


@dataclass(frozen=True)
class DepartmentCards:
    """A department (its display name), its metric cards, their table lines and status counts."""

    name: str
    metrics: tuple[MetricCard, ...]
    counts: dict[str, int]
    lines: tuple[MetricLine, ...] = ()


@dataclass(frozen=True)
class StaleSite:
    """A site whose readings of a metric have stopped: its last reading, dates ISO."""

    site: str
    last_value: str  # written with its unit
    last_reading: str
    next_due: str
    stale_since: str


@dataclass(frozen=True)
class SiteExtremes:
    """A metric's best and worst site by the latest reading, each value written with its unit.

    Only sites with recent data are ranked (`sites` counts them); with fewer than two, no
    best or worst is named and `note` says so. Stale sites are listed apart.
    """

    metric: str
    sites: int
    best: str | None
    best_value: str | None
    worst: str | None = None
    worst_value: str | None = None
    owner: str = ""
    note: str = ""
    stale: tuple[StaleSite, ...] = ()
    metric_stale: bool = False  # the whole metric has no recent data


@dataclass(frozen=True)
class MetricsSection:
    """Phase 4: the scorecards by department and the economics."""

    departments: tuple[DepartmentCards, ...]
    economics: Economics
    plans: tuple[PlanRow, ...] = ()
    sites: tuple[SiteExtremes, ...] = ()


@dataclass(frozen=True)
class ChangeSummary:
    """The history in brief: when the data last changed (what changed is told per version)."""

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
    risks: RiskSection
    front_line: FrontLineSection
    changes: ChangeSummary
    summary: Summary
    decisions: tuple[Decision, ...]
    pack: PackValue
    commentary: dict[str, CommentaryValue]
    # The organisation's logo and accent; None (and then no key at all) without branding.
    branding: ReportBranding | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the context as plain JSON data (what templates and snapshots receive)."""
        data: dict[str, Any] = json.loads(
            json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        )
        # Without branding the key is left out, so an unbranded workspace keeps the
        # fingerprint it had before branding existed.
        if data.get("branding") is None:
            data.pop("branding", None)
        return data

    def fingerprint(self) -> str:
        """Return the SHA-256 of the context's canonical JSON."""
        return fingerprint(self.as_dict())


def fingerprint(context: dict[str, Any]) -> str:
    """Return the SHA-256 of a plain context's canonical JSON."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
