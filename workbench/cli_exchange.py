"""Exchange commands: `workbench export`, `import`, `import-workbook` and `import-stratml`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.stratml_parse import MAX_BYTES as MAX_STRATML_BYTES
from workbench.extensions import db
from workbench.models import User, Workspace
from workbench.services import exchange, exchange_workbook
from workbench.services.audit import set_actor
from workbench.services.errors import ServiceError
from workbench.services.exchange_exports import (
    EXPORTERS,
    register_names,
    run_export,
    run_register_export,
)
from workbench.services.stratml_import import import_file
from workbench.services.tenancy import scope_session, system_access

MAX_FILE_BYTES = backup.MAX_BACKUP_BYTES


def resolve_workspace(reference: str) -> Workspace:
    """Return the one workspace with this id or exact name, or fail with a clear message."""
    with system_access(db.session()):
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


def find_workspace(reference: str) -> Workspace:
    """Resolve WORKSPACE given as an id or an exact name, and scope the session to it."""
    found = resolve_workspace(reference)
    scope_session(db.session(), found.id)
    return found


def _read(path: str) -> bytes:
    file = Path(path)
    if file.stat().st_size > MAX_FILE_BYTES:
        raise click.ClickException(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return file.read_bytes()


def _refused(error: ExchangeRefusedError) -> click.ClickException:
    db.session.rollback()
    for problem in error.problems:
        click.echo(f"problem: {problem}", err=True)
    return click.ClickException(f"refused, nothing changed ({len(error.problems)} problem(s))")


@click.command("export")
@click.argument("workspace")
@click.option("--format", "format_name", default="json", help="A registered format name.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option("--register", "register", default=None, help="With csv: write only this register.")
def export_command(workspace: str, format_name: str, out_path: str, register: str | None) -> None:
    """Export a workspace (WORKSPACE is its id or exact name) in one of the registered formats."""
    if format_name not in EXPORTERS:
        raise click.UsageError(f"--format must be one of: {', '.join(sorted(EXPORTERS))}")
    target = find_workspace(workspace)
    if register is not None:
        if format_name != "csv" or register not in register_names():
            names = ", ".join(register_names())
            raise click.UsageError(f"--register goes with --format csv and one of: {names}")
        data = run_register_export(db.session(), register)
    else:
        data = run_export(db.session(), target, format_name)
    Path(out_path).write_bytes(data)
    click.echo(f"{EXPORTERS[format_name].label} of “{target.name}” written to {out_path}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", "owner_email", required=True, help="Account that will facilitate it.")
@click.option("--name", "name", default=None, help="Name of the new workspace.")
def import_command(path: str, owner_email: str, name: str | None) -> None:
    """Restore a JSON backup as a new workspace, with fresh ids and every link kept."""
    with system_access(db.session()):
        owner = db.session.scalar(
            select(User).where(func.lower(User.email) == owner_email.strip().lower())
        )
    if owner is None:
        raise click.ClickException(f"no account with the email {owner_email!r}")
    try:
        checked = backup.load(_read(path), MAX_FILE_BYTES)
        report = exchange.restore(db.session(), owner, checked, name)
    except ExchangeRefusedError as error:
        raise _refused(error) from error
    db.session.commit()
    click.echo(f"Restored as workspace {report.workspace_id}: {report.rows} rows.")
    if report.labelled_answers:
        click.echo(exchange.labelled_sentence(report))
    for note in report.notes:
        click.echo(note)


@click.command("import-workbook")
@click.argument("workspace")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", "apply", is_flag=True, help="Apply the changes (without it: preview).")
def import_workbook_command(workspace: str, path: str, apply: bool) -> None:
    """Preview, or with --apply make, the changes an edited workbook brings to a workspace."""
    find_workspace(workspace)
    raw = _read(path)
    try:
        plan = exchange_workbook.plan_import(db.session(), raw, MAX_FILE_BYTES)
        if plan.problems:
            raise ExchangeRefusedError(plan.problems)
        if apply:
            plan = exchange_workbook.apply_import(
                db.session(), raw, MAX_FILE_BYTES, plan.fingerprint
            )
    except ExchangeRefusedError as error:
        raise _refused(error) from error
    for sheet in plan.sheets:
        click.echo(
            f"{sheet.title}: {len(sheet.added)} added, {len(sheet.changed)} changed, "
            f"{len(sheet.removed)} removed, {sheet.unchanged} unchanged"
        )
        for line in sheet.changed[:20]:
            click.echo(f"  changed {line}")
    if apply:
        db.session.commit()
        click.echo("Applied.")
    else:
        db.session.rollback()
        click.echo("Preview only; run again with --apply to make these changes.")


@click.command("import-stratml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("workspace")
@with_appcontext
def import_stratml_command(file: Path, workspace: str) -> None:
    """Import a StratML plan's goals and objectives into WORKSPACE (its id or exact name)."""
    target = resolve_workspace(workspace)
    if file.stat().st_size > MAX_STRATML_BYTES:
        raise click.ClickException(
            f"{file}: {file.stat().st_size:,} bytes; "
            f"the largest accepted is {MAX_STRATML_BYTES:,} bytes"
        )
    scope_session(db.session(), target.id)
    set_actor(db.session(), None, "import-stratml")
    try:
        report = import_file(db.session(), file.read_bytes())
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


def register(app: Flask) -> None:
    """Attach the exchange commands to the app's CLI."""
    for command in (
        export_command,
        import_command,
        import_workbook_command,
        import_stratml_command,
    ):
        app.cli.add_command(command)
