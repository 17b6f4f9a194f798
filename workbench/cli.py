"""Command line: `workbench` behaves like `flask --app workbench`, plus our own commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, pass_script_info
from flask.cli import run_command as flask_run_command
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from workbench import cli_exchange, feed_cli, ops_cli, reminders_cli, two_factor_cli
from workbench.config import reports_dir, seeds_dir
from workbench.extensions import db
from workbench.services import schedule_runner, seeding
from workbench.services.board_packs import resolve_pack
from workbench.services.errors import ServiceError
from workbench.services.instruments import load_catalogue
from workbench.services.storyboard import render_deck, render_document
from workbench.services.tenancy import allow_system_access
from workbench.storyboard.render import render_pdf


@click.command("seed")
def seed_command() -> None:
    """Load the reference catalogues from seeds/ (safe to run again)."""
    allow_system_access(db.session())
    try:
        report = seeding.load_catalogues(db.session(), seeds_dir(current_app.config))
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    for name in report.added:
        click.echo(f"{name}: {report.added[name]} added, {report.updated[name]} updated")


@click.command("demo")
def demo_command() -> None:
    """Create the demo organisation's workspace and its login (safe to run again)."""
    allow_system_access(db.session())
    seeds = seeds_dir(current_app.config)
    seeding.load_catalogues(db.session(), seeds)
    _user, workspace, created = seeding.create_demo(
        db.session(), seeds, Path(current_app.config["ASSESSMENTS_DIR"])
    )
    db.session.commit()
    state = "created" if created else "already present"
    click.echo(f"Demo workspace “{workspace.name}” {state}.")
    click.echo(f"Demo login: {seeding.DEMO_EMAIL} / password: {seeding.DEMO_PASSWORD}")


@click.group("assessments")
def assessments_group() -> None:
    """Assessment instruments in assessments/*.yaml."""


@assessments_group.command("validate")
def validate_assessments() -> None:
    """Check every instrument file and report each problem with its file and place."""
    folder = Path(current_app.config["ASSESSMENTS_DIR"])
    catalogue = load_catalogue(folder)
    for instrument in catalogue.instruments:
        questions = len(instrument.questions())
        click.echo(
            f"ok  {instrument.key} v{instrument.version}: {len(instrument.dimensions)} "
            f"dimensions, {questions} questions"
        )
    for error in catalogue.errors:
        click.echo(f"bad {error}", err=True)
    if catalogue.errors:
        raise click.ClickException(f"{len(catalogue.errors)} problem(s) in {folder}")
    if not catalogue.instruments:
        raise click.ClickException(f"no instrument files in {folder}")


@click.command("storyboard")
@click.argument("workspace")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="Write the storyboard here: a PDF, or a PowerPoint deck when the name ends in .pptx.",
)
@click.option(
    "--format",
    "kind",
    type=click.Choice(["pdf", "pptx"]),
    default=None,
    help="pdf (the default) or pptx (an editable PowerPoint deck); otherwise taken from --out.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Write the same document as one self-contained HTML file.",
)
@click.option(
    "--pack",
    "pack_name",
    default=None,
    help="The pack to render, by name or key (default: every section, as 'Leadership team').",
)
def storyboard_command(
    workspace: str,
    out_path: str | None,
    kind: str | None,
    html_path: str | None,
    pack_name: str | None,
) -> None:
    """Render a workspace's storyboard (WORKSPACE is its id or its exact name)."""
    if not out_path and not html_path:
        raise click.UsageError("Give --out FILE.pdf, --out FILE.pptx, --html FILE.html or both.")
    if kind is None:
        kind = "pptx" if out_path and out_path.lower().endswith(".pptx") else "pdf"
    target = cli_exchange.find_workspace(workspace)
    try:
        pack = resolve_pack(db.session(), pack_name)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    author, today = "Service Recovery Strategy Workbench", date.today()
    if out_path and kind == "pptx":
        deck, slides, fp = render_deck(db.session(), target, author, today, "cli", pack)
        Path(out_path).write_bytes(deck)
        click.echo(f"PowerPoint written to {out_path}: {slides} slides, fingerprint {fp[:12]}")
    if html_path or kind == "pdf":
        html, fp = render_document(
            db.session(), target, author, today, reports_dir(current_app.config), "cli", pack
        )
        if html_path:
            Path(html_path).write_text(html, encoding="utf-8")
            click.echo(f"HTML written to {html_path}")
        if out_path and kind == "pdf":
            pdf, pages = render_pdf(html)
            Path(out_path).write_bytes(pdf)
            click.echo(f"PDF written to {out_path}: {pages} pages, fingerprint {fp[:12]}")


def register_commands(app: Flask) -> None:
    """Attach our commands to the app's CLI."""
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(assessments_group)
    app.cli.add_command(storyboard_command)
    cli_exchange.register(app)
    ops_cli.register(app.cli)
    two_factor_cli.register(app)
    reminders_cli.register(app.cli)
    feed_cli.register(app)


@click.command(
    "run",
    params=list(flask_run_command.params),
    help=flask_run_command.help,
    short_help="Run a development server (and the schedule, without Redis).",
)
@pass_script_info
@click.pass_context
def run_command(context: click.Context, info: ScriptInfo, **options: object) -> None:
    """Serve the app as `flask run` does, with the scheduler thread when there is no Redis."""
    reload = options.get("reload")
    # With the reloader the first process only watches files; the served child ticks.
    if not (reload or (reload is None and get_debug_flag())) or is_running_from_reloader():
        schedule_runner.start_ticker(info.load_app())
    context.forward(flask_run_command)


cli = FlaskGroup(help="Service Recovery Strategy Workbench.")
# `workbench run` is Flask's development server plus the schedule (see run_command).
cli.add_command(run_command)


def main() -> None:
    """Entry point of the `workbench` console script: `flask --app workbench` by another name."""
    # Flask imports workbench.app and calls its create_app, as `flask --app workbench` would.
    cli(prog_name="workbench", obj=ScriptInfo(app_import_path="workbench.app"))
