"""The workspace's recovery economics: stored inputs, defaults with sources, and the result.

Today's recovery rate, the baseline the programme is measured against, is taken from the
team's Recovery rate metric when one has a figure: the goal's baseline (the rate before
the programme started), else the latest reading. Only a metric adopted from the library's
`recovery_rate` template, or one named "Recovery rate" and measured in percent, counts.
Without one, the rate the team entered in the calculator is used; without that, none is
known and the figures are measured against no recovery (and say so).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workbench.analysis import economics as model
from workbench.analysis.business_case import MAX_DISCOUNT_RATE, MAX_HORIZON, MIN_HORIZON
from workbench.analysis.business_case_sensitivity import RANGE_FIELDS, validate_ranges
from workbench.analysis.programme_cost import BudgetLine, CostReconciliation, reconcile
from workbench.models import EconomicsCase, Goal, Initiative, Measurement, Metric
from workbench.models.alignment import InitiativeStatus
from workbench.models.vocabulary import DEFAULT_CURRENCY
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import ServiceError

INPUTS = model.input_names()
CASE_FIELDS = ("horizon_years", "discount_rate", *RANGE_FIELDS)
"""Settings of the business case saved with the inputs."""
DEFAULT_HORIZON = 5
DEFAULT_DISCOUNT_RATE = 0.08
RECOVERY_RATE_TEMPLATE = "recovery_rate"

RateOrigin = Literal["baseline", "reading", "entered", "assumed", "unknown"]


@dataclass(frozen=True)
class CurrentRate:
    """Today's recovery rate (a share, None if unknown) and where it comes from."""

    rate: float | None
    origin: RateOrigin
    metric: str | None = None
    on: str | None = None

    @property
    def measured(self) -> bool:
        """Whether the rate comes from the team's measurements rather than an entry."""
        return self.origin in ("baseline", "reading")

    def origin_text(self) -> str:
        """Say where today's rate comes from, without the rate itself."""
        if self.origin == "baseline":
            return f"the baseline of the {self.metric} metric on {self.on}"
        if self.origin == "reading":
            return f"the latest reading of the {self.metric} metric, on {self.on}"
        if self.origin == "entered":
            return "as entered by the team"
        if self.origin == "assumed":
            return "an illustrative assumption until the team enters or measures its own"
        return "not known"

    def describe(self) -> str:
        """Say what today's rate is and where it comes from, as one sentence."""
        if self.rate is None:
            return "No recovery rate for today is known."
        return f"{self.rate * 100:.0f}%, {self.origin_text()}."


@dataclass(frozen=True)
class EconomicsView:
    """The inputs, today's rate, the result and the cost reconciliation of a workspace."""

    inputs: model.EconomicsInputs
    current: CurrentRate
    result: model.EconomicsResult
    costs: CostReconciliation
    version: int
    currency: str

    @property
    def saved(self) -> bool:
        """Whether the team saved its own figures (otherwise they are illustrative)."""
        return self.version > 0

    @property
    def kept_against_none(self) -> float:
        """Customers a year the programme would seem to keep if measured against no recovery."""
        return model.compute(self.inputs, 0.0).customers_retained


def current_inputs(session: Session) -> tuple[model.EconomicsInputs, int, str]:
    """Return the saved inputs (or the cited defaults), their version (0 if unsaved), currency."""
    case = session.scalar(select(EconomicsCase))
    if case is None:
        return model.DEFAULTS, 0, DEFAULT_CURRENCY
    values = {name: getattr(case, name) for name in INPUTS}
    return model.EconomicsInputs(**values), case.version, case.currency


def current_settings(session: Session) -> dict[str, Any]:
    """Return the business case's saved horizon, discount rate and ranges, or the defaults."""
    return settings_of(session.scalar(select(EconomicsCase)))


def settings_of(case: EconomicsCase | None) -> dict[str, Any]:
    """The business case settings a stored case holds, or the defaults without one."""
    if case is None:
        return {"horizon_years": DEFAULT_HORIZON, "discount_rate": DEFAULT_DISCOUNT_RATE}
    return {name: getattr(case, name) for name in CASE_FIELDS}


def save_inputs(
    session: Session, loaded_version: int | None, values: dict[str, Any], currency: str
) -> EconomicsCase:
    """Save the inputs after checking them; refuse a stale save."""
    inputs = model.EconomicsInputs(**{name: values[name] for name in INPUTS})
    settings = {name: values[name] for name in CASE_FIELDS if name in values}
    # Without a horizon or discount rate (a form that does not ask), the saved ones stay.
    for name in ("horizon_years", "discount_rate"):
        if settings.get(name) is None:
            settings.pop(name, None)
    problems = model.validate_inputs(inputs) + _case_problems(inputs, settings)
    if problems:
        raise ServiceError(" ".join(problems))
    case = session.scalar(select(EconomicsCase))
    if case is None:
        if loaded_version != 0:
            raise ServiceError("Reload the page: the inputs were removed meanwhile.")
        case = EconomicsCase(**asdict(inputs), **settings, currency=currency)
        session.add(case)
    else:
        apply_versioned_edit(
            case,
            loaded_version,
            {**asdict(inputs), **settings, "currency": currency},
            "The economics inputs",
        )
    session.flush()
    return case


def recovery_rate_metric(session: Session) -> Metric | None:
    """Return the metric that measures the recovery rate the formula assumes, if any."""
    return session.scalar(
        select(Metric)
        .where(
            or_(
                Metric.template_key == RECOVERY_RATE_TEMPLATE,
                (func.lower(Metric.name) == "recovery rate") & (Metric.unit == "percent"),
            )
        )
        # The library's metric first: its definition is the one the formula assumes.
        .order_by(
            (Metric.template_key == RECOVERY_RATE_TEMPLATE).desc(), Metric.position, Metric.id
        )
        .limit(1)
    )


def recovery_rate_goal(session: Session, metric: Metric) -> Goal | None:
    """Return the goal set on the recovery rate metric, if any."""
    return session.scalar(select(Goal).where(Goal.metric_id == metric.id))


def _case_problems(inputs: model.EconomicsInputs, settings: dict[str, Any]) -> list[str]:
    """Messages for the business case's horizon, discount rate and ranges that cannot be used."""
    problems: list[str] = []
    horizon = settings.get("horizon_years")
    if horizon is not None and not MIN_HORIZON <= horizon <= MAX_HORIZON:
        problems.append(f"The business case covers {MIN_HORIZON} to {MAX_HORIZON} years.")
    rate = settings.get("discount_rate")
    if rate is not None and not 0 <= rate <= MAX_DISCOUNT_RATE:
        problems.append("The discount rate must lie between 0% and 50% a year.")
    return problems + validate_ranges(inputs, settings)


def measured_rate(session: Session) -> CurrentRate | None:
    """Return today's recovery rate from the Recovery rate metric, if it has a figure."""
    metric = recovery_rate_metric(session)
    if metric is None:
        return None
    goal = recovery_rate_goal(session, metric)
    if goal is not None and goal.baseline is not None and 0 <= goal.baseline <= 100:
        on = _day(goal.baseline_date) if goal.baseline_date else "undated"
        return CurrentRate(goal.baseline / 100.0, "baseline", metric.name, on)
    reading = session.scalar(
        select(Measurement)
        .where(Measurement.metric_id == metric.id)
        .order_by(Measurement.measured_on.desc())
        .limit(1)
    )
    if reading is not None and 0 <= reading.value <= 100:
        return CurrentRate(reading.value / 100.0, "reading", metric.name, _day(reading.measured_on))
    return None


def budget_lines(session: Session) -> list[BudgetLine]:
    """Return every initiative's budget with whether it was dropped."""
    rows = session.execute(select(Initiative.budget, Initiative.status)).all()
    return [
        BudgetLine(None if budget is None else float(budget), status == InitiativeStatus.DROPPED)
        for budget, status in rows
    ]


def view(session: Session) -> EconomicsView:
    """Compute the economics on the increment over today's rate, with the costs reconciled."""
    inputs, version, currency = current_inputs(session)
    current = measured_rate(session)
    if current is None:
        entered = inputs.current_recovery_rate
        origin: RateOrigin = "entered" if version > 0 else "assumed"
        current = CurrentRate(entered, origin if entered is not None else "unknown")
    outcome = model.compute(inputs, current.rate)
    costs = reconcile(budget_lines(session), outcome.fixed_cost, outcome.handling_cost)
    return EconomicsView(inputs, current, outcome, costs, version, currency)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
