"""`workbench send-reminders`: the owners' reminders by email, and the runner schedulers call."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workbench.services.reminder_runner import LOCAL_URL, run_reminders


@click.command("send-reminders")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and record nothing.")
def send_reminders_command(dry_run: bool) -> None:
    """Email each owner the reminders owed today (each reminder is sent only once)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("PUBLIC_URL"):
        click.echo(f"WORKBENCH_PUBLIC_URL is not set: links in reminders start with {LOCAL_URL}")
    summary = run_reminders(app, dry_run=dry_run)
    verb = "Would send" if dry_run else "Sent"
    for sent in summary.sent:
        click.echo(f"{verb} to {sent.to}: {sent.subject} [{', '.join(sent.occurrences)}]")
    for sent, error in summary.failed:
        click.echo(f"Not sent to {sent.to} ({error}); the next run tries again: {sent.subject}")
    for to, kind, title in summary.opted_out:
        click.echo(f"Not sent to {to}, who turned off {kind} reminders: {title}")
    for gap in summary.unresolved:
        owner = gap.owner or "no owner"
        click.echo(
            f"Nobody to send to in “{gap.workspace}”: {gap.title} ({gap.kind}), owner "
            f"“{owner}”: {gap.reason}"
        )
    click.echo(
        f"{verb} {len(summary.sent)} message(s); {summary.already_sent} reminder(s) sent before; "
        f"{len(summary.opted_out)} turned off; {len(summary.unresolved)} without a recipient; "
        f"{len(summary.failed)} failed."
    )
    if summary.failed:
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    """Add the reminders command to the app's CLI."""
    group.add_command(send_reminders_command)
