"""A small workspace entered from scratch, for storyboard layout checks and figures."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workbench.models import (
    Factor,
    FailureScenario,
    Goal,
    Initiative,
    InitiativeObjective,
    Measurement,
    Metric,
    Objective,
)


def fill_small_workspace(session: Session) -> None:
    """Enter a library service's first rows: factors, an objective, work, a scenario, a metric."""
    session.add_all(
        [
            Factor(
                title="Members wait in long queues at the counter on Saturdays",
                polarity="barrier",
                importance=4,
                category="business_need",
            ),
            Factor(
                title="A new self-service library system arrives next spring",
                polarity="enabler",
                importance=3,
                category="technology_driver",
            ),
        ]
    )
    objective = Objective(
        title="Answer every member complaint within two working days",
        perspective="customer",
        owner="Priya Shah, head of member services",
        due_date=date(2027, 9, 30),
    )
    initiative = Initiative(
        title="One complaint form for every branch, online and at the desk",
        owner="Tom Reid",
        department="member services",
        status="approved",
        budget=18_000,
        start_date=date(2027, 1, 10),
        end_date=date(2027, 6, 30),
    )
    session.add_all([objective, initiative])
    session.flush()
    session.add(
        InitiativeObjective(
            initiative_id=initiative.id, objective_id=objective.id, contribution="strong"
        )
    )
    session.add(
        FailureScenario(
            name="A reserved book is not on the hold shelf",
            severity="medium",
            foreseeable=True,
            responder="Branch supervisor",
            customer_message="We are sorry: we will find it or order it in today.",
            target_response_minutes=30,
        )
    )
    metric = Metric(
        name="Complaints answered within two days",
        unit="percent",
        direction="higher",
        owner="Priya Shah",
        department="member services",
    )
    session.add(metric)
    session.flush()
    session.add(
        Goal(
            metric_id=metric.id,
            baseline=40,
            baseline_date=date(2026, 6, 30),
            target=90,
            target_date=date(2027, 9, 30),
        )
    )
    session.add_all(
        [
            Measurement(metric_id=metric.id, measured_on=date(2026, 9, 30), value=44),
            Measurement(metric_id=metric.id, measured_on=date(2026, 11, 30), value=51),
        ]
    )
