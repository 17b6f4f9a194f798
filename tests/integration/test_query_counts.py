"""Phase 2 pages issue a constant number of SQL queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.conftest import login, seed
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
    StoryboardSnapshot,
    TqmPrinciple,
)
from workbench.services import storyboard
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


def test_the_list_of_published_versions_reads_no_pdf(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        for number in (1, 2):
            db.session.add(
                StoryboardSnapshot(
                    number=number,
                    fingerprint="f" * 64,
                    author_label="Fran",
                    page_count=1,
                    pdf=b"%PDF-1.7 " + b"x" * 100_000,
                    context={"pages": number},
                )
            )
        db.session.commit()
        db.session.expunge_all()
        with _counting(app) as statements:
            listed = storyboard.snapshots(db.session)
        assert [s.number for s in listed] == [2, 1]
        selected = " ".join(statements).lower()
        assert "storyboard_snapshot.number" in selected
        assert "storyboard_snapshot.pdf" not in selected
        assert "storyboard_snapshot.context" not in selected
        # Asked for, the PDF still loads.
        assert listed[0].pdf.startswith(b"%PDF")
