"""Stale sites: a site whose own readings stopped is listed after the ranked sites as "No
recent data" on the metric page, its chart panel says so, and the storyboard never names it
best or worst but asks the metric's owner to restart its readings."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import login
from workbench.analysis.cadence import cadence, next_due
from workbench.analysis.dates import format_date
from workbench.analysis.freshness import stale_since
from workbench.extensions import db
from workbench.models import Goal, Workspace
from workbench.services import metrics as metric_service
from workbench.services import sites as site_service
from workbench.services.report_context import build_context
from workbench.services.storyboard import meta_for, render_document
from workbench.services.tenancy import scope_session
from workbench.storyboard.deck import render_pptx
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REPORTS = Path(__file__).resolve().parents[2] / "reports"
# The metric pages judge freshness on the real day, so the readings are dated from it.
TODAY = date.today()
RECENT, OLDER, OLD = (TODAY - timedelta(days=n) for n in (10, 40, 130))
STALE_NAME = "Old <b>Town</b>"  # a name that must be shown, never run, as markup
OWNER = "Head of front office"


def _build(app: Flask, workspace_id: int) -> dict[str, int]:
    """Three sites: two with recent readings, and one whose readings stopped months ago
    although its last figure is the best of all."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        north = site_service.create_site(db.session, {"name": "North", "kind": "hotel"}).id
        south = site_service.create_site(db.session, {"name": "South", "kind": "hotel"}).id
        old = site_service.create_site(db.session, {"name": STALE_NAME, "kind": "hotel"}).id
        wait = metric_service.create_metric(
            db.session,
            {
                "name": "Check-in wait",
                "unit": "minutes",
                "direction": "lower",
                "frequency": "monthly",
                "owner": OWNER,
            },
        )
        ready = metric_service.create_metric(
            db.session,
            {
                "name": "Rooms ready on time",
                "unit": "percent",
                "direction": "higher",
                "frequency": "monthly",
                "owner": OWNER,
                "min_value": 0,
                "max_value": 100,
            },
        )
        db.session.add(
            Goal(
                metric_id=wait.id,
                baseline=15,
                baseline_date=TODAY - timedelta(days=200),
                target=5,
                target_date=TODAY + timedelta(days=200),
            )
        )
        readings = [
            (wait.id, north, OLDER, 10.0),
            (wait.id, north, RECENT, 8.0),
            (wait.id, south, OLDER, 14.0),
            (wait.id, south, RECENT, 11.0),
            (wait.id, old, OLD - timedelta(days=30), 5.0),
            (wait.id, old, OLD, 3.0),
            (ready.id, north, RECENT, 91.0),
            (ready.id, old, OLD, 99.0),
        ]
        for metric_id, site_id, on, value in readings:
            metric_service.record_measurement(
                db.session, metric_id, on, value, "", today=TODAY, site_id=site_id
            )
        db.session.commit()
        return {"wait": wait.id, "ready": ready.id}


def _since() -> date:
    since = stale_since(cadence(OLD, "monthly", TODAY))
    assert since is not None and since <= TODAY
    return since


def _text(page: str) -> str:
    inline = re.sub(r"</?(?:strong|bdi|span|small|a|em|b)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def _sites_section(page: str) -> str:
    return page[page.index('id="sites"') : page.index('id="objectives"')]


def test_the_metric_page_ranks_recent_sites_and_lists_the_stale_one_apart(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _build(app, wid)
    login(client, team["analyst"])
    response = client.get(f"/workspaces/{wid}/metrics/{ids['wait']}")
    assert response.status_code == 200
    section = _sites_section(response.get_data(as_text=True))
    # The name is shown as text, never run as markup.
    assert STALE_NAME not in section and html.escape(STALE_NAME, quote=False) in section
    rows = re.findall(r"<tr[ >].*?</tr>", section, re.S)
    body = [_text(row).strip() for row in rows[1:]]
    assert body[0].startswith("1 North 8")
    assert body[1].startswith("2 South 11")
    assert body[2].startswith("No recent data, not ranked")
    stale = body[3]
    assert stale.startswith(f"— {STALE_NAME} 3")
    assert "No recent data" in stale
    assert (
        f"No recent data since {format_date(_since())}: the last reading was 3 min on "
        f"{format_date(OLD)}." in stale
    )
    assert 'class="site-stale"' in rows[4] and "status-pill status-stale" in rows[4]
    # The stale site's panel says so in its title; the others' do not.
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', section)
    assert uri is not None
    svg = base64.b64decode(uri.group(1)).decode("utf-8")
    since = _since()
    assert svg.count("No recent data since") == 1
    assert f"No recent data since {since.day} {since:%b %Y}" in svg


def test_a_metric_with_one_recent_site_ranks_it_alone(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _build(app, wid)
    login(client, team["executive"])
    response = client.get(f"/workspaces/{wid}/metrics/{ids['ready']}")
    assert response.status_code == 200
    text = _text(_sites_section(response.get_data(as_text=True)))
    assert "1 North 91" in text
    assert f"No recent data since {format_date(_since())}: the last reading was 99%" in text


def test_the_storyboard_never_names_a_stale_site_best_and_asks_its_owner_to_restart_it(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    _build(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        context = build_context(db.session, workspace, TODAY).as_dict()
        page, fingerprint = render_document(db.session, workspace, "Fran", TODAY, REPORTS, "1")
        pdf, _pages = render_pdf(page)
        deck, _slides = render_pptx(context, meta_for(workspace, "Fran", fingerprint, "1"))
    rows = {row["metric"]: row for row in context["metrics"]["sites"]}
    wait, ready = rows["Check-in wait"], rows["Rooms ready on time"]
    # The stale site's 3 min would be the best figure; it is not ranked at all.
    assert (wait["sites"], wait["best"], wait["best_value"]) == (2, "North", "8 min")
    assert (wait["worst"], wait["worst_value"]) == ("South", "11 min")
    assert [s["site"] for s in wait["stale"]] == [STALE_NAME]
    assert wait["stale"][0]["last_value"] == "3 min"
    assert wait["stale"][0]["stale_since"] == _since().isoformat()
    assert (ready["sites"], ready["best"], ready["worst"]) == (1, None, None)
    assert ready["note"] == (
        "Only North has recent data (1 site's readings have stopped), so no site is named "
        "best or worst."
    )
    restart = [d for d in context["decisions"] if "Restart the readings" in d[2]]
    assert [d[1] for d in restart] == [
        f"Check-in wait at {STALE_NAME}",
        f"Rooms ready on time at {STALE_NAME}",
    ]
    assert all(d[3] == OWNER and d[5] for d in restart)
    assert format_date(next_due(OLD, "monthly")) in restart[0][2]

    text = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    sites = text[text.index("Best and worst sites") :]
    assert "North: 8 min South: 11 min" in sites
    assert "Only North has recent data (1 site's readings have stopped)" in sites
    assert (
        f"No recent data, not ranked: {STALE_NAME} for Check-in wait, last reading 3 min on "
        f"{format_date(OLD)}, no recent data since {format_date(_since())}" in sites
    )
    # Nowhere in the document is the stale site named best or worst.
    assert f"{STALE_NAME}: 3 min" not in text and f"{STALE_NAME}: 99%" not in text
    decisions = text[text.rindex("Restart the readings of") - 400 :]
    assert f"Restart the readings of “Check-in wait” at {STALE_NAME}" in text
    assert OWNER in decisions

    # The deck's sites slide says the same: the pair, the plain note and the stale site.
    tables = [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in Presentation(io.BytesIO(deck)).slides
        for shape in slide.shapes
        if shape.has_table
    ]
    sites_table = next(t for t in tables if t[0][:2] == ["Metric", "Sites ranked"])
    by_metric = {row[0]: row for row in sites_table[1:]}
    assert by_metric["Check-in wait"][1:4] == ["2", "North: 8 min", "South: 11 min"]
    assert by_metric["Check-in wait"][4].startswith(f"{STALE_NAME}: 3 min on {format_date(OLD)}")
    assert by_metric["Rooms ready on time"][2] == ready["note"]
