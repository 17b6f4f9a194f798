"""Phase 2 pages issue a constant number of SQL queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.conftest import login, seed
from workbench.database import writes_intended
from workbench.extensions import db
from workbench.models import (
    Contribution,
    Factor,
    FactorCategory,
    Initiative,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    Objective,
    Perspective,
    Polarity,
    TqmPrinciple,
)
from workbench.services.tenancy import scope_session, system_access

PAGES = (
    "alignment/matrix",
    "alignment/principles",
    "alignment/",
    "alignment/graph",
    "alignment/roadmap",
    "alignment/initiatives",
)


def _grow(app: Flask, workspace_id: int, initiatives: int) -> None:
    """Bring the workspace to the given number of initiatives, each linked three ways."""
    with app.app_context():
        with system_access(db.session):
            principle_ids = list(db.session.scalars(select(TqmPrinciple.id)))
        scope_session(db.session, workspace_id)
        objectives = list(db.session.scalars(select(Objective)))
        factors = list(db.session.scalars(select(Factor)))
        if not objectives:
            objectives = [
                Objective(title=f"Objective {n}", perspective=Perspective.CUSTOMER)
                for n in range(5)
            ]
            factors = [
                Factor(
                    category=FactorCategory.BUSINESS_NEED,
                    polarity=Polarity.BARRIER,
                    importance=3,
                    title=f"Barrier {n}",
                )
                for n in range(5)
            ]
            db.session.add_all(objectives + factors)
            db.session.flush()
        existing = len(db.session.scalars(select(Initiative.id)).all())
        for n in range(existing, initiatives):
            initiative = Initiative(title=f"Initiative {n}", department=f"dept {n % 4}")
            db.session.add(initiative)
            db.session.flush()
            db.session.add_all(
                [
                    InitiativeObjective(
                        initiative_id=initiative.id,
                        objective_id=objectives[n % 5].id,
                        contribution=Contribution.MODERATE,
                    ),
                    InitiativePrinciple(
                        initiative_id=initiative.id,
                        principle_id=principle_ids[n % len(principle_ids)],
                    ),
                    InitiativeFactor(initiative_id=initiative.id, factor_id=factors[n % 5].id),
                ]
            )
        db.session.commit()


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


def _queries(app: Flask, client: FlaskClient, workspace_id: int) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with _counting(app) as statements:
            response = client.get(f"/workspaces/{workspace_id}/{page}")
            assert response.status_code == 200, page
        counts[page] = len(statements)
    return counts


def test_pages_issue_the_same_queries_at_10_and_300_initiatives(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    _grow(app, wid, 10)
    small = _queries(app, client, wid)
    _grow(app, wid, 300)
    large = _queries(app, client, wid)
    assert small == large, {"10": small, "300": large}
    assert all(count < 40 for count in large.values()), large


def test_ticking_a_cell_takes_two_transactions_and_the_write_lock_once(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    """Who asks is read first; the tick and its answer share one writing transaction."""
    seed(app)
    wid = team["workspace_id"]
    login(client, team["analyst"])
    _grow(app, wid, 1)
    with app.app_context():
        scope_session(db.session, wid)
        initiative_id = db.session.scalars(select(Initiative.id)).one()
        linked = set(db.session.scalars(select(InitiativeObjective.objective_id)))
        objective_id = next(
            o
            for o in db.session.scalars(select(Objective.id).order_by(Objective.id))
            if o not in linked
        )
        engine = db.engine
    begun: list[bool] = []

    def on_begin(_conn) -> None:  # type: ignore[no-untyped-def]
        begun.append(writes_intended())

    event.listen(engine, "begin", on_begin)
    try:
        with _counting(app) as statements:
            response = client.post(
                f"/workspaces/{wid}/alignment/matrix/cell",
                data={
                    "initiative_id": initiative_id,
                    "objective_id": objective_id,
                    "version": "0",
                    "contribution": "strong",
                },
                headers={"HX-Request": "true"},
            )
    finally:
        event.remove(engine, "begin", on_begin)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    # Before the unit of work: 3 transactions, 2 of them writing, 8 statements besides BEGIN.
    assert begun == [False, True]
    work = [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]
    assert len(work) <= 7, work
