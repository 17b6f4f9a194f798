"""The storyboard's assessment, operating-model and metrics chapters: blueprint content, no
editing instructions, open points as decisions, display names and units (a real PDF read back)."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import BASE_CONFIG, SEEDS
from workbench.app import create_app
from workbench.config import reports_dir
from workbench.extensions import db
from workbench.models import (
    CommunicationPlan,
    Factor,
    FactorCategory,
    FailureScenario,
    Polarity,
    Workspace,
)
from workbench.services import accounts, metrics, playbook, seeding, workspaces
from workbench.services.report_context import build_context
from workbench.services.report_values import ReportContext
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.storyboard.render import render_html, render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TODAY = date(2026, 12, 4)
RESOURCES = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Scenario:
    """What a test needs of a failure scenario, read while the session was open."""

    name: str
    responder: str
    customer_message: str
    prevention_note: str


@dataclass(frozen=True)
class Rendered:
    """A workspace's storyboard as context, HTML, PDF text and page count, with its data."""

    context: ReportContext
    html: str
    text: str
    pages: int
    factors: list[tuple[str, str]]
    scenarios: list[Scenario]
    plans: list[tuple[str, str]]


def _render(app_db: Path, prepare: str) -> Rendered:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{app_db}"})
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        if prepare == "demo":
            _user, workspace, _ = seeding.create_demo(db.session, SEEDS, today=TODAY)
        else:
            workspace = _fresh_workspace()
        db.session.commit()
        scope_session(db.session, workspace.id)
        workspace = db.session.get_one(Workspace, workspace.id)
        html, _fp = render_document(
            db.session, workspace, "Test", TODAY, reports_dir(app.config), "test"
        )
        pdf, pages = render_pdf(html)
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
        rendered = Rendered(
            context=build_context(db.session, workspace, TODAY),
            html=html,
            text=text,
            pages=pages,
            factors=[(f.title, f.polarity.value) for f in db.session.scalars(select(Factor))],
            scenarios=[
                Scenario(s.name, s.responder, s.customer_message, s.prevention_note)
                for s in db.session.scalars(select(FailureScenario))
            ],
            plans=[(p.audience, p.channel) for p in db.session.scalars(select(CommunicationPlan))],
        )
        db.session.rollback()
        db.engine.dispose()
        return rendered


def _fresh_workspace() -> Workspace:
    """A new organisation entered from scratch: two factors, one scenario, one metric."""
    user = accounts.register(db.session, "new@example.org", "New User", "correct horse battery")
    workspace = workspaces.create_workspace(db.session, user, "Northline Buses", "transport")
    scope_session(db.session, workspace.id)
    db.session.add_all(
        [
            Factor(
                category=FactorCategory.BUSINESS_NEED,
                polarity=Polarity.BARRIER,
                title="Drivers cannot see live complaints",
                importance=4,
            ),
            Factor(
                category=FactorCategory.ENVIRONMENTAL_FACTOR,
                polarity=Polarity.DRIVER,
                title="Passengers expect live updates",
                importance=3,
            ),
        ]
    )
    playbook.create_scenario(
        db.session,
        {
            "name": "Bus cancelled without notice",
            "severity": "medium",
            "foreseeable": False,
            "compensation_type": "none",
        },
        set(),
    )
    metrics.create_metric(
        db.session,
        {"name": "Complaints a month", "unit": "count", "direction": "lower", "department": "it"},
    )
    db.session.flush()
    return workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Rendered]:
    """The demo workspace's storyboard, rendered once for the module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    yield _render(path, "demo")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Rendered]:
    """A small workspace entered from scratch, with no questionnaire answers."""
    path = tmp_path_factory.mktemp("fresh") / "fresh.sqlite3"
    shutil.copy(sqlite_template, path)
    yield _render(path, "fresh")


def _canvas(html: str) -> list[tuple[str, str]]:
    tree = lxml_html.fromstring(html)
    items = tree.xpath('//section[@id="operating"]//ul[contains(@class, "polar")]/li')
    found = []
    for li in items:
        title = li.xpath('./span[@dir="auto"]')[0].text_content()
        polarity = li.xpath('./span[@class="pol"]')[0].text_content()
        found.append((title, polarity))
    return found


def test_canvas_keeps_every_factor_with_its_polarity(demo: Rendered) -> None:
    assert len(demo.factors) > 18  # more than the six a column used to hold, three times
    assert sorted(_canvas(demo.html)) == sorted(demo.factors)
    # In the PDF each canvas factor carries its polarity word (set in capitals there).
    for polarity in ("barrier", "driver", "enabler"):
        expected = sum(1 for _t, p in demo.factors if p == polarity)
        assert expected and demo.text.count(polarity.upper()) == expected, polarity


EDITING_PHRASES = (
    "choose exactly one",
    "keep exactly one",
    "give them one or remove them",
    "name at least one party",
    "say which team or person answers",
    "write what to say to the customer",
    "set how many minutes",
    "No responder:",
    "No message:",
    "No response target:",
)


@pytest.mark.parametrize("which", ["demo", "fresh"])
def test_no_editing_instruction_reaches_the_board(
    which: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    lowered = rendered.text.lower()
    assert [p for p in EDITING_PHRASES if p.lower() in lowered] == []


def test_demo_gaps_become_open_points_phrased_as_decisions(demo: Rendered) -> None:
    points = demo.context.operating.open_points
    decisions = [p.decision for p in points]
    assert "Agree who is accountable for step 5, Follow up, of Service recovery process" in (
        decisions
    )
    silent = [s for s in demo.scenarios if not s.responder.strip()]
    assert silent, "the demo has a scenario without a responder"
    for scenario in silent:
        assert f"Name who responds to “{scenario.name}”" in decisions
    wordless = [s for s in demo.scenarios if not s.customer_message.strip()]
    for scenario in wordless:
        assert any(p.subject == scenario.name and "customer is told" in p.decision for p in points)
    assert any(p.area == "raci" and p.subject == "Regular guests" for p in points)
    assert {p.area for p in points} == {"playbook", "raci"}
    # A playbook point names the owner the data gives: a linked initiative's owner and start.
    parking = next(p for p in points if p.subject.startswith("Reserved parking"))
    assert (parking.owner, parking.due) == ("Quality and standards manager", "2026-06-01")
    # A RACI point goes to the party accountable for most of the process's steps.
    for point in points:
        assert not point.decision.endswith("."), point
        if point.area == "raci":
            assert point.owner == "Hotel general managers" and point.due is None
    # The body keeps a neutral mark, not an instruction.
    assert "Responder: to be decided" in demo.text


def test_fresh_scenario_gaps_are_open_points(fresh: Rendered) -> None:
    decisions = {p.decision for p in fresh.context.operating.open_points}
    assert decisions == {
        "Name who responds to “Bus cancelled without notice”",
        "Agree what the customer is told when “Bus cancelled without notice” happens",
        "Set how soon the customer hears back when “Bus cancelled without notice” happens",
    }
    assert all(p.owner == "" and p.due is None for p in fresh.context.operating.open_points)


def test_blueprint_content_is_in_the_pdf(demo: Rendered) -> None:
    text = demo.text
    # Each friction point's digital opportunity.
    opportunities = [o for s in demo.context.assessment.journey for _d, _s, o in s.items if o]
    assert len(opportunities) >= 10
    # A table cell wraps, so its first line (some 25 characters) is what reads back whole.
    assert all(" ".join(o.split())[:25] in text for o in opportunities)
    assert "Digital opportunity" in text
    # Prevention notes, the recovery-paradox note and the needs-approval flag of scenarios.
    notes = [s.prevention_note for s in demo.scenarios if s.prevention_note.strip()]
    assert notes and all(" ".join(n.split())[:50] in text for n in notes)
    assert "Prevention:" in text
    assert "The recovery paradox is weak here" in text
    assert "A small, unforeseeable failure" in text
    approval = [r for r in demo.context.operating.scenarios if r.needs_approval]
    assert approval and text.count("Needs approval:") == len(approval)
    # The FCR capability and TQM maturity results.
    assert "First contact resolution capability:" in text
    assert "Total quality management maturity:" in text
    titles = [c.title for c in demo.context.assessment.capabilities]
    assert titles == ["First contact resolution capability", "Total quality management maturity"]
    # Communication plans.
    assert demo.plans and "How each department hears about its metrics" in text
    assert all(" ".join(a.split())[:14] in text for a, _c in demo.plans)


def test_metrics_carry_owners_objectives_units_and_status_counts(demo: Rendered) -> None:
    lines = [line for d in demo.context.metrics.departments for line in d.lines]
    assert lines and all(line.owner for line in lines)
    assert any(line.objectives for line in lines)
    text = demo.text
    assert "Measures:" in text
    assert "Head of marketing" in text
    # Values with units and thousands separators, never bare "24000" or "410".
    assert "GBP 24,000" in text and "410 min" in text
    assert " 24000 " not in text
    assert "All departments" in text and "On track" in text


def test_departments_show_display_names(demo: Rendered, fresh: Rendered) -> None:
    names = [d.name for d in demo.context.metrics.departments]
    assert names and all(n[:1].isupper() for n in names)
    assert [d.name for d in fresh.context.metrics.departments] == ["IT"]
    tree = lxml_html.fromstring(fresh.html)
    headings = [h.text_content() for h in tree.xpath('//section[@id="metrics"]//h3')]
    assert "IT" in headings and "it" not in headings


def _chapters_text(page: str) -> str:
    tree = lxml_html.fromstring(page)
    parts = tree.xpath('//section[@id="assessment" or @id="operating" or @id="metrics"]')
    return " ".join(" ".join(part.text_content().split()) for part in parts)


def test_counts_of_one_read_in_the_singular(demo: Rendered, fresh: Rendered) -> None:
    # One answer to each questionnaire: the demo's data with a single respondent.
    data = demo.context.as_dict()
    data["assessment"]["readiness"]["respondents"] = 1
    for capability in data["assessment"]["capabilities"]:
        capability["respondents"] = 1
    meta = {
        "lang": "en-GB",
        "title": "Singular",
        "author": "Test",
        "subject": "Storyboard",
        "created": TODAY.isoformat(),
        "version": "test",
        "fingerprint": "0" * 64,
    }
    single = _chapters_text(render_html(data, meta, RESOURCES / "reports"))
    assert len(re.findall(r"\b1 respondent(?!s)", single)) == 3  # readiness, FCR, TQM
    assert "1 respondents" not in single
    assert "1 metric:" in _chapters_text(fresh.html)
    for text in (single, _chapters_text(demo.html), _chapters_text(fresh.html)):
        for wrong in ("1 respondents", "1 people", "1 metrics", "1 scenarios"):
            assert f" {wrong}" not in f" {text}"


def test_table_headers_are_never_broken_mid_word(demo: Rendered) -> None:
    for word in ("Importance", "Objectives", "Marketing", "Housekeeping", "Baseline"):
        assert f"{word[:-2]} {word[-2:]}" not in demo.text
    assert "Importanc e" not in demo.text


def test_unanswered_capability_questionnaires_are_named_not_scored(fresh: Rendered) -> None:
    assert fresh.context.assessment.capabilities == ()
    assert "Nobody has yet answered the first contact resolution capability" in fresh.text
    assert "out of 100, 1 respondent" not in fresh.text


def test_demo_playbook_flags_slow_targets_and_says_how_to_handle_the_toughest(
    demo: Rendered,
) -> None:
    scenarios = demo.context.operating.scenarios
    slow = [s for s in scenarios if s.minutes and s.minutes > 15]
    assert slow, "the demo has a scenario slower than the advice"
    for row in slow:
        assert row.slow_target is not None
        assert "the scenario owner's decision" in row.slow_target
    assert all(s.slow_target is None for s in scenarios if not s.minutes or s.minutes <= 15)
    flat = " ".join(demo.text.split())
    assert (
        "within 240 min, slower than the 10 to 15 minutes advised; keeping it is the scenario "
        "owner's decision" in flat
    )
    assert demo.context.operating.toughest.startswith("A few customers remain angry")
    assert demo.context.operating.toughest_title in flat
    assert "escalate once, then close the case politely" in flat
