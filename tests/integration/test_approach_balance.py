"""Prevent or recover on the gaps page and in the storyboard: the demo's figures, undecided
initiatives listed with links, hostile titles shown as text, and the guidance file checked."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEEDS, Person, login, seed
from tests.integration.test_storyboard_content import Rendered, _render
from workbench.analysis.alignment import analyse
from workbench.config import reports_dir
from workbench.extensions import db
from workbench.models import Approach, Initiative, InitiativeStatus, Workspace
from workbench.services import alignment, seeding
from workbench.services import approach as approach_service
from workbench.services.errors import ServiceError
from workbench.services.report_context import build_context
from workbench.services.storyboard import preview_html
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DEMO = Person(0, seeding.DEMO_EMAIL, seeding.DEMO_NAME)


def _demo(app: Flask) -> int:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        return workspace.id


def _section(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.fromstring(html)
    sections = tree.xpath('//section[@id="approach"]')
    assert len(sections) == 1
    return sections[0]


def _text(element: lxml.html.HtmlElement) -> str:
    """The element's text with a space wherever a tag (a line break, a span) separates it."""
    return " ".join(" ".join(element.itertext()).split())


def test_gaps_page_shows_the_demo_split_agreeing_with_the_budget(
    app: Flask, client: FlaskClient
) -> None:
    wid = _demo(app)
    login(client, DEMO, seeding.DEMO_PASSWORD)
    response = client.get(f"/workspaces/{wid}/alignment/")
    assert response.status_code == 200
    section = _section(response.get_data(as_text=True))
    text = _text(section)
    assert text.startswith("Prevent or recover")
    assert (
        "Of the GBP 307,000 budgeted for active initiatives with an approach chosen, recovery "
        "takes GBP 278,000 (91%) and prevention GBP 29,000 (9%)." in text
    )
    assert (
        "The plan leans on recovery while most of the failures it expects could be prevented"
        in (text)
    )
    rows = section.xpath(".//table//tbody/tr")
    overall = [_text(cell) for cell in rows[0].xpath("./th|./td")]
    assert overall == [
        "All active initiatives",
        "GBP 29,000 (9%) 5 initiatives",
        "GBP 278,000 (91%) 11 initiatives",
        "GBP 0 (0%) 0 initiatives",
        "GBP 307,000 16 initiatives",
    ]
    # One row per objective and one for the active work serving none, each objective linked.
    with app.app_context():
        scope_session(db.session, wid)
        data = alignment.gather(db.session)
        report = analyse(data)
    assert len(rows) == 1 + len(data.objectives) + 1
    links = section.xpath(".//table//tbody/tr/td[1]/a/@href")
    assert links == [f"/workspaces/{wid}/alignment/objectives/{o.id}" for o in data.objectives]
    # The budget section counts dropped work too; without it, the totals agree.
    dropped = next(line for line in report.budget.by_status if line.key == "dropped")
    assert report.budget.total.budget - dropped.budget == 307_000
    assert dropped.budget > 0
    assert (
        "The budget and spend section above includes dropped work, so its total budget is "
        "GBP 30,000 higher." in text
    )
    # The chart is drawn, the guidance is shown, and no initiative is undecided in the demo.
    assert section.xpath('.//img[@class="chart"]/@src')[0].startswith("data:image/svg+xml;")
    assert "When each approach pays off" in text
    assert "the recovery paradox does not hold" in text
    assert "None: every active initiative has an approach." in text


def test_executive_reads_the_section_without_any_control(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add(Initiative(title="Proactive delay texts", approach=Approach.PREVENT))
        db.session.commit()
    login(client, team["executive"])
    section = _section(client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True))
    assert not section.xpath(".//form|.//button|.//input")
    text = _text(section)
    # No budget anywhere: no chart, and the split is read from the number of initiatives.
    assert not section.xpath(".//img")
    assert "Of the 1 active initiative with an approach chosen, 0 recover and 1 prevent" in text
    assert "The playbook holds no failure scenarios yet" in text


HOSTILE = '<script>alert("x")</script> =HYPERLINK("http://evil.example") file:///etc/passwd'


@pytest.mark.parametrize(
    "title",
    [HOSTILE, "تحسين رضا العملاء", "顧客満足度の改善", "Faster refunds 💸"],
)
def test_undecided_initiatives_are_listed_with_links_and_their_titles_as_text(
    app: Flask, client: FlaskClient, team: dict, title: str
) -> None:
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        undecided = Initiative(title=title, budget=Decimal("1200"))
        dropped = Initiative(title="Dropped idea", status=InitiativeStatus.DROPPED)
        db.session.add_all([undecided, dropped])
        db.session.commit()
        undecided_id = undecided.id
    login(client, team["analyst"])
    html = client.get(f"/workspaces/{wid}/alignment/").get_data(as_text=True)
    assert "<script>alert" not in html
    section = _section(html)
    items = section.xpath('.//h3[@id="approach-unchosen"]/following-sibling::ul[1]/li')
    assert [_text(li) for li in items] == [f"{' '.join(title.split())} (GBP 1,200)"]
    link = items[0].xpath("./a/@href")[0]
    assert link == f"/workspaces/{wid}/alignment/initiatives/{undecided_id}#approach"
    text = _text(section)
    assert "Dropped idea" not in text
    assert "No active initiative has an approach chosen yet" in text


def test_guidance_file_problems_are_named_and_a_change_is_read_again(tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"^approach_guidance\.yaml: cannot be read"):
        approach_service.load_guidance(tmp_path)
    target = tmp_path / approach_service.FILE_NAME
    target.write_text("thresholds: [unclosed", encoding="utf-8")
    with pytest.raises(ServiceError, match=r"^approach_guidance\.yaml: cannot be read"):
        approach_service.load_guidance(tmp_path)
    target.write_text("thresholds: {}\napproaches: []\n", encoding="utf-8")
    with pytest.raises(ServiceError, match=r"thresholds\.leaning_percent: must be a whole"):
        approach_service.load_guidance(tmp_path)
    shutil.copy(SEEDS / approach_service.FILE_NAME, target)
    assert approach_service.load_guidance(tmp_path).leaning_percent == 65
    changed = target.read_text(encoding="utf-8").replace(
        "leaning_percent: 65", "leaning_percent: 70"
    )
    target.write_text(changed + "\n", encoding="utf-8")
    assert approach_service.load_guidance(tmp_path).leaning_percent == 70


@pytest.fixture(scope="module")
def storyboard(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Rendered:
    """The demo storyboard, rendered once for this module."""
    path = tmp_path_factory.mktemp("approach") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    return _render(path, "demo")


def test_storyboard_carries_the_rollup_with_currency_and_agreeing_totals(
    storyboard: Rendered,
) -> None:
    section = storyboard.context.alignment.approach
    assert section.currency == "GBP"
    assert section.overall.budget == storyboard.context.alignment.budget.total == 307_000
    assert section.overall.initiatives == len(storyboard.context.alignment.initiatives)
    text = storyboard.text
    assert "Prevent or recover" in text
    assert "recovery takes GBP 278,000 (91%) and prevention GBP 29,000 (9%)" in text
    assert "The plan leans on recovery while most of the failures it expects could be" in text
    # Every amount in the table has its currency; dropped work is in no figure.
    tree = lxml.html.fromstring(storyboard.html)
    table = tree.xpath('//table[contains(@class, "approach-table")]')[0]
    cells = [_text(td) for td in table.xpath(".//tbody/tr/td[position() > 1]")]
    assert cells and all(re.match(r"^GBP \d[\d,]* ", cell) for cell in cells), cells
    assert "Pilot a website chatbot" not in _text(table)
    assert table.xpath(".//tbody/tr")[0].xpath("./td")[0].text_content() == "All active initiatives"
    assert tree.xpath('//figure/div[@class="chart"]//span[text()="Budget, GBP"]')


def test_storyboard_names_undecided_work_and_sets_hostile_titles_as_text(
    app: Flask, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add_all(
            [
                Initiative(title="Call back unhappy guests", approach=Approach.RECOVER, budget=500),
                Initiative(title=HOSTILE, budget=Decimal("250.50")),
                Initiative(
                    title="Old idea", approach=Approach.PREVENT, status=InitiativeStatus.DROPPED
                ),
            ]
        )
        db.session.commit()
        workspace = db.session.get_one(Workspace, wid)
        html = preview_html(
            db.session, workspace, "Fran", date(2026, 12, 4), reports_dir(app.config)
        )
        section = build_context(db.session, workspace, date(2026, 12, 4)).alignment.approach
    assert "<script>alert" not in html
    tree = lxml.html.fromstring(html)
    block = tree.xpath('//div[@class="approach"]')[0]
    text = _text(block)
    undecided = block.xpath('./p[starts-with(., "No approach chosen yet")]')[0]
    assert undecided.text_content() == f"No approach chosen yet: {HOSTILE}."
    assert "Old idea" not in text
    assert section.unchosen == (HOSTILE,)
    assert [cell.budget for cell in section.overall.cells] == [0.0, 500.0, 250.5]
    # Only recovery is chosen, so the plan leans on it; the undecided work is named apart.
    assert "This reading leaves out 1 active initiative (GBP 250) with no approach chosen." in text


def test_an_empty_workspace_shows_the_guidance_and_no_figures(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    login(client, team["facilitator"])
    response = client.get(f"/workspaces/{team['workspace_id']}/alignment/")
    assert response.status_code == 200
    section = _section(response.get_data(as_text=True))
    assert not section.xpath(".//table|.//img")
    text = _text(section)
    assert "No active initiatives yet, so there is no balance between prevention and recovery" in (
        text
    )
    assert "It pays off when:" in text
