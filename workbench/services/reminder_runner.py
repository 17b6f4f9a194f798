"""The owners' reminders run with the app's mail settings and its public address.

Shared by `workbench send-reminders` and the scheduler (services/schedule_sources.py). Links
in the messages are absolute, so they are built in a request context for PUBLIC_URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, url_for
from sqlalchemy.orm import Session

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


def settings_for(app: Flask) -> ReminderSettings:
    """The reminders' mail settings, signing key and links, from the app's configuration."""
    return ReminderSettings(
        mail=mail.settings_from(app.config, app.instance_path),
        secret_key=str(app.config["SECRET_KEY"]),
        links=UrlLinks(),
    )


def send_in(app: Flask, session: Session, now: datetime, dry_run: bool = False) -> ReminderSummary:
    """Send (or, dry, list) the reminders owed at `now` through `session` (holding no changes)."""
    with app.test_request_context(base_url=public_url(app)):
        return send_due(session, now, settings=settings_for(app), dry_run=dry_run)


def run_reminders(
    app: Flask, now: datetime | None = None, dry_run: bool = False
) -> ReminderSummary:
    """Send (or, dry, list) the reminders owed now in the app's own session, then let it go."""
    with app.app_context():
        try:
            return send_in(app, db.session(), now or datetime.now(UTC), dry_run)
        finally:
            db.session.remove()
