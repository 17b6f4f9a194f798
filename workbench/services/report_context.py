"""The storyboard's report context: typed, frozen values read from the workspace.

Every number the report shows is computed here; templates only lay it out. The reads take
a fixed number of queries whatever the number of rows (tests/integration/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.alignment_metrics import LOAD_FORMULA
from workbench.analysis.delivery import DeliveryPlan, plan_delivery
from workbench.analysis.delivery_health import DeliveryHealth, assess_all
from workbench.analysis.roadmap import DependencyCycleError, roadmap_waves
from workbench.analysis.text import NO_DEPARTMENT
from workbench.analysis.viability import verdict_sentence
from workbench.models import Change, Workspace
from workbench.models.vocabulary import CATEGORY_LABELS, FRICTION_SEVERITY_LABELS
from workbench.services import (
    assessment,
    economics_report,
    operating,
    organisation,
    playbook,
    scorecards,
)
from workbench.services import departments as department_service
from workbench.services import factors as factor_service
from workbench.services import processes as process_service
from workbench.services import report_operating as sections
from workbench.services.alignment_views import Alignment, alignment
from workbench.services.currency import workspace_currency
from workbench.services.report_approach import ApproachSection, approach_section
from workbench.services.report_board import summary_and_decisions
from workbench.services.report_risks import risk_section, with_risk_decisions
from workbench.services.report_values import (
    AlignmentSection,
    Budget,
    ChangeSummary,
    ContributionMatrix,
    DepartmentBudget,
    DepartmentCards,
    DroppedRow,
    Gaps,
    Graph,
    GraphColumn,
    GraphEdge,
    GraphNode,
    InitiativeRow,
    LoadBearing,
    MatrixRow,
    MetricCard,
    MetricsSection,
    ObjectiveRow,
    PrincipleMatrix,
    Reading,
    ReportContext,
    ScoreComponent,
    Wave,
    WorkspaceText,
)
from workbench.services.report_values_operating import (
    AssessmentSection,
    BalanceRow,
    FactorRow,
    FrictionRow,
    JourneyStageRow,
    OperatingSection,
    OrgChange,
    Readiness,
    ScoredName,
    StakeholderRow,
    UnitRow,
)
from workbench.services.roadmap import report_roadmap, schedule


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
        provisional=v.provisional,
        verdict_sentence=verdict_sentence(v),
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
                items=tuple(
                    FrictionRow(
                        p.description,
                        FRICTION_SEVERITY_LABELS.get(p.severity, ""),
                        p.digital_opportunity.strip(),
                    )
                    for p in s.points
                ),
            )
            for s in data.stages
        ),
        capabilities=sections.capability_scores(session),
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


def _department(known: dict[str, str], key: str) -> str:
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
            DepartmentBudget(_department(known, key), _round(b, 0), _round(sp, 0))
            for key, (b, sp) in sorted(
                by_department.items(),
                key=lambda kv: (kv[0] == "", _department(known, kv[0]).casefold()),
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


def _alignment_section(
    view: Alignment,
    delivery: DeliveryPlan,
    health: dict[int, DeliveryHealth],
    currency: str,
    known: dict[str, str],
    approach: ApproachSection,
) -> AlignmentSection:
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
                department=_department(known, i.department),
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


def _operating_section(
    session: Session, views: Sequence[playbook.ScenarioView]
) -> OperatingSection:
    canvas = operating.canvas(session)
    names = {s.id: s.name for s in canvas.stakeholders}
    diff = organisation.diff(session)
    matrices = process_service.matrices(session)
    return OperatingSection(
        needs=sections.canvas_factors(canvas.needs),
        drivers=sections.canvas_factors(canvas.drivers),
        environment=sections.canvas_factors(canvas.environment),
        challenges=tuple(i.title for i in canvas.challenges),
        opportunities=tuple(i.title for i in canvas.opportunities),
        stakeholders=tuple(
            StakeholderRow(
                s.name, s.kind, s.interest, s.influence, operating.quadrant(s.interest, s.influence)
            )
            for s in canvas.stakeholders
        ),
        processes=sections.raci_tables(matrices, names),
        target=tuple(UnitRow(u.name, depth) for u, depth in organisation.tree(session, "target")),
        changes=tuple(OrgChange(c.kind, c.name, c.detail) for c in diff.changes),
        scenarios=tuple(sections.scenario_row(v) for v in views),
        open_points=tuple(sections.scenario_points(views) + sections.raci_points(matrices, names)),
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


def _metrics_section(
    session: Session,
    all_cards: Sequence[scorecards.MetricCard],
    known: dict[str, str],
    today: date,
) -> MetricsSection:
    economics_values = economics_report.report_value(session, today)
    objectives = sections.objective_titles(session)
    currency = economics_values.currency
    return MetricsSection(
        departments=tuple(
            DepartmentCards(
                name=_department(known, summary.name),
                metrics=tuple(_card(card) for card in summary.cards),
                counts=dict(summary.counts),
                lines=tuple(
                    sections.metric_line(card, objectives, currency) for card in summary.cards
                ),
            )
            for summary in scorecards.by_department(all_cards, known)
        ),
        economics=economics_values,
        plans=sections.plan_rows(session, {c.metric.id: c.metric.name for c in all_cards}, known),
    )


def _changes(session: Session) -> ChangeSummary:
    # Counts of recorded changes by kind of row told a board nothing; what changed since the
    # last published version is worked out from the snapshots instead (services/storyboard).
    last = session.scalar(select(func.max(Change.changed_at)))
    return ChangeSummary(last_change=last.isoformat(timespec="minutes") if last else None)


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
    currency = workspace_currency(session)
    view = alignment(session)
    data = view.data
    delivery = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    health = assess_all(data.initiatives, data.milestones, delivery.flags, today)
    assessment_section = _assessment_section(session)
    # Read once: the playbook chapter and the prevent-or-recover reading share the scenarios.
    scenario_views = playbook.views(session)
    operating_section = _operating_section(session, scenario_views)
    # Read once: the metrics chapter and the summary's goals, risks and decisions share them.
    cards = scorecards.cards(session, today)
    # One read of the department register gives every chapter its display names.
    known = department_service.names(session)
    metrics_section = _metrics_section(session, cards, known, today)
    summary, decisions = summary_and_decisions(
        session,
        workspace,
        today,
        assessment_section,
        view,
        delivery,
        currency,
        operating_section.open_points,
        metrics_section.economics,
        cards,
    )
    # The register reads its risks and links; the portfolio it weighs them against is the
    # alignment view's. Its gaps join the decisions, each barrier decided once.
    risks, risk_points, settled = risk_section(session, view.data, today)
    decisions = with_risk_decisions(decisions, risk_points, settled, summary.lead, today)
    return ReportContext(
        workspace=_workspace(workspace),
        as_of=today.isoformat(),
        assessment=assessment_section,
        alignment=_alignment_section(
            view,
            delivery,
            health,
            currency,
            known,
            approach_section(view, scenario_views, currency),
        ),
        operating=operating_section,
        metrics=metrics_section,
        risks=risks,
        changes=_changes(session),
        summary=summary,
        decisions=decisions,
    )
