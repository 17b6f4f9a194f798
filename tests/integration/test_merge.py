"""A stale save merges with what colleagues saved meanwhile; only real conflicts are asked.

For every versioned register: two people (A and B) load the same form; A saves first.
B's stale save keeps A's change when the two touched different fields, and is refused
with a conflict page (nothing written) when both changed the same field differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests.conftest import login, seed
from workbench.extensions import db
from workbench.models import Change
from workbench.services.tenancy import allow_system_access

Fields = list[tuple[str, str]]
SAVED = (302, 303)  # a saved form redirects (the strategy page answers 302)


@dataclass(frozen=True)
class Register:
    """How to make one row of a register and which of its form fields to change."""

    name: str
    make: Callable[[FlaskClient, int], str]  # returns the form's action (its edit URL)
    first: tuple[str, str, str]  # field, A's value, B's other value for the same field
    second: tuple[str, str]  # another field and B's value
    select: str | None  # a field the form offers as a list of choices


def _edit_url(response: object, pattern: str) -> str:
    location = response.headers["Location"]  # type: ignore[attr-defined]
    match = re.search(pattern, location)
    assert match, location
    return match.group(0)


def _factor(client: FlaskClient, wid: int) -> str:
    data = {"category": "business_need", "polarity": "barrier", "importance": "4"}
    client.post(f"/workspaces/{wid}/assessment/factors", data={**data, "titles": "Slow check-in"})
    board = client.get(f"/workspaces/{wid}/assessment/factors").get_data(as_text=True)
    return re.search(rf"/workspaces/{wid}/assessment/factors/\d+", board).group(0)


def _objective(client: FlaskClient, wid: int) -> str:
    data = {"title": "Loyal guests", "perspective": "customer", "parent": "none"}
    client.post(f"/workspaces/{wid}/alignment/objectives", data=data)
    page = client.get(f"/workspaces/{wid}/alignment/objectives").get_data(as_text=True)
    return re.search(rf"/workspaces/{wid}/alignment/objectives/\d+", page).group(0)


def _initiative(client: FlaskClient, wid: int) -> str:
    data = {
        "title": "Faster recovery",
        "status": "approved",
        "priority": "medium",
        "approach": "recover",
        "budget": "40000",
    }
    response = client.post(f"/workspaces/{wid}/alignment/initiatives", data=data)
    if response.status_code in SAVED and "/initiatives/" in response.headers["Location"]:
        return _edit_url(response, rf"/workspaces/{wid}/alignment/initiatives/\d+")
    page = client.get(f"/workspaces/{wid}/alignment/initiatives").get_data(as_text=True)
    return re.search(rf"/workspaces/{wid}/alignment/initiatives/\d+", page).group(0)


def _metric(client: FlaskClient, wid: int) -> str:
    response = client.post(
        f"/workspaces/{wid}/metrics/library",
        data={"template_key": "first_contact_resolution", "department": "service"},
    )
    return _edit_url(response, rf"/workspaces/{wid}/metrics/\d+")


def _goal(client: FlaskClient, wid: int) -> str:
    metric = _metric(client, wid)
    data = {
        "baseline": "40",
        "baseline_date": "2026-01-01",
        "target": "70",
        "target_date": "2027-12-31",
        "rationale": "Halve the callbacks.",
        "version": "0",
    }
    assert client.post(f"{metric}/goal", data=data).status_code in SAVED
    return f"{metric}/goal"


def _stakeholder(client: FlaskClient, wid: int) -> str:
    url = f"/workspaces/{wid}/operating/stakeholders"
    client.post(url, data={"name": "Front desk", "kind": "team", "interest": "5", "influence": "1"})
    page = client.get(url).get_data(as_text=True)
    return re.search(rf"{url}/\d+", page).group(0)


def _department(client: FlaskClient, wid: int) -> str:
    url = f"/workspaces/{wid}/operating/departments"
    client.post(url, data={"name": "Human resources", "owner": "Hana"})
    page = client.get(url).get_data(as_text=True)
    return re.search(rf"{url}/\d+", page).group(0)


def _scenario(client: FlaskClient, wid: int) -> str:
    base = f"/workspaces/{wid}/operating/playbook"
    data = {"name": "Lift out of order", "severity": "low", "compensation_type": "none"}
    response = client.post(f"{base}/new", data=data)
    assert response.status_code in SAVED
    page = client.get(base).get_data(as_text=True)
    return re.search(rf"{base}/\d+", page).group(0)


def _strategy(_client: FlaskClient, wid: int) -> str:
    return f"/workspaces/{wid}/strategy"


REGISTERS = [
    Register(
        "factors",
        _factor,
        ("title", "Slow check-in at peak", "Queue"),
        ("evidence", "Survey"),
        "polarity",
    ),
    Register(
        "objectives",
        _objective,
        ("title", "Loyal repeat guests", "Fans"),
        ("owner", "Maria"),
        "perspective",
    ),
    Register(
        "initiatives", _initiative, ("budget", "52000", "45000"), ("priority", "high"), "priority"
    ),
    Register(
        "metrics",
        _metric,
        ("owner", "Rita", "Sam"),
        ("definition", "Resolved on first call"),
        "unit",
    ),
    Register("goals", _goal, ("target", "75", "80"), ("rationale", "Fewer callbacks"), None),
    Register("stakeholders", _stakeholder, ("interest", "2", "3"), ("influence", "4"), "interest"),
    Register("departments", _department, ("name", "People", "Staff"), ("owner", "Harriet"), None),
    Register(
        "scenarios",
        _scenario,
        ("responder", "Duty manager", "Concierge"),
        ("customer_message", "Sorry"),
        "severity",
    ),
    Register(
        "strategy",
        _strategy,
        ("vision", "Every guest recovered", "Calm"),
        ("mission", "Fix it fast"),
        None,
    ),
]


def form_element(client: FlaskClient, page_url: str, action: str) -> lxml.html.FormElement:
    """Return the versioned form posting to `action` on the page."""
    html = client.get(page_url).get_data(as_text=True)
    for form in lxml.html.fromstring(html).forms:
        if (form.get("action") or page_url) == action and "version" in form.inputs:
            return form
    raise AssertionError(f"no versioned form posting to {action} on {page_url}")


def form_of(client: FlaskClient, page_url: str, action: str) -> Fields:
    """Return what the form posting to `action` on the page would submit, as loaded."""
    form = form_element(client, page_url, action)
    # A browser drops the newline that starts a textarea's content.
    return [(k, v.removeprefix("\n")) for k, v in form.form_values()]


def changed(fields: Fields, **values: str) -> Fields:
    """Return the fields with some replaced (or added)."""
    kept = [(k, v) for k, v in fields if k not in values]
    return kept + list(values.items())


def post(client: FlaskClient, action: str, fields: Fields):
    """Post form fields (a list of pairs, repeated names kept) as a browser would."""
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return client.post(action, data=data)


def stored(client: FlaskClient, page: str, action: str) -> dict[str, str]:
    """Return the form's values as loaded now."""
    return dict(form_of(client, page, action))


def _page_of(action: str) -> str:
    # A goal is edited on its metric's page.
    return action.removesuffix("/goal")


@pytest.fixture
def two(app: Flask, team: dict) -> tuple[FlaskClient, FlaskClient, int]:
    """Two logged-in browsers of the same workspace: A the facilitator, B the analyst."""
    seed(app)
    a, b = app.test_client(), app.test_client()
    login(a, team["facilitator"])
    login(b, team["analyst"])
    return a, b, team["workspace_id"]


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.name)
@pytest.mark.parametrize("a_first", [True, False], ids=["a-first-field", "a-second-field"])
def test_disjoint_fields_merge(two: tuple, register: Register, a_first: bool) -> None:
    """A and B change different fields from the same version: both changes survive."""
    a, b, wid = two
    action = register.make(a, wid)
    page = _page_of(action)
    name1, value1, _ = register.first
    name2, value2 = register.second
    a_change, b_change = ({name1: value1}, {name2: value2})
    if not a_first:  # nothing is lost in either order
        a_change, b_change = b_change, a_change
    form_a, form_b = form_of(a, page, action), form_of(b, page, action)
    assert post(a, action, changed(form_a, **a_change)).status_code in SAVED
    saved = post(b, action, changed(form_b, **b_change))
    assert saved.status_code in SAVED, saved.get_data(as_text=True)[:2000]
    now = stored(a, page, action)
    for name, value in {**a_change, **b_change}.items():
        assert _same(now[name], value), (name, now[name], value)
    notice = b.get(saved.headers["Location"]).get_data(as_text=True)
    (kept,) = a_change
    assert f"changes to {kept.replace('_', ' ')} were kept" in notice


def _same(shown: str, wanted: str) -> bool:
    # An amount reads back with its decimals (52000 -> 52000.00).
    return shown == wanted or shown.rstrip("0").rstrip(".") == wanted


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.name)
def test_same_field_conflicts_and_nothing_is_written(two: tuple, register: Register) -> None:
    """A and B change the same field differently: B gets the conflict page, nothing saved."""
    a, b, wid = two
    action = register.make(a, wid)
    page = _page_of(action)
    name1, value1, other = register.first
    name2, value2 = register.second
    form_a, form_b = form_of(a, page, action), form_of(b, page, action)
    assert post(a, action, changed(form_a, **{name1: value1})).status_code in SAVED
    before = stored(a, page, action)
    refused = post(b, action, changed(form_b, **{name1: other, name2: value2}))
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    document = lxml.html.fromstring(html)
    rows = document.xpath("//tr[@data-field]")
    # Only the real conflict is asked; B's other change is carried, not questioned.
    assert [row.get("data-field") for row in rows] == [name1]
    assert "Ana Analyst" not in rows[0].text_content()
    # Who changed it is named as they call themselves, not by their email.
    assert "Changed by Fran Facilitator" in rows[0].text_content()
    assert "fran@example.org" not in rows[0].text_content()
    assert stored(a, page, action) == before

    # B keeps theirs for the conflict: A's value stays and B's other change is applied.
    (form,) = [f for f in document.forms if f.get("class") == "conflict-form"]
    values = [(k, v) for k, v in form.form_values() if not k.startswith("merge-choice-")]
    values.append((f"merge-choice-{name1}", "theirs"))
    resolved = post(b, action, values)
    assert resolved.status_code in SAVED
    now = stored(a, page, action)
    assert _same(now[name1], value1) and _same(now[name2], value2)


@pytest.mark.parametrize("register", [r for r in REGISTERS if r.select], ids=lambda r: r.name)
def test_conflict_page_offers_the_select_of_a_select_field(two: tuple, register: Register) -> None:
    """A field chosen from a list is asked with the same list, never as free text."""
    a, b, wid = two
    action = register.make(a, wid)
    page = _page_of(action)
    field = register.select
    assert field
    form = form_element(a, page, action).xpath(f'.//select[@name="{field}"]')
    assert form, f"{field} is not a select on the edit page"
    options = [o.get("value") for o in form[0].xpath(".//option")]
    current = dict(form_of(a, page, action))[field]
    others = [o for o in options if o != current]
    form_a, form_b = form_of(a, page, action), form_of(b, page, action)
    assert post(a, action, changed(form_a, **{field: others[0]})).status_code in SAVED
    refused = post(b, action, changed(form_b, **{field: others[1]}))
    assert refused.status_code == 409
    conflict = lxml.html.fromstring(refused.get_data(as_text=True))
    (control,) = conflict.xpath(f'//*[@id="conflict-{field}"]')
    assert control.tag == "select"
    assert [o.get("value") for o in control.xpath(".//option")] == options
    assert control.value == others[1]
    assert not conflict.xpath(f'//textarea[@name="{field}"]')


def test_budget_and_priority_from_the_issue(two: tuple) -> None:
    """A raises the budget; B, who loaded earlier, changes only the priority: both kept."""
    a, b, wid = two
    action = _initiative(a, wid)
    form_b = form_of(b, action, action)  # B opens the initiative first
    form_a = form_of(a, action, action)
    assert post(a, action, changed(form_a, budget="52000")).status_code in SAVED
    saved = post(b, action, changed(form_b, priority="high"))
    assert saved.status_code in SAVED  # no conflict page
    now = stored(a, action, action)
    assert _same(now["budget"], "52000") and now["priority"] == "high"
    assert "changes to budget were kept" in b.get(saved.headers["Location"]).get_data(as_text=True)


def test_a_third_save_in_between_is_merged_again(two: tuple, app: Flask, team: dict) -> None:
    """The conflict page posts at the version it showed; a later save is merged, not lost."""
    a, b, wid = two
    action = _initiative(a, wid)
    form_a, form_b = form_of(a, action, action), form_of(b, action, action)
    assert post(a, action, changed(form_a, budget="52000")).status_code in SAVED
    refused = post(b, action, changed(form_b, budget="45000", owner="Bea"))
    assert refused.status_code == 409
    (form,) = [
        f
        for f in lxml.html.fromstring(refused.get_data(as_text=True)).forms
        if f.get("class") == "conflict-form"
    ]
    # A third person (A again) saves the title meanwhile.
    assert (
        post(a, action, changed(form_of(a, action, action), title="Faster recovery 2")).status_code
        == 303
    )
    assert post(b, action, list(form.form_values())).status_code in SAVED  # keeps mine (default)
    now = stored(a, action, action)
    assert (now["title"], now["owner"]) == ("Faster recovery 2", "Bea")
    assert _same(now["budget"], "45000")


def test_without_history_every_differing_field_is_asked(two: tuple, app: Flask) -> None:
    """Changes recorded before the trail kept versions: nothing is decided for B."""
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
    rows = lxml.html.fromstring(refused.get_data(as_text=True)).xpath("//tr[@data-field]")
    assert sorted(row.get("data-field") for row in rows) == ["budget", "priority"]
    assert "the history does not say who" in rows[0].text_content()
    now = stored(a, action, action)
    assert _same(now["budget"], "52000") and now["priority"] == "medium"


def test_a_link_posted_under_another_name_is_carried_and_asked_as_a_list(two: tuple) -> None:
    """An objective's parent (parent_id, posted as `parent`) survives a resolved conflict."""
    a, b, wid = two
    base = f"/workspaces/{wid}/alignment/objectives"
    for title in ("Parent goal", "Other goal"):
        a.post(base, data={"title": title, "perspective": "customer", "parent": "none"})
    action = _objective(a, wid)
    ids = sorted(re.findall(rf"{base}/(\d+)", a.get(base).get_data(as_text=True)), key=int)
    parent_id, other_id, action = ids[0], ids[1], f"{base}/{ids[-1]}"
    form_a, form_b = form_of(a, action, action), form_of(b, action, action)
    assert post(a, action, changed(form_a, parent=parent_id, title="Theirs")).status_code in SAVED
    refused = post(b, action, changed(form_b, title="Mine"))
    assert refused.status_code == 409
    document = lxml.html.fromstring(refused.get_data(as_text=True))
    assert [row.get("data-field") for row in document.xpath("//tr[@data-field]")] == ["title"]
    (form,) = [f for f in document.forms if f.get("class") == "conflict-form"]
    assert post(b, action, list(form.form_values())).status_code in SAVED
    now = stored(a, action, action)
    assert (now["title"], now["parent"]) == ("Mine", parent_id)

    # Both move it, to different parents: the parent is asked with the list of objectives.
    form_a, form_b = form_of(a, action, action), form_of(b, action, action)
    assert post(a, action, changed(form_a, parent="none")).status_code in SAVED
    refused = post(b, action, changed(form_b, parent=other_id))
    assert refused.status_code == 409
    document = lxml.html.fromstring(refused.get_data(as_text=True))
    (control,) = document.xpath('//*[@id="conflict-parent"]')
    assert control.tag == "select" and control.value == other_id
    assert (
        "Nothing: a top-level objective"
        in document.xpath('//tr[@data-field="parent"]')[0].text_content()
    )
    (form,) = [f for f in document.forms if f.get("class") == "conflict-form"]
    values = [(k, v) for k, v in form.form_values() if k != "merge-choice-parent"]
    assert post(b, action, [*values, ("merge-choice-parent", "theirs")]).status_code in SAVED
    assert stored(a, action, action)["parent"] == "none"
