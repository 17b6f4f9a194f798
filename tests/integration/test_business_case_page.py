"""The business case on the economics page: years, NPV, scenarios, ranges and compensation."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Person, form_version, login
from tests.integration.api_support import API, call, make_token
from tests.integration.test_economics_report import SEEDS, _demo
from workbench.extensions import db
from workbench.models import EconomicsCase, FailureScenario, Workspace
from workbench.services import business_case, metrics, seeding
from workbench.services.report_context import build_context
from workbench.services.tenancy import scope_session

BASE_FORM = {
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
}


def _view(app: Flask, workspace_id: int) -> business_case.CaseView:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return business_case.build_view(db.session(), date(2026, 12, 1))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_demo_case_over_years(app: Flask, client: FlaskClient) -> None:
    workspace_id = _demo(app)
    view = _view(app, workspace_id)
    case = view.case
    # The programme starts with its first initiative on 1 March 2026; five years follow.
    assert [row.year for row in case.years] == [2026, 2027, 2028, 2029, 2030]
    assert view.plan.ramp_start == date(2026, 3, 1)
    # The Recovery rate goal's target date sets the climb: 52% to 65% by the end of 2027.
    assert view.ramp_from_goal and view.plan.ramp_end == date(2027, 12, 31)
    assert case.years[-1].recovery_rate == pytest.approx(0.65)
    # The active budget (307,000 of 337,000; the dropped 30,000 out) is all phased in.
    assert sum(row.investment for row in case.years) == pytest.approx(307_000)
    # 11 scenarios carry a remedy value and cases a year: 63,000 a year of compensation.
    assert (view.plan.compensation_per_year, view.compensation_scenarios) == (63_000, 11)
    # At a 65% target the programme loses money, and no rate up to 100% pays for it.
    assert case.npv < 0 and case.payback_years is None and case.break_even_rate is None
    assert view.scenarios.low.npv < case.npv < view.scenarios.high.npv
    # The measured rate ran ahead of the climb in 2026.
    assert view.tracking.realised > view.tracking.planned > 0
    # The inputs imply 68% of complaining guests stay; the team measured far fewer.
    (retention,) = [c for c in view.checks if c.subject == "retention"]
    assert retention.used == pytest.approx(0.68) and retention.differs
    assert retention.measured.metric == "Retention after complaint"

    login(client, Person(0, "demo@example.org", "Dana Demo"), "harbourline-demo")
    page = client.get(f"/workspaces/{workspace_id}/metrics/economics").get_data(as_text=True)
    text = _text(page)
    assert "Business case over 5 years, 2026 to 2030" in text
    npv = f"GBP {_view(app, workspace_id).case.npv:,.0f}"
    assert f"Net present value at 8% a year: {npv}" in text
    assert "does not pay back within 5 years" in text
    assert "1 March 2026" in text and "31 December 2027" in text
    assert "GBP 63,000 a year" in text and "11 playbook scenarios" in text
    assert "It is not a yearly revenue" in text
    assert "How far each uncertain input moves the NPV" in page
    assert "Net cash flow a year and cumulative" in page
    assert "in lifetime value, against" in text
    # The team's own 180,000 customers is not described as an illustrative 10,000.
    assert "illustrative customer base of 10,000" not in text
    assert "The team's own figure." in text
    assert "The inputs imply that 68% of complaining customers stay today" in text
    assert "agree which figure to use with Group operations director" in text
    with app.app_context():
        scope_session(db.session, workspace_id)
        context = build_context(
            db.session, db.session.get_one(Workspace, workspace_id), date(2026, 12, 4)
        )
    gaps = [d for d in context.decisions if d.subject == "Retention after a complaint"]
    assert len(gaps) == 1 and gaps[0].owner == "Group operations director"
    assert (
        "its inputs give 68%, while the Retention after complaint metric read" in gaps[0].decision
    )


def test_saving_horizon_discount_and_ranges(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    url = f"/workspaces/{team['workspace_id']}/metrics/economics"
    data = {
        **BASE_FORM,
        "horizon_years": "3",
        "discount_rate": "10",
        "customer_lifetime_value_low": "600",
        "customer_lifetime_value_high": "1500",
        "version": "0",
    }
    assert client.post(url, data=data).status_code == 303
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        stored = db.session.scalar(select(EconomicsCase))
        assert stored is not None
        assert (stored.horizon_years, stored.discount_rate) == (3, pytest.approx(0.10))
        assert (stored.customer_lifetime_value_low, stored.customer_lifetime_value_high) == (
            600,
            1500,
        )
        assert stored.churn_recovered_low is None
    view = _view(app, team["workspace_id"])
    assert len(view.case.years) == 3 and view.plan.discount_rate == pytest.approx(0.10)
    assert view.ranges["customer_lifetime_value"].entered
    assert not view.ranges["churn_recovered"].entered
    text = _text(client.get(url).get_data(as_text=True))
    assert "Business case over 3 years" in text and "at 10% a year" in text
    assert "the team's own values" in text and "a quarter either side" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"horizon_years": "7"}, "3"),
        ({"discount_rate": "80"}, "Enter a percentage from 0% to 50%."),
        ({"churn_recovered_low": "10"}, "enter both a low and a high value, or neither"),
        (
            {"customer_lifetime_value_low": "1200", "customer_lifetime_value_high": "1500"},
            "the low value must not exceed the base value of 1000",
        ),
        ({"complaint_rate_high": "=1+1", "complaint_rate_low": "10"}, "Not a valid"),
        ({"horizon_years": "<script>alert(1)</script>"}, "Not a valid"),
    ],
)
def test_bad_case_settings_are_refused_clearly(
    app: Flask, client: FlaskClient, team: dict, changes: dict, message: str
) -> None:
    login(client, team["analyst"])
    url = f"/workspaces/{team['workspace_id']}/metrics/economics"
    response = client.post(url, data={**BASE_FORM, "version": "0", **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _text(page)
    assert "<script>alert(1)</script>" not in page
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        assert db.session.scalar(select(EconomicsCase)) is None


def test_expected_cases_of_a_scenario_feed_the_compensation(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    assert client.post(f"/workspaces/{wid}/metrics/economics", data={**BASE_FORM, "version": "0"})
    new = client.get(f"/workspaces/{wid}/operating/playbook/new").get_data(as_text=True)
    assert "Cases expected a year" in new
    response = client.post(
        f"/workspaces/{wid}/operating/playbook/new",
        data={
            "name": "Train cancelled",
            "severity": "high",
            "compensation_type": "refund",
            "compensation_amount": "40",
            "currency": "EUR",
            "expected_cases_per_year": "250",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    with app.app_context():
        scope_session(db.session, wid)
        scenario = db.session.scalar(select(FailureScenario))
        assert scenario is not None and scenario.expected_cases_per_year == 250
    view = _view(app, wid)
    assert view.plan.compensation_per_year == pytest.approx(10_000)
    assert view.compensation_scenarios == 1
    text = _text(client.get(f"/workspaces/{wid}/metrics/economics").get_data(as_text=True))
    assert "EUR 10,000 a year" in text
    playbook = _text(client.get(f"/workspaces/{wid}/operating/playbook").get_data(as_text=True))
    assert "about 250 cases a year" in playbook
    # A remedy in another currency is named as a gap, not added to the euros.
    edit = client.get(f"/workspaces/{wid}/operating/playbook/{scenario.id}")
    response = client.post(
        f"/workspaces/{wid}/operating/playbook/{scenario.id}",
        data={
            "name": "Train cancelled",
            "severity": "high",
            "compensation_type": "refund",
            "compensation_amount": "40",
            "currency": "GBP",
            "expected_cases_per_year": "250",
            "version": form_version(edit.get_data(as_text=True)),
        },
    )
    assert response.status_code in (302, 303)
    view = _view(app, wid)
    assert view.plan.compensation_per_year == 0 and view.compensation_other_currency == 1
    text = _text(client.get(f"/workspaces/{wid}/metrics/economics").get_data(as_text=True))
    assert "1 scenario priced in another currency is not counted" in text


def test_the_api_reads_the_same_business_case(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    form = {**BASE_FORM, "version": "0", "horizon_years": "4", "discount_rate": "6"}
    assert client.post(f"/workspaces/{wid}/metrics/economics", data=form).status_code == 303
    token = make_token(app, team["analyst"].id)
    response = call(client, "GET", f"{API}/workspaces/{wid}/business-case", token)
    assert response.status_code == 200
    body = response.get_json()
    view = _view(app, wid)
    assert body["currency"] == "EUR" and body["horizon_years"] == 4
    assert body["discount_rate"] == pytest.approx(0.06)
    assert [row["year"] for row in body["years"]] == [row.year for row in view.case.years]
    assert body["scenarios"]["worse"]["npv"] < body["npv"] < body["scenarios"]["better"]["npv"]
    assert {item["input"] for item in body["sensitivity"]} == set(view.ranges)
    # Another workspace's case is not reachable with this token.
    other = call(client, "GET", f"{API}/workspaces/{wid + 1000}/business-case", token)
    assert other.status_code == 404
    assert call(client, "GET", f"{API}/workspaces/{wid}/business-case").status_code == 401


def test_measured_complaints_a_year_are_set_beside_the_inputs(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    assert client.post(f"/workspaces/{wid}/metrics/economics", data={**BASE_FORM, "version": "0"})
    with app.app_context():
        scope_session(db.session, wid)
        seeding.load_catalogues(db.session, SEEDS)
        metric = metrics.adopt_template(db.session, "complaint_volume", "")
        for week in range(52):
            metrics.record_measurement(
                db.session, metric.id, date(2025, 12, 1) + timedelta(weeks=week), 60.0, ""
            )
        db.session.commit()
    view = _view(app, wid)
    (complaints,) = [c for c in view.checks if c.subject == "complaints"]
    # 10,000 x 20% x 25% = 500 a year in the inputs; 52 weeks x 60 = 3,120 measured.
    assert complaints.used == pytest.approx(500) and complaints.measured.value == 3_120
    assert complaints.differs
    text = _text(client.get(f"/workspaces/{wid}/metrics/economics").get_data(as_text=True))
    assert (
        "The inputs give 500 complaints a year; the Complaint volume metric counted 3,120" in text
    )
