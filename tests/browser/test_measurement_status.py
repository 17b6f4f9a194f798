"""In real Chromium: record a measurement and see the metric's status change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, seed
from workbench.extensions import db
from workbench.models import Direction, Goal, Measurement, Metric
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.browser


def test_recording_a_measurement_changes_the_status(page, live_server: str, app, team) -> None:
    seed(app)
    wid = team["workspace_id"]
    today = date.today()
    with app.app_context():
        scope_session(db.session, wid)
        metric = Metric(
            name="Callbacks within 15 minutes",
            unit="percent",
            direction=Direction.HIGHER,
            min_value=0,
            max_value=100,
            department="service",
            owner="Head of service",
        )
        db.session.add(metric)
        db.session.flush()
        db.session.add(
            Goal(
                metric_id=metric.id,
                baseline=40,
                baseline_date=today - timedelta(90),
                target=80,
                target_date=today + timedelta(90),
            )
        )
        db.session.add(
            # Recent enough for a monthly metric (older would read "No recent data").
            Measurement(metric_id=metric.id, measured_on=today - timedelta(20), value=41)
        )
        db.session.commit()
        metric_id = metric.id
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(team["analyst"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")

    page.goto(f"{live_server}/workspaces/{wid}/metrics/{metric_id}")
    status = page.locator("#status-title .status-pill")
    assert status.inner_text() == "Off track"
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Value", exact=True).fill("82")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/metrics/{metric_id}#measurements")
    assert "1 measurement recorded." in page.content()
    assert page.locator("#status-title .status-pill").inner_text() == "On track"
    assert page.locator("img.chart").count() == 1
    assert page.errors == [], page.errors
