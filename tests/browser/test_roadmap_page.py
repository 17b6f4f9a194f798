"""The roadmap and the overview's delivery panel in Chromium: the chart fits the page, its
title is its accessible name, and axe-core finds nothing serious on either page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.accessibility import Auditor
from tests.conftest import PASSWORD, SEEDS, add_member, make_user, seed
from workbench.extensions import db
from workbench.models import Role
from workbench.services import seeding
from workbench.services.tenancy import allow_system_access

pytestmark = pytest.mark.browser


def test_the_demo_roadmap_and_overview_read_well_and_pass_the_audit(
    app: Flask, live_server: str, chromium: Any, tmp_path: Path
) -> None:
    seed(app)
    with app.app_context():
        allow_system_access(db.session)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        wid = demo.id
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

    page.goto(f"{live_server}/workspaces/{wid}/alignment/roadmap")
    chart = page.get_by_role("img", name="Roadmap: initiatives from planned start to planned end")
    assert chart.count() == 1
    box = chart.bounding_box()
    main = page.locator("main").bounding_box()
    assert box and main and box["x"] + box["width"] <= main["x"] + main["width"] + 1
    # Every dated initiative has its row in the slack table, the chart's text alternative.
    assert page.locator("table.slack-table tbody tr").count() == 16
    critical = page.locator("ol.critical-chain li")
    assert critical.count() == 3
    page.screenshot(path=str(tmp_path / "roadmap.png"), full_page=True)
    auditor.audit(
        "executive", page, [f"/workspaces/{wid}/alignment/roadmap", f"/workspaces/{wid}/"]
    )
    overview = page.locator(".delivery-panel")
    assert "The programme ends on 26 November 2028" in overview.inner_text()
    assert not auditor.result.blocking(), auditor.result.report(details=True)
    context.close()
