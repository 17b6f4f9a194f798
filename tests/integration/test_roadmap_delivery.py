"""The roadmap's critical path and slack, the overview's delivery panel and the storyboard's
programme end, on the demo and on hand-made plans."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEEDS, login, seed
from workbench.extensions import db
from workbench.models import Initiative, InitiativeDependency, Workspace
from workbench.models.alignment import InitiativeStatus
from workbench.services import seeding
from workbench.services.demo import DEMO_PASSWORD
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

TODAY = date(2026, 12, 4)
REPORTS = Path(__file__).resolve().parents[2] / "reports"
CHAIN = (
    "Alert the right responder and contact the guest within 15 minutes",
    "Hold a monthly review of recurring failures with an owner for each cause",
    "Tell guests what changed because of their feedback",
)
HOSTILE = '<script>alert(1)</script> =HYPERLINK("file:///etc/passwd") مرحبا 顧客 🙂'


def _demo(app: Flask, client: FlaskClient) -> int:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        workspace_id = workspace.id
    response = client.post("/login", data={"email": "demo@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return workspace_id


def _text(page: str) -> str:
    """The page's words without tags, entities decoded and spaces collapsed."""
    inline = re.sub(r"</?(?:strong|bdi|span|small|a|em|b)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def _section(page: str, start: str, end: str) -> str:
    text = _text(page)
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_demo_roadmap_shows_every_flag_the_critical_path_and_the_programme_end(
    app: Flask, client: FlaskClient
) -> None:
    wid = _demo(app, client)
    page = client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True)
    text = _text(page)
    for flag in ("Late", "Not started", "Done before a prerequisite"):
        assert f"{flag} " in text, flag
    assert "Starts before a prerequisite ends" in text
    # Beside that flag, the start the dependencies allow.
    assert "Earliest possible start 30 June 2027, once “Alert the right responder" in text
    critical = _section(page, "Critical path", "Timeline")
    assert "The programme ends on 26 November 2028" in critical
    assert "chain of 3 initiatives" in critical
    positions = [critical.index(title) for title in CHAIN]
    assert positions == sorted(positions)
    slack = text[text.index("How far each initiative can slip") :]
    assert "On the critical path" in slack and "without moving the end" in slack
    # The playbook ends on 30 November 2026; the alert service waits for it from 11 January.
    assert "Can slip 42 days without moving the end, if it finishes by 11 January 2027" in slack
    # Each wave gives its date span.
    assert "Planned from 1 April 2026 to" in text
    # The chart is inline with its title and description; the table is its text alternative.
    assert "<svg" in page and "<desc>" in page and "Today, " in page


def test_the_demo_overview_counts_delivery_flags_and_names_the_chain(
    app: Flask, client: FlaskClient
) -> None:
    wid = _demo(app, client)
    page = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    panel = _section(page, "Delivery", "Open the roadmap")
    counts = {
        label: int(number)
        for number, label in re.findall(r"(\d+) (late|not started|flagged for another)", panel)
    }
    assert counts["late"] >= 1 and counts["not started"] >= 1
    assert counts["flagged for another"] >= 2  # done before a prerequisite, start before one
    assert "The programme ends on 26 November 2028" in panel
    for title in CHAIN:
        assert title in panel
    assert f'href="/workspaces/{wid}/alignment/roadmap"' in page
    # The flagged initiatives are named, late work first, each with the names of its flags.
    flagged = _section(page, "Needing re-planning", "The programme ends")
    late = flagged.index("Write a recovery playbook for the ten most common failures Late")
    waiting = flagged.index("goodwill allowance of up to 20 GBP per stay Not started")
    assert late < waiting
    assert "Gather every online review into one monitored queue Done before a" in flagged
    assert "Starts before a prerequisite ends" in flagged and "Milestone overdue" in flagged


def test_the_overview_without_initiatives_says_so_and_links_to_them(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    login(client, team["executive"])
    wid = team["workspace_id"]
    page = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    assert "No initiatives yet. Delivery shows here" in _text(page)
    assert f'href="/workspaces/{wid}/alignment/initiatives"' in page
    roadmap = _text(client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True))
    assert "No initiative has both a start and an end date yet" in roadmap


def _plan(
    app: Flask, workspace_id: int, titles: list[str], links: list[tuple[int, int]]
) -> list[int]:
    """Dated initiatives, one month each and back to back, with dependencies by position."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = [
            Initiative(
                title=title,
                status=InitiativeStatus.APPROVED,
                start_date=date(2027, 1 + n, 1),
                end_date=date(2027, 2 + n, 1),
            )
            for n, title in enumerate(titles)
        ]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(
            InitiativeDependency(initiative_id=rows[b].id, depends_on_id=rows[a].id)
            for a, b in links
        )
        db.session.commit()
        return [row.id for row in rows]


def test_hostile_and_unicode_titles_are_escaped_in_the_chart_and_the_tables(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    _plan(app, wid, ["Case system", HOSTILE, "Training"], [(0, 1), (1, 2)])
    login(client, team["analyst"])
    page = client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    critical = _section(page, "Critical path", "Timeline")
    assert "The programme ends on 1 April 2027" in critical
    assert critical.index("Case system") < critical.index("=HYPERLINK") < critical.index("Training")
    overview = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
    assert "<script>alert(1)" not in overview and "顧客 🙂" in overview


def test_a_dependency_loop_names_the_loop_and_gives_no_programme_end(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    # A loop can only arrive from outside the forms (an old import); it must not break pages.
    _plan(app, wid, ["Case system", "Training"], [(0, 1), (1, 0)])
    login(client, team["executive"])
    roadmap = client.get(f"/workspaces/{wid}/alignment/roadmap")
    assert roadmap.status_code == 200
    text = _text(roadmap.get_data(as_text=True))
    assert "These dependencies form a loop" in text
    assert "How far each initiative can slip" not in text
    overview = client.get(f"/workspaces/{wid}/")
    assert overview.status_code == 200
    assert "there is no programme end" in _text(overview.get_data(as_text=True))


def test_the_storyboard_names_the_critical_path_and_gives_the_programme_end_in_the_summary(
    app: Flask, client: FlaskClient
) -> None:
    wid = _demo(app, client)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        document, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", TODAY, REPORTS, "1"
        )
    text = _text(document)
    assert "Programme end, by the critical path 26 Nov 2028" in text
    assert "The programme ends on 26 November 2028. That date is set by a chain of 3" in text
    assert ", then ".join(f"“{title}”" for title in CHAIN) in text
    assert "can start on 30 June 2027 at the earliest" in text
    assert "for delivery from April 2026 to November 2028" in text


def test_a_single_dated_initiative_sets_the_end_and_undated_work_is_named(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    _plan(app, wid, ["Case system"], [])
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add(Initiative(title="Callback team", status=InitiativeStatus.PROPOSED))
        db.session.commit()
    login(client, team["analyst"])
    text = _text(client.get(f"/workspaces/{wid}/alignment/roadmap").get_data(as_text=True))
    assert "The programme ends on 1 February 2027. One initiative sets that date" in text
    assert "Left out because they lack a start or an end date: Callback team." in text
    assert (
        "Planned from 1 January 2027 to 1 February 2027; some of its work has no dates yet" in text
    )
