"""The storyboard as a board document: the ask, true counts, owners, dates and decisions."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import SEEDS, make_user, make_workspace, seed
from workbench.extensions import db
from workbench.models import Factor, Initiative, Objective, Workspace
from workbench.models.alignment import InitiativeStatus
from workbench.services import seeding
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TODAY = date(2026, 12, 4)
REPORTS = Path(__file__).resolve().parents[2] / "reports"


def _demo(app: Flask) -> int:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS, today=TODAY)
        db.session.commit()
        return workspace.id


def _context(workspace_id: int) -> dict[str, Any]:
    scope_session(db.session, workspace_id)
    workspace = db.session.get_one(Workspace, workspace_id)
    return build_context(db.session, workspace, TODAY).as_dict()


def _pdf_text(workspace_id: int) -> str:
    scope_session(db.session, workspace_id)
    workspace = db.session.get_one(Workspace, workspace_id)
    html, _fp = render_document(db.session, workspace, "Dana Demo", TODAY, REPORTS, "1")
    pdf, _pages = render_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_dropped_work_is_left_out_of_counts_totals_waves_and_matrices(app: Flask) -> None:
    wid = _demo(app)
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(select(Initiative)).all()
        dropped = [i for i in rows if i.status == InitiativeStatus.DROPPED]
        active = [i for i in rows if i.status != InitiativeStatus.DROPPED]
        assert dropped, "the demo has a dropped initiative to leave out"
        context = _context(wid)
    al = context["alignment"]
    titles = [row["title"] for row in al["initiatives"]]
    assert len(titles) == len(active)
    assert al["budget"]["total"] == float(sum(i.budget or Decimal(0) for i in active))
    assert al["budget"]["dropped_budget"] == float(sum(i.budget or Decimal(0) for i in dropped))
    for initiative in dropped:
        assert initiative.title not in titles
        assert all(initiative.title not in wave[0] for wave in al["waves"])
        assert all(initiative.title != bar[0] for bar in al["timeline"])
        assert all(initiative.title != row[0] for row in al["matrix"]["rows"])
        assert [initiative.title] == [row[0] for row in al["dropped"]]
    ask = context["summary"]["ask"]
    assert ask["dropped_count"] == len(dropped)
    assert ask["total"] == ask["new_budget"] + ask["committed_budget"]


def test_the_demo_flags_its_late_and_unstarted_work_and_keeps_done_work_out_of_waves(
    app: Flask,
) -> None:
    wid = _demo(app)
    with app.app_context():
        context = _context(wid)
    al = context["alignment"]
    flagged = {row["title"]: row["flags"] for row in al["initiatives"] if row["flags"]}
    assert any("Late" in flags for flags in flagged.values())
    assert any("Not started" in flags for flags in flagged.values())
    waved = {title for titles, _start, _end in al["waves"] for title in titles}
    assert not waved & set(al["delivered"])
    assert context["summary"]["delivery"]["late"] >= 1


def test_the_pdf_asks_in_money_names_owners_and_prints_the_strategy(app: Flask) -> None:
    wid = _demo(app)
    with app.app_context():
        context = _context(wid)
        text = _flat(_pdf_text(wid))
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        owners = [o.owner for o in db.session.scalars(select(Objective)) if o.owner]
        purpose = workspace.purpose
    ask = context["summary"]["ask"]
    assert f"GBP {ask['total']:,.0f}" in text
    assert f"Approve GBP {ask['new_budget']:,.0f}" in text
    assert "Recommendation." in text
    assert _flat(purpose)[:60] in text
    for owner in owners:
        assert owner.split(",")[0] in text
    assert "Decisions and next steps" in text
    # Every decision in the table has an owner and a date.
    for _area, _subject, _decision, owner, due, _named in context["decisions"]:
        assert owner and due
    assert "Written from the workspace's data." in text


def test_a_fresh_workspace_gets_a_written_perspective_and_no_return_claimed(app: Flask) -> None:
    seed(app)
    owner = make_user(app, "fresh@example.org", "Fiona Fresh")
    wid = make_workspace(app, owner, "Northgate Libraries")
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add_all(
            [
                Factor(
                    title="Long queues at the counter",
                    polarity="barrier",
                    importance=4,
                    category="business_need",
                ),
                Factor(
                    title="A new library system",
                    polarity="enabler",
                    importance=3,
                    category="technology_driver",
                ),
            ]
        )
        db.session.commit()
        context = _context(wid)
        text = _flat(_pdf_text(wid))
    summary = context["summary"]
    assert not summary["perspective_written_by_team"]
    assert summary["lead"] == "Fiona Fresh"
    assert "No business case has been entered yet" in text
    assert "There is no initiative left to fund" in text
    assert "1 people" not in text and "1 initiatives" not in text


def test_app_and_pdf_agree_on_the_gap_counts(app: Flask) -> None:
    wid = _demo(app)
    with app.app_context():
        context = _context(wid)
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "demo@example.org", "password": "harbourline-demo"}
    )
    assert signed_in.status_code == 302
    page = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    counts = {
        anchor: int(count)
        for anchor, count in re.findall(
            r'id="gap-(\w+)">[^<]*<span class="count">(\d+)</span>', page
        )
    }
    gaps = context["alignment"]["gaps"]
    assert counts["unaligned"] == len(gaps["unaligned"])
    assert counts["unserved"] == len(gaps["unserved"])
    assert counts["barriers"] == len(gaps["barriers"])
    decisions = context["decisions"]
    assert sum(1 for d in decisions if "serves none of the objectives" in d[2]) == len(
        gaps["unaligned"]
    )


def test_funding_by_year_adds_up_to_the_ask(app: Flask) -> None:
    wid = _demo(app)
    with app.app_context():
        ask = _context(wid)["summary"]["ask"]
    assert ask["by_year"], "the demo's initiatives have dates"
    years = [year for year, _amount in ask["by_year"]]
    assert years == sorted(years)
    assert sum(amount for _year, amount in ask["by_year"]) + ask["undated_budget"] == ask["total"]


def test_the_demo_objectives_page_offers_no_goal_already_reworded_into_an_objective(
    app: Flask,
) -> None:
    wid = _demo(app)
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "demo@example.org", "password": "harbourline-demo"}
    )
    assert signed_in.status_code == 302
    page = client.get(f"/workspaces/{wid}/alignment/objectives").get_data(as_text=True)
    assert "From the corporate goals" not in page
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        workspace.corporate_goals += "\nOpen two hotels in Cornwall by 2029."
        db.session.commit()
    page = client.get(f"/workspaces/{wid}/alignment/objectives").get_data(as_text=True)
    assert "From the corporate goals" in page and "Open two hotels in Cornwall" in page
    assert page.count('name="title" value=') == 1
