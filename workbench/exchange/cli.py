"""Command line: `workbench export`, `workbench import` and `workbench import-workbook`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.registry import (
    EXPORTERS,
    register_names,
    run_export,
    run_register_export,
)
from workbench.extensions import db
from workbench.models import User, Workspace
from workbench.services.tenancy import scope_session, system_access

MAX_FILE_BYTES = backup.MAX_BACKUP_BYTES


def find_workspace(reference: str) -> Workspace:
    """Resolve WORKSPACE given as an id or an exact name, and scope the session to it."""
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
    scope_session(db.session, found[0].id)
    return found[0]


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
        data = run_register_export(db.session, register)
    else:
        data = run_export(db.session, target, format_name)
    Path(out_path).write_bytes(data)
    click.echo(f"{EXPORTERS[format_name].label} of “{target.name}” written to {out_path}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", "owner_email", required=True, help="Account that will facilitate it.")
@click.option("--name", "name", default=None, help="Name of the new workspace.")
def import_command(path: str, owner_email: str, name: str | None) -> None:
    """Restore a JSON backup as a new workspace, with fresh ids and every link kept."""
    from workbench.services import exchange

    with system_access(db.session):
        owner = db.session.scalar(
            select(User).where(func.lower(User.email) == owner_email.strip().lower())
        )
    if owner is None:
        raise click.ClickException(f"no account with the email {owner_email!r}")
    try:
        checked = backup.load(_read(path), MAX_FILE_BYTES)
        report = exchange.restore(db.session, owner, checked, name)
    except ExchangeRefusedError as error:
        raise _refused(error) from error
    db.session.commit()
    click.echo(f"Restored as workspace {report.workspace_id}: {report.rows} rows.")
    if report.skipped_answers:
        click.echo(
            f"{report.skipped_answers} answers left out: no account here for "
            + ", ".join(report.unknown_respondents)
        )


@click.command("import-workbook")
@click.argument("workspace")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", "apply", is_flag=True, help="Apply the changes (without it: preview).")
def import_workbook_command(workspace: str, path: str, apply: bool) -> None:
    """Preview, or with --apply make, the changes an edited workbook brings to a workspace."""
    from workbench.services import exchange_workbook

    find_workspace(workspace)
    raw = _read(path)
    try:
        plan = exchange_workbook.plan_import(db.session, raw, MAX_FILE_BYTES)
        if plan.problems:
            raise ExchangeRefusedError(plan.problems)
        if apply:
            plan = exchange_workbook.apply_import(db.session, raw, MAX_FILE_BYTES, plan.fingerprint)
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


def register(app: Flask) -> None:
    """Attach the exchange commands to the app's CLI."""
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(import_workbook_command)
