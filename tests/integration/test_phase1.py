"""Phase 1 pages: factors, questionnaires, journey, overview and the verdict."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import AssessmentResponse, Change, Factor, FrictionPoint
from workbench.services.assessment import instruments_folder
from workbench.services.instruments import READINESS_KEY, load_catalogue
from workbench.services.tenancy import scope_session

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
UNICODE = "مرحبا بالعالم · 顧客第一 · 👩🏽‍💻 · Cafe\u0301"


def _factors(app: Flask, workspace_id: int) -> list[Factor]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = list(db.session.scalars(select(Factor).order_by(Factor.category, Factor.position)))
        db.session.expunge_all()
        return rows


def _quick_add(client: FlaskClient, wid: int, titles: str, **extra: str):
    data = {
        "category": "business_need",
        "polarity": "barrier",
        "importance": "4",
        "titles": titles,
        **extra,
    }
    return client.post(f"/workspaces/{wid}/assessment/factors", data=data)


def test_quick_add_takes_many_lines_and_keeps_the_choices(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    response = _quick_add(client, wid, "- Legacy CRM\n\n* No budget owner\n• Siloed hotels\n")
    assert response.status_code == 303
    assert "polarity=barrier" in response.headers["Location"]
    rows = _factors(app, wid)
    assert [f.title for f in rows] == ["Legacy CRM", "No budget owner", "Siloed hotels"]
    assert [f.position for f in rows] == [1, 2, 3]
    assert {f.importance for f in rows} == {4}
    board = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 factors added." in board
    assert '<option selected value="barrier">' in board


def test_quick_add_in_place_answers_with_the_new_cards_and_counts(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    hx = {"HX-Request": "true"}
    data = {"category": "business_need", "polarity": "barrier", "importance": "4"}
    url = f"/workspaces/{wid}/assessment/factors"
    response = client.post(url, data={**data, "titles": f"{HOSTILE}\n{UNICODE}"}, headers=hx)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<!doctype" not in html.lower()  # a fragment, not a page
    assert html.count('hx-swap-oob="beforeend:#cell-business_need-barrier"') == 2
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "顧客第一" in html and "👩🏽‍💻" in html
    assert '<span id="count-business_need" class="muted" hx-swap-oob="true">(2)</span>' in html
    assert "(2 factors)" in html and "2 factors added." in html
    assert "<select" not in html  # the choices stay as they are on the page
    # Nothing is left waiting in the session for the next full page.
    assert "factors added" not in client.get(url).get_data(as_text=True)

    refused = client.post(url, data={**data, "titles": ""}, headers=hx)
    assert refused.status_code == 400
    assert "Type at least one factor." in refused.get_data(as_text=True)
    assert "<!doctype" not in refused.get_data(as_text=True).lower()
    assert len(_factors(app, wid)) == 2


def test_card_actions_on_the_board_point_at_the_factor_routes(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    _quick_add(client, wid, "First\nSecond")
    first, second = _factors(app, wid)
    board = client.get(f"/workspaces/{wid}/assessment/factors").get_data(as_text=True)
    with app.test_request_context():
        for endpoint in ("assessment.edit_factor", "assessment.move_factor"):
            assert f'"{url_for(endpoint, workspace_id=wid, factor_id=second.id)}"' in board
        delete = url_for("assessment.delete_factor", workspace_id=wid, factor_id=first.id)
    assert client.post(delete, data={}).status_code == 303
    assert [f.title for f in _factors(app, wid)] == ["Second"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"titles": ""}, "Type at least one factor."),
        ({"titles": "   \n \n"}, "Type at least one factor."),
        ({"titles": "x" * 201}, "under 200 characters"),
        ({"titles": "\n".join(f"f{i}" for i in range(101))}, "at most 100"),
        ({"titles": "ok", "category": "nonsense"}, "Choose one of"),
        ({"titles": "ok", "polarity": "maybe"}, "Choose one of"),
        ({"titles": "ok", "importance": "9"}, "Choose one of"),
        ({"titles": "ok", "importance": "²"}, "Choose one of"),
    ],
)
def test_quick_add_refuses_bad_input_clearly(
    app: Flask, client: FlaskClient, team: dict, data: dict, message: str
) -> None:
    login(client, team["analyst"])
    response = _quick_add(client, team["workspace_id"], **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _factors(app, team["workspace_id"]) == []


def test_unicode_and_hostile_titles_are_stored_exactly_and_escaped(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    formula = '=HYPERLINK("http://evil.example")'
    _quick_add(client, wid, f"{HOSTILE}\n{UNICODE}\nfile:///etc/passwd\n{formula}\nnul\x00byte")
    titles = [f.title for f in _factors(app, wid)]
    assert titles == [
        HOSTILE,
        "مرحبا بالعالم · 顧客第一 · 👩🏽‍💻 · Café",
        "file:///etc/passwd",
        formula,
        "nulbyte",
    ]
    html = client.get(f"/workspaces/{wid}/assessment/factors").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_edit_factor_with_stale_version_is_a_conflict(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    _quick_add(client, wid, "Original title")
    factor = _factors(app, wid)[0]
    url = f"/workspaces/{wid}/assessment/factors/{factor.id}"
    version = form_version(client.get(url).get_data(as_text=True))
    data = {
        "title": "Renamed",
        "category": "technology_driver",
        "polarity": "enabler",
        "importance": "2",
        "description": "Why",
        "evidence": "Survey",
        "version": version,
    }
    assert client.post(url, data=data).status_code == 303
    stale = client.post(url, data={**data, "title": "Someone else's rename"})
    assert stale.status_code == 409
    assert "Someone else&#39;s rename" in stale.get_data(as_text=True)
    saved = _factors(app, wid)[0]
    assert (saved.title, saved.category.value, saved.polarity.value) == (
        "Renamed",
        "technology_driver",
        "enabler",
    )
    bad = client.post(url, data={**data, "title": "", "version": str(saved.version)})
    assert bad.status_code == 400
    assert "Title is required." in bad.get_data(as_text=True)


def test_inline_edit_with_htmx_returns_fragments(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    _quick_add(client, wid, "Inline one")
    factor = _factors(app, wid)[0]
    url = f"/workspaces/{wid}/assessment/factors/{factor.id}"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'id="factor-{factor.id}"' in fragment
    saved = client.post(
        url,
        headers={"HX-Request": "true"},
        data={
            "title": "Inline two",
            "category": "business_need",
            "polarity": "barrier",
            "importance": "4",
            "version": form_version(fragment),
        },
    )
    assert saved.status_code == 200
    assert "Inline two" in saved.get_data(as_text=True) and "<html" not in saved.get_data(
        as_text=True
    )
    stale = client.post(
        url,
        headers={"HX-Request": "true"},
        data={
            "title": "Inline three",
            "category": "business_need",
            "polarity": "barrier",
            "importance": "4",
            "version": form_version(fragment),
        },
    )
    assert stale.status_code == 409
    assert stale.headers["HX-Retarget"] == "body"


def test_move_and_delete_factor(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    _quick_add(client, wid, "First\nSecond\nThird")
    first, second, third = _factors(app, wid)
    client.post(f"/workspaces/{wid}/assessment/factors/{third.id}/move", data={"direction": "up"})
    assert [f.title for f in _factors(app, wid)] == ["First", "Third", "Second"]
    client.post(f"/workspaces/{wid}/assessment/factors/{first.id}/move", data={"direction": "up"})
    assert [f.title for f in _factors(app, wid)] == ["First", "Third", "Second"]
    response = client.post(f"/workspaces/{wid}/assessment/factors/{second.id}/delete")
    assert response.status_code == 303
    assert [f.title for f in _factors(app, wid)] == ["First", "Third"]
    assert (
        client.post(f"/workspaces/{wid}/assessment/factors/{second.id}/delete").status_code == 404
    )


def _answer_form(app: Flask, values: dict[str, str], versions: dict[str, str] | None = None):
    with app.app_context():
        instrument = load_catalogue(instruments_folder()).get(READINESS_KEY)
    data = {f"v_{q.key}": (versions or {}).get(q.key, "0") for q in instrument.questions()}
    for key, value in values.items():
        data[f"q_{key}"] = value
    return instrument, data


def test_members_answer_and_disagreement_is_flagged(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    instrument, _ = _answer_form(app, {})
    first = instrument.questions()[0]
    url = f"/workspaces/{wid}/assessment/questionnaires/{READINESS_KEY}"
    for person, value in ((team["analyst"], "1"), (team["executive"], "4")):
        login(client, person)
        _, data = _answer_form(app, {first.key: value})
        data[f"note_{first.key}"] = f"note by {person.name}"
        response = client.post(url, data=data)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        client.post("/logout")
    login(client, team["facilitator"])
    results = client.get(url + "/results").get_data(as_text=True)
    assert "2 respondents" in results
    assert "To discuss: the room disagrees" in results
    assert first.text in results
    overview = client.get(f"/workspaces/{wid}/assessment/").get_data(as_text=True)
    assert "data:image/svg+xml;base64," in overview  # the radar chart
    with app.app_context():
        scope_session(db.session, wid)
        changes = db.session.scalars(
            select(Change).where(Change.entity == "AssessmentResponse")
        ).all()
        assert len(changes) == 2


def test_revising_answers_and_stale_answers(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/assessment/questionnaires/{READINESS_KEY}"
    instrument, data = _answer_form(app, {})
    key = instrument.questions()[0].key
    assert client.post(url, data={**data, f"q_{key}": "2"}).status_code == 303
    # The same, loaded-before-the-save form posted again is stale: version 0 no longer holds.
    stale = client.post(url, data={**data, f"q_{key}": "5"})
    assert stale.status_code == 409
    assert "Stored now: 2" in stale.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    version = re.search(rf'name="v_{key}" value="(\d+)"', page).group(1)
    revised = client.post(url, data={**data, f"v_{key}": version, f"q_{key}": "5"})
    assert revised.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(AssessmentResponse)).one()
        assert row.value == 5
        history = db.session.scalars(select(Change).where(Change.field == "value")).all()
        assert [(c.old_value, c.new_value) for c in history] == [("2", "5")]


@pytest.mark.parametrize(
    ("value", "note", "message"),
    [
        ("6", "", "Choose a value from 1 to 5."),
        ("0", "", "Choose a value from 1 to 5."),
        ("abc", "", "Choose a value from 1 to 5."),
        ("3", "n" * 2001, "under 2,000 characters"),
        ("", "a note without a value", "Choose a value for this note"),
    ],
)
def test_bad_answers_are_refused(
    app: Flask, client: FlaskClient, team: dict, value: str, note: str, message: str
) -> None:
    login(client, team["analyst"])
    instrument, data = _answer_form(app, {})
    key = instrument.questions()[0].key
    url = f"/workspaces/{team['workspace_id']}/assessment/questionnaires/{READINESS_KEY}"
    response = client.post(url, data={**data, f"q_{key}": value, f"note_{key}": note})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    incomplete = client.post(url, data={f"q_{key}": "3"})
    assert incomplete.status_code == 400
    assert "Reload the page" in incomplete.get_data(as_text=True)


def test_unknown_questionnaire_is_404(client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    assert client.get(f"/workspaces/{wid}/assessment/questionnaires/nope").status_code == 404


def test_journey_add_edit_stale_and_delete(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/assessment/journey/"
    data = {
        "stage_key": "trust",
        "severity": "5",
        "channel": "social",
        "description": UNICODE,
        "digital_opportunity": "Reply from one social inbox",
    }
    assert client.post(url, data=data).status_code == 303
    for bad, message in (
        ({"stage_key": "heaven"}, "Choose one of"),
        ({"severity": "7"}, "Choose one of"),
        ({"description": "  "}, "Describe what goes wrong"),
        ({"description": "x" * 2001}, "under 2,000 characters"),
    ):
        response = client.post(url, data={**data, **bad})
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    with app.app_context():
        scope_session(db.session, wid)
        point = db.session.scalars(select(FrictionPoint)).one()
        assert point.description == "مرحبا بالعالم · 顧客第一 · 👩🏽‍💻 · Café"
        point_id = point.id
    edit_url = f"/workspaces/{wid}/assessment/journey/{point_id}"
    version = form_version(client.get(edit_url).get_data(as_text=True))
    assert (
        client.post(edit_url, data={**data, "severity": "2", "version": version}).status_code == 303
    )
    # A stale save of the same field to another value is a conflict; one that changes
    # nothing the first did is merged and keeps the first save's value.
    assert (
        client.post(edit_url, data={**data, "severity": "3", "version": version}).status_code == 409
    )
    assert client.post(edit_url, data={**data, "version": version}).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "heat 2" in page
    assert client.post(f"{edit_url}/delete").status_code == 303
    assert "No friction marked at this stage." in client.get(url).get_data(as_text=True)


def test_executive_sees_phase1_read_only(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["executive"])
    wid = team["workspace_id"]
    board = client.get(f"/workspaces/{wid}/assessment/factors").get_data(as_text=True)
    assert "Quick add" not in board
    assert _quick_add(client, wid, "Sneaky").status_code == 403
    journey = client.get(f"/workspaces/{wid}/assessment/journey/").get_data(as_text=True)
    assert "Add a friction point" not in journey


def test_verdict_and_progress_follow_the_data(app: Flask, client: FlaskClient, team: dict) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    empty = client.get(f"/workspaces/{wid}/assessment/").get_data(as_text=True)
    assert "Not assessed" in empty
    _quick_add(client, wid, "Strong sponsor", polarity="driver", importance="5")
    one = client.get(f"/workspaces/{wid}/assessment/").get_data(as_text=True)
    # One driver and no answers: the index (100) is provisional, not a "Viable" verdict.
    assert "Not enough evidence" in one and "(provisional)" in one
    assert 'verdict-word">Viable' not in one and "Only 1 factor recorded" in one
    _quick_add(
        client, wid, "Huge barrier\nAnother barrier", importance="5", category="technology_driver"
    )
    blocked = client.get(f"/workspaces/{wid}/assessment/").get_data(as_text=True)
    # support 5, resistance 10: F = 33, still provisional with three factors and no answers
    assert "Not enough evidence" in blocked and "Barriers outweigh" in blocked
    assert "Huge barrier</span>" in blocked
    phase = client.get(f"/workspaces/{wid}/phases/assessment").get_data(as_text=True)
    assert "2 of 7 steps done" in phase
