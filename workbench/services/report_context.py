"""The storyboard's report context: typed, frozen values read from the workspace.

Every number the report shows is computed here; templates only lay it out. The reads take
a fixed number of queries whatever the number of rows (tests/integration/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.delivery import plan_delivery
from workbench.analysis.delivery_health import assess_all
from workbench.analysis.viability import verdict_sentence
from workbench.models import Change, Workspace
from workbench.models.vocabulary import CATEGORY_LABELS, FRICTION_SEVERITY_LABELS
from workbench.services import (
    assessment,
    branding,
    economics_report,
    evidence,
    operating,
    organisation,
    playbook,
    process_links,
    scorecards,
    site_views,
)
from workbench.services import departments as department_service
from workbench.services import factors as factor_service
from workbench.services import processes as process_service
from workbench.services import report_operating as sections
from workbench.services.alignment_views import alignment
from workbench.services.board_packs import PackChoice, resolve_pack
from workbench.services.currency import workspace_currency
from workbench.services.report_alignment import alignment_section, department_label
from workbench.services.report_applications import application_section
from workbench.services.report_approach import approach_section
from workbench.services.report_board import summary_and_decisions
from workbench.services.report_drills import drill_section
from workbench.services.report_pack import commentary_values, pack_value
from workbench.services.report_risks import risk_section, with_risk_decisions
from workbench.services.report_stories import front_line_section
from workbench.services.report_values import (
    ChangeSummary,
    DepartmentCards,
    MetricCard,
    MetricsSection,
    Reading,
    ReportContext,
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


def _operating_section(
    session: Session,
    views: Sequence[playbook.ScenarioView],
    currency: str,
    known: dict[str, str],
    today: date,
) -> OperatingSection:
    canvas = operating.canvas(session)
    names = {s.id: s.name for s in canvas.stakeholders}
    diff = organisation.diff(session)
    matrices = process_service.matrices(session)
    toughest = evidence.toughest_customers()
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
        processes=sections.raci_tables(matrices, names, process_links.links_by_process(session)),
        target=tuple(UnitRow(u.name, depth) for u, depth in organisation.tree(session, "target")),
        changes=tuple(OrgChange(c.kind, c.name, c.detail) for c in diff.changes),
        scenarios=tuple(sections.scenario_row(v) for v in views),
        open_points=tuple(sections.scenario_points(views) + sections.raci_points(matrices, names)),
        applications=application_section(session, currency, known, today),
        toughest_title=toughest.title if views else "",
        toughest=toughest.summary if views else "",
        drills=drill_section(session, today, [v.scenario for v in views]),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _card(card: scorecards.MetricCard) -> MetricCard:
    goal = card.goal
    judged = card.freshness
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
        points=tuple(Reading(m.on.isoformat(), m.value) for m in card.series),
        forecast=tuple(
            Reading(day.isoformat(), round(value, 4))
            for day, value in scorecards.forecast_line(card) or ()
        ),
        min_value=card.metric.min_value,
        max_value=card.metric.max_value,
        last_reading=_iso(judged.latest) if judged else None,
        next_due=_iso(judged.due_on) if judged else None,
        stale_since=_iso(card.stale_since),
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
                name=department_label(known, summary.name),
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
        sites=site_views.storyboard_extremes(session, all_cards, today, currency),
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


def build_context(
    session: Session, workspace: Workspace, today: date, pack: PackChoice | None = None
) -> ReportContext:
    """Gather everything the storyboard shows of the (scoped) workspace, as of `today`.

    `pack` chooses the sections and their order; without one, every section is shown.
    """
    chosen = pack if pack is not None else resolve_pack(session, None)
    currency = workspace_currency(session)
    view = alignment(session)
    data = view.data
    delivery = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    health = assess_all(data.initiatives, data.milestones, delivery.flags, today)
    assessment_section = _assessment_section(session)
    # Read once: the playbook chapter and the prevent-or-recover reading share the scenarios.
    scenario_views = playbook.views(session)
    # One read of the department register gives every chapter its display names.
    known = department_service.names(session)
    operating_section = _operating_section(session, scenario_views, currency, known, today)
    # Read once: the metrics chapter and the summary's goals, risks and decisions share them.
    cards = scorecards.cards(session, today)
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
        metrics_section.sites,
    )
    # The register reads its risks and links; the portfolio it weighs them against is the
    # alignment view's. Its gaps join the decisions, each barrier decided once.
    risks, risk_points, settled = risk_section(session, view.data, today)
    decisions = with_risk_decisions(decisions, risk_points, settled, summary.lead, today)
    return ReportContext(
        workspace=_workspace(workspace),
        as_of=today.isoformat(),
        assessment=assessment_section,
        alignment=alignment_section(
            view,
            delivery,
            health,
            currency,
            known,
            approach_section(view, scenario_views, currency, workspace),
        ),
        operating=operating_section,
        metrics=metrics_section,
        risks=risks,
        front_line=front_line_section(session, [v.scenario for v in scenario_views], known, today),
        changes=_changes(session),
        summary=summary,
        decisions=decisions,
        pack=pack_value(chosen),
        commentary=commentary_values(session, chosen),
        branding=branding.report_branding(session, workspace.name),
    )
