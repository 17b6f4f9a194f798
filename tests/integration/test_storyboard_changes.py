"""What changed between published versions: the compare page and the PDF's appendix."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import (
    Base,
    Initiative,
    InitiativeObjective,
    Objective,
    StoryboardSnapshot,
)
from workbench.models.alignment import Contribution, Perspective
from workbench.services.currency import workspace_currency
from workbench.services.tenancy import scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CAMEL_CASE = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+")


def _publish(client: FlaskClient, wid: int) -> None:
    response = client.post(f"/workspaces/{wid}/storyboard/publish")
    assert response.status_code == 303
    assert "published" in client.get(response.headers["Location"]).get_data(as_text=True)


def _text(client: FlaskClient, wid: int, number: int) -> str:
    pdf = client.get(f"/workspaces/{wid}/storyboard/{number}.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _appendix(client: FlaskClient, wid: int, number: int) -> str:
    text = _text(client, wid, number)
    # The appendix is the document's last chapter and opens with the changes.
    start = text.rindex("Changes since the last published version")
    return re.sub(r"\s+", " ", text[start:])


def _set_budget(app: Flask, wid: int, title: str, budget: str) -> None:
    with app.app_context():
        scope_session(db.session, wid)
        initiative = db.session.scalar(select(Initiative).where(Initiative.title == title))
        if initiative is None:
            db.session.add(Initiative(workspace_id=wid, title=title, budget=Decimal(budget)))
        else:
            initiative.budget = Decimal(budget)
        db.session.commit()


def _link(app: Flask, wid: int, contribution: str) -> None:
    """Link 'Case system' to the objective 'Raise guest satisfaction' with a contribution."""
    with app.app_context():
        scope_session(db.session, wid)
        initiative = db.session.scalars(
            select(Initiative).where(Initiative.title == "Case system")
        ).one()
        objective = db.session.scalar(select(Objective))
        if objective is None:
            objective = Objective(
                workspace_id=wid, title="Raise guest satisfaction", perspective=Perspective.CUSTOMER
            )
            db.session.add(objective)
            db.session.flush()
        link = db.session.scalar(select(InitiativeObjective))
        if link is None:
            link = InitiativeObjective(
                workspace_id=wid, initiative_id=initiative.id, objective_id=objective.id
            )
            db.session.add(link)
        link.contribution = Contribution(contribution)
        db.session.commit()


def _currency(app: Flask, wid: int) -> str:
    with app.app_context():
        scope_session(db.session, wid)
        return workspace_currency(db.session)


def _vision(client: FlaskClient, wid: int, vision: str) -> None:
    url = f"/workspaces/{wid}/strategy"
    version = form_version(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"vision": vision, "version": version}).status_code == 302


def _two_versions(app: Flask, client: FlaskClient, team: dict) -> int:
    """Version 1 with one initiative, version 2 with its budget raised, one more and a vision."""
    seed(app)
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    _set_budget(app, wid, "Case system", "40000")
    _set_budget(app, wid, "Review queue", "5000")
    # Recorded as an InitiativeObjective change: a class name the appendix must not print.
    _link(app, wid, "moderate")
    _publish(client, wid)
    _link(app, wid, "strong")
    _set_budget(app, wid, "Case system", "52000")
    _set_budget(app, wid, "Night manager training", "12000")
    with app.app_context():
        scope_session(db.session, wid)
        db.session.delete(
            db.session.scalars(select(Initiative).where(Initiative.title == "Review queue")).one()
        )
        db.session.commit()
    _vision(client, wid, "Every guest leaves calmer than they arrived.")
    _publish(client, wid)
    return wid


def test_compare_shows_each_change_with_its_old_and_new_value(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = _two_versions(app, client, team)
    currency = _currency(app, wid)
    page = client.get(f"/workspaces/{wid}/storyboard/compare?old=1&new=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cells = r"</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)<"
    row = re.search(r"Budget of &#39;Case system&#39;" + cells, html)
    assert row, html
    assert row.groups() == (f"{currency} 40,000", f"{currency} 52,000")
    assert re.search(r"Initiatives added</td><td[^>]*>—</td><td[^>]*>&#39;Night manager", html)
    assert re.search(r"Initiatives removed</td><td[^>]*>&#39;Review queue&#39;</td>", html)
    assert "The vision was written" in html
    contribution = re.search(
        r"Contribution of &#39;Case system&#39; to &#39;Raise guest satisfaction&#39;" + cells, html
    )
    assert contribution and contribution.groups() == ("moderate", "strong")
    # Only which strategy text changed, never the text itself.
    assert "calmer than they arrived" not in html
    # No internal keys of the report's data.
    for key in ("heavy barriers", "factor count", "load formula", "by department"):
        assert key not in html


def test_comparing_a_version_with_itself_says_nothing_changed(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = _two_versions(app, client, team)
    html = client.get(f"/workspaces/{wid}/storyboard/compare?old=2&new=2").get_data(as_text=True)
    assert "Nothing changed between these two versions" in html
    assert "<table" not in html


def test_appendix_tells_changes_since_the_last_version_without_class_names(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = _two_versions(app, client, team)
    currency = _currency(app, wid)
    first = _appendix(client, wid, 1)
    assert "This is the first published version of the storyboard" in first
    second = _appendix(client, wid, 2)
    assert "Changes since the last published version" in second
    assert "Compared with version 1, published on" in second
    assert f"Budget of 'Case system' raised from {currency} 40,000 to {currency} 52,000" in second
    assert "Initiative 'Night manager training' added" in second
    assert "Initiative 'Review queue' removed" in second
    assert "The vision was written" in second
    assert "Viability index = (factor score + readiness score)" in second
    assert "Alignment score = 100" in second
    with app.app_context():
        scope_session(db.session, wid)
        fingerprint = db.session.scalar(
            select(StoryboardSnapshot.fingerprint).where(StoryboardSnapshot.number == 2)
        )
    assert fingerprint and fingerprint in second.replace(" ", "")


def test_no_class_name_appears_in_the_published_pdf(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    """Recorded changes were listed by class name (InitiativeObjective...); none is printed."""
    wid = _two_versions(app, client, team)
    class_names = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    camel = {name for name in class_names if CAMEL_CASE.fullmatch(name)}
    assert {"AssessmentResponse", "RaciAssignment", "OrgUnit"} <= camel
    for text in (_text(client, wid, 1), _text(client, wid, 2)):
        found = sorted(name for name in camel if re.search(rf"\b{name}\b", text))
        assert found == [], found
