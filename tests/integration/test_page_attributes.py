"""Every page of the demo, as each role sees it, writes no attribute whose value is "None"."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.conftest import PASSWORD, SEEDS, make_user
from tests.page_crawl import client_fetch, crawl
from workbench.extensions import db
from workbench.models import Role
from workbench.services import seeding, workspaces
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# An attribute rendered from a Python None: read by screen readers as a real value.
NONE_VALUE = re.compile(r'\s([\w:-]+)="None"')


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
    pages = {
        url: html for url, html in crawl(client_fetch(client), [prefix], (prefix,)).items() if html
    }
    assert len(pages) > 20, sorted(pages)
    offenders = {url: NONE_VALUE.findall(html) for url, html in pages.items()}
    assert not {url: names for url, names in offenders.items() if names}
