"""Time the StratML and ArchiMate writers and the StratML reader on a large synthetic workspace.

The workspace has 1,000 objectives (200 goals with four objectives each), 2,000 initiatives,
500 factors, 300 metrics with 60 measurements each, 100 stakeholders and 20 processes, and
about 12,000 links, drawn with a fixed seed. The writers take plain records, so the figures
cover building and serialising the XML, not reading the database. Each figure is the median
of three runs, with the file size.

    python bench/exchange_xml.py [--seed N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from workbench.exchange.archimate import build_model
from workbench.exchange.records import (
    ContributionLink,
    ExchangeData,
    FactorRecord,
    InitiativeRecord,
    MeasurementRecord,
    MetricRecord,
    ObjectiveRecord,
    PrincipleRecord,
    ProcessRecord,
    RaciRecord,
    StakeholderRecord,
    WorkspaceRecord,
)
from workbench.exchange.stratml import (
    build_performance_plan,
    build_strategic_plan,
    parse_strategic_plan,
)

CATEGORIES = ("business_need", "organisational_driver", "technology_driver", "environmental_factor")
POLARITIES = ("driver", "enabler", "barrier")


def workspace(seed: int) -> ExchangeData:
    """Build the synthetic workspace."""
    rng = random.Random(seed)
    objectives = []
    for goal in range(200):
        goal_id = goal * 5 + 1
        objectives.append(ObjectiveRecord(goal_id, f"Goal {goal}", "Why it matters. " * 5))
        objectives += [
            ObjectiveRecord(goal_id + n, f"Objective {goal}.{n}", "How. " * 5, parent_id=goal_id)
            for n in range(1, 5)
        ]
    objective_ids = [o.id for o in objectives]
    initiatives = [InitiativeRecord(i, f"Initiative {i}", "Plan. " * 10) for i in range(1, 2001)]
    factors = [
        FactorRecord(f, f"Factor {f}", rng.choice(CATEGORIES), rng.choice(POLARITIES))
        for f in range(1, 501)
    ]
    start = date(2025, 1, 1)
    metrics = [
        MetricRecord(
            m,
            f"Metric {m}",
            unit="%",
            baseline=50.0,
            target=80.0,
            measurements=tuple(
                MeasurementRecord(start + timedelta(days=7 * w), rng.uniform(40, 90))
                for w in range(60)
            ),
        )
        for m in range(1, 301)
    ]
    contributions = {
        (rng.randint(1, 2000), rng.choice(objective_ids)): rng.choice(("strong", "weak"))
        for _ in range(6000)
    }
    return ExchangeData(
        workspace=WorkspaceRecord(1, "Bench", values="Care\nCandour"),
        objectives=objectives,
        initiatives=initiatives,
        factors=factors,
        principles=[PrincipleRecord(p, f"p{p}", f"Principle {p}") for p in range(1, 9)],
        stakeholders=[StakeholderRecord(s, f"Stakeholder {s}") for s in range(1, 101)],
        processes=[ProcessRecord(p, f"Process {p}", steps=("a", "b")) for p in range(1, 21)],
        raci=sorted(
            {RaciRecord(rng.randint(1, 20), rng.randint(1, 100), ("R",)) for _ in range(300)},
            key=lambda r: (r.process_id, r.stakeholder_id),
        ),
        metrics=metrics,
        contributions=[ContributionLink(i, o, c) for (i, o), c in sorted(contributions.items())],
        principle_links=sorted({(rng.randint(1, 2000), rng.randint(1, 8)) for _ in range(3000)}),
        factor_links=sorted({(rng.randint(1, 2000), rng.randint(1, 500)) for _ in range(2000)}),
        dependencies=sorted({(i, i - 1) for i in range(2, 2001, 3)}),
        metric_links=sorted({(rng.randint(1, 300), rng.choice(objective_ids)) for _ in range(600)}),
    )


def _median(run: Callable[[], object]) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(3):
        began = time.perf_counter()
        result = run()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), result


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=17)
    data = workspace(parser.parse_args().seed)
    print(
        f"{len(data.objectives)} objectives, {len(data.initiatives)} initiatives, "
        f"{len(data.factors)} factors, {len(data.metrics)} metrics"
    )
    part1 = b""
    for label, build in (
        ("StratML Part 1", build_strategic_plan),
        ("StratML Part 2", build_performance_plan),
        ("ArchiMate", build_model),
    ):
        seconds, document = _median(lambda build=build: build(data))
        assert isinstance(document, bytes)
        part1 = document if label == "StratML Part 1" else part1
        print(f"{label:16} {seconds * 1000:8.1f} ms  {len(document) / 1024:8.0f} KiB")
    seconds, plan = _median(lambda: parse_strategic_plan(part1))
    print(f"{'read Part 1':16} {seconds * 1000:8.1f} ms  {plan.objective_count()} objectives")


if __name__ == "__main__":
    main()
