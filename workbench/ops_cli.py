"""Operations: `workbench worker`, `tick`, `purge-job-files`, `backup FILE` and `restore FILE`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from workbench.extensions import db
from workbench.services import exchange_jobs, job_backends, schedule_runner, schedule_sources
from workbench.services.tenancy import allow_system_access


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting.")
@click.option("--queue", "queue_name", default=None, help="Queue name (default: JOBS_QUEUE).")
@click.option(
    "--with-scheduler",
    is_flag=True,
    help="Also run the schedule: RQ's scheduler and a tick every SCHEDULER_TICK_SECONDS.",
)
def worker_command(burst: bool, queue_name: str | None, with_scheduler: bool) -> None:
    """Run background jobs from the Redis queue (storyboards, imports, exports)."""
    # The app itself, not the request-bound proxy (Flask types current_app as the app).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "WORKBENCH_REDIS_URL is not set. Without Redis, jobs run inside the web process "
            "and no worker is needed."
        )
    if with_scheduler:
        if queue_name:
            # The tick is planted on the queue this worker takes from.
            app.config["JOBS_QUEUE"] = queue_name
        schedule_runner.schedule_tick(app)
    job_backends.work(app, burst=burst, queue=queue_name, with_scheduler=with_scheduler)


@click.command("tick")
@with_appcontext
def tick_command() -> None:
    """Run whatever is due now, once, and print a line for each item (for cron)."""
    # The app itself, not the request-bound proxy (Flask types current_app as the app).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for line in schedule_runner.tick(app, schedule_sources.SOURCES).lines():
        click.echo(line)


@click.command("purge-job-files")
@with_appcontext
@click.option(
    "--days",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Delete files older than this many days (default: JOB_FILE_MAX_AGE_DAYS).",
)
def purge_job_files_command(days: float | None) -> None:
    """Delete the stored files of finished exports and imports older than the limit."""
    age = timedelta(days=days) if days is not None else exchange_jobs.max_file_age()
    allow_system_access(db.session())  # every workspace's files, deliberately
    summary = schedule_sources.purge_job_files(db.session(), age)
    db.session.commit()
    click.echo(summary)


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("This SQLite database is not a file.")
    return Path(url.database)


def _check_sqlite_file(path: Path) -> str:
    """Return the migration revision of a SQLite backup file after checking its integrity."""
    if not path.is_file():
        raise click.ClickException(f"{path} does not exist.")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a workbench SQLite backup ({error}).") from error
    if verdict != "ok":
        raise click.ClickException(f"{path} is damaged: {verdict}")
    return revision[0] if revision else "none"


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq connection string without the password, and the environment with it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(name: str, guidance: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} is not installed here. Install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client), or on a host that has them run:\n"
            f"  {guidance}"
        )
    return found


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists.")
def backup_command(target: Path, force: bool) -> None:
    """Copy the whole database to FILE while the workbench keeps running."""
    url = _database_url()
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; choose another name or add --force.")
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        # SQLite's online backup API copies a consistent state while others keep writing.
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
        revision = _check_sqlite_file(partial)
        partial.replace(target)
        click.echo(
            f"Backed up {source} to {target} ({target.stat().st_size} bytes, "
            f"schema {revision}, integrity ok)."
        )
        return
    dsn, env = _libpq(url)
    tool = _pg_tool("pg_dump", f"pg_dump --format=custom --file={target} '<database url>'")
    subprocess.run(
        [tool, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={dsn}"],
        check=True,
        env=env,
    )
    click.echo(
        f"Backed up the PostgreSQL database to {target} ({target.stat().st_size} bytes, "
        "pg_dump custom format)."
    )


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the whole database with a backup made by `workbench backup`."""
    url = _database_url()
    if not yes:
        click.confirm(
            "This replaces everything in the current database with the backup. Continue?",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        revision = _check_sqlite_file(source)
        target = _sqlite_path(url)
        with sqlite3.connect(source) as src, sqlite3.connect(target, timeout=30) as dst:
            src.backup(dst)
        click.echo(f"Restored {target} from {source} (schema {revision}).")
        click.echo("Run `workbench db upgrade` if the backup comes from an older version.")
        return
    dsn, env = _libpq(url)
    guidance = f"pg_restore --clean --if-exists --no-owner --dbname='<database url>' {source}"
    tool = _pg_tool("pg_restore", guidance)
    subprocess.run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={dsn}",
            str(source),
        ],
        check=True,
        env=env,
    )
    click.echo(f"Restored the PostgreSQL database from {source}.")
    click.echo("Run `workbench db upgrade` if the backup comes from an older version.")


def register(group: click.Group) -> None:
    """Add the operations commands to the app's CLI."""
    for command in (
        worker_command,
        tick_command,
        purge_job_files_command,
        backup_command,
        restore_command,
    ):
        group.add_command(command)
