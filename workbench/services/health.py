"""Readiness: can this process serve requests (database, schema, Redis when configured)?"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from workbench.extensions import db
from workbench.services.redis_client import redis_for

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def migration_heads() -> frozenset[str]:
    """Return the head revisions of the migrations shipped with this code."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def readiness(app: Flask) -> tuple[bool, dict[str, str]]:
    """Check each dependency; return whether all are fine and a word or phrase for each."""
    checks: dict[str, str] = {}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
        checks["database"] = "ok"
        expected = migration_heads()
        if current == expected:
            checks["migrations"] = "ok"
        else:
            have = ", ".join(sorted(current)) or "none"
            checks["migrations"] = (
                f"at {have}, expected {', '.join(sorted(expected))}: run `workbench db upgrade`"
            )
    except Exception as error:
        checks["database"] = f"unreachable ({type(error).__name__})"
        checks["migrations"] = "unknown"
    if app.config.get("REDIS_URL"):
        try:
            redis_for(app).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"unreachable ({type(error).__name__})"
    return all(value == "ok" for value in checks.values()), checks
