"""Storyboard packs and the team's commentary: printed at the head of a section in the PDF,
absent when empty, the pack's order in the PDF and its contents, publishing and reuse per
pack, compare within a pack, stale saves, who may do what, and hostile or unusual text."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import login, seed
from workbench.extensions import db
from workbench.models import StoryboardPack, Workspace
from workbench.services import board_packs
from workbench.services.storyboard import render_document
from workbench.services.tenancy import scope_session
from workbench.storyboard.render import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REPORTS = Path(__file__).resolve().parents[2] / "reports"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _pdf(app: Flask, wid: int, pack: str | None) -> tuple[str, str]:
    """The storyboard of a pack as PDF text, and its HTML."""
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get(Workspace, wid)
        assert workspace is not None
        chosen = board_packs.resolve_pack(db.session, pack)
        html, _fp = render_document(
            db.session, workspace, "Test", date(2026, 12, 4), REPORTS, "t", chosen
        )
        return _text(render_pdf(html)[0]), html


def _view(client: FlaskClient, wid: int, section: str, body: str, version: str = "") -> int:
    response = client.post(
        f"/workspaces/{wid}/storyboard/commentary/{section}",
        data={"body": body, "version": version},
    )
    return response.status_code


def _packs(app: Flask, wid: int) -> dict[str, StoryboardPack]:
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(select(StoryboardPack)).all()
        for row in rows:
            db.session.expunge(row)
        return {row.name: row for row in rows}


def _publish(client: FlaskClient, wid: int, pack: str) -> str:
    response = client.post(f"/workspaces/{wid}/storyboard/publish", data={"pack": pack})
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_every_workspace_starts_with_three_packs(app: Flask, team: dict) -> None:
    packs = _packs(app, team["workspace_id"])
    assert set(packs) == {"Board", "Leadership team", "Front line"}
    assert packs["Front line"].sections == "summary,operating,metrics"
    assert packs["Leadership team"].sections.count(",") == 9


def test_commentary_heads_its_section_and_empty_leaves_no_trace(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    empty_text, empty_html = _pdf(app, wid, "Front line")
    assert "Our view" not in empty_text and 'class="our-view"' not in empty_html
    body = "Complaints wait too long.\n\n- Answer within a day\n- 回复更快 😀"
    assert _view(client, wid, "metrics", body) == 303
    text, html = _pdf(app, wid, "Front line")
    assert text.count("Our view") == 1
    heading = text.index("Metrics and goals", text.index("Contents") + 40)
    view = text.index("Our view")
    assert heading < view < text.index("Complaints wait too long.") < text.index("Answer within")
    assert "回复更快" in text
    # The view sits above the chapter's own opening (its first table).
    assert (
        view < text.index("Not yet measured", heading)
        if "Not yet measured" in text[heading:]
        else True
    )
    assert '<div class="our-view">' in html and "<li>Answer within a day</li>" in html
    # The metrics view is in no pack that lacks the metrics section.
    board_text, _html = _pdf(app, wid, "Board")
    assert "Our view" not in board_text and "Complaints wait too long." not in board_text


def test_the_pack_order_sets_the_sections_and_the_contents(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    response = client.post(
        f"/workspaces/{wid}/storyboard/packs/new",
        data={"name": "Audit committee", "sections": ["summary", "risks"]},
    )
    assert response.status_code == 303
    pack = _packs(app, wid)["Audit committee"]
    assert pack.code == "audit-committee" and pack.sections == "summary,risks"
    moved = client.post(
        f"/workspaces/{wid}/storyboard/packs/{pack.id}/sections",
        data={"version": pack.version, "section": "risks", "action": "up"},
    )
    assert moved.status_code == 303
    assert _packs(app, wid)["Audit committee"].sections == "risks,summary"
    text, html = _pdf(app, wid, "Audit committee")
    contents = text[text.index("Contents") : text.index("Every figure in this storyboard")]
    assert contents.index("Risks") < contents.index("Summary for the board")
    assert "Organisational assessment" not in contents and "Appendix" not in contents
    body = text[text.index("Every figure in this storyboard") :]
    assert body.index("The risk register") < body.index("What we ask")
    assert "Organisational assessment" not in body and "Data fingerprint" not in body
    # Without the decisions chapter nothing links to it.
    assert 'href="#decisions"' not in html and 'id="decisions"' not in html


def test_publishing_reuses_and_compares_within_a_pack(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    assert "Version 1 published." in _publish(client, wid, "board")
    assert "Nothing has changed since version 1" in _publish(client, wid, "board")
    assert "Version 2 published." in _publish(client, wid, "leadership-team")
    assert "Nothing has changed since version 2" in _publish(client, wid, "leadership-team")
    assert _view(client, wid, "summary", "The board should fund the first wave.") == 303
    third = _publish(client, wid, "board")
    assert "Version 3 published." in third and "Board" in third
    page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
    # The page's title names it only; the packs and the views are in the page's body.
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and title.group(1).startswith("Storyboard · ")
    assert "<" not in title.group(1) and page.count('id="packs"') == 1
    forms = re.findall(r'<form class="form filters".*?</form>', page, re.S)
    assert len(forms) == 1 and "Board" in forms[0]
    assert re.findall(r'<option value="(\d+)"', forms[0]) == ["3", "1", "3", "1"]
    mixed = client.get(f"/workspaces/{wid}/storyboard/compare?old=1&new=2")
    assert mixed.status_code == 400
    assert "Compare two versions of the same pack" in mixed.get_data(as_text=True)
    same = client.get(f"/workspaces/{wid}/storyboard/compare?old=1&new=3")
    assert same.status_code == 200
    with app.app_context():
        scope_session(db.session, wid)
        from workbench.services import storyboard

        three = storyboard.get_snapshot(db.session, 3)
        assert (three.pack_key, three.pack_name) == ("board", "Board")
        assert three.context["pack"]["sections"] == list(
            board_packs.choice_of(
                db.session.scalars(
                    select(StoryboardPack).where(StoryboardPack.code == "board")
                ).one()
            ).sections
        )
        assert three.context["commentary"]["summary"]["paragraphs"] == [
            "The board should fund the first wave."
        ]
        pdf = three.pdf
    # The appendix compares with the Board pack's previous version, not with version 2.
    text = _text(pdf)
    assert "Compared with version 1" in text


def test_stale_saves_get_the_conflict_page(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    assert _view(client, wid, "risks", "First view.") == 303
    assert _view(client, wid, "risks", "Second view.", "1") == 303
    stale = _view(client, wid, "risks", "A third view from an old page.", "1")
    assert stale == 409
    pack = _packs(app, wid)["Board"]
    renamed = client.post(
        f"/workspaces/{wid}/storyboard/packs/{pack.id}", data={"name": "Main board", "version": 1}
    )
    assert renamed.status_code == 303
    again = client.post(
        f"/workspaces/{wid}/storyboard/packs/{pack.id}", data={"name": "Old board", "version": 1}
    )
    assert again.status_code == 409
    assert "changed by someone else" in again.get_data(as_text=True)
    first = client.post(
        f"/workspaces/{wid}/storyboard/packs/{pack.id}/sections",
        data={"version": 2, "section": "risks", "action": "up"},
    )
    assert first.status_code == 303
    late = client.post(
        f"/workspaces/{wid}/storyboard/packs/{pack.id}/sections",
        data={"version": 2, "section": "decisions", "action": "up"},
    )
    assert late.status_code == 409
    assert _packs(app, wid)["Main board"].sections == "summary,risks,perspective,decisions,appendix"


def test_who_may_do_what(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    pack = _packs(app, wid)["Board"]
    base = f"/workspaces/{wid}/storyboard"
    login(client, team["analyst"])
    assert _view(client, wid, "operating", "Drill the <em>night</em> shift.") == 303
    analyst_page = client.get(f"{base}/").get_data(as_text=True)
    assert "Save our view" in analyst_page and "Add a pack" in analyst_page
    assert "Publish a new version" not in analyst_page
    assert client.post(f"{base}/publish", data={"pack": "board"}).status_code == 403
    assert "Save our view" in client.get(f"/workspaces/{wid}/operating/playbook").get_data(
        as_text=True
    )
    executive = client.application.test_client()
    login(executive, team["executive"])
    page = executive.get(f"{base}/").get_data(as_text=True)
    assert "Drill the <em>night</em> shift." in page
    assert "Save our view" not in page and "Add a pack" not in page and "Take out" not in page
    playbook = executive.get(f"/workspaces/{wid}/operating/playbook").get_data(as_text=True)
    assert "Drill the <em>night</em> shift." in playbook and "Save our view" not in playbook
    metrics = executive.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert "The team has written nothing on this section." in metrics
    assert executive.post(f"{base}/commentary/summary", data={"body": "x"}).status_code == 403
    assert executive.post(f"{base}/packs/new", data={"name": "x"}).status_code == 403
    assert executive.post(f"{base}/packs/{pack.id}/delete").status_code == 403
    outsider = client.application.test_client()
    login(outsider, team["outsider"])
    assert outsider.get(f"{base}/commentary/summary").status_code == 404
    assert outsider.post(f"{base}/packs/{pack.id}/delete").status_code == 404
    # Deleting asks first (a page of its own, no script needed), then deletes.
    confirm = client.get(f"{base}/packs/{pack.id}/delete")
    assert confirm.status_code == 200 and "Delete the pack" in confirm.get_data(as_text=True)
    assert client.post(f"{base}/packs/{pack.id}/delete").status_code == 303
    assert "Board" not in _packs(app, wid)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "Remove the &lt;script&gt; element"),
        ('<a href="file:///etc/passwd">x</a>', "links start with https:// or mailto:"),
        ('<a href="http://tracker.test/p.gif">x</a>', "links start with https:// or mailto:"),
        ('<p onclick="x()">x</p>', "onclick"),
        ("y" * 4001, "Keep the commentary to 4,000 characters"),
    ],
)
def test_refused_commentary_says_why_and_keeps_the_text(
    client: FlaskClient, team: dict, body: str, message: str
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    response = client.post(
        f"/workspaces/{wid}/storyboard/commentary/summary", data={"body": body, "version": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert str(escape(body))[:30] in page


def test_unusual_but_fair_text_is_kept(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    for text in ("مراجعة الشكاوى", "投诉 😀", '=HYPERLINK("https://x.test","y")'):
        assert _view(client, wid, "decisions", text, _version(app, wid, "decisions")) == 303
        page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
        assert text.replace('"', "&#34;") in page or text in page
    assert client.get(f"/workspaces/{wid}/storyboard/commentary/nowhere").status_code == 404
    for name, status in (("", 400), ("x" * 81, 400), ("Board", 400), ("<b>Ops</b> 😀", 303)):
        response = client.post(
            f"/workspaces/{wid}/storyboard/packs/new", data={"name": name, "sections": ["summary"]}
        )
        assert response.status_code == status, name
    bad = client.post(
        f"/workspaces/{wid}/storyboard/packs/new",
        data={"name": "Odd", "sections": ["summary", "../etc"]},
    )
    assert bad.status_code == 400 and "There is no section called" in bad.get_data(as_text=True)
    page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
    assert "&lt;b&gt;Ops&lt;/b&gt; 😀" in page


def _version(app: Flask, wid: int, section: str) -> str:
    with app.app_context():
        scope_session(db.session, wid)
        row = board_packs.commentary_for(db.session, section)
        return str(row.version) if row else ""


def test_the_cli_renders_a_named_pack(app: Flask, team: dict, tmp_path: Path) -> None:
    seed(app)
    runner = app.test_cli_runner()
    out = tmp_path / "board.html"
    wid = str(team["workspace_id"])
    with app.app_context():
        result = runner.invoke(args=["storyboard", wid, "--html", str(out), "--pack", "Board"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'id="risks"' in html and 'id="assessment"' not in html
    assert "Board pack" in html
    with app.app_context():
        missing = runner.invoke(args=["storyboard", wid, "--html", str(out), "--pack", "Nobody"])
    assert missing.exit_code != 0
    assert "There is no pack called “Nobody”" in missing.output


def test_the_preview_shows_a_chosen_pack(app: Flask, client: FlaskClient, team: dict) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["executive"])
    page = client.get(f"/workspaces/{wid}/storyboard/").get_data(as_text=True)
    assert f"/workspaces/{wid}/storyboard/preview?pack=front-line" in page
    preview = client.get(f"/workspaces/{wid}/storyboard/preview?pack=front-line")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'id="operating"' in html and 'id="risks"' not in html and 'id="appendix"' not in html
    full = client.get(f"/workspaces/{wid}/storyboard/preview").get_data(as_text=True)
    assert all(f'id="{key}"' in full for key in ("summary", "risks", "appendix"))
    assert client.get(f"/workspaces/{wid}/storyboard/preview?pack=nobody").status_code == 404
