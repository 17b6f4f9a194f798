"""The storyboard's summary page and decisions: the ask, the recommendation, status at a
glance, top risks, and every open point settled on an owner and a date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import board
from workbench.analysis.board import Decision, Owned
from workbench.analysis.dates import format_date
from workbench.analysis.decisions import OpenPoint
from workbench.analysis.delivery import LATE, NOT_STARTED, DeliveryPlan
from workbench.analysis.measures import format_measure
from workbench.analysis.perspective import PerspectiveFacts, coverage, written_perspective
from workbench.analysis.phasing import phase_budgets
from workbench.models import Membership, Role, User, Workspace
from workbench.services import scorecards
from workbench.services.alignment_views import Alignment
from workbench.services.report_values import SiteExtremes
from workbench.services.report_values_economics import Economics
from workbench.services.report_values_operating import AssessmentSection

DONE = "done"
PROPOSED = "proposed"
LEAD_FALLBACK = "The strategy lead"
TOP_RISKS = 5


@dataclass(frozen=True)
class Ask:
    """What the board is asked to fund: money in the workspace currency, dates ISO."""

    currency: str
    new_budget: float  # proposed initiatives, not yet approved
    new_count: int
    committed_budget: float  # approved and in progress
    committed_count: int
    spent: float  # spent so far on the work still to deliver
    delivered_count: int
    first_start: str | None
    last_end: str | None
    undated_count: int
    dropped_count: int
    total: float  # the budget of all the work still to deliver
    by_year: tuple[tuple[int, float], ...]  # that budget phased by calendar year
    undated_budget: float  # the part of it without dates to phase it by


@dataclass(frozen=True)
class Summary:
    """The one-page answer: what, how much, by when, and whether it is sound."""

    recommendation: str
    ask: Ask
    goals: dict[str, int]
    delivery: dict[str, int]
    risks: tuple[str, ...]
    perspective: str
    perspective_written_by_team: bool
    lead: str
    coverage: str  # how the active initiatives and the objectives meet, one sentence


def lead_name(session: Session, workspace: Workspace) -> str:
    """The person decisions fall to when the data names nobody: the workspace's lead."""
    rows = session.execute(
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id, Membership.role == Role.FACILITATOR)
        .order_by(Membership.id)
    ).all()
    for user_id, name in rows:
        if user_id == workspace.created_by_id:
            return str(name)
    return str(rows[0][1]) if rows else LEAD_FALLBACK


def _ask(view: Alignment, delivery: DeliveryPlan, currency: str) -> Ask:
    ahead = [i for i in view.data.initiatives if i.active and i.status != DONE]
    phasing = phase_budgets(ahead)
    total = round(sum(i.budget or 0.0 for i in ahead))
    years = _rounded_years(phasing.by_year)
    new = [i for i in ahead if i.status == PROPOSED]
    committed = [i for i in ahead if i.status != PROPOSED]
    starts = [i.start for i in ahead if i.start]
    ends = [i.end for i in ahead if i.end]
    return Ask(
        currency=currency,
        new_budget=round(sum(i.budget or 0.0 for i in new)),
        new_count=len(new),
        committed_budget=round(sum(i.budget or 0.0 for i in committed)),
        committed_count=len(committed),
        spent=round(sum(i.spend or 0.0 for i in ahead)),
        delivered_count=len(delivery.delivered),
        first_start=min(starts).isoformat() if starts else None,
        last_end=max(ends).isoformat() if ends else None,
        undated_count=sum(1 for i in ahead if not i.end),
        dropped_count=sum(1 for i in view.data.initiatives if not i.active),
        total=total,
        by_year=years,
        # What the rounded years leave of the rounded total, so the two always reconcile.
        undated_budget=total - sum(amount for _year, amount in years),
    )


def _rounded_years(years: Sequence[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    """Round each year so the rounded years add up to the rounded sum of the years."""
    rounded, running, shown = [], 0.0, 0
    for year, amount in years:
        running += amount
        rounded.append((year, float(round(running) - shown)))
        shown = round(running)
    return tuple(rounded)


def _off_track(cards: Sequence[scorecards.MetricCard], currency: str) -> list[tuple[Owned, str]]:
    rows = []
    for card in cards:
        if card.status_key != "off_track" or card.goal is None:
            continue
        unit = card.metric.unit
        detail = (
            f"latest {format_measure(card.latest, unit, currency)} against a target of "
            f"{format_measure(card.goal.target, unit, currency)}"
        )
        if card.goal.target_date:
            detail += f" by {format_date(card.goal.target_date)}"
        rows.append((Owned(card.metric.name, card.metric.owner, card.goal.target_date), detail))
    return rows


def _stale(cards: Sequence[scorecards.MetricCard]) -> list[tuple[Owned, str]]:
    rows = []
    for card in cards:
        judged = card.freshness
        if not card.is_stale or judged is None or judged.latest is None or judged.due_on is None:
            continue
        detail = (
            f"the last reading is from {format_date(judged.latest)} and the next was due on "
            f"{format_date(judged.due_on)}"
        )
        rows.append((Owned(card.metric.name, card.metric.owner, None), detail))
    return rows


def _stale_sites(sites: Sequence[SiteExtremes]) -> list[tuple[Owned, str, str]]:
    # A metric with no recent data at all has its own decision to restart its readings;
    # one decision per site as well would ask the same owner the same thing again.
    return [
        (
            Owned(row.metric, row.owner, None),
            site.site,
            f"the last reading is {site.last_value} from "
            f"{format_date(date.fromisoformat(site.last_reading))} and the next was due on "
            f"{format_date(date.fromisoformat(site.next_due))}",
        )
        for row in sites
        if not row.metric_stale
        for site in row.stale
    ]


def _risks(
    assessment: AssessmentSection,
    off_track: Sequence[tuple[Owned, str]],
    view: Alignment,
    delivery: DeliveryPlan,
    economics: Economics,
) -> tuple[str, ...]:
    risks = []
    case = economics.case
    if economics.saved and case.npv < 0:
        risks.append(
            f"Business case: at a {economics.target_rate}% recovery rate the programme does not "
            f"pay back within {case.horizon_years} years (a net present value of "
            f"{economics.currency} {case.npv:,})"
        )
    risks += [f"Barrier: {title}" for title in assessment.heavy_barriers[:2]]
    risks += [f"Goal off track: {item.title}, {detail}" for item, detail in off_track[:2]]
    late = [view.initiative_titles[i] for i, flags in delivery.flags.items() if flags]
    if late:
        risks.append(
            f"Delivery: {len(late)} initiative{'s' if len(late) != 1 else ''} to re-plan, "
            f"among them “{late[0]}”"
        )
    risks += [
        f"Readiness: {title.lower()} scores {score or 0:.0f} out of 100"
        for title, score in assessment.weak_dimensions[:2]
    ]
    return tuple(risks[:TOP_RISKS])


def _points(
    assessment: AssessmentSection,
    view: Alignment,
    delivery: DeliveryPlan,
    cards: Sequence[scorecards.MetricCard],
    today: date,
    currency: str,
    sites: Sequence[SiteExtremes] = (),
) -> list[OpenPoint]:
    data, report = view.data, view.report
    initiatives = {i.id: i for i in data.initiatives}
    objectives = {o.id: o for o in data.objectives}
    points = board.condition_points(assessment.heavy_barriers, assessment.weak_dimensions)
    points += board.gap_points(
        [
            Owned(initiatives[i].title, initiatives[i].owner, initiatives[i].start)
            for i in report.unaligned_initiatives
        ],
        [
            Owned(objectives[o].title, objectives[o].owner, objectives[o].due)
            for o in report.objectives_unserved
        ],
        [view.factor_titles[f] for f in report.barriers_unaddressed],
        [view.principle_names[p] for p in report.principles_unapplied],
        today,
    )
    points += board.delivery_points(
        [
            (
                Owned(initiatives[i].title, initiatives[i].owner, None),
                [flag.reason for flag in flags],
            )
            for i, flags in delivery.flags.items()
        ]
    )
    points += board.goal_points(
        _off_track(cards, currency),
        [Owned(card.metric.name, card.metric.owner, None) for card in cards if card.goal is None],
    )
    points += board.stale_points(_stale(cards))
    points += board.stale_site_points(_stale_sites(sites))
    return points


def summary_and_decisions(
    session: Session,
    workspace: Workspace,
    today: date,
    assessment: AssessmentSection,
    view: Alignment,
    delivery: DeliveryPlan,
    currency: str,
    operating_points: Sequence[OpenPoint],
    economics: Economics,
    cards: Sequence[scorecards.MetricCard],
    sites: Sequence[SiteExtremes] = (),
) -> tuple[Summary, tuple[Decision, ...]]:
    """Build the summary page and the settled decisions of the (scoped) workspace.

    `sites` are the metrics' best and worst sites; each site whose readings stopped is a
    decision for the metric's owner to restart them."""
    goals = Counter(card.status_key for card in cards)
    lead = lead_name(session, workspace)
    points = _points(assessment, view, delivery, cards, today, currency, sites)
    points += list(operating_points)
    points += board.business_case_points(
        economics.saved,
        economics.case.compensation_per_year > 0,
        economics.case.target_dated,
    )
    points += board.input_gap_points(
        (c.subject, c.used, c.measured, c.metric, c.on, c.owner)
        for c in economics.case.checks
        if c.differs
    )
    active = [i for i in view.data.initiatives if i.active]
    facts = PerspectiveFacts(
        verdict=assessment.verdict,
        index=assessment.index,
        factor_score=assessment.factor_score,
        readiness_score=assessment.readiness_score,
        weakest=assessment.weak_dimensions,
        heavy_barriers=assessment.heavy_barriers,
        initiatives=len(active),
        objectives=len(view.data.objectives),
        unserved=len(view.report.objectives_unserved),
        goals=goals,
        flagged_initiatives=delivery.flagged,
    )
    written = workspace.analyst_perspective.strip()
    summary = Summary(
        recommendation=board.recommendation(
            assessment.verdict,
            economics.case.npv >= 0 if economics.saved else None,
        ),
        ask=_ask(view, delivery, currency),
        goals=dict(goals),
        delivery={
            "late": delivery.count(LATE),
            "not_started": delivery.count(NOT_STARTED),
            "flagged": delivery.flagged,
            "in_progress": sum(1 for i in active if i.status == "in_progress"),
            "done": len(delivery.delivered),
        },
        risks=_risks(assessment, _off_track(cards, currency), view, delivery, economics),
        perspective=written or written_perspective(facts),
        perspective_written_by_team=bool(written),
        lead=lead,
        coverage=coverage(
            len(active),
            sum(1 for i in active if i.id not in set(view.report.unaligned_initiatives)),
            len(view.data.objectives),
            len(view.data.objectives) - len(view.report.objectives_unserved),
        ),
    )
    return summary, board.settle(points, lead, today)
