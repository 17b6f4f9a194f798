"""The storyboard's economics and verdict on the demo and on a fresh workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login, make_user, make_workspace
from workbench.extensions import db
from workbench.models import EconomicsCase, Factor, FactorCategory, Polarity, Workspace
from workbench.services import seeding
from workbench.services.report_context import build_context
from workbench.services.report_values import ReportContext
from workbench.services.tenancy import scope_session

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _demo(app: Flask) -> int:
    with app.app_context():
        seeding.load_catalogues(db.session, SEEDS)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        return demo.id


def _context(app: Flask, workspace_id: int) -> ReportContext:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        return build_context(db.session, workspace, date(2026, 12, 1))


def test_demo_economics_are_measured_on_the_increment_and_reconciled(app: Flask) -> None:
    e = _context(app, _demo(app)).metrics.economics
    assert e.saved and e.currency == "GBP"
    # Today's rate is the Recovery rate metric's baseline (52%), the target 65%.
    assert (e.current_rate, e.target_rate, e.current_rate_measured) == (52, 65, True)
    assert "Recovery rate" in e.current_rate_source and "52%" in e.current_rate_source
    # 6,480 complaints x 13 points = 842 extra; x 0.25 = 211 customers; x 640 = 134,784.
    assert (e.complaints, e.extra_recovered, e.customers_retained) == (6_480, 842, 211)
    assert e.lifetime_value_kept == 134_784
    assert (e.fixed_cost, e.handling_cost, e.programme_cost) == (140_000, 116_640, 256_640)
    assert e.net_benefit == -121_856 and e.roi == -47
    # Break-even: 52% + 256,640 / 1,036,800 = 76.75%, above today's rate.
    assert e.break_even_rate == 77
    # The budget of 337,000 holds a dropped initiative of 30,000, left out here.
    assert (e.investment, e.dropped_budget, e.dropped_initiatives) == (307_000, 30_000, 1)
    assert e.first_year_cost == 307_000 + 256_640
    assert e.fixed_differs_from_budget
    assert "from 52% today to 65%" in e.finding
    assert "lifetime value is GBP 134,784" in e.finding
    assert "does not pay for itself" in e.finding and "Illustrative" not in e.finding
    assert "worth" not in e.finding
    assert (
        "77% of complaints" in e.break_even_statement
        and "25 points above" in e.break_even_statement
    )
    assert "GBP 307,000 once" in e.cost_statement and "GBP 256,640 a year" in e.cost_statement
    assert "GBP 30,000 of 1 dropped initiative is not counted" in e.cost_statement


def test_demo_verdict_rests_on_evidence(app: Flask) -> None:
    a = _context(app, _demo(app)).assessment
    # The demo has answers and many factors: a verdict, not a provisional index.
    assert a.verdict != "not enough evidence" and not a.provisional


def test_fresh_workspace_is_illustrative_and_without_a_verdict(app: Flask) -> None:
    owner = make_user(app, "fresh@example.org")
    wid = make_workspace(app, owner, "Fresh Rail")
    with app.app_context():
        scope_session(db.session, wid)
        for title, polarity in (("Board sponsor", Polarity.DRIVER), ("CRM", Polarity.ENABLER)):
            db.session.add(
                Factor(
                    title=title,
                    category=FactorCategory.ORGANISATIONAL_DRIVER,
                    polarity=polarity,
                    importance=4,
                )
            )
        db.session.commit()
        assert db.session.scalar(select(EconomicsCase)) is None
    context = _context(app, wid)
    a, e = context.assessment, context.metrics.economics
    # Two factors and no answers used to read "Viable, 100/100".
    assert a.index == 100 and a.verdict == "not enough evidence" and a.provisional
    assert a.verdict_sentence.startswith("There is not yet enough evidence for a verdict")
    assert not e.saved
    assert e.finding.startswith("Illustrative only")
    assert e.cost_statement.startswith("Illustrative only")
    # No metric and no saved rate: the assumed starting rate of 50% is used and named.
    assert e.current_rate == 50 and not e.current_rate_measured
    assert "illustrative assumption" in e.current_rate_source
    assert e.investment == 0 and "No initiative carries a budget yet" in e.cost_statement


def test_entered_rate_is_used_without_a_metric(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    url = f"/workspaces/{team['workspace_id']}/metrics/economics"
    page = client.get(url).get_data(as_text=True)
    assert "Illustrative figures" in page and "illustrative</span>" in page
    data = {
        "customers": "10000",
        "failure_rate": "20",
        "complaint_rate": "25",
        "recovery_success_rate": "70",
        "current_recovery_rate": "60",
        "customer_lifetime_value": "1000",
        "churn_unrecovered": "50",
        "churn_recovered": "22",
        "cost_per_recovery": "25",
        "programme_fixed_cost": "50000",
        "currency": "EUR",
        "version": "0",
    }
    assert client.post(url, data=data).status_code == 303
    # 500 complaints x (0.70 - 0.60) = 50 extra; x 0.28 = 14 kept; x 1,000 = EUR 14,000.
    page = client.get(url).get_data(as_text=True)
    assert ">14<" in page and "EUR 14,000" in page
    assert "60%</strong> of complaints, as entered by the team" in page
    assert "Illustrative figures" not in page and "illustrative</span>" not in page
    e = _context(app, team["workspace_id"]).metrics.economics
    assert (e.current_rate, e.customers_retained, e.lifetime_value_kept) == (60, 14, 14_000)
    assert e.current_rate_source == "60%, as entered by the team."
