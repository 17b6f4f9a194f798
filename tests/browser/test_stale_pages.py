"""The stale flag in Chromium: the overview, the scorecard, the department and the metric page
name the demo's one metric with no recent data, the star rating's league table lists its one
hotel with no recent data apart, and axe-core finds nothing serious there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.accessibility import Auditor
from tests.conftest import PASSWORD, SEEDS, add_member, make_user, seed
from workbench.extensions import db
from workbench.models import Metric, Role
from workbench.services import seeding
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.browser

NPS = "Net Promoter Score (NPS)"
STARS = "Average star rating"


def test_the_stale_metric_reads_right_and_passes_the_audit(
    app: Flask, live_server: str, chromium: Any, tmp_path: Path
) -> None:
    seed(app)
    with app.app_context():
        allow_system_access(db.session)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        wid = demo.id
        scope_session(db.session, wid)
        nps = db.session.query(Metric).filter_by(name=NPS).one().id
        stars = db.session.query(Metric).filter_by(name=STARS).one().id
    person = make_user(app, "eve.reader@example.org", "Eve Reader")
    add_member(app, wid, person, Role.EXECUTIVE)
    auditor = Auditor(chromium, live_server)
    context = auditor.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")

    page.goto(f"{live_server}/workspaces/{wid}/")
    panel = page.locator(".scorecard-panel")
    assert panel.locator(".stale-metrics li").count() == 1
    assert NPS in panel.locator(".stale-metrics").inner_text()
    page.goto(f"{live_server}/workspaces/{wid}/metrics/{nps}")
    status = page.locator(".status-card")
    assert status.locator(".status-pill").inner_text() == "No recent data"
    assert "stale since" in status.locator(".freshness-note").inner_text()
    page.screenshot(path=str(tmp_path / "metric.png"), full_page=True)
    page.goto(f"{live_server}/workspaces/{wid}/metrics/{stars}")
    league = page.locator(".site-league")
    assert league.locator("tr.site-stale").count() == 1
    stale = league.locator("tr.site-stale").inner_text()
    assert "Harbourline Tenby" in stale and "No recent data since" in stale
    assert "4.03 stars" in stale
    assert league.locator("tr.league-break").count() == 1
    auditor.audit(
        "executive",
        page,
        [
            f"/workspaces/{wid}/",
            f"/workspaces/{wid}/metrics/",
            f"/workspaces/{wid}/metrics/department?name=marketing",
            f"/workspaces/{wid}/metrics/{nps}",
            f"/workspaces/{wid}/metrics/{stars}",
        ],
    )
    assert not auditor.result.blocking(), auditor.result.report(details=True)
    context.close()
