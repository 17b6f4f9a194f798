"""Every page of the demo shows each role what it may do, and nothing else.

The crawl walks every page of the demo workspace as a facilitator, an analyst and an
executive. On each page, every control that would send a change (a form posting, an htmx
post, a button's formaction) must lead to a route the access matrix grants that role; an
executive sees no edit, add or delete control at all, and reads the facts instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from flask import Flask, g, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from tests.conftest import PASSWORD, SEEDS, make_user
from tests.integration.test_access_matrix import PERMISSIONS, ROUTES
from workbench.extensions import db
from workbench.models import (
    Factor,
    Initiative,
    Objective,
    Role,
    ShareLink,
    StoryboardSnapshot,
    User,
    WorkshopParticipant,
)
from workbench.models.base import utcnow
from workbench.models.workshop import ParticipantStatus, VoteKind
from workbench.services import seeding, voting, workspaces
from workbench.services import workshop as workshop_service
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.web.context import may

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAGE_LIMIT = 400
NEEDS = {route.rule: route.needs for route in ROUTES}
# Words that name a change on a control an executive must not be offered.
CHANGE_WORDS = re.compile(
    r"\b(edit|save|add|delete|remove|set|record|adopt|import|publish|withdraw|invite|"
    r"create|copy|upload|revoke|change)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Demo:
    """The demo workspace with one member per role."""

    workspace_id: int
    people: dict[Role, str]
    titles: frozenset[str]  # what the demo's records are called, some starting "Add ..."


def _prepare(app: Flask) -> Demo:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        owner, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        workspace_id, owner_id = demo.id, owner.id
    people = {}
    for role in (Role.FACILITATOR, Role.ANALYST, Role.EXECUTIVE):
        person = make_user(app, f"{role.value}@example.org", role.value.title())
        people[role] = person.email
        with app.app_context():
            scope_session(db.session, workspace_id)
            workspaces.add_member_by_email(db.session, person.email, role)
            db.session.commit()
    with app.app_context():
        scope_session(db.session, workspace_id)
        facilitator = db.session.get(User, owner_id)
        assert facilitator is not None
        # A workshop with a running vote, a published version and a share link, so the
        # crawl meets the controls that lead a room and publish.
        room = workshop_service.open_session(db.session, facilitator, "Kick-off", 10, 12)
        voting.open_vote(db.session, room, VoteKind.FACTORS, "Which factors matter most?", 3)
        for user in db.session.scalars(select(User).where(User.email.in_(people.values()))):
            db.session.add(
                WorkshopParticipant(
                    session_id=room.id,
                    user_id=user.id,
                    display_name=user.display_name,
                    status=ParticipantStatus.ADMITTED,
                )
            )
        snapshot = StoryboardSnapshot(
            number=1,
            fingerprint="0" * 64,
            author_label="Demo",
            page_count=1,
            pdf=b"%PDF-1.7 crawl",
            context={},
        )
        db.session.add(snapshot)
        db.session.flush()
        db.session.add(
            ShareLink(
                snapshot_id=snapshot.id,
                nonce="1" * 32,
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
        db.session.commit()
        titles = frozenset(
            [
                *db.session.scalars(select(Initiative.title)),
                *db.session.scalars(select(Objective.title)),
                *db.session.scalars(select(Factor.title)),
            ]
        )
    return Demo(workspace_id, people, titles)


def _crawl(client: FlaskClient, prefix: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [prefix]
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            seen[url] = ""
            continue
        html = response.get_data(as_text=True)
        seen[url] = html
        for link in re.findall(r'href="(/[^"#?]*)', html):
            path = urlsplit(urljoin(url, link)).path
            if path.startswith(prefix) and path not in seen:
                queue.append(path)
    return {url: html for url, html in seen.items() if html}


def _need(app: Flask, path: str) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        rule, _args = adapter.match(path, method="POST", return_rule=True)
    except HTTPException as error:
        return f"unroutable ({error.code})"
    return NEEDS.get(rule.rule, {}).get("POST", f"unlisted {rule.rule}")


def _granted(role: Role, need: str) -> bool:
    return need in {"public", "login"} or need in PERMISSIONS[role.value]


def _posting_controls(url: str, html: str) -> list[tuple[str, str]]:
    """Each (target path, description) of a control on the page that posts."""
    tree = lxml.html.fromstring(html)
    found: list[tuple[str, str]] = []
    for form in tree.iter("form"):
        if (form.get("method") or "get").lower() == "post":
            target = urlsplit(urljoin(url, form.get("action") or url)).path
            found.append((target, f"form {form.get('action')}"))
    for element in tree.xpath("//*[@hx-post or @hx-put or @hx-patch or @hx-delete]"):
        for name in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if element.get(name) is not None:
                target = urlsplit(urljoin(url, element.get(name))).path
                found.append((target, f"<{element.tag} {name}={element.get(name)}>"))
    for element in tree.xpath("//*[@formaction]"):
        target = urlsplit(urljoin(url, element.get("formaction"))).path
        found.append((target, f"<{element.tag} formaction>"))
    return found


def _change_controls(
    url: str, html: str, role: Role, app: Flask, titles: frozenset[str]
) -> list[str]:
    """Visible links and buttons whose words offer a change the role may not make."""
    tree = lxml.html.fromstring(html)
    offered = []
    for element in tree.xpath("//main//a | //main//button | //main//input[@type='submit']"):
        forms = element.xpath("ancestor::form")
        if forms and (forms[-1].get("method") or "get").lower() != "post":
            continue  # a filter or search form only reads
        if forms:
            target = urlsplit(urljoin(url, forms[-1].get("action") or url)).path
            if _granted(role, _need(app, target)):
                continue  # a change this role may make, such as answering a questionnaire
        words = " ".join((element.text_content() or element.get("value") or "").split())
        if element.tag == "a" and any(words.startswith(title) for title in titles):
            continue  # a record's title ("Add complaint figures to ..."), not an action
        if CHANGE_WORDS.match(words):
            offered.append(f"<{element.tag}> {words[:80]}")
    return offered


def _login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    signed_in = client.post("/login", data={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 302
    return client


def _pages_of(app: Flask, demo: Demo, role: Role, everywhere: list[str]) -> dict[str, str]:
    """The role's own crawl, plus every page the facilitator reached that the role may open."""
    client = _login(app, demo.people[role])
    prefix = f"/workspaces/{demo.workspace_id}/"
    pages = _crawl(client, prefix)
    for url in everywhere:
        if url not in pages:
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.content_type:
                pages[url] = response.get_data(as_text=True)
    return pages


@pytest.fixture
def demo(app: Flask) -> Demo:
    """The demo workspace with a member of each role."""
    return _prepare(app)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_page_offers_each_role_only_what_it_may_do(app: Flask, demo: Demo) -> None:
    facilitator = _login(app, demo.people[Role.FACILITATOR])
    everywhere = sorted(_crawl(facilitator, f"/workspaces/{demo.workspace_id}/"))
    assert len(everywhere) > 150, everywhere
    failures: list[str] = []
    for role in (Role.FACILITATOR, Role.ANALYST, Role.EXECUTIVE):
        pages = _pages_of(app, demo, role, everywhere)
        assert len(pages) > 100, (role, len(pages))
        for url, html in sorted(pages.items()):
            refused = {
                f"{what} needs {need}"
                for target, what in _posting_controls(url, html)
                if not _granted(role, need := _need(app, target))
            }
            failures += [f"{role.value} {url}: {item}" for item in sorted(refused)]
            if "edit" not in PERMISSIONS[role.value]:
                offered = sorted(set(_change_controls(url, html, role, app, demo.titles)))
                failures += [f"{role.value} {url}: offers {item}" for item in offered]
    assert not failures, f"{len(failures)} controls shown to a role that may not use them:\n" + (
        "\n".join(failures[:200])
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_executive_reads_an_initiative_with_its_owner_money_and_dates(
    app: Flask, demo: Demo
) -> None:
    with app.app_context():
        scope_session(db.session, demo.workspace_id)
        initiative = db.session.scalars(
            select(Initiative).where(Initiative.budget.is_not(None), Initiative.spend > 0)
        ).first()
        assert initiative is not None and initiative.start_date and initiative.end_date
        facts = {
            "Owner": initiative.owner,
            "Budget": f"GBP {initiative.budget:,.0f}",
            "Spend so far": f"GBP {initiative.spend:,.0f}",
            "Start date": initiative.start_date.isoformat(),
            "End date": initiative.end_date.isoformat(),
        }
        initiative_id = initiative.id
    client = _login(app, demo.people[Role.EXECUTIVE])
    page = client.get(f"/workspaces/{demo.workspace_id}/alignment/initiatives/{initiative_id}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    shown = {
        " ".join(fact.findtext("dt").split()): " ".join(fact.find("dd").text_content().split())
        for fact in tree.xpath("//main//dl[@class='facts']/div")
    }
    for label, value in facts.items():
        assert shown[label].startswith(value), (label, shown[label], value)
    assert shown["Status"] and shown["Priority"]
    text = tree.find(".//main").text_content()
    assert "Objectives it serves" in text and "TQM principles it applies" in text
    assert "Set contributions in the alignment matrix" not in text
    assert not tree.xpath("//main//form[@method='post']")


def test_may_answers_from_the_role_of_the_workspace_being_viewed(app: Flask) -> None:
    with app.test_request_context("/"):
        assert not may("read")  # outside a workspace nothing is offered
        g.workspace_role = Role.ANALYST
        assert may("read") and may("edit") and may("download")
        assert not may("publish") and not may("manage_members") and not may("rule the world")
        g.workspace_role = Role.EXECUTIVE
        assert may("read") and not may("edit")
        assert render_template_string("{{ can_edit }} {{ can_manage }}") == "False False"
