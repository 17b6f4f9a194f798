"""`workbench send-reminders`: the owners' reminders by email, and the runner schedulers call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext

from workbench.extensions import db
from workbench.services import mail
from workbench.services.reminders import ReminderSettings, ReminderSummary, send_due

# Where `make run` serves, for links when PUBLIC_URL is not set.
LOCAL_URL = "http://127.0.0.1:5000/"


@dataclass(frozen=True)
class UrlLinks:
    """Absolute links to the app's pages, built inside a request context for PUBLIC_URL."""

    def metric(self, workspace_id: int, metric_id: int) -> str:
        """The page of a metric."""
        return url_for(
            "metrics.detail", workspace_id=workspace_id, metric_id=metric_id, _external=True
        )

    def goal(self, workspace_id: int, metric_id: int) -> str:
        """The goal on its metric's page."""
        return self.metric(workspace_id, metric_id) + "#goal"

    def initiative(self, workspace_id: int, initiative_id: int) -> str:
        """The page of an initiative."""
        return url_for(
            "alignment.edit_initiative",
            workspace_id=workspace_id,
            initiative_id=initiative_id,
            _external=True,
        )

    def unsubscribe(self, token: str) -> str:
        """The one-click unsubscribe page of a token."""
        return url_for("reminders.unsubscribe", token=token, _external=True)

    def preferences(self) -> str:
        """The account's reminder settings."""
        return url_for("reminders.preferences", _external=True)


def public_url(app: Flask) -> str:
    """The address links in reminders start with (PUBLIC_URL, else the local one)."""
    return str(app.config.get("PUBLIC_URL") or LOCAL_URL)


def run_reminders(
    app: Flask, now: datetime | None = None, dry_run: bool = False
) -> ReminderSummary:
    """Send (or, dry, list) the reminders owed now, with the app's mail settings and address."""
    settings = ReminderSettings(
        mail=mail.settings_from(app.config, app.instance_path),
        secret_key=str(app.config["SECRET_KEY"]),
        links=UrlLinks(),
    )
    with app.test_request_context(base_url=public_url(app)):
        try:
            return send_due(
                db.session(), now or datetime.now(UTC), settings=settings, dry_run=dry_run
            )
        finally:
            db.session.remove()


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
