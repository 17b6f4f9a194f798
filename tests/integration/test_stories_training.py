"""Success stories and training plans: pages, conflicts, roles, tenancy and bad input."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import (
    Change,
    Department,
    FailureScenario,
    SuccessStory,
    TrainingItem,
    TrainingScenario,
)
from workbench.services import departments, playbook, stories, training
from workbench.services.errors import ServiceError
from workbench.services.tenancy import scope_session

ARABIC = "مرحبا بالعالم"
CJK = "服务恢复战略 サービス回復"
EMOJI = "👩🏽‍💻 🏳️‍🌈"
HOSTILE = (
    "<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://evil.example/x",
    '=HYPERLINK("http://evil")',
)


def fill(app: Flask, workspace_id: int) -> dict[str, int]:
    """Two departments and two scenarios: one the marketing team answers, one nobody names."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        rows = {
            "service": Department(key="service", name="Guest services"),
            "marketing": Department(key="marketing", name="Marketing"),
            "review": FailureScenario(
                name="Bad review",
                responder="Marketing review team",
                escalation_limit=50,
                currency="GBP",
            ),
            "room": FailureScenario(name="Room not ready", responder="Duty manager"),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


def story_form(**values: object) -> dict[str, object]:
    """A valid story form, changed by `values`."""
    base: dict[str, object] = {
        "title": "Rebooked in ten minutes",
        "happened_on": "2026-11-02",
        "failure": "The room was not ready.",
        "response": "The duty manager upgraded the guest.",
        "quote": "They turned a bad day round.",
        "customer_name": "Ana Silva",
        "permission": "named",
        "department": "service",
        "rating": "4",
    }
    base.update(values)
    return base


def training_form(**values: object) -> dict[str, object]:
    """A valid training form, changed by `values`."""
    base: dict[str, object] = {
        "department": "marketing",
        "topic": "Answering reviews",
        "audience": "Review team",
        "head_count": "6",
        "planned_on": "2027-01-10",
        "done_on": "",
        "notes": "",
    }
    base.update(values)
    return base


def test_stories_are_added_listed_on_the_playbook_and_deleted(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/stories"
    assert "No stories yet." in client.get(url).get_data(as_text=True)
    # The playbook offers to record a story for a scenario, with that scenario chosen.
    form_page = client.get(f"{url}/new?scenario={ids['review']}").get_data(as_text=True)
    assert f'<option value="{ids["review"]}" selected>' in form_page
    added = client.post(
        f"{url}/new", data={**story_form(featured="y"), "scenario": str(ids["review"])}
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    hidden = client.post(
        f"{url}/new", data=story_form(title="Kept private", permission="none", quote="Secret")
    )
    assert hidden.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Rebooked in ten minutes" in page and "featured" in page
    assert 'may quote it as from <span dir="auto">Ana Silva</span>' in page
    assert "the storyboard never prints it" in page
    playbook = client.get(f"/workspaces/{wid}/operating/playbook").get_data(as_text=True)
    assert "Success stories:" in playbook and "Rebooked in ten minutes" in playbook
    assert "Kept private" not in playbook  # it illustrates no scenario
    # The navigation of the operating model reaches both pages.
    assert f'href="/workspaces/{wid}/operating/stories"' in playbook
    assert f'href="/workspaces/{wid}/operating/training"' in playbook
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(
            select(SuccessStory).where(SuccessStory.title == "Rebooked in ten minutes")
        ).one()
        assert (row.scenario_id, row.department, row.rating, row.featured) == (
            ids["review"],
            "service",
            4,
            True,
        )
        story_id = row.id
    edit = client.get(f"{url}/{story_id}").get_data(as_text=True)
    assert "Delete story" in edit and "data-confirm" in edit
    assert client.post(f"{url}/{story_id}/delete").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get(SuccessStory, story_id) is None


def test_a_department_named_by_a_story_or_training_cannot_be_deleted(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        training.create_item(db.session, {"department": "marketing", "topic": "Reviews"}, set())
        stories.create_story(db.session, {"title": "Saved", "department": "service"})
        db.session.commit()
        for key in ("marketing", "service"):
            try:
                departments.delete_department(db.session, ids[key])
            except ServiceError as error:
                assert "cannot be deleted" in error.message
            else:
                raise AssertionError(f"{key} was deleted while named")
            db.session.rollback()


def test_the_training_plan_counts_states_and_names_the_gaps(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/operating/training"
    empty = client.get(url).get_data(as_text=True)
    assert "No training planned yet." in empty and "Bad review" in empty
    past = (date.today() - timedelta(days=5)).isoformat()
    # Guest services trains for the review, but the marketing team answers it: still a gap.
    added = client.post(
        f"{url}/new",
        data={
            **training_form(department="service", planned_on=past, head_count=""),
            "scenario": [str(ids["review"]), str(ids["room"])],
        },
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Guest services" in page and "Overdue" in page
    assert 'no session of <span dir="auto">Marketing</span>, whose team responds' in page
    assert "Room not ready" not in page.split("Scenarios nobody is trained for")[1]
    done = client.post(
        f"{url}/new",
        data={
            **training_form(done_on="2026-11-30", head_count="6", empowerment="y"),
            "scenario": [str(ids["review"])],
        },
    )
    assert done.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "6 people" in page and "Every playbook scenario has training" in page
    assert "may give up to GBP 50 without approval" in page
    with app.app_context():
        scope_session(db.session, wid)
        item = db.session.scalars(
            select(TrainingItem).where(TrainingItem.department == "marketing")
        ).one()
        links = set(db.session.scalars(select(TrainingScenario.scenario_id)))
        assert item.done_on == date(2026, 11, 30) and item.empowerment
        assert links == {ids["review"], ids["room"]}
        # Each session and link is in the audit trail, with who added it.
        audited = db.session.execute(
            select(Change.entity, Change.user_label).where(
                Change.entity.in_(["TrainingItem", "TrainingScenario"]), Change.action == "create"
            )
        ).all()
        assert sorted(entity for entity, _who in audited) == [
            "TrainingItem",
            "TrainingItem",
            "TrainingScenario",
            "TrainingScenario",
            "TrainingScenario",
        ]
        assert all(who != "system" for _entity, who in audited)
        item_id = item.id
    assert "Delete session" in client.get(f"{url}/{item_id}").get_data(as_text=True)
    assert client.post(f"{url}/{item_id}/delete").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get(TrainingItem, item_id) is None


def test_stale_saves_of_the_same_field_are_conflicts(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    fill(app, wid)
    login(client, team["analyst"])
    base = f"/workspaces/{wid}/operating"
    client.post(f"{base}/stories/new", data=story_form())
    client.post(f"{base}/training/new", data=training_form())
    with app.app_context():
        scope_session(db.session, wid)
        story_id = db.session.scalars(select(SuccessStory.id)).one()
        item_id = db.session.scalars(select(TrainingItem.id)).one()
    for edit, form, field, first, second in (
        (f"{base}/stories/{story_id}", story_form, "customer_name", "Sam", "Kim"),
        (f"{base}/training/{item_id}", training_form, "audience", "Sam", "Kim"),
    ):
        version = form_version(client.get(edit).get_data(as_text=True))
        saved = client.post(edit, data={**form(**{field: first}), "version": version})
        assert saved.status_code == 303
        stale = client.post(edit, data={**form(**{field: second}), "version": version})
        assert stale.status_code == 409, edit
        assert first in stale.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get_one(SuccessStory, story_id).customer_name == "Sam"
        # The saved edit is audited field by field, old value to new.
        (change,) = db.session.execute(
            select(Change.old_value, Change.new_value).where(
                Change.entity == "SuccessStory", Change.field == "customer_name"
            )
        ).all()
        assert change == ("Ana Silva", "Sam")
        assert db.session.get_one(TrainingItem, item_id).audience == "Sam"


def test_executives_read_and_other_workspaces_are_not_found(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        story = stories.create_story(
            db.session, {"title": "Kind words", "scenario_id": ids["room"], "rating": 5}
        )
        item = training.create_item(
            db.session, {"department": "service", "topic": "Saying sorry"}, {ids["room"]}
        )
        db.session.commit()
        story_id, item_id = story.id, item.id
    base = f"/workspaces/{wid}/operating"
    login(client, team["executive"])
    stories_page = client.get(f"{base}/stories").get_data(as_text=True)
    assert "Kind words" in stories_page and "Record a story" not in stories_page
    detail = client.get(f"{base}/stories/{story_id}").get_data(as_text=True)
    assert "Room not ready" in detail and "Save story" not in detail
    assert "Delete story" not in detail
    plan = client.get(f"{base}/training").get_data(as_text=True)
    assert "Saying sorry" in plan and "Add a training session" not in plan
    session_page = client.get(f"{base}/training/{item_id}").get_data(as_text=True)
    assert "Room not ready" in session_page and "Save session" not in session_page
    playbook = client.get(f"{base}/playbook").get_data(as_text=True)
    assert "Kind words" in playbook and "Record a success story" not in playbook
    assert client.post(f"{base}/stories/new", data=story_form()).status_code == 403
    assert client.post(f"{base}/training/{item_id}/delete").status_code == 403
    other = app.test_client()
    login(other, team["outsider"])
    foreign = f"/workspaces/{team['foreign_id']}/operating"
    assert other.get(f"{foreign}/stories/{story_id}").status_code == 404
    assert other.get(f"{foreign}/training/{item_id}").status_code == 404
    assert other.post(f"{foreign}/training/{item_id}/delete").status_code in (403, 404)
    assert other.get(f"{base}/stories").status_code in (403, 404)


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    fill(app, wid)
    login(client, team["analyst"])
    base = f"/workspaces/{wid}/operating"
    story_cases = {
        "Story is required.": story_form(title="   "),
        "Keep the story under 200 characters.": story_form(title="x" * 201),
        "under 2,000 characters": story_form(quote="q" * 2001),
        "Choose one of: 1 - hardly worth telling": story_form(rating="9"),
        "Choose one of: no: not to be quoted": story_form(permission="maybe"),
        "Give the customer's name to quote them by name": story_form(customer_name=""),
        "The chosen scenario was not recognised": {**story_form(), "scenario": "1; DROP"},
        "The chosen scenario no longer exists": {**story_form(), "scenario": "999999"},
    }
    training_cases = {
        "Topic is required.": training_form(topic=""),
        "Department is required.": training_form(department=""),
        "Enter 1 to 100,000.": training_form(head_count="0"),
        "A chosen scenario was not recognised": {**training_form(), "scenario": ["<b>"]},
        "Some chosen scenarios no longer exist": {**training_form(), "scenario": ["999999"]},
    }
    for path, cases in (("stories/new", story_cases), ("training/new", training_cases)):
        for message, data in cases.items():
            response = client.post(f"{base}/{path}", data=data)
            assert response.status_code == 400, message
            assert str(escape(message)) in response.get_data(as_text=True), message
    for path, data in (
        ("stories/new", story_form(happened_on="31/31/2026")),
        ("training/new", training_form(planned_on="tomorrow")),
        ("training/new", training_form(head_count="=1+1")),
    ):
        assert client.post(f"{base}/{path}", data=data).status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(SuccessStory)).all() == []
        assert db.session.scalars(select(TrainingItem)).all() == []
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        made = client.post(
            f"{base}/stories/new",
            data=story_form(title=value, quote=value, customer_name=value[:120]),
        )
        assert made.status_code == 303, value
        planned = client.post(
            f"{base}/training/new", data=training_form(topic=value, audience=value)
        )
        assert planned.status_code == 303, value
    for page in (
        client.get(f"{base}/stories").get_data(as_text=True),
        client.get(f"{base}/training").get_data(as_text=True),
    ):
        assert "<script>alert(1)</script>" not in page
        assert str(escape("<script>alert(1)</script>")) in page
    with app.app_context():
        scope_session(db.session, wid)
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= set(db.session.scalars(select(SuccessStory.title)))
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= set(db.session.scalars(select(TrainingItem.topic)))
        story_id = db.session.scalars(select(SuccessStory.id)).first()
    bad = client.post(f"{base}/stories/{story_id}", data={**story_form(), "version": "x1"})
    assert bad.status_code == 400


def test_deleting_a_scenario_keeps_its_stories_and_drops_its_training_links(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        story = stories.create_story(db.session, {"title": "Kept", "scenario_id": ids["room"]})
        item = training.create_item(
            db.session, {"department": "service", "topic": "Sorry"}, {ids["room"], ids["review"]}
        )
        db.session.commit()
        story_id, item_id = story.id, item.id
        playbook.delete_scenario(db.session, ids["room"])
        db.session.commit()
        db.session.expire_all()
        assert db.session.get_one(SuccessStory, story_id).scenario_id is None
        assert training.scenario_ids(db.session, item_id) == {ids["review"]}
