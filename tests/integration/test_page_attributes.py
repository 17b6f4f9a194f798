"""Every page of the demo, as each role sees it, writes no attribute whose value is "None"."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask

from tests.conftest import PASSWORD, SEEDS, make_user
from workbench.extensions import db
from workbench.models import Role
from workbench.services import seeding, workspaces
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LINK = re.compile(r'href="(/[^"#?]*)')
# An attribute rendered from a Python None: read by screen readers as a real value.
NONE_VALUE = re.compile(r'\s([\w:-]+)="None"')
PAGE_LIMIT = 120


def _crawl(client, start: str, prefix: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [start]
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
        for link in LINK.findall(html):
            target = urljoin(url, link)
            path = urlsplit(target).path
            if path.startswith(prefix) and "/delete" not in path and path not in seen:
                queue.append(path)
    return seen


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ANALYST, Role.EXECUTIVE])
def test_no_page_writes_an_attribute_from_none(app: Flask, role: Role) -> None:
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        workspace_id = demo.id
    person = make_user(app, f"{role.value}@example.org", role.value.title())
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspaces.add_member_by_email(db.session, person.email, role)
        db.session.commit()
    client = app.test_client()
    signed_in = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    prefix = f"/workspaces/{workspace_id}/"
    pages = {url: html for url, html in _crawl(client, prefix, prefix).items() if html}
    assert len(pages) > 20, sorted(pages)
    offenders = {url: NONE_VALUE.findall(html) for url, html in pages.items()}
    assert not {url: names for url, names in offenders.items() if names}
