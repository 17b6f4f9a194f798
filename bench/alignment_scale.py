"""Time the Phase 2 alignment analysis on a large synthetic workspace against a bare graph build.

The workspace has 10,000 initiatives, 1,000 objectives, 8 TQM principles, 500 factors
and 50,000 links (20,000 initiative-objective, 15,000 initiative-principle, 10,000
initiative-factor and 5,000 acyclic dependencies), drawn with a fixed seed.

Two figures, each the median of three runs:
  (a) reference: a bare networkx DiGraph built from the same records with one plain
      ``add_node`` per record and one plain ``add_edge`` per link, no attributes;
  (b) analysis: ``analyse()`` followed by ``roadmap_waves()``.
The target is (b) within 5x of (a). Both are timed twice: with the cyclic garbage
collector paused during each run (as ``timeit`` does) and with it on. A full
collection costs time in proportion to everything alive in the process, so the
second pair varies more from run to run.

    python bench/alignment_scale.py [--seed N]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable

import networkx as nx

from workbench.analysis.alignment import (
    AlignmentInput,
    Dependency,
    FactorLink,
    FactorRecord,
    InitiativeRecord,
    ObjectiveLink,
    ObjectiveRecord,
    PrincipleLink,
    PrincipleRecord,
    analyse,
    roadmap_waves,
)

INITIATIVES = 10_000
OBJECTIVES = 1_000
PRINCIPLES = 8
FACTORS = 500
OBJECTIVE_LINKS = 20_000
PRINCIPLE_LINKS = 15_000
FACTOR_LINKS = 10_000
DEPENDENCIES = 5_000
TARGET_RATIO = 5.0

DEPARTMENTS = ("Marketing", "Sales", "Service", "IT", "Operations", "Finance")
STATUSES = ("proposed", "approved", "in_progress", "done", "dropped")
STATUS_WEIGHTS = (30, 25, 25, 15, 5)


def synthetic_workspace(seed: int) -> AlignmentInput:
    """Draw a reproducible workspace of the sizes above."""
    rng = random.Random(seed)
    factors = [
        FactorRecord(
            id=i,
            title=f"Factor {i}",
            category=rng.choice(("business_need", "organisational_driver", "environmental")),
            polarity=rng.choice(("driver", "enabler", "barrier")),
            importance=rng.randint(1, 5),
        )
        for i in range(1, FACTORS + 1)
    ]
    objectives = [
        ObjectiveRecord(
            id=i,
            title=f"Objective {i}",
            perspective=rng.choice(("customer", "financial", "internal", "learning")),
            parent_id=rng.randint(1, i - 1) if i > 20 and rng.random() < 0.5 else None,
        )
        for i in range(1, OBJECTIVES + 1)
    ]
    statuses = rng.choices(STATUSES, weights=STATUS_WEIGHTS, k=INITIATIVES)
    initiatives = [
        InitiativeRecord(
            id=i,
            title=f"Initiative {i}",
            department=rng.choice(DEPARTMENTS),
            status=statuses[i - 1],
            budget=float(rng.randrange(1_000, 100_000, 500)) if rng.random() < 0.9 else None,
            spend=float(rng.randrange(0, 80_000, 500)) if rng.random() < 0.7 else None,
            approach=rng.choice(("prevent", "recover", None)),
        )
        for i in range(1, INITIATIVES + 1)
    ]
    principles = [
        PrincipleRecord(id=i, key=f"principle_{i}", name=f"Principle {i}", position=i)
        for i in range(1, PRINCIPLES + 1)
    ]
    contributions = rng.choices(("strong", "moderate", "weak"), k=OBJECTIVE_LINKS)
    objective_links = [
        ObjectiveLink(rng.randint(1, INITIATIVES), rng.randint(1, OBJECTIVES), contribution)
        for contribution in contributions
    ]
    principle_links = [
        PrincipleLink(rng.randint(1, INITIATIVES), rng.randint(1, PRINCIPLES))
        for _ in range(PRINCIPLE_LINKS)
    ]
    factor_links = [
        FactorLink(rng.randint(1, INITIATIVES), rng.randint(1, FACTORS))
        for _ in range(FACTOR_LINKS)
    ]
    dependencies = []
    for _ in range(DEPENDENCIES):
        # A prerequisite always has a lower id than its dependant, so no loop can form.
        dependant = rng.randint(2, INITIATIVES)
        dependencies.append(
            Dependency(dependant, rng.randint(max(1, dependant - 500), dependant - 1))
        )
    return AlignmentInput(
        factors=factors,
        objectives=objectives,
        initiatives=initiatives,
        principles=principles,
        objective_links=objective_links,
        principle_links=principle_links,
        factor_links=factor_links,
        dependencies=dependencies,
    )


def bare_build(data: AlignmentInput) -> nx.DiGraph:
    """The reference: the same nodes and edges with plain add_node and add_edge calls."""
    graph = nx.DiGraph()
    for factor in data.factors:
        graph.add_node(("factor", factor.id))
    for initiative in data.initiatives:
        graph.add_node(("initiative", initiative.id))
    for objective in data.objectives:
        graph.add_node(("objective", objective.id))
    for principle in data.principles:
        graph.add_node(("principle", principle.id))
    for link in data.objective_links:
        graph.add_edge(("initiative", link.initiative_id), ("objective", link.objective_id))
    for link in data.principle_links:
        graph.add_edge(("initiative", link.initiative_id), ("principle", link.principle_id))
    for link in data.factor_links:
        graph.add_edge(("factor", link.factor_id), ("initiative", link.initiative_id))
    for link in data.dependencies:
        graph.add_edge(("initiative", link.depends_on_id), ("initiative", link.initiative_id))
    return graph


def full_analysis(data: AlignmentInput) -> tuple[object, list[list[int]]]:
    """The case under test: the alignment report and the roadmap waves."""
    return analyse(data), roadmap_waves(data)


def median_seconds(call: Callable[[], object], *, collect: bool, runs: int = 3) -> float:
    """The median wall-clock time of several runs of one call.

    Each run starts from a fresh collection. With ``collect=False`` the cyclic garbage
    collector is paused during the run, as ``timeit`` does, so a full collection that
    happens to fall inside one case (its cost depends on everything else alive in the
    process) does not swamp the comparison.
    """
    samples = []
    for _ in range(runs):
        gc.collect()
        if not collect:
            gc.disable()
        try:
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return statistics.median(samples)


def main() -> None:
    """Build the workspace, time both cases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()

    data = synthetic_workspace(args.seed)
    links = (
        len(data.objective_links)
        + len(data.principle_links)
        + len(data.factor_links)
        + len(data.dependencies)
    )
    print(
        f"workspace: {len(data.initiatives):,} initiatives, {len(data.objectives):,} objectives, "
        f"{len(data.principles)} principles, {len(data.factors):,} factors, {links:,} links"
    )
    graph = bare_build(data)
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} distinct edges")

    report, waves = full_analysis(data)
    score = "none" if report.score is None else f"{report.score:.1f}"
    print(
        f"result: score {score}, {len(report.chains):,} chains, {len(waves)} waves, "
        f"{len(report.unaligned_initiatives):,} unaligned, "
        f"{len(report.objectives_unserved):,} objectives unserved"
    )

    del graph, report, waves

    rows = []
    for collect, label in ((False, "garbage collector paused"), (True, "garbage collector on")):
        reference = median_seconds(lambda: bare_build(data), collect=collect)
        analysis = median_seconds(lambda: full_analysis(data), collect=collect)
        rows.append((label, reference, analysis, analysis / reference))
    for label, reference, analysis, ratio in rows:
        print(f"{label}:")
        print(f"  (a) bare DiGraph build, median of 3:           {reference * 1000:8.1f} ms")
        print(f"  (b) analyse() + roadmap_waves(), median of 3:  {analysis * 1000:8.1f} ms")
        verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
        print(f"  ratio (b)/(a): {ratio:.2f}x ({verdict} the {TARGET_RATIO:.0f}x target)")


if __name__ == "__main__":
    main()
