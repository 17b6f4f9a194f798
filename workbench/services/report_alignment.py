"""The storyboard's alignment chapter: score, matrices, gaps, budget, graph and waves.

Built from the alignment view and the delivery plan the report context reads once; this
module adds no query of its own.
"""

from __future__ import annotations

from datetime import date

from workbench.analysis.alignment_metrics import LOAD_FORMULA
from workbench.analysis.delivery import DeliveryPlan
from workbench.analysis.delivery_health import DeliveryHealth
from workbench.analysis.roadmap import DependencyCycleError, roadmap_waves
from workbench.analysis.text import NO_DEPARTMENT
from workbench.services import departments as department_service
from workbench.services.alignment_views import Alignment
from workbench.services.report_approach import ApproachSection
from workbench.services.report_values import (
    AlignmentSection,
    Budget,
    ContributionMatrix,
    DepartmentBudget,
    DroppedRow,
    Gaps,
    Graph,
    GraphColumn,
    GraphEdge,
    GraphNode,
    InitiativeRow,
    LoadBearing,
    MatrixRow,
    ObjectiveRow,
    PrincipleMatrix,
    ScoreComponent,
    Wave,
)
from workbench.services.roadmap import report_roadmap, schedule


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def _graph(view: Alignment) -> Graph:
    """The alignment graph as plain columns and edges; factors only where they matter."""
    data, report = view.data, view.report
    unaddressed = set(report.barriers_unaddressed)
    unaligned = set(report.unaligned_initiatives)
    unserved = set(report.objectives_unserved)
    unapplied = set(report.principles_unapplied)
    linked = {lk.factor_id for lk in data.factor_links}
    factors = tuple(
        GraphNode(f"f{f.id}", f.title, f.polarity, f.id in unaddressed)
        for f in data.factors
        if f.id in linked or f.id in unaddressed
    )
    initiatives = tuple(
        GraphNode(f"i{i.id}", i.title, "initiative", i.id in unaligned)
        for i in data.initiatives
        if i.status != "dropped"
    )
    objectives = tuple(
        GraphNode(f"o{o.id}", o.title, "objective", o.id in unserved) for o in data.objectives
    )
    principles = tuple(
        GraphNode(f"p{p.id}", p.name, "principle", p.id in unapplied) for p in data.principles
    )
    edges = [GraphEdge(f"f{lk.factor_id}", f"i{lk.initiative_id}", "") for lk in data.factor_links]
    edges += [
        GraphEdge(f"i{lk.initiative_id}", f"o{lk.objective_id}", lk.contribution)
        for lk in data.objective_links
    ]
    edges += [
        GraphEdge(f"i{lk.initiative_id}", f"p{lk.principle_id}", "") for lk in data.principle_links
    ]
    return Graph(
        columns=(
            GraphColumn("Factors", factors),
            GraphColumn("Initiatives", initiatives),
            GraphColumn("Objectives", objectives),
            GraphColumn("TQM principles", principles),
        ),
        edges=tuple(edges),
    )


def _gaps(view: Alignment) -> Gaps:
    report, data = view.report, view.data
    return Gaps(
        unaligned=tuple(view.initiative_titles[i] for i in report.unaligned_initiatives),
        unserved=tuple(view.objective_titles[o] for o in report.objectives_unserved),
        barriers=tuple(view.factor_titles[f] for f in report.barriers_unaddressed),
        principles=tuple(view.principle_names[p] for p in report.principles_unapplied),
        without_metrics=tuple(view.objective_titles[o] for o in report.objectives_without_metrics)
        if data.metrics
        else (),
        without_goals=tuple(view.metric_names[m] for m in report.metrics_without_goals),
    )


def department_label(known: dict[str, str], key: str) -> str:
    """Return the display name of a department key, or "No department" for none."""
    return department_service.display_name(known, key) or NO_DEPARTMENT


def _budget(view: Alignment, currency: str, known: dict[str, str]) -> Budget:
    """Budget and spend of the active portfolio by department; dropped work summed apart."""
    active = [i for i in view.data.initiatives if i.active]
    dropped = [i for i in view.data.initiatives if not i.active]
    by_department: dict[str, list[float]] = {}
    for i in active:
        sums = by_department.setdefault(i.department, [0.0, 0.0])
        sums[0] += i.budget or 0.0
        sums[1] += i.spend or 0.0
    return Budget(
        total=_round(sum(i.budget or 0.0 for i in active), 0),
        spend=_round(sum(i.spend or 0.0 for i in active), 0),
        by_department=tuple(
            DepartmentBudget(department_label(known, key), _round(b, 0), _round(sp, 0))
            for key, (b, sp) in sorted(
                by_department.items(),
                key=lambda kv: (kv[0] == "", department_label(known, kv[0]).casefold()),
            )
        ),
        currency=currency,
        dropped_budget=round(sum(i.budget or 0.0 for i in dropped)),
        dropped_spend=round(sum(i.spend or 0.0 for i in dropped)),
    )


def _waves(view: Alignment, delivery: DeliveryPlan) -> tuple[Wave, ...]:
    by_id = {i.id: i for i in view.data.initiatives}
    waves = []
    for wave in delivery.waves:
        starts = [day for i in wave if (day := by_id[i].start)]
        ends = [day for i in wave if (day := by_id[i].end)]
        waves.append(
            Wave(
                tuple(by_id[i].title for i in wave),
                min(starts).isoformat() if starts else None,
                max(ends).isoformat() if ends else None,
            )
        )
    return tuple(waves)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def alignment_section(
    view: Alignment,
    delivery: DeliveryPlan,
    health: dict[int, DeliveryHealth],
    currency: str,
    known: dict[str, str],
    approach: ApproachSection,
) -> AlignmentSection:
    """Return the alignment chapter of the report for the active portfolio."""
    report, data = view.report, view.data
    active = [i for i in data.initiatives if i.active]
    applied = {(link.initiative_id, link.principle_id) for link in data.principle_links}
    contributions = {
        (lk.initiative_id, lk.objective_id): lk.contribution for lk in data.objective_links
    }
    active_ids = {i.id for i in active}
    try:
        roadmap_waves(data)
        cycle = None
    except DependencyCycleError as error:
        cycle = error.message
    return AlignmentSection(
        score=_round(report.score),
        score_formula=report.score_formula,
        components=tuple(
            ScoreComponent(
                c.label,
                _round(c.numerator, 2),
                c.denominator,
                None if c.value is None else round(c.value * 100),
            )
            for c in report.score_components
        ),
        objectives=tuple(
            ObjectiveRow(
                o.title,
                o.perspective.replace("_", " "),
                o.owner,
                _iso(o.due),
                sum(1 for i in active_ids if (i, o.id) in contributions),
            )
            for o in data.objectives
        ),
        initiatives=tuple(
            InitiativeRow(
                title=i.title,
                department=department_label(known, i.department),
                status=i.status.replace("_", " "),
                budget=_round(i.budget, 0),
                spend=_round(i.spend, 0),
                approach=i.approach or "",
                objectives=sum(1 for o in data.objectives if (i.id, o.id) in contributions),
                owner=i.owner,
                start=_iso(i.start),
                end=_iso(i.end),
                flags=tuple(flag.label for flag in delivery.flags.get(i.id, ())),
                reasons=tuple(flag.reason for flag in delivery.flags.get(i.id, ())),
                percent_complete=health[i.id].completion.percent,
                forecast_end=_iso(health[i.id].forecast.end),
                health=health[i.id].health or "",
                health_label=health[i.id].label,
                forecast_risk=health[i.id].forecast_risk,
            )
            for i in active
        ),
        matrix=ContributionMatrix(
            objectives=tuple(o.title for o in data.objectives),
            rows=tuple(
                MatrixRow(
                    i.title, tuple(contributions.get((i.id, o.id), "") for o in data.objectives)
                )
                for i in active
            ),
        ),
        principles=PrincipleMatrix(
            names=tuple(p.name for p in data.principles),
            rows=tuple(
                MatrixRow(i.title, tuple((i.id, p.id) in applied for p in data.principles))
                for i in active
            ),
        ),
        gaps=_gaps(view),
        load_bearing=tuple(
            LoadBearing(lb.title, round(lb.load, 2)) for lb in report.load_bearing[:5]
        ),
        load_formula=LOAD_FORMULA,
        budget=_budget(view, currency, known),
        graph=_graph(view),
        waves=_waves(view, delivery),
        cycle=cycle,
        approach=approach,
        **report_roadmap(data, None if cycle else schedule(data))._asdict(),
        delivered=tuple(view.initiative_titles[i] for i in delivery.delivered),
        dropped=tuple(
            DroppedRow(i.title, _round(i.budget, 0), _round(i.spend, 0))
            for i in data.initiatives
            if not i.active
        ),
    )
