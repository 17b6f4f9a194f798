"""The storyboard's report context: typed, frozen values read from the workspace.

Every number the report shows is computed here; templates only lay it out. The reads take
a fixed number of queries whatever the number of rows (tests/integration/test_query_counts.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import economics as economics_model
from workbench.analysis.alignment_metrics import LOAD_FORMULA
from workbench.models import Change, Workspace
from workbench.models.vocabulary import CATEGORY_LABELS, FRICTION_SEVERITY_LABELS
from workbench.services import assessment, economics, operating, organisation, playbook, scorecards
from workbench.services import factors as factor_service
from workbench.services import processes as process_service
from workbench.services.alignment_views import Alignment, alignment
from workbench.services.alignment_views import roadmap as roadmap_view
from workbench.services.report_values import (
    AlignmentSection,
    AssessmentSection,
    BalanceRow,
    Budget,
    ChangeSummary,
    ContributionMatrix,
    DepartmentBudget,
    DepartmentCards,
    Economics,
    EntityCount,
    FactorRow,
    Gaps,
    Graph,
    GraphColumn,
    GraphEdge,
    GraphNode,
    InitiativeRow,
    JourneyStageRow,
    LoadBearing,
    MatrixRow,
    MetricCard,
    MetricsSection,
    ObjectiveRow,
    OperatingSection,
    OrgChange,
    PrincipleMatrix,
    ProcessRaci,
    Readiness,
    Reading,
    ReportContext,
    ScenarioRow,
    ScoreComponent,
    ScoredName,
    StakeholderRow,
    TimelineBar,
    UnitRow,
    WorkspaceText,
)


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def _assessment_section(session: Session) -> AssessmentSection:
    data = assessment.overview(session)
    v = data.viability
    factors = factor_service.list_factors(session)
    readiness = data.readiness
    return AssessmentSection(
        verdict=v.verdict,
        index=_round(v.index),
        factor_score=_round(v.factor_score),
        readiness_score=_round(v.readiness_score),
        support=v.support,
        resistance=v.resistance,
        reasons=tuple(v.reasons),
        heavy_barriers=tuple(v.heavy_barriers),
        weak_dimensions=tuple(
            ScoredName(title, _round(score)) for title, score in v.weak_dimensions
        ),
        factor_count=len(factors),
        balance=tuple(BalanceRow(*row) for row in data.balance_rows),
        factors=tuple(
            FactorRow(f.title, CATEGORY_LABELS[f.category], f.polarity.value, f.importance)
            for f in sorted(factors, key=lambda f: (-f.importance, f.title.lower()))
        ),
        readiness=None
        if readiness is None
        else Readiness(
            respondents=readiness.respondents,
            overall=_round(readiness.overall_score),
            dimensions=tuple(ScoredName(d.title, _round(d.score)) for d in readiness.dimensions),
            discussion=tuple(q.text for q in readiness.discussion_points),
        ),
        journey=tuple(
            JourneyStageRow(
                stage=s.name,
                points=len(s.points),
                heat=s.heat,
                worst=s.worst,
                worst_label=FRICTION_SEVERITY_LABELS.get(s.worst, "none"),
                items=tuple(p.description for p in s.points[:3]),
            )
            for s in data.stages
        ),
    )


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


def _alignment_section(session: Session) -> AlignmentSection:
    view = alignment(session)
    report, data = view.report, view.data
    active = [i for i in data.initiatives if i.status != "dropped"]
    applied = {(link.initiative_id, link.principle_id) for link in data.principle_links}
    contributions = {
        (lk.initiative_id, lk.objective_id): lk.contribution for lk in data.objective_links
    }
    plan = roadmap_view(view)
    titles = view.initiative_titles
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
            ObjectiveRow(o.title, o.perspective.replace("_", " ")) for o in data.objectives
        ),
        initiatives=tuple(
            InitiativeRow(
                title=i.title,
                department=i.department,
                status=i.status.replace("_", " "),
                budget=_round(i.budget, 0),
                spend=_round(i.spend, 0),
                approach=i.approach or "",
                objectives=sum(1 for o in data.objectives if (i.id, o.id) in contributions),
            )
            for i in data.initiatives
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
        budget=Budget(
            total=_round(report.budget.total.budget, 0),
            spend=_round(report.budget.total.spend, 0),
            by_department=tuple(
                DepartmentBudget(b.label, _round(b.budget, 0), _round(b.spend, 0))
                for b in report.budget.by_department
            ),
        ),
        graph=_graph(view),
        waves=tuple(tuple(titles[i] for i in wave) for wave in plan.waves),
        cycle=plan.cycle.message if plan.cycle else None,
        timeline=tuple(
            TimelineBar(i.title, i.start.isoformat(), i.end.isoformat(), i.status)
            for i in active
            if i.start and i.end
        ),
    )


def _processes(session: Session, names: dict[int, str]) -> tuple[ProcessRaci, ...]:
    """Each process's RACI table, read for all processes at once."""
    tables = []
    for matrix in process_service.matrices(session):
        cells = matrix.cells
        people = sorted({pid for _s, pid in cells})
        tables.append(
            ProcessRaci(
                name=matrix.process.name,
                people=tuple(names.get(pid, "?") for pid in people),
                rows=tuple(
                    MatrixRow(
                        f"{s.position}. {s.name}",
                        tuple(
                            cells[(s.id, pid)].role if (s.id, pid) in cells else ""
                            for pid in people
                        ),
                    )
                    for s in matrix.steps
                ),
                violations=tuple(v.message for v in matrix.report.violations),
            )
        )
    return tuple(tables)


def _scenario(view: playbook.ScenarioView) -> ScenarioRow:
    scenario = view.scenario
    return ScenarioRow(
        name=scenario.name,
        severity=scenario.severity,
        foreseeable=scenario.foreseeable,
        responder=scenario.responder,
        message=scenario.customer_message,
        minutes=scenario.target_response_minutes,
        compensation=scenario.compensation_type.replace("_", " "),
        amount=scenario.compensation_amount,
        currency=scenario.currency or "",
        limit=scenario.escalation_limit,
        flags=tuple(view.flags),
    )


def _operating_section(session: Session) -> OperatingSection:
    canvas = operating.canvas(session)
    names = {s.id: s.name for s in canvas.stakeholders}
    diff = organisation.diff(session)
    return OperatingSection(
        needs=tuple(f.title for f in canvas.needs),
        drivers=tuple(f.title for f in canvas.drivers),
        environment=tuple(f.title for f in canvas.environment),
        challenges=tuple(i.title for i in canvas.challenges),
        opportunities=tuple(i.title for i in canvas.opportunities),
        stakeholders=tuple(
            StakeholderRow(
                s.name, s.kind, s.interest, s.influence, operating.quadrant(s.interest, s.influence)
            )
            for s in canvas.stakeholders
        ),
        processes=_processes(session, names),
        target=tuple(UnitRow(u.name, depth) for u, depth in organisation.tree(session, "target")),
        changes=tuple(OrgChange(c.kind, c.name, c.detail) for c in diff.changes),
        scenarios=tuple(_scenario(v) for v in playbook.views(session)),
    )


def _card(card: scorecards.MetricCard) -> MetricCard:
    goal = card.goal
    return MetricCard(
        name=card.metric.name,
        unit=card.metric.unit,
        direction=card.metric.direction.value,
        latest=_round(card.latest, 2),
        baseline=_round(goal.baseline, 2) if goal else None,
        target=_round(goal.target, 2) if goal else None,
        target_date=goal.target_date.isoformat() if goal and goal.target_date else None,
        baseline_date=goal.baseline_date.isoformat() if goal and goal.baseline_date else None,
        status=card.status_key,
        status_label=scorecards.STATUS_LABELS[card.status_key],
        progress=(
            round(card.status.progress * 100)
            if card.status and card.status.progress is not None
            else None
        ),
        points=tuple(Reading(m.measured_on.isoformat(), m.value) for m in card.measurements),
        forecast=tuple(
            Reading(day.isoformat(), round(value, 4))
            for day, value in scorecards.forecast_line(card) or ()
        ),
        min_value=card.metric.min_value,
        max_value=card.metric.max_value,
    )


def _economics(session: Session) -> Economics:
    inputs, result, version, currency = economics.result(session)
    return Economics(
        saved=version > 0,
        currency=currency,
        inputs={name: getattr(inputs, name) for name in economics_model.input_names()},
        customers_retained=round(result.customers_retained),
        revenue_retained=round(result.revenue_retained),
        programme_cost=round(result.programme_cost),
        net_benefit=round(result.net_benefit),
        roi=None if result.roi is None else round(result.roi * 100),
        break_even_rate=(
            None
            if result.break_even_recovery_rate is None
            else round(result.break_even_recovery_rate * 100)
        ),
    )


def _metrics_section(session: Session, today: date) -> MetricsSection:
    return MetricsSection(
        departments=tuple(
            DepartmentCards(
                name=summary.name or "No department",
                metrics=tuple(_card(card) for card in summary.cards),
                counts=dict(summary.counts),
            )
            for summary in scorecards.by_department(scorecards.cards(session, today))
        ),
        economics=_economics(session),
    )


def _changes(session: Session) -> ChangeSummary:
    rows = session.execute(
        select(Change.entity, func.count(Change.id)).group_by(Change.entity)
    ).all()
    last = session.scalar(select(func.max(Change.changed_at)))
    return ChangeSummary(
        by_entity=tuple(sorted(EntityCount(entity, count) for entity, count in rows)),
        last_change=last.isoformat(timespec="minutes") if last else None,
    )


def _workspace(workspace: Workspace) -> WorkspaceText:
    return WorkspaceText(
        name=workspace.name,
        industry=workspace.industry,
        purpose=workspace.purpose,
        vision=workspace.vision,
        mission=workspace.mission,
        values=workspace.values,
        corporate_goals=workspace.corporate_goals,
        current_state=workspace.current_state,
        future_state=workspace.future_state,
        analyst_perspective=workspace.analyst_perspective,
        executive_summary=workspace.executive_summary,
    )


def build_context(session: Session, workspace: Workspace, today: date) -> ReportContext:
    """Gather everything the storyboard shows of the (scoped) workspace, as of `today`."""
    return ReportContext(
        workspace=_workspace(workspace),
        as_of=today.isoformat(),
        assessment=_assessment_section(session),
        alignment=_alignment_section(session),
        operating=_operating_section(session),
        metrics=_metrics_section(session, today),
        changes=_changes(session),
    )
