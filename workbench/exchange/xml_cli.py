"""Command line for the XML exchange formats: `workbench import-stratml FILE WORKSPACE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from workbench.exchange.stratml_parse import MAX_BYTES
from workbench.extensions import db
from workbench.models import Workspace
from workbench.services.audit import set_actor
from workbench.services.errors import ServiceError
from workbench.services.stratml_import import import_file
from workbench.services.tenancy import scope_session, system_access


def resolve_workspace(reference: str) -> Workspace:
    """Return the one workspace with this id or exact name, or fail with a clear message."""
    with system_access(db.session):
        query = select(Workspace).where(
            Workspace.id == int(reference) if reference.isdigit() else Workspace.name == reference
        )
        found = db.session.scalars(query).all()
    if len(found) != 1:
        raise click.ClickException(
            f"no workspace called {reference!r}"
            if not found
            else f"{len(found)} workspaces are called {reference!r}; use the id"
        )
    return found[0]


@click.command("import-stratml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("workspace")
@with_appcontext
def import_stratml_command(file: Path, workspace: str) -> None:
    """Import a StratML plan's goals and objectives into WORKSPACE (its id or exact name)."""
    target = resolve_workspace(workspace)
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException(
            f"{file}: {file.stat().st_size:,} bytes; the largest accepted is {MAX_BYTES:,} bytes"
        )
    scope_session(db.session, target.id)
    set_actor(db.session, None, "import-stratml")
    try:
        report = import_file(db.session, file.read_bytes())
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(f"{file}: {error.message} Nothing was imported.") from error
    db.session.commit()
    click.echo(f"Imported “{report.plan_name or file.name}” into “{target.name}”.")
    click.echo(f"{len(report.added)} added, {len(report.duplicates)} already present.")
    for label in report.added:
        click.echo(f"  added {label}")
    for label in report.duplicates:
        click.echo(f"  already present, left alone: {label}")
    for note in report.notes:
        click.echo(f"  note: {note}")
