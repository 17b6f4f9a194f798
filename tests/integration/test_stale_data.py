"""Stale data: a metric whose readings stopped reads "No recent data" on every page, in the
API and in the storyboard, never on track; and the demo always shows exactly one."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEEDS, Person, login, seed
from tests.integration.api_support import API, call, make_token
from workbench.analysis.cadence import Freshness, add_months
from workbench.extensions import db
from workbench.models import Direction, Goal, Measurement, Metric, Site, SiteKind, Workspace
from workbench.services import scorecards, seeding
from workbench.services.demo import DEMO_PASSWORD
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REPORTS = Path(__file__).resolve().parents[2] / "reports"
NPS = "Net Promoter Score (NPS)"
HOSTILE = '<script>alert(1)</script> =HYPERLINK("file:///etc/passwd") مرحبا 顧客 🙂'


def _load_demo(app: Flask, today: date) -> tuple[int, int]:
    """Load the demo as on `today`; return the workspace id and the demo user's id."""
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        user, workspace, _created = seeding.create_demo(db.session, SEEDS, today=today)
        db.session.commit()
        return workspace.id, user.id


def _cards(app: Flask, workspace_id: int, today: date) -> list[scorecards.MetricCard]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return scorecards.cards(db.session, today)


def _text(page: str) -> str:
    inline = re.sub(r"</?(?:strong|bdi|span|small|a|em|b)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize(
    "today",
    [
        date.today(),
        date(2028, 3, 15),
        date(2026, 12, 23),
        date(2026, 12, 27),
        date(2027, 2, 28),
        date(2026, 6, 1),
    ],
    ids=[
        "today",
        "march-2028",
        "day-before-the-24th",
        "before-the-month-end",  # the fed metric's month-end totals must not be in the future
        "end-of-february",
        "before-the-readings",
    ],
)
def test_the_demo_has_exactly_one_stale_metric_whatever_the_load_day(
    app: Flask, today: date
) -> None:
    wid, _user = _load_demo(app, today)
    cards = _cards(app, wid, today)
    stale = [card for card in cards if card.is_stale]
    assert [card.metric.name for card in stale] == [NPS]
    measured = [card for card in cards if card.series and not card.is_stale]
    assert len(measured) == len(cards) - 1
    for card in measured:
        assert card.freshness is not None
        assert card.freshness.freshness is Freshness.CURRENT, card.metric.name
        # The latest reading falls within the month up to the load day, never after it.
        assert card.freshness.latest is not None
        assert card.freshness.latest <= today < add_months(card.freshness.latest, 1)
    for card in cards:
        assert card.metric.frequency == "monthly"
        assert card.goal is not None and card.goal.baseline_date and card.goal.target_date
        assert card.goal.baseline_date < min(m.on for m in card.series)
        assert card.goal.target_date > today
    assert stale[0].status_key == "stale"
    assert scorecards.STATUS_LABELS[stale[0].status_key] == "No recent data"


def test_the_demo_tells_the_same_story_in_march_2028_as_today(app: Flask) -> None:
    # The whole timeline moves by whole months: every status and value reads as written.
    today, later = date(2026, 12, 4), date(2028, 3, 15)
    first, _ = _load_demo(app, today)
    now = {c.metric.name: (c.status_key, c.latest) for c in _cards(app, first, today)}
    with app.app_context():
        scope_session(db.session, first)
        db.session.delete(db.session.get_one(Workspace, first))
        db.session.commit()
    second, _ = _load_demo(app, later)
    then = {c.metric.name: (c.status_key, c.latest) for c in _cards(app, second, later)}
    assert now == then
    counts = {key: sum(1 for status, _v in now.values() if status == key) for key in ("stale",)}
    assert counts == {"stale": 1}


def test_the_demo_hotels_move_with_the_group(app: Flask) -> None:
    today = date(2028, 3, 15)
    wid, _ = _load_demo(app, today)
    with app.app_context():
        scope_session(db.session, wid)
        rows = list(db.session.query(Measurement))
        # The fed metric's readings come from its desk log, apart from the hotels' metrics.
        group = {m.measured_on for m in rows if m.site_id is None and m.feed_id is None}
        hotels = {m.measured_on for m in rows if m.site_id is not None}
    # The hotels read on the group's days, so the group's own reading stands each day.
    assert hotels and hotels <= group
    assert max(hotels) == max(group) == date(2028, 2, 24)


@pytest.fixture
def demo(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The demo loaded today, signed in as its facilitator."""
    today = date.today()
    wid, user_id = _load_demo(app, today)
    cards = _cards(app, wid, today)
    nps = next(card for card in cards if card.metric.name == NPS)
    response = client.post("/login", data={"email": "demo@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert nps.freshness is not None
    return {
        "wid": wid,
        "user_id": user_id,
        "nps": nps.metric.id,
        "last": nps.freshness.latest,
        "due": nps.freshness.due_on,
        "since": nps.stale_since,
        "cards": cards,
    }


def test_the_scorecard_flags_the_stale_metric_and_counts_it_once(
    client: FlaskClient, demo: dict[str, Any]
) -> None:
    page = client.get(f"/workspaces/{demo['wid']}/metrics/").get_data(as_text=True)
    text = _text(page)
    rows = text[text.index(NPS, text.index("SMART")) :]
    row = rows[: re.search(r"passes|\d+ to fix", rows).end()]  # up to its SMART cell
    assert "No recent data" in row and f"since {_long(demo['since'])}" in row
    assert "On track" not in row and "At risk" not in row and "Off track" not in row
    # Marketing's card counts it under "No recent data".
    marketing = text[text.index("Marketing") :][:200]
    assert "No recent data 1" in marketing
    assert page.count("status-pill status-stale") == 2  # the department count and the row


def test_the_metric_page_says_since_when_and_when_the_reading_was_due(
    client: FlaskClient, demo: dict[str, Any]
) -> None:
    page = client.get(f"/workspaces/{demo['wid']}/metrics/{demo['nps']}").get_data(as_text=True)
    text = _text(page)
    status = text[text.index("Status:") : text.index("How the status is decided")]
    assert status.startswith("Status: No recent data")
    assert f"the last reading is from {_long(demo['last'])}" in status
    assert f"was due on {_long(demo['due'])}" in status
    assert f"stale since {_long(demo['since'])}" in status
    # The old verdict is named as old, and no progress bar claims today's position.
    assert f"Judged on the readings up to {_long(demo['last'])}, before they stopped: “" in status
    card = page[page.index('id="status-title"') : page.index("How the status is decided")]
    assert "<progress" not in card
    # A current metric says when its next reading is due instead.
    other = next(c for c in demo["cards"] if c.metric.name == "Recovery rate")
    current = client.get(f"/workspaces/{demo['wid']}/metrics/{other.metric.id}")
    assert "next monthly reading is due on" in _text(current.get_data(as_text=True))
    assert "status-stale" not in current.get_data(as_text=True)


def test_the_department_scorecard_and_the_overview_flag_it(
    client: FlaskClient, demo: dict[str, Any]
) -> None:
    wid = demo["wid"]
    department = _text(
        client.get(f"/workspaces/{wid}/metrics/department?name=marketing").get_data(as_text=True)
    )
    card = department[department.index(NPS) :][:400]
    assert card.startswith(f"{NPS} No recent data")
    assert f"stale since {_long(demo['since'])}" in card
    overview = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    panel = _text(overview)[_text(overview).index("Metrics and goals") :]
    assert f"{NPS}: last reading {_long(demo['last'])}" in panel
    assert f"stale since {_long(demo['since'])}" in panel
    assert "No recent data 1" in panel and "of 11 metrics" in panel
    assert f'href="/workspaces/{wid}/metrics/{demo["nps"]}"' in overview
    # The panel's counts are the scorecard's.
    counts = scorecards.status_panel(demo["cards"]).counts
    for key, count in counts.items():
        assert f"{scorecards.STATUS_LABELS[key]} {count}" in panel


def test_the_api_gives_the_same_status_and_counts(
    app: Flask, client: FlaskClient, demo: dict[str, Any]
) -> None:
    token = make_token(app, demo["user_id"])
    wid = demo["wid"]
    one = call(client, "GET", f"{API}/workspaces/{wid}/metrics/{demo['nps']}/status", token)
    assert one.status_code == 200, one.get_data(as_text=True)
    body = one.get_json()
    assert body["status"] == "stale" and body["status_label"] == "No recent data"
    assert body["freshness"] == "stale" and body["progress"] is None
    assert body["last_reading"] == demo["last"].isoformat()
    assert body["next_due"] == demo["due"].isoformat()
    assert body["stale_since"] == demo["since"].isoformat()
    assert body["days_overdue"] == (date.today() - demo["due"]).days
    assert "stale since" in body["reason"]
    whole = call(client, "GET", f"{API}/workspaces/{wid}/scorecard", token).get_json()
    assert whole["counts"] == scorecards.status_panel(demo["cards"]).counts
    assert whole["counts"]["stale"] == 1 and whole["total"] == 11
    assert sum(whole["counts"].values()) == whole["total"] == len(whole["metrics"])
    assert [m["name"] for m in whole["metrics"] if m["status"] == "stale"] == [NPS]
    missing = call(client, "GET", f"{API}/workspaces/{wid}/metrics/999999/status", token)
    assert missing.status_code == 404
    assert call(client, "GET", f"{API}/workspaces/{wid}/scorecard").status_code == 401


def test_the_storyboard_counts_agree_and_word_the_stale_metric_for_the_board(
    app: Flask,
) -> None:
    today = date(2028, 3, 15)
    wid, _ = _load_demo(app, today)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        context = build_context(db.session, workspace, today).as_dict()
        page, _fp = render_document(db.session, workspace, "Dana Demo", today, REPORTS, "1")
    goals = context["summary"]["goals"]
    assert goals["stale"] == 1 and "stale" not in {k for k, v in goals.items() if v == 0}
    chapter: dict[str, int] = {}
    for department in context["metrics"]["departments"]:
        for key, count in department["counts"].items():
            chapter[key] = chapter.get(key, 0) + count
    assert chapter == goals
    cards = [m for d in context["metrics"]["departments"] for m in d["metrics"]]
    nps = next(m for m in cards if m["name"] == NPS)
    assert nps["status"] == "stale" and nps["status_label"] == "No recent data"
    # A month after 30 November (a month end) is 31 December; ten days' grace end on 10 January.
    assert nps["last_reading"] == "2027-11-30" and nps["next_due"] == "2027-12-31"
    assert nps["stale_since"] == "2028-01-11"
    # Decisions are (area, subject, decision, owner, due, owner named).
    restart = [d for d in context["decisions"] if "Restart the readings" in d[2]]
    # The stale metric, and the demo's one hotel whose own readings of a metric stopped.
    assert [d[1] for d in restart] == [NPS, "Average star rating at Harbourline Tenby"]
    assert NPS in restart[0][2] and restart[0][3] == "Head of marketing"
    assert "30 November 2027" in restart[0][2]
    assert "Harbourline Tenby" in restart[1][2] and restart[1][3] == "Head of marketing"
    text = _text(page)
    glance = text[text.index("Goals at a glance") : text.index("Delivery at a glance")]
    assert f"No recent data {goals['stale']}" in glance
    assert f"On track {goals['on_track']}" in glance
    metrics = text[text.index("Metrics and goals Each department") :]
    assert "No recent data last reading 30 Nov 2027; the next was due 31 Dec 2027" in metrics
    assert "1 with no recent data" in metrics


def _metric(app: Flask, workspace_id: int, name: str, readings: list[tuple[date, float]]) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        metric = Metric(
            name=name,
            unit="percent",
            direction=Direction.HIGHER,
            min_value=0,
            max_value=100,
            frequency="weekly",
            department="service",
        )
        db.session.add(metric)
        db.session.flush()
        db.session.add(
            Goal(
                metric_id=metric.id,
                baseline=40,
                baseline_date=date.today() - timedelta(days=200),
                target=60,
                target_date=date.today() + timedelta(days=200),
            )
        )
        for on, value in readings:
            db.session.add(Measurement(metric_id=metric.id, measured_on=on, value=value))
        db.session.commit()
        return metric.id


def test_a_goal_already_met_on_old_readings_is_not_on_track_until_a_new_one_comes(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    seed(app)
    wid = team["workspace_id"]
    today = date.today()
    old = today - timedelta(days=30)  # weekly: due 23 days ago, stale after 3 days' grace
    metric_id = _metric(app, wid, HOSTILE, [(old - timedelta(days=7), 58.0), (old, 65.0)])
    analyst: Person = team["analyst"]
    login(client, analyst)
    scorecard = client.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert "status-pill status-stale" in scorecard
    assert "On track" not in _text(scorecard).split("SMART")[1]
    overview = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in overview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    assert f"stale since {_long(old + timedelta(days=11))}" in _text(overview)
    # A new reading brings the verdict back: the old one was hidden, not lost.
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    response = client.post(
        url, data={"mode": "one", "measured_on": today.isoformat(), "value": "66"}
    )
    assert response.status_code in (302, 303)
    again = client.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert "On track" in _text(again).split("SMART")[1] and "status-stale" not in again


def test_a_hotel_whose_readings_stopped_is_stale_in_its_league_table(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    seed(app)
    wid = team["workspace_id"]
    today = date.today()
    metric_id = _metric(app, wid, "Recovery rate", [])
    with app.app_context():
        scope_session(db.session, wid)
        quiet = Site(name="Quiet Harbour", kind=SiteKind.HOTEL)
        busy = Site(name="Busy Quay", kind=SiteKind.HOTEL)
        db.session.add_all([quiet, busy])
        db.session.flush()
        for site, last in ((quiet, today - timedelta(days=40)), (busy, today)):
            for weeks in (2, 1, 0):
                db.session.add(
                    Measurement(
                        metric_id=metric_id,
                        site_id=site.id,
                        measured_on=last - timedelta(weeks=weeks),
                        value=50.0 + weeks,
                    )
                )
        db.session.commit()
    login(client, team["analyst"])
    text = _text(client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True))
    quiet_line = text[text.index("Quiet Harbour", text.index("League")) :][:300]
    assert "No recent data" in quiet_line
    busy_line = text[text.index("Busy Quay", text.index("League")) :][:200]
    assert "No recent data" not in busy_line
