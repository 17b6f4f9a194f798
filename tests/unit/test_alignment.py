"""Phase 2 alignment: the graph, the gaps, the score, load, chains and budget, by hand."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import networkx as nx
import pytest

from workbench.analysis import alignment
from workbench.analysis.alignment import (
    SCORE_FORMULA,
    AlignmentInput,
    Dependency,
    FactorLink,
    FactorRecord,
    GoalRecord,
    InitiativeRecord,
    MetricLink,
    MetricRecord,
    ObjectiveLink,
    ObjectiveRecord,
    PrincipleLink,
    PrincipleRecord,
    analyse,
    build_graph,
    trace_chains,
)


def factor(ident: int, polarity: str = "barrier", importance: int = 3) -> FactorRecord:
    return FactorRecord(ident, f"F{ident}", "organisational_driver", polarity, importance)


def objective(ident: int, parent: int | None = None) -> ObjectiveRecord:
    return ObjectiveRecord(ident, f"O{ident}", "customer", parent)


def initiative(ident: int, status: str = "approved", **extra: object) -> InitiativeRecord:
    return InitiativeRecord(ident, f"I{ident}", status=status, **extra)  # type: ignore[arg-type]


def principle(ident: int, position: int | None = None) -> PrincipleRecord:
    return PrincipleRecord(ident, f"p{ident}", f"P{ident}", ident if position is None else position)


def one_of_each() -> AlignmentInput:
    return AlignmentInput(
        factors=[factor(1)],
        objectives=[objective(1)],
        initiatives=[initiative(1, department="Service", budget=1000.0, spend=250.0)],
        principles=[principle(1)],
        objective_links=[ObjectiveLink(1, 1, "strong")],
        principle_links=[PrincipleLink(1, 1)],
        factor_links=[FactorLink(1, 1)],
        metrics=[MetricRecord(1, "CSAT", "Service")],
        goals=[GoalRecord(1, 1, "CSAT 70 -> 80")],
        metric_links=[MetricLink(1, 1)],
    )


# --- empty and minimal inputs -------------------------------------------------------


def test_empty_input() -> None:
    data = AlignmentInput()
    assert build_graph(data).number_of_nodes() == 0
    report = analyse(data)
    for gap in (
        report.unaligned_initiatives,
        report.objectives_unserved,
        report.objectives_without_metrics,
        report.metrics_without_goals,
        report.principles_unapplied,
        report.barriers_unaddressed,
        report.initiatives_without_principles,
        report.dropped_initiatives,
    ):
        assert gap == ()
    assert report.score is None
    assert [c.value for c in report.score_components] == [None] * 4
    assert report.load_bearing == ()
    assert report.chains == ()
    assert report.objective_coverage.dense() == ()
    assert report.principle_coverage.rows == ()
    assert report.budget.total.budget == 0.0
    assert report.budget.total.initiatives == 0
    assert [line.key for line in report.budget.by_status] == [
        "proposed",
        "approved",
        "in_progress",
        "done",
        "dropped",
    ]
    assert report.budget.by_objective == report.budget.by_principle == ()
    assert set(report.dangling.values()) == {0}
    assert report.self_links == 0


def test_one_of_each_is_fully_aligned() -> None:
    report = analyse(one_of_each())
    assert report.unaligned_initiatives == ()
    assert report.objectives_unserved == ()
    assert report.objectives_without_metrics == ()
    assert report.metrics_without_goals == ()
    assert report.principles_unapplied == ()
    assert report.barriers_unaddressed == ()
    assert report.initiatives_without_principles == ()
    # every share is 1/1 (the one link is strong, worth 1) -> 100 x 4/4
    assert report.score == pytest.approx(100.0)
    # load: sole server of O1 (3/3 = 1) + sole remedy of F1 (1/1 = 1) + no dependants
    (only,) = report.load_bearing
    assert (only.initiative_id, only.load, only.objectives, only.barriers) == (1, 2.0, 1, 1)
    (chain,) = report.chains
    assert chain.labels == ("F1", "I1", "O1", "CSAT", "CSAT 70 -> 80")
    assert chain.nodes == (
        ("factor", 1),
        ("initiative", 1),
        ("objective", 1),
        ("metric", 1),
        ("goal", 1),
    )
    assert report.budget.total.budget == 1000.0
    assert report.budget.total.remaining == 750.0


def test_graph_conventions() -> None:
    data = replace(
        one_of_each(),
        initiatives=[initiative(1), initiative(2)],
        objectives=[objective(1), objective(2, parent=1)],
        dependencies=[Dependency(initiative_id=2, depends_on_id=1)],
    )
    graph = build_graph(data)
    assert list(graph.nodes) == [
        ("factor", 1),
        ("initiative", 1),
        ("initiative", 2),
        ("objective", 1),
        ("objective", 2),
        ("principle", 1),
        ("metric", 1),
        ("goal", 1),
    ]
    assert graph.nodes["initiative", 1]["label"] == "I1"
    assert graph.nodes["initiative", 1]["active"] is True
    assert graph.nodes["goal", 1]["record"] == GoalRecord(1, 1, "CSAT 70 -> 80")
    kinds = {(u, v): kind for u, v, kind in graph.edges(data="kind")}
    assert kinds == {
        (("factor", 1), ("initiative", 1)): "addresses",
        (("initiative", 1), ("objective", 1)): "contributes",
        (("initiative", 1), ("principle", 1)): "applies",
        (("initiative", 1), ("initiative", 2)): "precedes",  # prerequisite -> dependant
        (("metric", 1), ("objective", 1)): "measures",
        (("goal", 1), ("metric", 1)): "targets",
        (("objective", 2), ("objective", 1)): "refines",  # child -> parent
    }
    edge = graph.edges[("initiative", 1), ("objective", 1)]
    assert (edge["contribution"], edge["weight"]) == ("strong", 3)


def test_contribution_weights_and_repeated_links() -> None:
    data = AlignmentInput(
        objectives=[objective(1), objective(2), objective(3)],
        initiatives=[initiative(1)],
        objective_links=[
            ObjectiveLink(1, 1, "weak"),
            ObjectiveLink(1, 1, "strong"),  # a repeat: the strongest wins
            ObjectiveLink(1, 1, "moderate"),
            ObjectiveLink(1, 2, "moderate"),
            ObjectiveLink(1, 3, "weak"),
        ],
        principle_links=[PrincipleLink(1, 1)],  # principle 1 is unknown here
    )
    graph = build_graph(data)
    weights = {v[1]: w for _, v, w in graph.edges(data="weight")}
    assert weights == {1: 3, 2: 2, 3: 1}
    assert graph.number_of_edges() == 3
    assert analyse(data).objective_coverage.dense() == (("strong", "moderate", "weak"),)


def test_unknown_ids_are_ignored_and_counted() -> None:
    data = AlignmentInput(
        factors=[factor(1)],
        objectives=[objective(1, parent=99)],
        initiatives=[initiative(1)],
        principles=[principle(1)],
        objective_links=[ObjectiveLink(1, 99, "strong"), ObjectiveLink(99, 1, "weak")],
        principle_links=[PrincipleLink(1, 99)],
        factor_links=[FactorLink(99, 1), FactorLink(1, 99)],
        dependencies=[Dependency(1, 99)],
        metrics=[MetricRecord(1, "NPS")],
        goals=[GoalRecord(1, 99)],
        metric_links=[MetricLink(99, 1), MetricLink(1, 99)],
    )
    graph = build_graph(data)
    assert graph.number_of_edges() == 0
    assert graph.number_of_nodes() == 6  # unknown ids never become nodes
    report = analyse(data)
    assert report.dangling == {
        "objective_links": 2,
        "principle_links": 1,
        "factor_links": 2,
        "dependencies": 1,
        "metric_links": 2,
        "goals": 1,
        "objective_parents": 1,
    }
    assert report.unaligned_initiatives == (1,)


def test_self_links_are_ignored_and_counted() -> None:
    data = AlignmentInput(
        objectives=[objective(1, parent=1), objective(2)],
        initiatives=[initiative(1), initiative(2)],
        dependencies=[Dependency(1, 1), Dependency(2, 1)],
        metrics=[MetricRecord(1, "CES")],
        metric_links=[MetricLink(1, 1)],  # metric 1 -> objective 1 is not a self-link
    )
    graph = build_graph(data)
    assert nx.number_of_selfloops(graph) == 0
    assert graph.has_edge(("initiative", 1), ("initiative", 2))
    assert graph.has_edge(("metric", 1), ("objective", 1))
    report = analyse(data)
    assert report.self_links == 2  # initiative 1 on itself, objective 1 as its own parent
    assert set(report.dangling.values()) == {0}


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="contribution 'huge'"):
        build_graph(
            AlignmentInput(
                objectives=[objective(1)],
                initiatives=[initiative(1)],
                objective_links=[ObjectiveLink(1, 1, "huge")],
            )
        )
    with pytest.raises(ValueError, match="status 'paused'"):
        build_graph(AlignmentInput(initiatives=[initiative(1, status="paused")]))
    with pytest.raises(ValueError, match="polarity"):
        build_graph(AlignmentInput(factors=[factor(1, polarity="neutral")]))


# --- dropped initiatives and the gap lists ---------------------------------------------


def test_dropped_initiatives_stay_in_graph_but_count_for_nothing() -> None:
    data = AlignmentInput(
        factors=[factor(1), factor(2)],
        objectives=[objective(1), objective(2)],
        initiatives=[
            initiative(1, budget=100.0),
            initiative(2, status="dropped", budget=40.0, spend=30.0),
        ],
        principles=[principle(1), principle(2)],
        objective_links=[ObjectiveLink(1, 1, "strong"), ObjectiveLink(2, 2, "strong")],
        principle_links=[PrincipleLink(1, 1), PrincipleLink(2, 2)],
        factor_links=[FactorLink(1, 1), FactorLink(2, 2)],
    )
    graph = build_graph(data)
    assert graph.nodes["initiative", 2]["active"] is False
    assert graph.has_edge(("initiative", 2), ("objective", 2))
    report = analyse(data)
    assert report.dropped_initiatives == (2,)
    assert report.objectives_unserved == (2,)
    assert report.principles_unapplied == (2,)
    assert report.barriers_unaddressed == (2,)
    assert report.unaligned_initiatives == ()  # a dropped initiative is not a gap
    assert report.objective_coverage.initiatives == (1,)
    assert report.principle_coverage.initiatives == (1,)
    assert [row.initiative_id for row in report.load_bearing] == [1]
    assert [chain.initiative_id for chain in report.chains] == [1]
    # aligned 1/1, served 1/2, principles 1/2, barriers 1/2 -> 100 x 2.5/4 = 62.5
    assert report.score == pytest.approx(62.5)
    # the budget still counts the dropped initiative
    assert (report.budget.total.budget, report.budget.total.spend) == (140.0, 30.0)
    dropped = report.budget.by_status[-1]
    assert (dropped.key, dropped.budget, dropped.spend, dropped.initiatives) == (
        "dropped",
        40.0,
        30.0,
        1,
    )
    assert report.budget.by_objective[1].budget == 40.0


def test_every_gap_list() -> None:
    data = AlignmentInput(
        factors=[
            factor(1, "barrier", 2),
            factor(2, "barrier", 5),
            factor(3, "barrier", 2),
            factor(4, "enabler", 5),  # not a barrier: never a gap
            factor(5, "barrier", 4),
        ],
        objectives=[objective(3), objective(1), objective(2)],
        initiatives=[initiative(3), initiative(1), initiative(2)],
        principles=[principle(1, position=3), principle(2, position=1), principle(3, position=2)],
        objective_links=[ObjectiveLink(2, 2, "weak")],
        principle_links=[PrincipleLink(3, 3)],
        factor_links=[FactorLink(2, 5)],
        metrics=[MetricRecord(2, "FCR"), MetricRecord(1, "Churn")],
        goals=[GoalRecord(1, 2)],
        metric_links=[MetricLink(1, 3)],
    )
    report = analyse(data)
    assert report.unaligned_initiatives == (1, 3)
    assert report.objectives_unserved == (1, 3)
    assert report.objectives_without_metrics == (1, 2)
    assert report.metrics_without_goals == (1,)
    assert report.principles_unapplied == (2, 1)  # display positions 1 and 3
    assert report.barriers_unaddressed == (2, 1, 3)  # heaviest first, then by id
    assert report.initiatives_without_principles == (1, 2)


# --- the score ----------------------------------------------------------------------------


def scored() -> AlignmentInput:
    return AlignmentInput(
        factors=[factor(1, "barrier", 5), factor(2, "barrier", 2), factor(3, "driver", 4)],
        objectives=[objective(1), objective(2), objective(3), objective(4)],
        initiatives=[initiative(1), initiative(2), initiative(3), initiative(4, "dropped")],
        principles=[principle(1), principle(2), principle(3), principle(4)],
        objective_links=[
            ObjectiveLink(1, 1, "strong"),
            ObjectiveLink(2, 1, "weak"),
            ObjectiveLink(2, 2, "weak"),
            ObjectiveLink(4, 3, "strong"),  # dropped: serves nothing
        ],
        principle_links=[PrincipleLink(1, 1), PrincipleLink(3, 2), PrincipleLink(4, 3)],
        factor_links=[FactorLink(2, 1), FactorLink(3, 3)],
    )


def test_score_components_by_hand() -> None:
    report = analyse(scored())
    parts = {c.key: (c.numerator, c.denominator) for c in report.score_components}
    # (a) I1 and I2 link to an objective, I3 does not; I4 is dropped -> 2/3
    assert parts["initiatives_aligned"] == (2, 3)
    # (b) O1 best strong = 1, O2 best weak = 1/3, O3 only dropped = 0, O4 = 0 -> (4/3)/4
    numerator, denominator = parts["objectives_served"]
    assert (numerator, denominator) == (pytest.approx(4 / 3), 4)
    # (c) P1 (by I1) and P2 (by I3); P3 only by the dropped I4 -> 2/4
    assert parts["principles_applied"] == (2, 4)
    # (d) barrier F1 addressed by I2, barrier F2 by nobody (F3 is a driver) -> 1/2
    assert parts["barriers_addressed"] == (1, 2)
    # score = 100 x (2/3 + 1/3 + 1/2 + 1/2) / 4 = 100 x 2/4 = 50
    assert report.score == pytest.approx(50.0)
    assert report.component("objectives_served").value == pytest.approx(1 / 3)


def test_empty_shares_are_left_out_of_the_mean() -> None:
    data = replace(scored(), factors=[factor(3, "driver", 4)], factor_links=[])
    report = analyse(data)
    assert report.component("barriers_addressed").value is None
    # 100 x (2/3 + 1/3 + 1/2) / 3 = 50
    assert report.score == pytest.approx(50.0)
    # objectives alone, none served: one share of 0 -> 0, not "no score"
    only_objectives = analyse(AlignmentInput(objectives=[objective(1)]))
    assert only_objectives.score == 0.0


def test_formula_is_in_report_and_module_docstring() -> None:
    def squash(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    report = analyse(AlignmentInput())
    assert report.score_formula == SCORE_FORMULA
    assert squash(SCORE_FORMULA) in squash(alignment.__doc__ or "")
    assert "strong 1, moderate 2/3, weak 1/3" in SCORE_FORMULA


# --- load-bearing initiatives ---------------------------------------------------------------


def test_load_bearing_order_by_hand() -> None:
    data = AlignmentInput(
        factors=[factor(1), factor(2), factor(3, "enabler")],
        objectives=[objective(1), objective(2)],
        initiatives=[initiative(i) for i in (1, 2, 3, 4, 6)] + [initiative(5, "dropped")],
        objective_links=[
            ObjectiveLink(1, 1, "strong"),
            ObjectiveLink(2, 1, "weak"),
            ObjectiveLink(2, 2, "moderate"),
            ObjectiveLink(5, 2, "strong"),  # dropped: adds no weight
        ],
        factor_links=[FactorLink(1, 1), FactorLink(3, 1), FactorLink(3, 2), FactorLink(6, 3)],
        dependencies=[Dependency(4, 1), Dependency(5, 1)],  # I5 is dropped
    )
    rows = {row.initiative_id: row for row in analyse(data).load_bearing}
    # O1 total weight 3 + 1 = 4: I1 gets 3/4, I2 gets 1/4; O2 has I2 alone: +1.
    # F1 is shared by I1 and I3: 1/2 each; F2 by I3 alone: 1. F3 is an enabler: 0.
    # I1 = 0.75 + 0.5 + 1 active dependant (I4) = 2.25
    # I2 = 0.25 + 1 = 1.25;  I3 = 0.5 + 1 = 1.5;  I4 = I6 = 0 (tie -> by id)
    assert list(rows) == [1, 3, 2, 4, 6]
    assert rows[1].load == pytest.approx(2.25)
    assert (rows[1].objective_share, rows[1].barrier_share, rows[1].dependants) == (
        pytest.approx(0.75),
        pytest.approx(0.5),
        1,
    )
    assert rows[2].load == pytest.approx(1.25)
    assert (rows[2].objectives, rows[2].barriers) == (2, 0)
    assert rows[3].load == pytest.approx(1.5)
    assert rows[3].barriers == 2
    assert rows[6].load == 0.0


# --- chains -------------------------------------------------------------------------------


def chained() -> AlignmentInput:
    return AlignmentInput(
        factors=[factor(2), factor(1)],
        objectives=[objective(1), objective(2), objective(3)],
        initiatives=[initiative(2), initiative(1), initiative(3, "dropped")],
        objective_links=[
            ObjectiveLink(2, 1, "weak"),
            ObjectiveLink(1, 1, "strong"),
            ObjectiveLink(1, 2, "strong"),
            ObjectiveLink(3, 3, "strong"),
        ],
        factor_links=[FactorLink(1, 2), FactorLink(1, 1)],
        metrics=[MetricRecord(2, "M2"), MetricRecord(1, "M1")],
        goals=[GoalRecord(2, 1), GoalRecord(1, 1, "G1")],
        metric_links=[MetricLink(1, 1), MetricLink(2, 1)],
    )


def test_chains_by_hand() -> None:
    report = analyse(chained())
    o1 = report.chains_for(1)
    # O1 tails: M1 -> G1, M1 -> G2, M2 (no goal) = 3
    # O1 heads: I1 with F1, I1 with F2, I2 with no factor = 3; 3 x 3 = 9 chains
    assert len(o1) == 9
    assert [c.labels for c in o1[:3]] == [
        ("F1", "I1", "O1", "M1", "G1"),
        ("F1", "I1", "O1", "M1", "Goal 2"),  # a goal without a label is named by id
        ("F1", "I1", "O1", "M2"),
    ]
    assert o1[-1].labels == ("I2", "O1", "M2")
    assert o1[-1].nodes == (("initiative", 2), ("objective", 1), ("metric", 2))
    assert [(c.initiative_id, c.factor_id, c.metric_id, c.goal_id) for c in o1[3:6]] == [
        (1, 2, 1, 1),
        (1, 2, 1, 2),
        (1, 2, 2, None),
    ]
    # O2 has no metric, so its chains end at the objective; O3 is served only by a dropped one
    assert [c.labels for c in report.chains_for(2)] == [("F1", "I1", "O2"), ("F2", "I1", "O2")]
    assert report.chains_for(3) == ()
    assert len(report.chains) == 11


def test_trace_chains_on_a_graph() -> None:
    graph = build_graph(chained())
    assert trace_chains(graph, 2) == analyse(chained()).chains_for(2)
    assert trace_chains(graph) == analyse(chained()).chains
    assert trace_chains(graph, 999) == ()


# --- coverage and budget -----------------------------------------------------------------


def test_coverage_matrices() -> None:
    report = analyse(scored())
    coverage = report.objective_coverage
    assert coverage.initiatives == (1, 2, 3)
    assert coverage.objectives == (1, 2, 3, 4)
    assert coverage.dense() == (
        ("strong", None, None, None),
        ("weak", "weak", None, None),
        (None, None, None, None),
    )
    assert coverage.contribution(2, 2) == "weak"
    assert coverage.contribution(3, 1) is None
    principles = report.principle_coverage
    assert principles.principles == (1, 2, 3, 4)
    assert principles.rows == (
        (True, False, False, False),
        (False, False, False, False),
        (False, True, False, False),
    )
    assert principles.applies(3, 2) is True
    assert principles.applies(4, 3) is False  # dropped initiatives have no row


def test_budget_sums_by_hand() -> None:
    data = AlignmentInput(
        objectives=[objective(1), objective(2)],
        initiatives=[
            initiative(1, "approved", department="Service", budget=1000.0, spend=400.0),
            initiative(2, "done", department="IT", budget=500.0),
            initiative(3, "proposed", spend=50.0),
            initiative(4, "dropped", department="Service", budget=200.0, spend=200.0),
        ],
        principles=[principle(1)],
        objective_links=[
            ObjectiveLink(1, 1, "strong"),
            ObjectiveLink(1, 2, "weak"),
            ObjectiveLink(2, 1, "weak"),
            ObjectiveLink(4, 2, "weak"),
        ],
        principle_links=[PrincipleLink(1, 1)],
    )
    budget = analyse(data).budget

    def lines(rows: tuple) -> list[tuple]:
        return [(r.key, r.label, r.budget, r.spend, r.initiatives) for r in rows]

    # total: budget 1000 + 500 + 0 + 200 = 1700; spend 400 + 0 + 50 + 200 = 650
    assert (budget.total.budget, budget.total.spend, budget.total.initiatives) == (1700, 650, 4)
    # O1: I1 + I2 = 1500 / 400; O2: I1 + I4 = 1200 / 600 (I1 counts in full under both)
    assert lines(budget.by_objective) == [
        (1, "O1", 1500.0, 400.0, 2),
        (2, "O2", 1200.0, 600.0, 2),
        (None, "No objective", 0.0, 50.0, 1),
    ]
    assert lines(budget.by_department) == [
        ("IT", "IT", 500.0, 0.0, 1),
        ("Service", "Service", 1200.0, 600.0, 2),
        ("", "No department", 0.0, 50.0, 1),
    ]
    assert lines(budget.by_status) == [
        ("proposed", "Proposed", 0.0, 50.0, 1),
        ("approved", "Approved", 1000.0, 400.0, 1),
        ("in_progress", "In progress", 0.0, 0.0, 0),
        ("done", "Done", 500.0, 0.0, 1),
        ("dropped", "Dropped", 200.0, 200.0, 1),
    ]
    # P1: I1 only; no principle: I2 + I3 + I4 = 700 / 250
    assert lines(budget.by_principle) == [
        (1, "P1", 1000.0, 400.0, 1),
        (None, "No principle", 700.0, 250.0, 3),
    ]
    assert "counts in full under each" in budget.note
    assert budget.by_objective[1].remaining == 600.0


# --- determinism ---------------------------------------------------------------------------


def test_input_order_does_not_change_the_report() -> None:
    rng = random.Random(7)
    factors = [factor(i, rng.choice(("driver", "barrier")), rng.randint(1, 5)) for i in range(30)]
    objectives = [objective(i) for i in range(20)]
    initiatives = [initiative(i, rng.choice(("approved", "dropped", "done"))) for i in range(60)]
    data = AlignmentInput(
        factors=factors,
        objectives=objectives,
        initiatives=initiatives,
        principles=[principle(i) for i in range(1, 9)],
        objective_links=[
            ObjectiveLink(rng.randrange(60), rng.randrange(20), rng.choice(("strong", "weak")))
            for _ in range(150)
        ],
        principle_links=[PrincipleLink(rng.randrange(60), rng.randint(1, 8)) for _ in range(80)],
        factor_links=[FactorLink(rng.randrange(60), rng.randrange(30)) for _ in range(90)],
    )

    def shuffled(items: list) -> list:
        copy = list(items)
        rng.shuffle(copy)
        return copy

    other = AlignmentInput(
        **{name: shuffled(list(getattr(data, name))) for name in data.__dataclass_fields__}
    )
    first, second = analyse(data), analyse(other)
    assert first == second
    assert [row.load for row in first.load_bearing] == [row.load for row in second.load_bearing]
