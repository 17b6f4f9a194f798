"""What a busy workshop request costs: the board's in-place add reads and writes the least it
can, whatever the board holds, and the session cookie is signed again only when needed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import event, func, select

from tests.conftest import login
from workbench.database import writes_intended
from workbench.extensions import db
from workbench.models import Factor, FactorCategory, Polarity
from workbench.services import factors as factor_service
from workbench.services.tenancy import scope_session
from workbench.web.session_cookie import REFRESH_AFTER

HX = {"HX-Request": "true"}


@contextmanager
def _watching(app: Flask) -> Iterator[tuple[list[str], list[bool]]]:
    """Collect the statements run and, per transaction begun, whether it may write."""
    statements: list[str] = []
    begun: list[bool] = []
    with app.app_context():
        engine = db.engine

    def on_statement(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(" ".join(statement.split()))

    def on_begin(_conn) -> None:  # type: ignore[no-untyped-def]
        begun.append(writes_intended())

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "begin", on_begin)
    try:
        yield statements, begun
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "begin", on_begin)


def _add(client: FlaskClient, wid: int, title: str, category: str = "business_need") -> str:
    response = client.post(
        f"/workspaces/{wid}/assessment/factors",
        data={"category": category, "polarity": "driver", "importance": "3", "titles": title},
        headers=HX,
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _grow(app: Flask, wid: int, author_id: int, per_category: int) -> None:
    with app.app_context():
        scope_session(db.session, wid)
        for category in FactorCategory:
            titles = [f"{category.value} {n}" for n in range(per_category)]
            factor_service.quick_add(db.session, category, Polarity.BARRIER, 2, titles, author_id)
        db.session.commit()


def test_in_place_add_runs_four_statements_whatever_the_board_holds(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    with _watching(app) as (small, small_begun):
        _add(client, wid, "On an empty board")
    _grow(app, wid, team["analyst"].id, 40)
    with _watching(app) as (large, large_begun):
        _add(client, wid, "On a board of 160 factors")
    assert len(small) == len(large) == 4, large
    account, counts, insert, audit = large
    # The account and its membership of the workspace in one read.
    assert "user_account" in account and "membership" in account and "workspace" in account
    # The counts and the next position in one read before the insert, none after it.
    assert counts.startswith("SELECT factor.category, count(factor.id)")
    assert insert.startswith("INSERT INTO factor") and audit.startswith("INSERT INTO change")
    # SQLite reads who asks before taking its write lock; PostgreSQL needs one transaction.
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    assert small_begun == large_begun == ([False, True] if sqlite else [False])


def test_in_place_add_counts_every_category_as_the_board_now_stands(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    _grow(app, wid, team["facilitator"].id, 3)
    _add(client, wid, "Chat on every channel", "technology_driver")
    html = _add(client, wid, "Refunds within a day\nA named owner per complaint")
    shown = {
        key: int(value)
        for key, value in re.findall(r'<span id="count-(\w+)" class="muted"[^>]*>\((\d+)\)', html)
    }
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.execute(
            select(Factor.category, func.count(Factor.id)).group_by(Factor.category)
        )
        stored = {category: count for category, count in rows}
        positions = list(
            db.session.scalars(
                select(Factor.position)
                .where(Factor.category == FactorCategory.BUSINESS_NEED)
                .order_by(Factor.position)
            )
        )
    assert shown == {category.value: stored[category] for category in FactorCategory}
    assert shown["business_need"] == 5 and shown["technology_driver"] == 4
    assert f"({sum(shown.values())} factors)" in html
    # The new cards go after the three already there, in the order typed.
    assert positions == [1, 2, 3, 4, 5]


def test_an_outsider_reaches_no_board_and_writes_nothing(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["outsider"])
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/assessment/factors"
    form = {"category": "business_need", "polarity": "driver", "importance": "3"}
    assert client.get(url).status_code == 404
    assert client.post(url, data={**form, "titles": "Sneaked in"}, headers=HX).status_code == 404
    # Their own workspace still opens.
    assert client.get(f"/workspaces/{team['foreign_id']}/assessment/factors").status_code == 200
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalar(select(func.count(Factor.id))) == 0


def _session_cookie_sent(response) -> bool:  # type: ignore[no-untyped-def]
    return any(value.startswith("session=") for value in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_not_signed_again(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    # The first page after signing in adds the form token to the session, and says so.
    assert _session_cookie_sent(client.get(f"/workspaces/{wid}/assessment/factors"))
    page = client.get(f"/workspaces/{wid}/assessment/factors")
    assert page.status_code == 200
    assert not _session_cookie_sent(page)
    assert not _session_cookie_sent(
        client.post(
            f"/workspaces/{wid}/assessment/factors",
            data={
                "category": "business_need",
                "polarity": "driver",
                "importance": "3",
                "titles": "In place",
            },
            headers=HX,
        )
    )
    # A change to the session (a message for the next page) is sent at once.
    saved = client.post(
        f"/workspaces/{wid}/assessment/factors",
        data={
            "category": "business_need",
            "polarity": "driver",
            "importance": "3",
            "titles": "With a reload",
        },
    )
    assert saved.status_code == 303
    assert _session_cookie_sent(saved)


def test_an_old_session_cookie_is_signed_again_and_still_works(
    app: Flask, client: FlaskClient, team: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, team["analyst"])
    wid = team["workspace_id"]
    client.get(f"/workspaces/{wid}/assessment/factors")  # the form token joins the session
    with client.session_transaction() as current:
        data = dict(current)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    signed_at = int(time.time() - REFRESH_AFTER.total_seconds() - 60)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda _self: signed_at)
        old = serializer.dumps(data)
    client.set_cookie("session", old)
    page = client.get(f"/workspaces/{wid}/assessment/factors")
    assert page.status_code == 200  # still signed in
    assert _session_cookie_sent(page)
    again = client.get(f"/workspaces/{wid}/assessment/factors")
    assert again.status_code == 200
    assert not _session_cookie_sent(again)
