"""Plain records the alignment analysis reads: Phase 2 (and Phase 4) rows with integer ids.

Services turn ORM rows into these frozen dataclasses, so the analysis never sees a
session. Every id is an integer; a link names the ids it joins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

POLARITIES = ("driver", "enabler", "barrier")
STATUSES = ("proposed", "approved", "in_progress", "done", "dropped")
CONTRIBUTIONS = ("strong", "moderate", "weak")

DROPPED = "dropped"
BARRIER = "barrier"

# Edge weight of an initiative -> objective link, by contribution.
CONTRIBUTION_WEIGHT: dict[str, int] = {"strong": 3, "moderate": 2, "weak": 1}


@dataclass(frozen=True, slots=True)
class FactorRecord:
    """A Phase 1 factor: a need, driver or environmental factor with its polarity."""

    id: int
    title: str
    category: str
    polarity: str  # driver, enabler or barrier
    importance: int  # 1-5


@dataclass(frozen=True, slots=True)
class ObjectiveRecord:
    """A corporate objective, optionally refining a parent objective."""

    id: int
    title: str
    perspective: str
    parent_id: int | None = None
    owner: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class InitiativeRecord:
    """A service recovery initiative with its money, dates and approach."""

    id: int
    title: str
    department: str = ""
    status: str = "proposed"  # proposed, approved, in_progress, done or dropped
    budget: float | None = None
    spend: float | None = None
    approach: str | None = None  # prevent, recover or None
    start: date | None = None
    end: date | None = None
    owner: str = ""
    percent_complete: float | None = None  # 0-100 as the team entered it, or None
    baseline_start: date | None = None
    baseline_end: date | None = None

    @property
    def active(self) -> bool:
        """True unless the initiative has been dropped."""
        return self.status != DROPPED


@dataclass(frozen=True, slots=True)
class MilestoneRecord:
    """A dated step of an initiative: due on a day, done on a day or not yet."""

    id: int
    initiative_id: int
    title: str
    due: date
    done: date | None = None


@dataclass(frozen=True, slots=True)
class PrincipleRecord:
    """One of the eight TQM principles, in its display position."""

    id: int
    key: str
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class MetricRecord:
    """A Phase 4 business metric owned by a department."""

    id: int
    name: str
    department: str = ""


@dataclass(frozen=True, slots=True)
class GoalRecord:
    """A Phase 4 goal set for one metric; the label is optional display text."""

    id: int
    metric_id: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class ObjectiveLink:
    """An initiative contributes to an objective, strongly, moderately or weakly."""

    initiative_id: int
    objective_id: int
    contribution: str  # strong, moderate or weak


@dataclass(frozen=True, slots=True)
class PrincipleLink:
    """An initiative applies a TQM principle."""

    initiative_id: int
    principle_id: int


@dataclass(frozen=True, slots=True)
class FactorLink:
    """An initiative addresses a factor (meets a need, uses an enabler, lowers a barrier)."""

    initiative_id: int
    factor_id: int


@dataclass(frozen=True, slots=True)
class Dependency:
    """An initiative cannot start before the one it depends on."""

    initiative_id: int
    depends_on_id: int


@dataclass(frozen=True, slots=True)
class MetricLink:
    """A metric measures progress towards an objective."""

    metric_id: int
    objective_id: int


@dataclass(frozen=True, slots=True)
class AlignmentInput:
    """Everything one workspace's alignment analysis needs, as plain records."""

    factors: Sequence[FactorRecord] = ()
    objectives: Sequence[ObjectiveRecord] = ()
    initiatives: Sequence[InitiativeRecord] = ()
    principles: Sequence[PrincipleRecord] = ()
    objective_links: Sequence[ObjectiveLink] = ()
    principle_links: Sequence[PrincipleLink] = ()
    factor_links: Sequence[FactorLink] = ()
    dependencies: Sequence[Dependency] = ()
    metrics: Sequence[MetricRecord] = ()
    goals: Sequence[GoalRecord] = ()
    metric_links: Sequence[MetricLink] = ()
    milestones: Sequence[MilestoneRecord] = ()
    # Display names of the department keys the records carry (a key not listed shows as is).
    department_names: Mapping[str, str] = field(default_factory=dict)


# Node kinds of the alignment graph; a node's key is (kind, id), e.g. ("initiative", 7).
FACTOR = "factor"
INITIATIVE = "initiative"
OBJECTIVE = "objective"
PRINCIPLE = "principle"
METRIC = "metric"
GOAL = "goal"

NodeKey = tuple[str, int]

# Edge kinds of the alignment graph (the ``kind`` attribute of every edge).
ADDRESSES = "addresses"  # factor -> initiative
CONTRIBUTES = "contributes"  # initiative -> objective, with contribution and weight
APPLIES = "applies"  # initiative -> principle
MEASURES = "measures"  # metric -> objective
TARGETS = "targets"  # goal -> metric
PRECEDES = "precedes"  # prerequisite initiative -> dependant initiative
REFINES = "refines"  # child objective -> parent objective
