"""The deck's appendix tells the changes since the last published version in the PDF's words:
the first-version sentence, each part's changes, and the same "And N more changes" cut."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import login, seed
from workbench.analysis.report_diff import MAX_PER_SECTION, SectionDiff
from workbench.analysis.report_diff_format import Change
from workbench.extensions import db
from workbench.models import Initiative
from workbench.services.tenancy import scope_session
from workbench.storyboard.deck_appendix import FIRST_VERSION, changes_blocks

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TITLE = "Appendix: changes since the last published version"
# A page's running head (its chapter), the workspace's name and the page number.
FURNITURE = re.compile(r"(?:(?:Decisions and next steps|Appendix) )?Harbour Test Hotels \d+ / \d+")


def _publish(client: FlaskClient, wid: int) -> None:
    response = client.post(f"/workspaces/{wid}/storyboard/publish")
    assert response.status_code == 303
    assert "published" in client.get(response.headers["Location"]).get_data(as_text=True)


def _words(text: str) -> str:
    return " ".join(text.replace("•", " ").split())


def _pdf_changes(client: FlaskClient, wid: int, number: int) -> str:
    """The PDF appendix's changes: from their heading to the method notes."""
    pdf = client.get(f"/workspaces/{wid}/storyboard/{number}.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    text = _words(" ".join(page.extract_text() or "" for page in reader.pages))
    start = text.rindex("Changes since the last published version")
    end = text.index("How the figures are worked out", start)
    return text[start + len("Changes since the last published version") : end].strip()


def _deck_changes(client: FlaskClient, wid: int, number: int) -> list[str]:
    """The deck's changes slides, paragraph by paragraph, bullets as the PDF's list items."""
    deck = client.get(f"/workspaces/{wid}/storyboard/{number}.pptx")
    assert deck.status_code == 200
    lines: list[str] = []
    for slide in Presentation(io.BytesIO(deck.data)).slides:
        shapes = {shape.name: shape for shape in slide.shapes}
        if "Title" in shapes and shapes["Title"].text_frame.text.startswith(TITLE):
            lines += [p.text.removeprefix("• ") for p in shapes["Body"].text_frame.paragraphs]
    return lines


def _add(app: Flask, wid: int, titles: list[str], budget: str = "1000") -> None:
    with app.app_context():
        scope_session(db.session, wid)
        for title in titles:
            db.session.add(Initiative(workspace_id=wid, title=title, budget=Decimal(budget)))
        db.session.commit()


def test_the_decks_changes_match_the_pdfs_for_a_second_version(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    # More initiatives than a part lists, with markup and a formula in their titles (the
    # hostile deck test covers right-to-left, CJK and emoji text).
    pilots = [f"Pilot {n:02d} <b>café</b> & =HYPERLINK(1)" for n in range(1, MAX_PER_SECTION + 3)]
    _add(app, wid, ["Case system"], "40000")
    _add(app, wid, pilots)
    _publish(client, wid)
    # Version 1 has nothing to compare with: both say so in the same sentence.
    assert _deck_changes(client, wid, 1) == [FIRST_VERSION]
    _same_text([FIRST_VERSION], _pdf_changes(client, wid, 1))
    # Each budget raised: one sentence each, more than a part lists.
    with app.app_context():
        scope_session(db.session, wid)
        for initiative in db.session.scalars(select(Initiative)):
            initiative.budget = (initiative.budget or Decimal(0)) + Decimal(500)
        db.session.commit()
    _publish(client, wid)
    deck = _deck_changes(client, wid, 2)
    pdf = _pdf_changes(client, wid, 2)
    assert deck[0].startswith("Compared with version 1, published on ") and deck[0].endswith(":")
    assert "Initiatives and alignment" in deck
    more = [line for line in deck if re.fullmatch(r"And \d+ more changes?", line)]
    assert more, deck
    assert sum(line.startswith("Budget of 'Pilot ") for line in deck) < len(pilots)
    _same_text(deck, pdf)


def _same_text(deck: list[str], pdf: str) -> None:
    """Every paragraph of the deck in the PDF's changes, in order, and nothing more."""
    at = 0
    for line in deck:
        found = pdf.find(_words(line), at)
        assert found >= 0, (line, pdf[at:])
        # Between two paragraphs only a page's running head and number may stand.
        assert not FURNITURE.sub("", pdf[at:found]).strip(), pdf[at:found]
        at = found + len(_words(line))
    assert not FURNITURE.sub("", pdf[at:]).strip(), pdf[at:]


def test_the_changes_are_worded_as_the_pdf_words_them() -> None:
    since = {
        "number": 3,
        "published": "4 December 2026",
        "sections": [
            SectionDiff("risks", "Risk register", True, (Change("Risk 'Flood' added"),), 0),
            SectionDiff("alignment", "Initiatives and alignment", True, (Change("One"),), 2),
            SectionDiff("metrics", "Metrics, goals and economics", True, (Change("Two"),), 1),
        ],
    }
    assert [(b.text, b.kind) for b in changes_blocks(since)] == [
        ("Compared with version 3, published on 4 December 2026:", "text"),
        ("Risk register", "heading"),
        ("Risk 'Flood' added", "bullet"),
        ("Initiatives and alignment", "heading"),
        ("One", "bullet"),
        ("And 2 more changes", "bullet"),
        ("Metrics, goals and economics", "heading"),
        ("Two", "bullet"),
        ("And 1 more change", "bullet"),
    ]
    unchanged = {"number": 2, "published": None, "sections": []}
    assert [b.text for b in changes_blocks(unchanged)] == [
        "Nothing in the figures or the text has changed since version 2."
    ]
    assert [b.text for b in changes_blocks(None)] == [FIRST_VERSION]
