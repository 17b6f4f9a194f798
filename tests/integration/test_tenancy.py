"""Central workspace scoping: queries are filtered, writes checked, a missing scope refused."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, update

from workbench.extensions import db
from workbench.models import Change, Membership, Role, User, Workspace
from workbench.services.errors import TenancyViolationError
from workbench.services.tenancy import scope_session, system_access


def test_scoped_queries_see_only_their_workspace(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["foreign_id"])
        emails = {
            user.email for _, user in db.session.execute(select(Membership, User).join(User)).all()
        }
        assert emails == {team["outsider"].email}
        scope_session(db.session, team["workspace_id"])
        count = len(db.session.scalars(select(Membership)).all())
        assert count == 3


def test_query_without_scope_is_refused(app: Flask, team: dict) -> None:
    with app.app_context():
        with pytest.raises(TenancyViolationError):
            db.session.scalars(select(Membership)).all()
        with pytest.raises(TenancyViolationError):
            db.session.scalars(select(Change)).all()
        # Rows that belong to no workspace stay reachable.
        assert db.session.scalars(select(User)).first() is not None


def test_explicit_system_access_sees_everything(app: Flask, team: dict) -> None:
    with app.app_context(), system_access(db.session):
        assert len(db.session.scalars(select(Membership)).all()) == 4


def test_bulk_update_is_scoped_too(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        db.session.execute(update(Membership).values(role=Role.EXECUTIVE))
        db.session.commit()
        with system_access(db.session):
            foreign = db.session.scalars(
                select(Membership).where(Membership.workspace_id == team["foreign_id"])
            ).one()
            assert foreign.role is Role.FACILITATOR


def test_flush_refuses_rows_of_another_workspace(app: Flask, team: dict) -> None:
    with app.app_context():
        scope_session(db.session, team["workspace_id"])
        db.session.add(
            Membership(
                workspace_id=team["foreign_id"], user_id=team["analyst"].id, role=Role.ANALYST
            )
        )
        with pytest.raises(TenancyViolationError):
            db.session.flush()
        db.session.rollback()


def test_flush_refuses_editing_another_workspace_object(app: Flask, team: dict) -> None:
    with app.app_context():
        with system_access(db.session):
            foreign = db.session.get(Workspace, team["foreign_id"])
        scope_session(db.session, team["workspace_id"])
        foreign.vision = "hijacked"
        with pytest.raises(TenancyViolationError):
            db.session.flush()
        db.session.rollback()


def test_new_rows_take_the_scope_workspace(app: Flask, team: dict) -> None:
    newcomer_id = None
    with app.app_context():
        user = User(email="x@example.org", display_name="X", password_hash="-", session_token="t")
        db.session.add(user)
        db.session.flush()
        newcomer_id = user.id
        scope_session(db.session, team["foreign_id"])
        membership = Membership(user_id=newcomer_id, role=Role.ANALYST)
        db.session.add(membership)
        db.session.flush()
        assert membership.workspace_id == team["foreign_id"]
        db.session.rollback()


def test_write_without_scope_is_refused(app: Flask, team: dict) -> None:
    with app.app_context():
        db.session.add(
            Membership(
                workspace_id=team["workspace_id"], user_id=team["outsider"].id, role=Role.ANALYST
            )
        )
        with pytest.raises(TenancyViolationError):
            db.session.flush()
        db.session.rollback()
