"""The storyboard as an editable PowerPoint deck: the same figures as the PDF, native tables
and charts holding the context's data, no text overflowing its box, the options the board
pack uses (sections, commentary, accent, logo), hostile and unicode text, and LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.presentation import Presentation as Deck
from pypdf import PdfReader

from tests.conftest import BASE_CONFIG, SEEDS
from workbench.app import create_app
from workbench.config import reports_dir
from workbench.extensions import db
from workbench.models import Factor, FactorCategory, Initiative, Polarity, Workspace
from workbench.services import accounts, metrics, seeding, workspaces
from workbench.services.report_context import build_context
from workbench.services.storyboard import meta_for, render_document
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.storyboard import formats
from workbench.storyboard.deck import SECTIONS, render_pptx
from workbench.storyboard.deck_fit import emu, overflows
from workbench.storyboard.deck_slides import BOTTOM, WIDTH
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TODAY = date(2026, 12, 4)
HOSTILE = [
    "<script>alert('deck')</script> & <b>bold</b>",
    '=HYPERLINK("http://evil.example/x", "click")',
    "file:///etc/passwd and http://evil.example/logo.png",
    "مرحبا بالعالم: شكوى العملاء",
    "服务恢复战略 サービス回復 고객 불만",
    "👩🏽‍💻 🏳️‍🌈 complaints fixed 🎉",
]
LONG = "Reply to every complaint " * 400
# A one-pixel red PNG: the smallest logo that is still a picture.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@dataclass(frozen=True)
class Rendered:
    """One workspace's storyboard as context, meta, PDF text and deck."""

    context: dict[str, Any]
    meta: dict[str, str]
    pdf_text: str
    pptx: bytes
    slides: int
    html: str


def _render(path: Path, prepare: str) -> Rendered:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        if prepare == "demo":
            _user, workspace, _ = seeding.create_demo(db.session, SEEDS)
        else:
            workspace = _hostile_workspace()
        db.session.commit()
        scope_session(db.session, workspace.id)
        workspace = db.session.get_one(Workspace, workspace.id)
        report = build_context(db.session, workspace, TODAY)
        context = report.as_dict()
        meta = meta_for(workspace, "Dana Demo", report.fingerprint(), "7")
        html, _fp = render_document(
            db.session, workspace, "Dana Demo", TODAY, reports_dir(app.config), "7"
        )
        pdf, _pages = render_pdf(html)
        db.session.rollback()
        db.engine.dispose()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    pptx, slides = render_pptx(context, meta)
    return Rendered(context, meta, text, pptx, slides, html)


def _hostile_workspace() -> Workspace:
    """A workspace whose every text is unicode, markup, a formula or far too long."""
    user = accounts.register(db.session, "h@example.org", "Hostile Tester", "correct horse battery")
    workspace = workspaces.create_workspace(db.session, user, HOSTILE[0], "<i>rail</i>")
    scope_session(db.session, workspace.id)
    workspace.vision = HOSTILE[3]
    workspace.mission = LONG
    workspace.values = "\n".join(HOSTILE)
    workspace.current_state = "\n\n".join(HOSTILE)
    for n, title in enumerate([*HOSTILE, LONG[:1000]]):
        db.session.add(
            Factor(
                category=FactorCategory.BUSINESS_NEED,
                polarity=Polarity.BARRIER if n % 2 else Polarity.DRIVER,
                title=title,
                importance=1 + n % 5,
            )
        )
        db.session.add(
            Initiative(title=title, owner=HOSTILE[(n + 1) % 6], status="proposed", budget=1000 * n)
        )
    metrics.create_metric(
        db.session, {"name": HOSTILE[4], "unit": "count", "direction": "lower", "department": "it"}
    )
    db.session.flush()
    return workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Rendered]:
    """The demo workspace's storyboard as PDF and deck, rendered once for the module."""
    path = tmp_path_factory.mktemp("deck") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    yield _render(path, "demo")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Rendered]:
    """A workspace of hostile and unicode text, as PDF and deck."""
    path = tmp_path_factory.mktemp("deck") / "hostile.sqlite3"
    shutil.copy(sqlite_template, path)
    yield _render(path, "hostile")


def _open(data: bytes) -> Deck:
    return Presentation(io.BytesIO(data))


def _slide_texts(deck: Deck) -> list[str]:
    """Each slide's text: its text boxes and its table cells, in order."""
    texts = []
    for slide in deck.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
    return texts


def _titles(deck: Deck) -> list[str]:
    return [
        next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")
        for slide in deck.slides
    ]


def _charts(deck: Deck) -> dict[str, Chart]:
    found = {}
    for title, slide in zip(_titles(deck), deck.slides, strict=True):
        for shape in slide.shapes:
            if shape.has_chart:
                found[title] = shape.chart
    return found


def test_the_deck_and_the_pdf_give_the_same_figures(demo: Rendered) -> None:
    c = demo.context
    everything = " ".join(_slide_texts(_open(demo.pptx)))
    ask = c["summary"]["ask"]
    figures = [
        formats.money(ask["total"], ask["currency"]),
        f"{formats.number(c['assessment']['index'])}/100",
        f"{formats.number(c['alignment']['score'])}/100",
        f"{c['summary']['goals']['on_track']} of {sum(c['summary']['goals'].values())}",
    ]
    latest = [line[3] for d in c["metrics"]["departments"] for line in d["lines"]]
    assert len(latest) >= 8
    for figure in [*figures, *latest]:
        assert figure in demo.pdf_text, figure
        assert figure in everything, figure
    # Each goal count by status stands in both.
    slides = _slide_texts(_open(demo.pptx))
    glance = next(t for t in slides if "Goals: On track" in t)
    for key, label in (
        ("on_track", "On track"),
        ("at_risk", "At risk"),
        ("off_track", "Off track"),
    ):
        assert f"Goals: {label}\n{c['summary']['goals'][key]}" in glance


def test_native_charts_hold_the_contexts_data(demo: Rendered) -> None:
    c = demo.context
    charts = _charts(_open(demo.pptx))
    funding = charts["Key figures and funding by year"].plots[0]
    assert list(funding.categories) == [str(y) for y, _ in c["summary"]["ask"]["by_year"]]
    assert list(funding.series[0].values) == [v for _, v in c["summary"]["ask"]["by_year"]]
    radar = charts["Readiness by dimension"].plots[0]
    dims = c["assessment"]["readiness"]["dimensions"]
    assert list(radar.categories) == [d[0] for d in dims]
    assert list(radar.series[0].values) == [d[1] for d in dims]
    trends = 0
    for d in c["metrics"]["departments"]:
        for metric in d["metrics"]:
            if not metric["points"]:
                continue
            plot = charts[f"Trend: {metric['name']}"].plots[0]
            assert list(plot.series[0].values) == [v for _, v in metric["points"]]
            assert list(plot.categories) == [formats.short_date(day) for day, _ in metric["points"]]
            trends += 1
    assert trends >= 8
    years = c["metrics"]["economics"]["case"]["years"]
    cash = charts["Net cash flow a year and cumulative"].plots[0]
    assert list(cash.series[1].values) == [row[7] for row in years]


@pytest.mark.parametrize("which", ["demo", "hostile"])
def test_no_text_overflows_its_box(which: str, request: pytest.FixtureRequest) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    assert list(overflows(_open(rendered.pptx))) == []


def test_the_estimator_catches_a_box_too_small() -> None:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, 914_400, 300_000)
    box.text_frame.word_wrap = True
    box.text_frame.text = "A sentence far too long for a box one inch wide and a third high."
    found = list(overflows(deck))
    assert len(found) == 1 and found[0].needed_in > found[0].height_in


def test_hostile_and_unicode_text_arrives_as_plain_text(hostile: Rendered) -> None:
    deck = _open(hostile.pptx)
    everything = "\n".join(_slide_texts(deck))
    for text in HOSTILE:
        assert text in everything, text
    # The long mission continues over further slides instead of running off one.
    assert any(t.startswith("The strategy (continued)") for t in _titles(deck))
    assert everything.count("Reply to every complaint") >= 399
    # Nothing in the package refers outside it.
    with io.BytesIO(hostile.pptx) as raw:
        import zipfile

        with zipfile.ZipFile(raw) as package:
            rels = "".join(
                package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".rels")
            )
    assert 'TargetMode="External"' not in rels


def test_notes_numbers_alt_text_and_properties(demo: Rendered) -> None:
    deck = _open(demo.pptx)
    assert demo.slides == len(deck.slides) > 40
    props = deck.core_properties
    assert props.title == "Harbourline Hotels: service recovery strategy"
    assert props.author == "Dana Demo" and props.language == "en-GB"
    assert props.subject == "Service recovery strategy storyboard"
    for number, slide in enumerate(list(deck.slides)[1:], start=2):
        fields = slide.shapes._spTree.xpath(".//a:fld[@type='slidenum']")
        assert len(fields) == 1 and fields[0].xpath("string(.//a:t)") == str(number)
    pictures = [
        shape
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    # Roadmap, tornado, risk heat map and the alignment graph's panels.
    assert len(pictures) >= 3 + len(demo.context["alignment"]["graph"]["columns"][2][1])
    for picture in pictures:
        assert len(picture._element.nvPicPr.cNvPr.get("descr", "")) > 10
    titles = _titles(deck)
    summary = deck.slides[titles.index("Summary for the board")]
    assert demo.context["summary"]["recommendation"] in summary.notes_slide.notes_text_frame.text
    assessment = deck.slides[titles.index("Organisational assessment")]
    notes = assessment.notes_slide.notes_text_frame.text
    assert demo.context["assessment"]["verdict_sentence"] in notes
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    assert len(tables) > 20


def test_sections_commentary_accent_and_logo(demo: Rendered) -> None:
    view = {
        "risks": ["We accept the summer peak risk.", "  "],
        "summary": ["Board: <b>approve</b>."],
    }
    data, slides = render_pptx(
        demo.context,
        demo.meta,
        sections=["risks", "summary"],
        commentary=view,
        accent="#8A2BE2",
        logo_png=PNG,
    )
    deck = _open(data)
    titles = _titles(deck)
    assert slides == len(titles)
    assert titles[1] == "Risks: our view" and titles[2] == "Risks"
    summary_at = titles.index("Summary for the board: our view")
    assert summary_at > titles.index("Risk heat map")
    assert not any(
        t.startswith(("Organisational assessment", "Metrics", "Appendix")) for t in titles
    )
    texts = _slide_texts(deck)
    assert "We accept the summer peak risk." in texts[1]
    assert "Board: <b>approve</b>." in texts[summary_at]
    bands = [s for slide in deck.slides for s in slide.shapes if s.name == "Accent band"]
    assert bands and all(str(b.fill.fore_color.rgb) == "8A2BE2" for b in bands)
    logos = [s for s in deck.slides[0].shapes if s.name == "Logo"]
    assert len(logos) == 1 and logos[0].image.blob == PNG
    assert logos[0]._element.nvPicPr.cNvPr.get("descr") == "Logo of Harbourline Hotels"
    assert not [s for slide in list(deck.slides)[1:] for s in slide.shapes if s.name == "Logo"]
    plain = _open(demo.pptx)
    assert not [s for s in plain.slides[0].shapes if s.name == "Logo"]
    assert "Risks: our view" not in _titles(plain)
    with pytest.raises(ValueError, match="unknown storyboard sections: cover"):
        render_pptx(demo.context, demo.meta, sections=["cover"])
    every, _ = render_pptx(demo.context, demo.meta, sections=list(SECTIONS))
    assert len(_open(every).slides) == demo.slides


def test_libreoffice_impress_converts_the_deck(demo: Rendered, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice Impress is needed (libreoffice-impress-nogui)"
    source = tmp_path / "deck.pptx"
    source.write_bytes(demo.pptx)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "out" / "deck.pdf")
    assert len(reader.pages) == demo.slides
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    ask = demo.context["summary"]["ask"]
    assert formats.money(ask["total"], ask["currency"]) in text
    assert "Harbourline Hotels" in text


def _graph_slides(deck: Deck) -> list[Any]:
    return [
        slide
        for title, slide in zip(_titles(deck), deck.slides, strict=True)
        if title.startswith("How the strategy hangs together")
    ]


def test_the_alignment_graph_is_a_picture_per_objective_with_alt_text(demo: Rendered) -> None:
    deck = _open(demo.pptx)
    titles = _titles(deck)
    graph = _graph_slides(deck)
    assert graph, titles
    # Where the PDF has it: after the approach, before the matrices.
    first = titles.index("How the strategy hangs together")
    assert titles.index("Prevent or recover: budget by objective") < first
    assert first + len(graph) == titles.index("Initiatives \u00d7 objectives")
    pictures = [
        shape
        for slide in graph
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    objectives = demo.context["alignment"]["graph"]["columns"][2][1]
    captions = [s.text_frame.text for slide in graph for s in slide.shapes if s.name == "Caption"]
    # One panel per objective (the demo also has work serving none: one more panel).
    assert len(pictures) == len(objectives) + 1
    for n in range(1, len(objectives) + 1):
        caption = next(c for c in captions if c.startswith(f"Objective {n} of {len(objectives)}:"))
        # The PDF captions each panel with the same words.
        assert caption in demo.pdf_text, caption
        assert pictures[n - 1]._element.nvPicPr.cNvPr.get("descr") == f"Alignment graph. {caption}"
    assert (
        pictures[-1]
        ._element.nvPicPr.cNvPr.get("descr", "")
        .startswith("Alignment graph. Not yet connected to an objective")
    )
    # Legible: the demo's panels are short enough to span the whole body of the slide.
    for picture in pictures:
        assert abs(picture.width - emu(WIDTH)) <= 2
        assert picture.top + picture.height <= emu(BOTTOM)
    # How to read the panels, in the PDF's words, once, at the foot of the first graph slide.
    reading = "Line weight shows how strongly an initiative contributes to the objective"
    assert reading in demo.pdf_text
    feet = [s.text_frame.text for s in graph[0].shapes if s.name == "Caption"]
    assert sum(reading in c for c in captions) == 1 and reading in feet[-1]


def _headers(deck: Deck) -> set[str]:
    return {
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for cell in shape.table.rows[0].cells
    }


def _pdf_headers(html: str) -> set[str]:
    cells = re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", "", cell)).replace("\u00ad", "").split())
        for cell in cells
    }


MONEY_WORDS = ("Budget", "Spent", "Investment", "Running cost", "Compensation", "Net", "Cumul")


def test_every_money_and_scale_header_carries_its_unit(demo: Rendered) -> None:
    currency = demo.context["metrics"]["economics"]["currency"]
    assert currency == demo.context["summary"]["ask"]["currency"]
    deck, pdf = _headers(_open(demo.pptx)), _pdf_headers(demo.html)
    expected = {
        f"Budget ({currency})",
        f"Spent ({currency})",
        f"Lifetime value kept ({currency})",
        f"Investment ({currency})",
        f"Running cost ({currency})",
        f"Compensation ({currency})",
        f"Net ({currency})",
        f"Cumulative ({currency})",
        f"Annual cost, {currency}",
        "Interest (1 to 5)",
        "Influence (1 to 5)",
    }
    assert expected <= deck, expected - deck
    assert expected <= pdf, expected - pdf
    for headers in (deck, pdf):
        # The playbook's "Compensation" column is a remedy in words, its amounts in the cells.
        money = [h for h in headers if h.startswith(MONEY_WORDS) and h != "Compensation"]
        assert money and all(currency in h for h in money), money
        assert {"Interest", "Influence", "Lifetime value kept", "Net", "Investment"}.isdisjoint(
            headers
        )
    # Each native chart of money names the currency on its value axis.
    charts = _charts(_open(demo.pptx))
    for title, unit in (
        ("Key figures and funding by year", currency),
        ("Prevent or recover: budget by objective", f"Budget, {currency}"),
        ("Net cash flow a year and cumulative", currency),
        ("Trend: Compensation cost", currency),
    ):
        axis = charts[title].value_axis
        assert axis.has_title and axis.axis_title.text_frame.text == unit, title
    # The metrics overview has the PDF's columns, "No recent data" among them.
    assert "No recent data" in deck and "No recent data" in pdf
