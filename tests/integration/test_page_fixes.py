"""Small page fixes of issue 19: the conflict page writes money and dates as people do, the
RACI check after adopting a process is one summary line with the list folded away, and an
empty workshop board says so for every step."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests.integration.test_merge import SAVED, _initiative, changed, form_of, post, two
from tests.integration.workshop_helpers import open_session
from workbench.extensions import db
from workbench.models import Change
from workbench.services.tenancy import allow_system_access

__all__ = ["two"]  # the fixture of two people editing one workspace


def _stored_cells(html: str) -> dict[str, str]:
    document = lxml.html.fromstring(html)
    return {
        row.get("data-field"): row.xpath('.//td[@class="stored"]//pre')[0].text_content()
        for row in document.xpath("//tr[@data-field]")
    }


def test_the_conflict_page_shows_money_with_its_currency_and_dates_as_dates(two: tuple) -> None:
    a, b, wid = two
    action = _initiative(a, wid)
    form_a, form_b = form_of(a, action, action), form_of(b, action, action)
    saved = post(a, action, changed(form_a, budget="1252000.5", start_date="2026-03-01"))
    assert saved.status_code in SAVED
    refused = post(b, action, changed(form_b, budget="45000", start_date="2026-04-01"))
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    theirs = _stored_cells(html)
    assert theirs["budget"] == "GBP 1,252,000.50"
    assert theirs["start_date"] == "1 March 2026"


def test_whole_amounts_read_without_pence_when_nothing_could_be_merged(
    two: tuple, app: Flask
) -> None:
    """Without a history nothing is merged: every differing field is listed, also readable."""
    a, b, wid = two
    action = _initiative(a, wid)
    form_a, form_b = form_of(a, action, action), form_of(b, action, action)
    assert post(a, action, changed(form_a, budget="52000")).status_code in SAVED
    with app.app_context():
        allow_system_access(db.session)
        db.session.execute(update(Change).values(version=None))
        db.session.commit()
    refused = post(b, action, changed(form_b, priority="high"))
    assert refused.status_code == 409
    theirs = _stored_cells(refused.get_data(as_text=True))
    assert theirs["budget"] == "GBP 52,000"


def _adopt_recovery_process(client: FlaskClient, wid: int) -> str:
    base = f"/workspaces/{wid}/operating"
    for name in ("Front desk", "Guest relations", "Finance", "Night manager"):
        data = {"name": name, "kind": "team", "interest": "3", "influence": "3"}
        assert client.post(f"{base}/stakeholders", data=data).status_code in SAVED
    page = client.get(f"{base}/processes/").get_data(as_text=True)
    key = re.search(r'name="template" value="([^"]+)"', page)
    assert key, "no process template offered"
    adopted = client.post(f"{base}/processes/adopt", data={"template": key.group(1)})
    assert adopted.status_code == 303
    return client.get(adopted.headers["Location"]).get_data(as_text=True)


def test_adopting_a_process_gives_one_summary_line_with_the_list_folded(two: tuple) -> None:
    a, _b, wid = two
    html = _adopt_recovery_process(a, wid)
    document = lxml.html.fromstring(html)
    (line,) = document.xpath('//p[contains(@class, "raci-summary")]')
    assert line.text_content() == (
        "18 points to settle: 7 steps have no one Accountable, 7 steps have no one "
        "Responsible and 4 stakeholders have no role yet."
    )
    (folded,) = document.xpath('//details[@class="raci-details"]')
    assert folded.get("open") is None  # eighteen lines would fill the screen
    assert folded.xpath("./summary")[0].text_content() == "Show all 18"
    assert len(folded.xpath('.//ul[@class="raci-violations"]/li')) == 18


def test_a_few_raci_points_are_shown_unfolded(two: tuple) -> None:
    a, _b, wid = two
    html = _adopt_recovery_process(a, wid)
    process_url = re.search(rf"/workspaces/{wid}/operating/processes/\d+", html)
    assert process_url
    document = lxml.html.fromstring(html)
    (matrix,) = [f for f in document.forms if f.get("action", "").endswith("/raci")]
    fields = dict(matrix.form_values())
    parties = sorted({name.rsplit("-", 1)[1] for name in fields if name.startswith("r-")}, key=int)
    # Every step: one Accountable and one Responsible; two stakeholders stay without a role.
    accountable, responsible = parties[0], parties[1]
    data: dict[str, Any] = {}
    for name, value in fields.items():
        party = name.rsplit("-", 1)[-1]
        if name.startswith("r-") and party in (accountable, responsible):
            value = "A" if party == accountable else "R"
        data[name] = value
    saved = a.post(f"{process_url.group(0)}/raci", data=data)
    assert saved.status_code in SAVED
    document = lxml.html.fromstring(a.get(process_url.group(0)).get_data(as_text=True))
    (line,) = document.xpath('//p[contains(@class, "raci-summary")]')
    assert line.text_content() == "2 points to settle: 2 stakeholders have no role yet."
    assert "warning" in line.get("class")
    (folded,) = document.xpath('//details[@class="raci-details"]')
    assert folded.get("open") is not None


def test_every_step_of_an_empty_workspace_reads_nothing_yet_on_the_board(
    app: Flask, team: dict
) -> None:
    from tests.conftest import login

    client = app.test_client()
    login(client, team["facilitator"])
    session_id, _code = open_session(app, client, team)
    wid = team["workspace_id"]
    room = f"/workspaces/{wid}/workshop/{session_id}"
    page = client.get(room).get_data(as_text=True)
    steps = len(
        re.findall(r'<option value="\d+"', page.split('id="jump"')[1].split("</select>")[0])
    )
    assert steps == 12
    for index in range(steps):
        version = re.search(
            r'name="version" value="(\d+)"', client.get(room).get_data(as_text=True)
        )
        assert version
        moved = client.post(
            f"{room}/step", data={"target": str(index), "version": version.group(1)}
        )
        assert moved.status_code in SAVED
        board = lxml.html.fromstring(client.get(f"{room}/board").get_data(as_text=True))
        text = board.text_content()
        assert "None" not in text, index
        assert "Nothing to show" not in text, index
        headings = board.xpath("//h3")
        assert headings, f"step {index + 1} has no heading on its board"
        for heading in headings:
            after = heading.getnext()
            assert after is not None and after.text_content().strip(), index
