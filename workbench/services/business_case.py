"""The workspace's business case: the economics inputs laid out over years from the plan.

The years start with the programme: the first start date of an initiative that is not
dropped, else this year. The recovery rate climbs from today's rate on that day to the
target on the target date of the Recovery rate goal; without one it is assumed to reach
the target a year after the start, and the case says so. The one-off investment is the
budget of every initiative that is not dropped, phased over its dates. Compensation is
what the playbook expects to pay: each scenario's remedy value times the cases the team
expects a year, for the scenarios where both are entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import business_case as model
from workbench.analysis import business_case_sensitivity as uncertainty
from workbench.analysis import input_checks
from workbench.analysis.alignment_records import InitiativeRecord
from workbench.analysis.economics import LABELS
from workbench.analysis.phasing import phase_budgets
from workbench.models import EconomicsCase, FailureScenario, Initiative, Measurement, Metric
from workbench.models.alignment import InitiativeStatus
from workbench.services import economics as economics_service


@dataclass(frozen=True)
class CaseView:
    """The business case of a workspace, its scenarios and sensitivity, and what is assumed."""

    economics: economics_service.EconomicsView
    plan: model.CasePlan
    case: model.BusinessCase
    scenarios: uncertainty.Scenarios
    swings: tuple[uncertainty.Swing, ...]
    ranges: dict[str, uncertainty.Range]
    tracking: model.Tracking
    ramp_from_goal: bool
    compensation_scenarios: int
    compensation_other_currency: int
    checks: tuple[input_checks.InputCheck, ...]

    def base_value(self, name: str) -> float:
        """The base value of an input, as the calculator holds it."""
        return float(getattr(self.economics.inputs, name))

    @property
    def labels(self) -> dict[str, str]:
        """Names of the uncertain inputs as the reader knows them."""
        return {name: LABELS[name] for name in uncertainty.UNCERTAIN_INPUTS}


def _entered_ranges(case: EconomicsCase | None) -> dict[str, uncertainty.Range]:
    if case is None:
        return {}
    return uncertainty.entered_ranges(
        {name: getattr(case, name) for name in uncertainty.RANGE_FIELDS}
    )


def _compensation(session: Session, currency: str) -> tuple[float, int, int]:
    """Yearly compensation the playbook expects in the case's currency, from how many
    scenarios, and how many priced scenarios were left out for another currency."""
    rows = session.execute(
        select(
            FailureScenario.compensation_amount,
            FailureScenario.expected_cases_per_year,
            FailureScenario.currency,
        )
    ).all()
    priced = [(amount, cases, unit) for amount, cases, unit in rows if amount and cases]
    counted = [(amount, cases) for amount, cases, unit in priced if unit == currency]
    return (
        sum(float(amount) * cases for amount, cases in counted),
        len(counted),
        len(priced) - len(counted),
    )


def _active_initiatives(session: Session) -> list[InitiativeRecord]:
    """Budget and dates of every initiative that is not dropped, as phasing reads them."""
    rows = session.execute(
        select(
            Initiative.id,
            Initiative.title,
            Initiative.budget,
            Initiative.start_date,
            Initiative.end_date,
        ).where(Initiative.status != InitiativeStatus.DROPPED)
    ).all()
    return [
        InitiativeRecord(
            row.id,
            row.title,
            budget=None if row.budget is None else float(row.budget),
            start=row.start_date,
            end=row.end_date,
        )
        for row in rows
    ]


def _latest(session: Session, template_key: str, scale: float) -> input_checks.Measured | None:
    """The latest reading of the workspace's metric adopted from a library template."""
    row = session.execute(
        select(Measurement.value, Measurement.measured_on, Metric.name, Metric.owner)
        .join(Metric, Metric.id == Measurement.metric_id)
        .where(Metric.template_key == template_key)
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return input_checks.Measured(row.value * scale, row.measured_on, row.name, row.owner)


def _checks(
    session: Session, economics: economics_service.EconomicsView
) -> tuple[input_checks.InputCheck, ...]:
    """The inputs set against the team's measurements of the same things, where measured."""
    checks = []
    retention = _latest(session, "retention_after_complaint", 0.01)
    if retention is not None and 0 <= retention.value <= 1:
        current = economics.result.current_recovery_rate or 0.0
        checks.append(input_checks.check_retention(economics.inputs, current, retention))
    value = _latest(session, "customer_lifetime_value", 1.0)
    if value is not None:
        checks.append(input_checks.check_lifetime_value(economics.inputs, value))
    volume = session.scalar(select(Metric).where(Metric.template_key == "complaint_volume"))
    if volume is not None:
        readings = session.execute(
            select(Measurement.measured_on, Measurement.value).where(
                Measurement.metric_id == volume.id
            )
        ).all()
        year = input_checks.measured_year([(day, value) for day, value in readings])
        if year is not None:
            total, latest = year
            measured = input_checks.Measured(total, latest, volume.name, volume.owner)
            checks.append(input_checks.check_complaints(economics.inputs, measured))
    return tuple(checks)


def _readings(session: Session, metric: Metric | None) -> list[tuple[date, float]]:
    if metric is None:
        return []
    rows = session.execute(
        select(Measurement.measured_on, Measurement.value).where(Measurement.metric_id == metric.id)
    ).all()
    return [(day, value / 100.0) for day, value in rows if 0 <= value <= 100]


def build_view(session: Session, today: date | None = None) -> CaseView:
    """Lay the workspace's economics out over years, with scenarios and benefits to date."""
    today = today or date.today()
    economics = economics_service.view(session)
    stored = session.scalar(select(EconomicsCase))
    settings = economics_service.settings_of(stored)
    initiatives = _active_initiatives(session)
    starts = [i.start for i in initiatives if i.start]
    programme_start = min(starts) if starts else today
    phasing = phase_budgets(initiatives)
    metric = economics_service.recovery_rate_metric(session)
    goal = economics_service.recovery_rate_goal(session, metric) if metric else None
    ramp_end = goal.target_date if goal is not None and goal.target_date else None
    compensation, priced, other_currency = _compensation(session, economics.currency)
    plan = model.CasePlan(
        first_year=programme_start.year,
        horizon_years=settings["horizon_years"],
        discount_rate=settings["discount_rate"],
        current_rate=economics.result.current_recovery_rate or 0.0,
        ramp_start=programme_start,
        ramp_end=max(ramp_end, programme_start)
        if ramp_end
        else programme_start + timedelta(days=365),
        investment_by_year=dict(phasing.by_year),
        undated_investment=phasing.undated,
        compensation_per_year=compensation,
    )
    ranges = uncertainty.ranges_for(economics.inputs, _entered_ranges(stored))
    swings = uncertainty.sensitivity(economics.inputs, plan, ranges)
    three = uncertainty.scenarios(economics.inputs, plan, ranges, swings)
    return CaseView(
        economics=economics,
        plan=plan,
        case=three.base,
        scenarios=three,
        swings=swings,
        ranges=ranges,
        tracking=model.track(economics.inputs, plan, _readings(session, metric), today),
        ramp_from_goal=ramp_end is not None,
        compensation_scenarios=priced,
        compensation_other_currency=other_currency,
        checks=_checks(session, economics),
    )


def as_record(case: CaseView) -> dict[str, Any]:
    """The business case as plain data for the API: unrounded amounts in the case's currency."""
    c, p, t = case.case, case.plan, case.tracking
    return {
        "currency": case.economics.currency,
        "saved": case.economics.saved,
        "horizon_years": p.horizon_years,
        "discount_rate": p.discount_rate,
        "current_recovery_rate": p.current_rate,
        "target_recovery_rate": case.economics.inputs.recovery_success_rate,
        "ramp_start": p.ramp_start.isoformat(),
        "ramp_end": p.ramp_end.isoformat(),
        "ramp_end_from_goal": case.ramp_from_goal,
        "compensation_per_year": p.compensation_per_year,
        "years": [
            {
                "year": row.year,
                "recovery_rate": row.recovery_rate,
                "customers_kept": row.customers_kept,
                "lifetime_value_kept": row.value_kept,
                "investment": row.investment,
                "running_cost": row.running_cost,
                "compensation": row.compensation,
                "net": row.net,
                "cumulative_net": row.cumulative_net,
                "present_value": row.present_value,
            }
            for row in c.years
        ],
        "npv": c.npv,
        "roi": c.roi,
        "payback_years": c.payback_years,
        "break_even_rate": c.break_even_rate,
        "investment_after_horizon": c.investment_after_horizon,
        "scenarios": {
            name: {
                "npv": scenario.npv,
                "roi": scenario.roi,
                "payback_years": scenario.payback_years,
            }
            for name, scenario in (
                ("worse", case.scenarios.low),
                ("base", case.scenarios.base),
                ("better", case.scenarios.high),
            )
        },
        "sensitivity": [
            {
                "input": swing.name,
                "low": swing.low_value,
                "high": swing.high_value,
                "entered": case.ranges[swing.name].entered,
                "npv_at_low": swing.npv_at_low,
                "npv_at_high": swing.npv_at_high,
            }
            for swing in case.swings
        ],
        "benefits_to_date": {
            "planned": t.planned,
            "realised": t.realised,
            "from": t.first_day.isoformat() if t.first_day else None,
            "last_reading": t.last_reading.isoformat() if t.last_reading else None,
        },
    }
