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
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from tests.conftest import PASSWORD, SEEDS, make_user
from tests.integration.test_access_matrix import PERMISSIONS, ROUTES
from workbench.extensions import db
from workbench.models import (
    Initiative,
    Role,
    ShareLink,
    StoryboardSnapshot,
    User,
)
from workbench.models.base import utcnow
from workbench.models.workshop import VoteKind
from workbench.services import seeding, voting, workspaces
from workbench.services import workshop as workshop_service
from workbench.services.tenancy import allow_system_access, scope_session

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
    return Demo(workspace_id, people)


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


def _change_controls(html: str) -> list[str]:
    """Visible links and buttons whose words offer a change."""
    tree = lxml.html.fromstring(html)
    offered = []
    for element in tree.xpath("//main//a | //main//button | //main//input[@type='submit']"):
        if element.xpath("ancestor::form[not(@method) or translate(@method,'GET','get')='get']"):
            if element.tag != "a":
                continue  # a filter or search form only reads
        words = " ".join((element.text_content() or element.get("value") or "").split())
        if CHANGE_WORDS.search(words):
            offered.append(f"<{element.tag}> {words[:80]}")
    return offered


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ANALYST, Role.EXECUTIVE])
def test_every_page_offers_only_what_the_role_may_do(app: Flask, role: Role) -> None:
    demo = _prepare(app)
    client = app.test_client()
    signed_in = client.post("/login", data={"email": demo.people[role], "password": PASSWORD})
    assert signed_in.status_code == 302
    pages = _crawl(client, f"/workspaces/{demo.workspace_id}/")
    assert len(pages) > 40, sorted(pages)
    refused: dict[str, list[str]] = {}
    for url, html in pages.items():
        for target, what in _posting_controls(url, html):
            need = _need(app, target)
            if not _granted(role, need):
                found = refused.setdefault(url, [])
                if f"{what} needs {need}" not in found:
                    found.append(f"{what} needs {need}")
    print("PAGES", len(pages))
    for k in sorted({re.sub(r"\d+", "N", u) for u in pages}):
        print("PAGE", k)
    collapsed = {}
    for url, items in refused.items():
        collapsed.setdefault(re.sub(r"\d+", "N", url), set()).update(re.sub(r"\d+", "N", i) for i in items)
    for k, v in sorted(collapsed.items()):
        print("REFUSED", k, sorted(v))
    if role is not Role.FACILITATOR:
        offered = {url: _change_controls(html) for url, html in pages.items()}
        coll = {}
        for url, items in offered.items():
            if items:
                coll.setdefault(re.sub(r"\d+", "N", url), set()).update(items)
        for k, v in sorted(coll.items()):
            print("OFFERED", k, sorted(v)[:12])
    assert False


def _unused(*_: Any) -> None:
    return None


_ = (Initiative, select)
