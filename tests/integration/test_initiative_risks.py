"""The initiative page lists the risks the initiative mitigates, for editors and readers alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import event, select

from tests.conftest import add_member, login, make_user
from tests.integration.test_exchange_backup import make_demo
from workbench.extensions import db
from workbench.models import Initiative, Risk, RiskInitiative, Role
from workbench.services import risks
from workbench.services.tenancy import scope_session

CASE_SYSTEM = "Launch a hosted complaint case system across all 14 hotels"
INBOXES = "Hotels keep their own complaint inboxes after the case system goes live"
HOSTILE = '<script>alert("risk")</script> مرحبا 服务 🎉 =HYPERLINK("http://evil.example")'


def _initiative_id(app: Flask, workspace_id: int, title: str) -> int:
    with app.app_context():
        scope_session(db.session, workspace_id)
        return db.session.scalars(select(Initiative.id).where(Initiative.title == title)).one()


def _risk_rows(html: str) -> list[list[str]]:
    """The cells of the risks table on an initiative page, as text."""
    tree = lxml.html.fromstring(html)
    (section,) = tree.xpath("//section[@id='risks']")
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        for row in section.xpath(".//tbody/tr")
    ]


def test_the_case_system_lists_the_risk_it_mitigates_for_editors_and_readers(
    app: Flask, client: FlaskClient
) -> None:
    _user_id, workspace_id = make_demo(app)
    analyst = make_user(app, "ana.risks@example.org", "Ana Analyst")
    executive = make_user(app, "eve.risks@example.org", "Eve Executive")
    add_member(app, workspace_id, analyst, Role.ANALYST)
    add_member(app, workspace_id, executive, Role.EXECUTIVE)
    initiative_id = _initiative_id(app, workspace_id, CASE_SYSTEM)
    with app.app_context():
        scope_session(db.session, workspace_id)
        risk = db.session.scalars(select(Risk).where(Risk.title == INBOXES)).one()
        review, risk_id = risk.review_date, risk.id
    assert review is not None
    url = f"/workspaces/{workspace_id}/alignment/initiatives/{initiative_id}"
    tables = {}
    for person in (analyst, executive):
        login(client, person)
        page = client.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        tables[person.email] = _risk_rows(html)
        assert f"/alignment/risks/{risk_id}" in html
        client.post("/logout")
    assert tables[analyst.email] == tables[executive.email]
    (row,) = tables[analyst.email]
    # Likelihood 4 by impact 4: high, as the register rates it.
    assert row[0] == INBOXES
    assert row[1].startswith("High") and "score 16" in row[1]
    assert row[2] == "Dana Demo, group operations director"
    assert review.strftime("%Y") in row[3] and "overdue" not in row[3]
    assert row[4] == "Mitigating"


def test_an_initiative_without_risks_says_so_and_a_hostile_title_is_escaped(
    app: Flask, client: FlaskClient
) -> None:
    _user_id, workspace_id = make_demo(app)
    analyst = make_user(app, "ana.empty@example.org", "Ana Analyst")
    add_member(app, workspace_id, analyst, Role.ANALYST)
    with app.app_context():
        scope_session(db.session, workspace_id)
        mitigating = select(RiskInitiative.initiative_id)
        bare = db.session.scalars(
            select(Initiative.id).where(Initiative.id.not_in(mitigating)).order_by(Initiative.id)
        ).first()
    assert bare is not None
    login(client, analyst)
    url = f"/workspaces/{workspace_id}/alignment/initiatives/{bare}"
    html = client.get(url).get_data(as_text=True)
    assert "It mitigates no risk on the register yet." in html
    assert _risk_rows(html) == []
    # A risk with a hostile title, overdue for review, becomes the initiative's first.
    with app.app_context():
        scope_session(db.session, workspace_id)
        risks.create_risk(
            db.session,
            {
                "title": HOSTILE,
                "likelihood": 5,
                "impact": 5,
                "owner": "<b>Owner</b>",
                "review_date": date.today() - timedelta(days=3),
                "status": "open",
            },
            set(),
            {bare},
        )
        db.session.commit()
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert HOSTILE not in html and "<b>Owner</b>" not in html
    assert str(escape(HOSTILE)) in html
    (row,) = _risk_rows(html)
    assert row[0] == HOSTILE
    assert row[1].startswith("Critical") and "score 25" in row[1]
    assert row[3].endswith("overdue")
    assert "It mitigates no risk on the register yet." not in html


@contextmanager
def _counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_page_reads_its_risks_in_the_same_queries_whatever_their_number(
    app: Flask, client: FlaskClient
) -> None:
    _user_id, workspace_id = make_demo(app)
    analyst = make_user(app, "ana.count@example.org", "Ana Analyst")
    add_member(app, workspace_id, analyst, Role.ANALYST)
    initiative_id = _initiative_id(app, workspace_id, CASE_SYSTEM)
    login(client, analyst)
    url = f"/workspaces/{workspace_id}/alignment/initiatives/{initiative_id}"

    def queries() -> tuple[int, int]:
        with _counting(app) as statements:
            page = client.get(url)
        assert page.status_code == 200
        return len(statements), len(_risk_rows(page.get_data(as_text=True)))

    few, listed = queries()
    assert listed == 1
    with app.app_context():
        scope_session(db.session, workspace_id)
        for n in range(20):
            values = {"title": f"Risk {n}", "likelihood": 1 + n % 5, "impact": 3}
            risks.create_risk(db.session, values, set(), {initiative_id})
        db.session.commit()
    many, listed = queries()
    assert listed == 21
    assert many == few
