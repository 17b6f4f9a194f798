"""The method's content in the app: the TQM text migration, the corrected process template beside
the team's own copy, slow response targets, the field-service channel and sourced evidence."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import FailureScenario, Process, ProcessStep
from workbench.services.tenancy import scope_session

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "workbench" / "migrations"
OLD_INTEGRATED = (
    "Recovery depends on many departments working as one, so hand-offs between service, "
    "operations, IT and finance must be joined up. Customers should never have to repeat "
    "their story because information failed to pass between teams."
)
OLD_COMMUNICATIONS_EXAMPLE = (
    "Sending customers a proactive text message as soon as a delay is known, and sharing "
    "recovery results with every team each month."
)
EDITED = "Our own words for this principle, written by the team."


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _flat(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture
def wid(app: Flask, client: FlaskClient, team: dict) -> int:
    seed(app)
    login(client, team["analyst"])
    return team["workspace_id"]


# ----------------------------------------------------------------- migration 0027


def _principle_texts(key: str) -> tuple[str, str]:
    with db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT description, example FROM tqm_principle WHERE key = :key"), {"key": key}
        ).one()
    return row[0], row[1]


def test_the_migration_corrects_shipped_principle_text_and_keeps_edited_text(
    app: Flask,
) -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    before = script.get_revision("0027_method_text").down_revision
    assert isinstance(before, str)
    with app.app_context():
        with db.engine.begin() as connection:
            for key, position, description, example in (
                ("integrated_processes", 4, OLD_INTEGRATED, "Linking two systems."),
                ("communications", 8, EDITED, OLD_COMMUNICATIONS_EXAMPLE),
            ):
                connection.execute(
                    text(
                        "INSERT INTO tqm_principle (key, position, name, description, example) "
                        "VALUES (:key, :position, :key, :description, :example)"
                    ),
                    {
                        "key": key,
                        "position": position,
                        "description": description,
                        "example": example,
                    },
                )
        downgrade(revision=before)
        assert _principle_texts("integrated_processes") == (OLD_INTEGRATED, "Linking two systems.")
        upgrade()
        description, example = _principle_texts("integrated_processes")
        assert description.startswith("Every employee understands the organisation's vision")
        assert example == "Linking two systems."  # not the shipped text: left alone
        description, example = _principle_texts("communications")
        assert description == EDITED
        assert example.startswith("Briefing every team before a new recovery policy")
        downgrade(revision=before)
        assert _principle_texts("integrated_processes")[0] == OLD_INTEGRATED
        assert _principle_texts("communications") == (EDITED, OLD_COMMUNICATIONS_EXAMPLE)
        upgrade()
        db.engine.dispose()


# ----------------------------------------------------------------- process template


def test_an_earlier_copy_keeps_its_steps_while_the_template_offers_the_new_order(
    app: Flask, client: FlaskClient, wid: int
) -> None:
    with app.app_context():
        scope_session(db.session, wid)
        old = Process(name="Our recovery", description="", template_key="service_recovery")
        db.session.add(old)
        db.session.flush()
        for position, name in enumerate(("Detect", "Alert", "Acknowledge", "Apologise"), 1):
            db.session.add(ProcessStep(process_id=old.id, position=position, name=name))
        db.session.commit()
    url = f"/workspaces/{wid}/operating/processes/"
    page = _flat(_page(client, url))
    assert "1. Listen" not in page  # an ordered list, numbered by the browser
    assert re.search(r"Listen Empathise Apologise Act Follow up Compensate Report", page)
    assert "Adopted before with other steps, and kept as the team left it: “Our recovery”" in page
    adopted = client.post(
        f"/workspaces/{wid}/operating/processes/adopt", data={"template": "service_recovery"}
    )
    assert adopted.status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        steps = list(
            db.session.scalars(
                select(ProcessStep.name)
                .join(Process, Process.id == ProcessStep.process_id)
                .where(Process.name == "Our recovery")
                .order_by(ProcessStep.position)
            )
        )
    assert steps == ["Detect", "Alert", "Acknowledge", "Apologise"]
    # The fresh copy matches the template, so only the earlier one is named.
    sentence = re.search(r"Adopted before with other steps[^.]*\.", _flat(_page(client, url)))
    assert sentence is not None
    assert "left it: “Our recovery”" in sentence.group(0)
    assert "Service recovery process" not in sentence.group(0)


# ----------------------------------------------------------------- playbook


def _scenario(app: Flask, wid: int, name: str) -> FailureScenario:
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(FailureScenario).where(FailureScenario.name == name)).one()
        db.session.expunge(row)
        return row


def test_a_slow_response_target_is_flagged_as_the_owners_decision(
    app: Flask, client: FlaskClient, wid: int
) -> None:
    base = f"/workspaces/{wid}/operating/playbook"
    assert client.post(f"{base}/templates", data={"key": "hotel_billing_error"}).status_code == 303
    assert (
        client.post(f"{base}/templates", data={"key": "hotel_room_temperature"}).status_code == 303
    )
    billing = _scenario(app, wid, "Incorrect charge on the final bill")
    assert billing.target_response_minutes == 60
    note = (
        "Response target 60 minutes: slower than the advice to reach the customer within "
        "10 to 15 minutes of the alert. Whether to keep it is a decision for the scenario's "
        "owner."
    )
    listing = _flat(_page(client, base))
    assert note in listing
    assert "1 scenario has a response target slower than the 10 to 15 minutes advised" in listing
    assert listing.count("slower than the advice") == 1  # the 10-minute scenario is not flagged
    assert note in _flat(_page(client, f"{base}/{billing.id}"))
    version = form_version(client.get(f"{base}/{billing.id}").get_data(as_text=True))
    saved = client.post(
        f"{base}/{billing.id}",
        data={
            "name": billing.name,
            "severity": billing.severity,
            "compensation_type": "none",
            "target_response_minutes": "15",
            "responder": "Duty manager",
            "customer_message": "Sorry.",
            "version": version,
        },
    )
    assert saved.status_code == 303
    assert "slower than the advice" not in _page(client, base)
    assert "slower than the advice" not in _page(client, f"{base}/{billing.id}")


def test_field_service_is_offered_accepted_and_shown(
    app: Flask, client: FlaskClient, wid: int
) -> None:
    base = f"/workspaces/{wid}/operating/playbook"
    form = _page(client, f"{base}/new")
    assert 'value="field_service"' in form and "Field service visit" in form
    data = {
        "name": "Engineer missed the visit",
        "severity": "medium",
        "compensation_type": "none",
        "response_channels": ["field_service", "phone"],
        "target_response_minutes": "10",
    }
    assert client.post(f"{base}/new", data=data).status_code == 303
    row = _scenario(app, wid, "Engineer missed the visit")
    assert row.response_channels == ["field_service", "phone"]
    assert "field service, phone" in _page(client, base)
    refused = client.post(f"{base}/new", data={**data, "response_channels": ["carrier_pigeon"]})
    assert refused.status_code == 400


def test_the_hotel_templates_include_temperature_and_access_needs(
    client: FlaskClient, wid: int
) -> None:
    page = _page(client, f"/workspaces/{wid}/operating/playbook/templates")
    assert "Room too hot or too cold" in page
    assert "Accessibility or special needs not met" in page


# ----------------------------------------------------------------- evidence beside the pages


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "operating/playbook",
            (
                "recovery made by a service bot satisfied guests as much as one made by a member "
                "of staff",
                "Source: International Journal of Hospitality Management, 2020 (180 participants)",
                "Source: Asian Journal of Economics, Finance and Management, 2022 "
                "(91 participants)",
                "from 1.06 to 4.65 stars",
                "When a customer stays angry after a sound recovery",
                "Escalate when",
                "Protect staff",
            ),
        ),
        (
            "operating/playbook/new",
            (
                "the speed of the response and compensation that fits the failure did the most",
                "Source: International Journal of Hospitality Management, 2020 (180 participants)",
                "up to 90% faster",
            ),
        ),
        (
            "operating/organisation",
            ("quality assurance team into a team that calls dissatisfied customers back",),
        ),
        (
            "metrics/economics",
            (
                "85% of customers say they stay with a company that handles a crisis well",
                "57% of customers",
                "Source: McKinsey research",
                "loyalty 10.7% higher than customers who never complained",
                "78% of consumers will do business with a company again after a mistake if its "
                "service is excellent",
            ),
        ),
        ("assessment/journey/", ("About 70% of buying decisions",)),
        (
            "metrics/library",
            (
                "Published evidence for setting targets",
                "its Net Promoter Score from -85 to +22",
                'href="#evidence-qa_team_callbacks"',
            ),
        ),
    ],
)
def test_evidence_is_shown_with_its_source_beside_the_pages_it_supports(
    client: FlaskClient, wid: int, path: str, expected: tuple[str, ...]
) -> None:
    page = _page(client, f"/workspaces/{wid}/{path}")
    flat = _flat(page)
    for phrase in expected:
        assert phrase in (page if phrase.startswith("href") else flat), phrase


def test_evidence_never_enters_the_teams_figures(client: FlaskClient, wid: int) -> None:
    page = _flat(_page(client, f"/workspaces/{wid}/metrics/economics"))
    # The model's starting input is a stated assumption, not a figure from the evidence.
    assert "Assumption: one customer in five whose failure was put right" in page
    assert "22% do not return" not in page


def test_a_library_metrics_goal_shows_the_evidence_for_its_target(
    client: FlaskClient, wid: int
) -> None:
    adopted = client.post(
        f"/workspaces/{wid}/metrics/library",
        data={"template_key": "star_rating", "department": "service"},
    )
    assert adopted.status_code == 303
    page = _flat(_page(client, adopted.headers["Location"].split("#")[0]))
    assert "Published evidence for setting this target: guidance, not your figures" in page
    assert "from 1.06 to 4.65 stars" in page
    custom = client.post(
        f"/workspaces/{wid}/metrics/new",
        data={
            "name": "Callbacks made",
            "unit": "count",
            "direction": "higher",
            "frequency": "weekly",
        },
    )
    assert custom.status_code == 303
    other = _flat(_page(client, custom.headers["Location"].split("#")[0]))
    assert "Callbacks made" in other
    assert "Published evidence for setting this target" not in other
