"""The charts on the web pages: a money metric's trend in the workspace's currency, with its
forecast, and the alignment graph drawn one objective at a time."""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login, seed
from workbench.extensions import db
from workbench.models import Direction, Goal, Measurement, Metric
from workbench.services.tenancy import scope_session

DANGER = "#b42318"


def _money_metric(app: Flask, workspace_id: int) -> int:
    """A falling cost metric with a goal and four monthly readings; returns its id."""
    today = date.today()
    with app.app_context():
        scope_session(db.session, workspace_id)
        metric = Metric(
            name="Compensation cost",
            unit="currency",
            direction=Direction.LOWER,
            department="finance",
            min_value=0,
        )
        db.session.add(metric)
        db.session.flush()
        start = today - timedelta(days=120)
        db.session.add(
            Goal(
                metric_id=metric.id,
                baseline=24000.0,
                baseline_date=start,
                target=19200.0,
                target_date=today + timedelta(days=365),
            )
        )
        db.session.add_all(
            Measurement(
                metric_id=metric.id,
                measured_on=start + timedelta(days=30 * n),
                value=24000.0 - 300 * n,
            )
            for n in range(1, 5)
        )
        db.session.commit()
        return metric.id


def _trend_svg(page: str) -> str:
    uri = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    assert uri, "no chart on the page"
    return base64.b64decode(uri.group(1)).decode("utf-8")


def test_a_money_metric_trend_names_the_currency_and_draws_its_forecast(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    metric_id = _money_metric(app, wid)
    login(client, team["analyst"])
    for url in (
        f"/workspaces/{wid}/metrics/{metric_id}",
        f"/workspaces/{wid}/metrics/department?name=finance",
    ):
        svg = _trend_svg(client.get(url).get_data(as_text=True))
        assert ">GBP<" in svg and ">currency<" not in svg
        assert "24,000" in svg  # axis numbers carry thousands separators
        assert re.search(rf'<polyline [^>]*stroke="{DANGER}"[^>]*stroke-dasharray', svg)
        assert ">Today<" in svg


def test_the_alignment_graph_page_draws_one_diagram_per_objective(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    long_title = "Answer every review of three stars or below within two working days of posting"
    for title in (long_title, "Keep more guests who complain"):
        data = {"title": title, "perspective": "customer", "parent": "none"}
        client.post(f"/workspaces/{wid}/alignment/objectives", data=data)
    page = client.get(f"/workspaces/{wid}/alignment/graph").get_data(as_text=True)
    assert "Objective 1 of 2" in page and "Objective 2 of 2" in page
    assert page.count("<svg") == 2
    # The long title is wrapped between words, whole, and kept in full as the tooltip.
    assert f"<title>{long_title}</title>" in page and "…" not in page


def test_no_forecast_is_drawn_once_the_target_date_has_passed(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    metric_id = _money_metric(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        goal = db.session.scalars(select(Goal).where(Goal.metric_id == metric_id)).one()
        goal.target_date = date.today() - timedelta(days=1)  # the status is now simply off track
        db.session.commit()
    login(client, team["analyst"])
    svg = _trend_svg(client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True))
    assert not re.search(rf'<polyline [^>]*stroke="{DANGER}"', svg)
    assert ">Forecast<" not in svg
