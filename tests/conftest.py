"""Fixtures: an app per test on a fresh database (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, make_url, text

from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Role
from workbench.models.base import Base
from workbench.services import accounts, seeding, workspaces
from workbench.services.tenancy import allow_system_access, scope_session

POSTGRES_URL = os.environ.get("WORKBENCH_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PASSWORD = "correct horse battery"

# Subprocesses (the CLI, gunicorn, workers) hash passwords at the same cheapest costs.
TEST_HASH_COSTS = {"TIME_COST": 1, "MEMORY_KIB": 8, "PARALLELISM": 1}
for _name, _value in TEST_HASH_COSTS.items():
    os.environ[f"WORKBENCH_PASSWORD_HASH_{_name}"] = str(_value)
# A served subprocess ticks the schedule only when its test asks for it.
os.environ["WORKBENCH_SCHEDULER_ENABLED"] = "false"

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    # Storyboard renders run in the request, so a test's database is idle when it ends.
    "JOBS_INLINE": True,
    # No scheduler thread, unless a test starts one.
    "SCHEDULER_ENABLED": False,
    # The cheapest Argon2id costs: production's take about 85 ms per hash and per login.
    **{f"PASSWORD_HASH_{name}": value for name, value in TEST_HASH_COSTS.items()},
}


def _migrate(url: str) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once with the real Alembic revisions, copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _worker_postgres_url(base_url: str) -> str:
    """Give each pytest-xdist worker a database of its own beside the configured one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return base_url
    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """This worker's test PostgreSQL database, emptied and migrated once per run."""
    url = _worker_postgres_url(POSTGRES_URL)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """One engine for emptying the PostgreSQL database between tests."""
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def _empty_postgres(engine: Engine) -> None:
    # Deleting children before parents takes a few milliseconds on near-empty tables, where
    # TRUNCATE ... CASCADE of every table took up to a second per test.
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "workbench.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    _empty_postgres(request.getfixturevalue("postgres_engine"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The application bound to the fresh database, keeping its mail in a folder of its own."""
    outbox = str(tmp_path / "outbox")
    application = create_app(
        {**BASE_CONFIG, "DATABASE_URL": database_url, "MAIL_OUTBOX_DIR": outbox}
    )
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client with no one logged in."""
    return app.test_client()


@dataclass
class Person:
    """A registered test user."""

    id: int
    email: str
    name: str


def make_user(app: Flask, email: str, name: str = "") -> Person:
    """Register an account directly through the service."""
    with app.app_context():
        user = accounts.register(db.session, email, name or email.split("@")[0], PASSWORD)
        db.session.commit()
        return Person(user.id, user.email, user.display_name)


def make_workspace(app: Flask, owner: Person, name: str = "Acme Rail") -> int:
    """Create a workspace owned (as facilitator) by the person; return its id."""
    with app.app_context():
        user = db.session.get(accounts.User, owner.id)
        workspace = workspaces.create_workspace(db.session, user, name, "rail")
        db.session.commit()
        return workspace.id


def add_member(app: Flask, workspace_id: int, person: Person, role: Role) -> None:
    """Add a person to a workspace with a role."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspaces.add_member_by_email(db.session, person.email, role)
        db.session.commit()


def login(client: FlaskClient, person: Person, password: str = PASSWORD) -> None:
    """Log the client in as the person, asserting it worked."""
    response = client.post("/login", data={"email": person.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def seed(app: Flask) -> None:
    """Load the reference catalogues."""
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        db.session.commit()


@pytest.fixture
def team(app: Flask) -> dict[str, object]:
    """A workspace with one member per role, and an outsider owning another workspace."""
    facilitator = make_user(app, "fran@example.org", "Fran Facilitator")
    analyst = make_user(app, "ana@example.org", "Ana Analyst")
    executive = make_user(app, "eve@example.org", "Eve Executive")
    outsider = make_user(app, "otto@example.org", "Otto Outsider")
    workspace_id = make_workspace(app, facilitator, "Harbour Test Hotels")
    add_member(app, workspace_id, analyst, Role.ANALYST)
    add_member(app, workspace_id, executive, Role.EXECUTIVE)
    foreign_id = make_workspace(app, outsider, "Foreign Ferries")
    return {
        "facilitator": facilitator,
        "analyst": analyst,
        "executive": executive,
        "outsider": outsider,
        "workspace_id": workspace_id,
        "foreign_id": foreign_id,
    }


def form_version(html: str) -> str:
    """Return the hidden version value of the first form on a page."""
    match = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="version"', html
    )
    assert match, "no version field on the page"
    return match.group(1)
