"""The figures of the alignment report, computed from the alignment graph.

One pass over the graph's edges (:func:`tally`) gathers every count the report needs;
the score, the load-bearing ranking, the chains and (in ``alignment_budget.py``) the
budget totals are then derived from that tally without touching the graph again, so
the whole analysis is O(V + E). The formulas are spelt out in :data:`SCORE_FORMULA`
and :data:`LOAD_FORMULA`, which the report carries for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import fsum
from typing import NamedTuple

import networkx as nx

from workbench.analysis.alignment_records import (
    ADDRESSES,
    APPLIES,
    BARRIER,
    CONTRIBUTES,
    CONTRIBUTION_WEIGHT,
    FACTOR,
    GOAL,
    INITIATIVE,
    MEASURES,
    METRIC,
    OBJECTIVE,
    PRECEDES,
    PRINCIPLE,
    TARGETS,
    InitiativeRecord,
    NodeKey,
)

# How much of an objective one contribution serves, for the "objectives served" share.
SERVED_FRACTION: dict[int, float] = {3: 1.0, 2: 2.0 / 3.0, 1: 1.0 / 3.0}

SCORE_FORMULA = (
    "Alignment score = 100 x the mean of four shares, each from 0 to 1. "
    "(a) Initiatives aligned: active initiatives linked to at least one objective, "
    "divided by all active initiatives. "
    "(b) Objectives served: for each objective, the best contribution any active "
    "initiative makes to it (strong 1, moderate 2/3, weak 1/3, none 0), summed and "
    "divided by the number of objectives. "
    "(c) Principles applied: TQM principles applied by at least one active initiative, "
    "divided by all principles. "
    "(d) Barriers addressed: barrier factors addressed by at least one active "
    "initiative, divided by all barrier factors. "
    "A share whose divisor is zero is left out of the mean rather than counted as 0 or 1; "
    "with no share at all there is no score. Active means any status except dropped."
)

LOAD_FORMULA = (
    "Load = objective share + barrier share + dependants. "
    "Objective share: for each objective the initiative serves, its contribution weight "
    "(strong 3, moderate 2, weak 1) divided by the total weight every active initiative "
    "gives that objective, summed; 1.0 means it carries one objective on its own. "
    "Barrier share: for each barrier it addresses, 1 divided by the number of active "
    "initiatives addressing that barrier, summed. "
    "Dependants: the number of active initiatives that directly depend on it. "
    "Only active initiatives are ranked, heaviest first; ties go to the one recorded first."
)


@dataclass
class Tally:
    """Counts gathered in one pass over the alignment graph (an internal working set).

    The graph holds its nodes in id order and the pass walks edges source by source,
    so every list below comes out in id order whatever order the links arrived in.
    """

    initiatives: dict[int, InitiativeRecord] = field(default_factory=dict)
    active: list[int] = field(default_factory=list)
    objectives: list[int] = field(default_factory=list)
    principles: list[int] = field(default_factory=list)  # display order
    barriers: list[int] = field(default_factory=list)  # heaviest first
    metrics: list[int] = field(default_factory=list)
    titles: dict[NodeKey, str] = field(default_factory=dict)
    # Active initiatives only (coverage, score, load and chains).
    cells: dict[int, dict[int, str]] = field(default_factory=dict)  # contribution per objective
    applied: dict[int, set[int]] = field(default_factory=dict)  # principles
    factors_of: dict[int, list[int]] = field(default_factory=dict)
    served_by: dict[int, list[int]] = field(default_factory=dict)  # objective -> initiatives
    best: dict[int, int] = field(default_factory=dict)  # objective -> strongest weight
    total_weight: dict[int, int] = field(default_factory=dict)  # objective -> summed weight
    barrier_reach: dict[int, int] = field(default_factory=dict)  # barrier -> initiatives
    dependants: dict[int, int] = field(default_factory=dict)  # prerequisite -> dependants
    # Dropped initiatives only (the budget still counts them).
    dropped_objectives: dict[int, list[int]] = field(default_factory=dict)
    dropped_principles: dict[int, list[int]] = field(default_factory=dict)
    # Phase 4.
    metrics_of: dict[int, list[int]] = field(default_factory=dict)  # objective -> metrics
    goals_of: dict[int, list[int]] = field(default_factory=dict)  # metric -> goals

    def objectives_of(self, initiative_id: int) -> Iterable[int]:
        """The objectives an initiative (active or dropped) is linked to."""
        row = self.cells.get(initiative_id)
        return row.keys() if row else self.dropped_objectives.get(initiative_id, ())

    def principles_of(self, initiative_id: int) -> Iterable[int]:
        """The principles an initiative (active or dropped) is tagged with."""
        applied = self.applied.get(initiative_id)
        return applied if applied else self.dropped_principles.get(initiative_id, ())


def tally(graph: nx.DiGraph) -> Tally:
    """Walk the nodes and edges of an alignment graph once and gather every count."""
    t = Tally()
    barrier_rank: list[tuple[int, int]] = []
    principle_rank: list[tuple[int, int]] = []
    titles = t.titles
    for key, attrs in graph.nodes(data=True):
        kind, ident = key
        titles[key] = attrs["label"]
        record = attrs["record"]
        if kind == INITIATIVE:
            t.initiatives[ident] = record
            if attrs["active"]:
                t.active.append(ident)
        elif kind == OBJECTIVE:
            t.objectives.append(ident)
        elif kind == PRINCIPLE:
            principle_rank.append((record.position, ident))
        elif kind == FACTOR and record.polarity == BARRIER:
            barrier_rank.append((-record.importance, ident))
        elif kind == METRIC:
            t.metrics.append(ident)
    t.active.sort()
    t.objectives.sort()
    t.metrics.sort()
    t.principles = [ident for _, ident in sorted(principle_rank)]
    t.barriers = [ident for _, ident in sorted(barrier_rank)]
    barrier_ids = set(t.barriers)
    active = set(t.active)

    # Local names keep the one loop over every edge free of attribute look-ups.
    cells, applied, factors_of, served_by = t.cells, t.applied, t.factors_of, t.served_by
    best, total, reach, dependants = t.best, t.total_weight, t.barrier_reach, t.dependants
    for u, v, attrs in graph.edges(data=True):
        kind = attrs["kind"]
        if kind == CONTRIBUTES:
            i, o = u[1], v[1]
            if i not in active:
                t.dropped_objectives.setdefault(i, []).append(o)
                continue
            weight = attrs["weight"]
            row = cells.get(i)
            if row is None:
                cells[i] = {o: attrs["contribution"]}
            else:
                row[o] = attrs["contribution"]
            users = served_by.get(o)
            if users is None:
                served_by[o] = [i]
            else:
                users.append(i)
            total[o] = total.get(o, 0) + weight
            if weight > best.get(o, 0):
                best[o] = weight
        elif kind == APPLIES:
            i, p = u[1], v[1]
            if i not in active:
                t.dropped_principles.setdefault(i, []).append(p)
                continue
            tags = applied.get(i)
            if tags is None:
                applied[i] = {p}
            else:
                tags.add(p)
        elif kind == ADDRESSES:
            f, i = u[1], v[1]
            if i in active:
                addressed = factors_of.get(i)
                if addressed is None:
                    factors_of[i] = [f]
                else:
                    addressed.append(f)
                if f in barrier_ids:
                    reach[f] = reach.get(f, 0) + 1
        elif kind == PRECEDES:
            if v[1] in active:
                dependants[u[1]] = dependants.get(u[1], 0) + 1
        elif kind == MEASURES:
            t.metrics_of.setdefault(v[1], []).append(u[1])
        elif kind == TARGETS:
            t.goals_of.setdefault(v[1], []).append(u[1])
    return t


@dataclass(frozen=True)
class ScoreComponent:
    """One share of the alignment score: numerator over denominator, or None if empty."""

    key: str
    label: str
    numerator: float
    denominator: int

    @property
    def value(self) -> float | None:
        """The share from 0 to 1, or None when there is nothing to count."""
        return self.numerator / self.denominator if self.denominator else None


def score_components(t: Tally) -> tuple[ScoreComponent, ...]:
    """The four shares of the alignment score, in the order of the formula."""
    aligned = sum(1 for i in t.active if i in t.cells)
    served = fsum(SERVED_FRACTION[t.best[o]] for o in t.objectives if o in t.best)
    applied: set[int] = set().union(*t.applied.values()) if t.applied else set()
    return (
        ScoreComponent("initiatives_aligned", "Initiatives aligned", aligned, len(t.active)),
        ScoreComponent("objectives_served", "Objectives served", served, len(t.objectives)),
        ScoreComponent(
            "principles_applied",
            "Principles applied",
            sum(1 for p in t.principles if p in applied),
            len(t.principles),
        ),
        ScoreComponent(
            "barriers_addressed",
            "Barriers addressed",
            sum(1 for f in t.barriers if f in t.barrier_reach),
            len(t.barriers),
        ),
    )


def alignment_score(components: Iterable[ScoreComponent]) -> float | None:
    """100 x the mean of the components that have a value, or None if none has."""
    values = [c.value for c in components if c.value is not None]
    return 100.0 * sum(values) / len(values) if values else None


class LoadBearing(NamedTuple):
    """How much of the strategy rests on one active initiative (see LOAD_FORMULA)."""

    initiative_id: int
    title: str
    load: float
    objective_share: float
    barrier_share: float
    dependants: int
    objectives: int
    barriers: int


def rank_load_bearing(t: Tally) -> tuple[LoadBearing, ...]:
    """Rank active initiatives by load, heaviest first, ties by id."""
    total, reach, dependants, titles = t.total_weight, t.barrier_reach, t.dependants, t.titles
    ranked = []
    for i in t.active:
        row = t.cells.get(i)
        shares = [CONTRIBUTION_WEIGHT[c] / total[o] for o, c in row.items()] if row else []
        barriers = [f for f in t.factors_of.get(i, ()) if f in reach]
        # fsum is exact, so the share does not depend on the order the links arrived in.
        objective_share = fsum(shares)
        barrier_share = sum([1.0 / reach[f] for f in barriers])
        waiting = dependants.get(i, 0)
        ranked.append(
            LoadBearing(
                i,
                titles[(INITIATIVE, i)],
                objective_share + barrier_share + waiting,
                objective_share,
                barrier_share,
                waiting,
                len(shares),
                len(barriers),
            )
        )
    # Rounding keeps the order stable against the last bit of floating-point sums.
    ranked.sort(key=lambda row: (-round(row.load, 9), row.initiative_id))
    return tuple(ranked)


class Chain(NamedTuple):
    """One traceability chain: (factor ->) initiative -> objective (-> metric (-> goal)).

    ``labels`` are the titles along the chain, in order; the ids of the optional ends
    are None where the chain does not reach them.
    """

    objective_id: int
    initiative_id: int
    factor_id: int | None
    metric_id: int | None
    goal_id: int | None
    labels: tuple[str, ...]

    @property
    def nodes(self) -> tuple[NodeKey, ...]:
        """The graph keys along the chain, in the same order as the labels."""
        keys: list[NodeKey] = []
        if self.factor_id is not None:
            keys.append((FACTOR, self.factor_id))
        keys += [(INITIATIVE, self.initiative_id), (OBJECTIVE, self.objective_id)]
        if self.metric_id is not None:
            keys.append((METRIC, self.metric_id))
        if self.goal_id is not None:
            keys.append((GOAL, self.goal_id))
        return tuple(keys)


def chains_from_tally(t: Tally, objective_id: int | None = None) -> tuple[Chain, ...]:
    """The traceability chains of a tally, for one objective or all of them."""
    if objective_id is None:
        objectives = t.objectives
    else:
        objectives = [objective_id] if objective_id in t.served_by else []
    titles = t.titles
    # Each chain joins a head (factor and initiative) to a tail (objective, metric, goal).
    heads: dict[int, list[tuple[int | None, tuple[str, ...]]]] = {}
    chains: list[Chain] = []
    for o in objectives:
        initiatives = t.served_by.get(o)
        if not initiatives:
            continue
        objective = titles[(OBJECTIVE, o)]
        tails: list[tuple[int | None, int | None, tuple[str, ...]]] = []
        for metric_id in t.metrics_of.get(o, ()):
            metric = titles[(METRIC, metric_id)]
            goals = t.goals_of.get(metric_id)
            if goals:
                tails.extend((metric_id, g, (objective, metric, titles[(GOAL, g)])) for g in goals)
            else:
                tails.append((metric_id, None, (objective, metric)))
        if not tails:
            tails.append((None, None, (objective,)))
        for i in initiatives:
            head = heads.get(i)
            if head is None:
                initiative = titles[(INITIATIVE, i)]
                factors = t.factors_of.get(i)
                head = heads[i] = (
                    [(f, (titles[(FACTOR, f)], initiative)) for f in factors]
                    if factors
                    else [(None, (initiative,))]
                )
            for f, start in head:
                for m, g, end in tails:
                    chains.append(Chain(o, i, f, m, g, start + end))
    return tuple(chains)


def trace_chains(graph: nx.DiGraph, objective_id: int | None = None) -> tuple[Chain, ...]:
    """Every chain through an active initiative, for one objective or all of them.

    A chain runs (factor ->) initiative -> objective (-> metric (-> goal)): an
    initiative that addresses no factor starts the chain itself, an objective with no
    metric ends it, and a metric without a goal ends it at the metric. Chains come in
    objective, initiative, factor, metric and goal id order.
    """
    return chains_from_tally(tally(graph), objective_id)
