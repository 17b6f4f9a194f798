"""Phase 2 alignment: one directed graph per workspace, and the gaps and figures read from it.

The graph
    Nodes are keyed ``(kind, id)``: ``("factor", 3)``, ``("initiative", 7)``,
    ``("objective", 2)``, ``("principle", 1)``, ``("metric", 4)``, ``("goal", 9)``.
    Each node carries ``kind``, ``id``, ``label`` (its title or name) and ``record``;
    initiative nodes also carry ``active``. Every edge carries ``kind`` and points from
    the thing that serves, measures or comes first to the thing it serves:

    - factor -> initiative (``addresses``): the initiative addresses the factor;
    - initiative -> objective (``contributes``), with ``contribution`` and ``weight``
      (strong 3, moderate 2, weak 1); a repeated link keeps its strongest contribution;
    - initiative -> principle (``applies``);
    - metric -> objective (``measures``);
    - goal -> metric (``targets``): the goal sets a target for the metric;
    - prerequisite initiative -> dependant initiative (``precedes``), so arrows follow
      the order of work;
    - child objective -> parent objective (``refines``).

    A link or parent that names an unknown id is left out and counted in
    ``graph.graph["dangling"]`` (by link type); a self-link (an initiative depending on
    itself, an objective its own parent) is left out and counted in
    ``graph.graph["self_links"]`` (the roadmap, by contrast, refuses a stored
    self-dependency as a loop of one). A link repeated with the same ends becomes one
    edge. Dropped initiatives stay in the graph with ``active=False`` but count for
    nothing in coverage, gaps, score, load or chains; the budget totals still include
    them (see BUDGET_NOTE).

    Nodes are added in id order and edges in the order the links arrive. Every list
    the analysis returns is in id (or display) order and every sum is order-free, so
    the report does not depend on the order of the input records.

The alignment score
    Alignment score = 100 x the mean of four shares, each from 0 to 1.
    (a) Initiatives aligned: active initiatives linked to at least one objective,
    divided by all active initiatives.
    (b) Objectives served: for each objective, the best contribution any active
    initiative makes to it (strong 1, moderate 2/3, weak 1/3, none 0), summed and
    divided by the number of objectives.
    (c) Principles applied: TQM principles applied by at least one active initiative,
    divided by all principles.
    (d) Barriers addressed: barrier factors addressed by at least one active
    initiative, divided by all barrier factors.
    A share whose divisor is zero is left out of the mean rather than counted as 0 or 1;
    with no share at all there is no score. Active means any status except dropped.

Load-bearing initiatives
    Ranked by a load that reads as "how many objectives, barriers and waiting
    initiatives stand on this one", counting shared support fractionally (LOAD_FORMULA).
    It is computed in one pass over the edges, O(V + E), and is deterministic;
    betweenness or other all-pairs measures would not scale to a large workspace.

Traceability chains
    factor -> initiative -> objective -> metric -> goal, one chain per combination,
    through active initiatives only. An initiative that addresses no factor starts its
    chain itself; an objective without metrics ends it, as does a metric without goals.

The roadmap (waves and refused dependency loops) lives in ``roadmap.py`` and is
re-exported here, as are the records of ``alignment_records.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from workbench.analysis.alignment_budget import (
    BUDGET_NOTE,
    BudgetLine,
    BudgetTotals,
    budget_totals,
)
from workbench.analysis.alignment_metrics import (
    LOAD_FORMULA,
    SCORE_FORMULA,
    Chain,
    LoadBearing,
    ScoreComponent,
    alignment_score,
    chains_from_tally,
    rank_load_bearing,
    score_components,
    tally,
    trace_chains,
)
from workbench.analysis.alignment_records import (
    ADDRESSES,
    APPLIES,
    CONTRIBUTES,
    CONTRIBUTION_WEIGHT,
    FACTOR,
    GOAL,
    INITIATIVE,
    MEASURES,
    METRIC,
    OBJECTIVE,
    POLARITIES,
    PRECEDES,
    PRINCIPLE,
    REFINES,
    STATUSES,
    TARGETS,
    AlignmentInput,
    Dependency,
    FactorLink,
    FactorRecord,
    GoalRecord,
    InitiativeRecord,
    MetricLink,
    MetricRecord,
    NodeKey,
    ObjectiveLink,
    ObjectiveRecord,
    PrincipleLink,
    PrincipleRecord,
)
from workbench.analysis.roadmap import (
    DependencyCycleError,
    check_new_dependency,
    dependency_graph,
    roadmap_waves,
)

__all__ = [
    "BUDGET_NOTE",
    "LOAD_FORMULA",
    "SCORE_FORMULA",
    "AlignmentInput",
    "AlignmentReport",
    "BudgetLine",
    "BudgetTotals",
    "Chain",
    "Dependency",
    "DependencyCycleError",
    "FactorLink",
    "FactorRecord",
    "GoalRecord",
    "InitiativeRecord",
    "LoadBearing",
    "MetricLink",
    "MetricRecord",
    "NodeKey",
    "ObjectiveCoverage",
    "ObjectiveLink",
    "ObjectiveRecord",
    "PrincipleCoverage",
    "PrincipleLink",
    "PrincipleRecord",
    "ScoreComponent",
    "analyse",
    "build_graph",
    "check_new_dependency",
    "dependency_graph",
    "roadmap_waves",
    "trace_chains",
]

DANGLING_KINDS = (
    "objective_links",
    "principle_links",
    "factor_links",
    "dependencies",
    "metric_links",
    "goals",
    "objective_parents",
)

_ADDRESSES: dict[str, object] = {"kind": ADDRESSES}
_APPLIES: dict[str, object] = {"kind": APPLIES}
_MEASURES: dict[str, object] = {"kind": MEASURES}
_TARGETS: dict[str, object] = {"kind": TARGETS}
_PRECEDES: dict[str, object] = {"kind": PRECEDES}
_REFINES: dict[str, object] = {"kind": REFINES}
_CONTRIBUTES: dict[int, dict[str, object]] = {
    weight: {"kind": CONTRIBUTES, "contribution": name, "weight": weight}
    for name, weight in CONTRIBUTION_WEIGHT.items()
}

Edge = tuple[NodeKey, NodeKey, dict[str, object]]


def _check(value: str, allowed: tuple[str, ...] | Mapping[str, int], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}; expected one of {', '.join(allowed)}.")


def _edges(
    pairs: Iterable[tuple[int, int]],
    left: Mapping[int, NodeKey],
    right: Mapping[int, NodeKey],
    attrs: dict[str, object],
    counts: dict[str, int],
    link: str,
) -> Iterator[Edge]:
    """Yield edges for the pairs whose ids are known (repeats merge); count the rest.

    A generator rather than a list, so no large intermediate outlives the graph build.
    """
    same = left is right
    for a, b in pairs:
        if a not in left or b not in right:
            counts[link] += 1
        elif same and a == b:
            counts["self_links"] += 1
        else:
            yield left[a], right[b], attrs


def _node_attrs(key: NodeKey, record: Any) -> dict[str, Any]:
    kind, ident = key
    if kind == GOAL:
        label = record.label or f"Goal {ident}"
    elif kind in (PRINCIPLE, METRIC):
        label = record.name
    else:
        label = record.title
    attrs = {"kind": kind, "id": ident, "label": label, "record": record}
    if kind == INITIATIVE:
        attrs["active"] = record.active
    return attrs


def _add_nodes(graph: nx.DiGraph, kind: str, rows: Iterable[Any]) -> dict[int, NodeKey]:
    """Add one kind of node in id order; return id -> key, one shared tuple per node."""
    by_id = {row.id: row for row in rows}
    keys = {ident: (kind, ident) for ident in sorted(by_id)}
    graph.add_nodes_from((key, _node_attrs(key, by_id[key[1]])) for key in keys.values())
    return keys


def build_graph(data: AlignmentInput) -> nx.DiGraph:
    """Build the workspace's alignment graph (node and edge conventions in the module doc)."""
    for factor in data.factors:
        _check(factor.polarity, POLARITIES, "factor polarity")
    for initiative in data.initiatives:
        _check(initiative.status, STATUSES, "initiative status")
    graph = nx.DiGraph()
    factors = _add_nodes(graph, FACTOR, data.factors)
    initiatives = _add_nodes(graph, INITIATIVE, data.initiatives)
    objectives = _add_nodes(graph, OBJECTIVE, data.objectives)
    principles = _add_nodes(graph, PRINCIPLE, data.principles)
    metrics = _add_nodes(graph, METRIC, data.metrics)
    goals = _add_nodes(graph, GOAL, data.goals)
    counts = dict.fromkeys((*DANGLING_KINDS, "self_links"), 0)

    # initiative -> objective: the strongest of repeated links wins.
    strongest: dict[tuple[int, int], int] = {}
    for link in data.objective_links:
        _check(link.contribution, CONTRIBUTION_WEIGHT, "contribution")
        pair = (link.initiative_id, link.objective_id)
        if pair[0] not in initiatives or pair[1] not in objectives:
            counts["objective_links"] += 1
            continue
        weight = CONTRIBUTION_WEIGHT[link.contribution]
        if weight > strongest.get(pair, 0):
            strongest[pair] = weight
    graph.add_edges_from(
        (initiatives[i], objectives[o], _CONTRIBUTES[w]) for (i, o), w in strongest.items()
    )

    links = (
        (
            ((x.initiative_id, x.principle_id) for x in data.principle_links),
            (initiatives, principles, _APPLIES, "principle_links"),
        ),
        (
            ((x.factor_id, x.initiative_id) for x in data.factor_links),
            (factors, initiatives, _ADDRESSES, "factor_links"),
        ),
        (
            ((x.depends_on_id, x.initiative_id) for x in data.dependencies),
            (initiatives, initiatives, _PRECEDES, "dependencies"),
        ),
        (
            ((x.metric_id, x.objective_id) for x in data.metric_links),
            (metrics, objectives, _MEASURES, "metric_links"),
        ),
        (((g.id, g.metric_id) for g in data.goals), (goals, metrics, _TARGETS, "goals")),
        (
            ((o.id, o.parent_id) for o in data.objectives if o.parent_id is not None),
            (objectives, objectives, _REFINES, "objective_parents"),
        ),
    )
    for pairs, (left, right, attrs, kind) in links:
        graph.add_edges_from(_edges(pairs, left, right, attrs, counts, kind))

    self_links = counts.pop("self_links")
    graph.graph["dangling"] = counts
    graph.graph["self_links"] = self_links
    return graph


@dataclass(frozen=True)
class ObjectiveCoverage:
    """Active initiatives x objectives, holding the contribution where a link exists.

    ``cells`` is sparse (initiative id -> objective id -> contribution) because a large
    workspace would otherwise hold millions of empty cells; ``dense()`` gives full rows.
    Take the column order from ``objectives``, not from the order of a row's keys.
    """

    initiatives: tuple[int, ...]
    objectives: tuple[int, ...]
    cells: Mapping[int, Mapping[int, str]]

    def contribution(self, initiative_id: int, objective_id: int) -> str | None:
        """The contribution of one initiative to one objective, or None."""
        return self.cells.get(initiative_id, {}).get(objective_id)

    def dense(self) -> tuple[tuple[str | None, ...], ...]:
        """One row per initiative, one column per objective, None where unlinked."""
        empty: Mapping[int, str] = {}
        return tuple(
            tuple(self.cells.get(i, empty).get(o) for o in self.objectives)
            for i in self.initiatives
        )


@dataclass(frozen=True)
class PrincipleCoverage:
    """Active initiatives x TQM principles (in display order), True where applied."""

    initiatives: tuple[int, ...]
    principles: tuple[int, ...]
    rows: tuple[tuple[bool, ...], ...]

    def applies(self, initiative_id: int, principle_id: int) -> bool:
        """Whether one initiative applies one principle (a spot check; tables read rows)."""
        try:
            row = self.initiatives.index(initiative_id)
            column = self.principles.index(principle_id)
        except ValueError:
            return False
        return self.rows[row][column]


@dataclass(frozen=True)
class AlignmentReport:
    """The gaps, coverage, score, load-bearing initiatives, chains and budget of a workspace.

    Gap lists hold ids: by id, except principles (display position) and barriers
    (heaviest first, then id).
    """

    unaligned_initiatives: tuple[int, ...]
    objectives_unserved: tuple[int, ...]
    objectives_without_metrics: tuple[int, ...]
    metrics_without_goals: tuple[int, ...]
    principles_unapplied: tuple[int, ...]
    barriers_unaddressed: tuple[int, ...]
    initiatives_without_principles: tuple[int, ...]
    dropped_initiatives: tuple[int, ...]
    objective_coverage: ObjectiveCoverage
    principle_coverage: PrincipleCoverage
    score: float | None
    score_components: tuple[ScoreComponent, ...]
    load_bearing: tuple[LoadBearing, ...]
    chains: tuple[Chain, ...]
    budget: BudgetTotals
    dangling: Mapping[str, int]
    self_links: int
    score_formula: str = SCORE_FORMULA
    load_formula: str = LOAD_FORMULA

    def component(self, key: str) -> ScoreComponent:
        """One score component by key, e.g. ``"objectives_served"``."""
        return next(c for c in self.score_components if c.key == key)

    def chains_for(self, objective_id: int) -> tuple[Chain, ...]:
        """The traceability chains that end at (or pass through) one objective."""
        return tuple(chain for chain in self.chains if chain.objective_id == objective_id)


def analyse(data: AlignmentInput) -> AlignmentReport:
    """Build the alignment graph and read every gap, matrix and figure from it."""
    graph = build_graph(data)
    t = tally(graph)
    active = t.active

    principle_rows = tuple(tuple(p in t.applied.get(i, ()) for p in t.principles) for i in active)
    applied = set().union(*t.applied.values()) if t.applied else set()
    components = score_components(t)

    return AlignmentReport(
        unaligned_initiatives=tuple(i for i in active if i not in t.cells),
        objectives_unserved=tuple(o for o in t.objectives if o not in t.best),
        objectives_without_metrics=tuple(o for o in t.objectives if o not in t.metrics_of),
        metrics_without_goals=tuple(m for m in t.metrics if m not in t.goals_of),
        principles_unapplied=tuple(p for p in t.principles if p not in applied),
        barriers_unaddressed=tuple(f for f in t.barriers if f not in t.barrier_reach),
        initiatives_without_principles=tuple(i for i in active if i not in t.applied),
        dropped_initiatives=tuple(i for i in sorted(t.initiatives) if not t.initiatives[i].active),
        objective_coverage=ObjectiveCoverage(tuple(active), tuple(t.objectives), t.cells),
        principle_coverage=PrincipleCoverage(tuple(active), tuple(t.principles), principle_rows),
        score=alignment_score(components),
        score_components=components,
        load_bearing=rank_load_bearing(t),
        chains=chains_from_tally(t),
        budget=budget_totals(t, data.department_names),
        dangling=dict(graph.graph["dangling"]),
        self_links=graph.graph["self_links"],
    )
