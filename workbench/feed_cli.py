"""`workbench feed-run FEED_ID`: run one metric feed now, in this process, and report it."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workbench.extensions import db
from workbench.models import Job, JobStatus, MetricFeed
from workbench.services import feeds, jobs
from workbench.services.job_kinds import HANDLERS
from workbench.services.tenancy import allow_system_access


@click.command("feed-run")
@with_appcontext
@click.argument("feed_id", type=click.IntRange(min=1))
def feed_run_command(feed_id: int) -> None:
    """Run the feed FEED_ID now (its id is shown on the metric's feed page)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    session = db.session()
    allow_system_access(session)  # the feed's workspace is found from its id
    feed = session.get(MetricFeed, feed_id)
    if feed is None:
        raise click.ClickException(f"There is no feed {feed_id}.")
    workspace_id = feed.workspace_id
    job = feeds.start_run(session, workspace_id, feed_id, None, None)
    job_id = job.id
    session.commit()
    db.session.remove()
    jobs.run(app, workspace_id, job_id, HANDLERS)
    allow_system_access(db.session())
    done = db.session.get(Job, job_id)
    if done is None or done.status != JobStatus.DONE:
        message = done.error if done is not None else "the run was not recorded"
        raise click.ClickException(f"Feed {feed_id} wrote nothing: {message}")
    result = done.result or {}
    held = result.get("held", 0)
    click.echo(
        f"Feed {feed_id}: {result.get('read', 0)} rows read, {result.get('added', 0)} added, "
        f"{result.get('updated', 0)} updated, {result.get('unchanged', 0)} unchanged, "
        f"{result.get('kept', 0)} hand readings kept, "
        f"{held} row{'s' if held != 1 else ''} held out: deleted by hand."
    )


def register(app: Flask) -> None:
    """Attach the feed command to the app's CLI."""
    app.cli.add_command(feed_run_command)
