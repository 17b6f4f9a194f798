"""A metric's feed: where its readings come from, its runs, "Run now", edit and delete."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Metric, Role, Workspace
from workbench.models.base import utcnow
from workbench.services import feed_holds, feed_runs, feeds, job_backends
from workbench.services import metrics as metric_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import ConfirmForm, refused
from workbench.web.metrics.blueprint import blueprint
from workbench.web.metrics.feed_forms import FeedForm, feed_data, feed_values
from workbench.web.unit_of_work import after_commit


def _feed_page(
    workspace: Workspace, role: Role, metric: Metric, form: FeedForm | None, status: int = 200
) -> tuple[str, int]:
    feed = feeds.get_feed(db.session(), metric.id)
    return render_template(
        "metrics/feed.html",
        metric=metric,
        feed=feed_runs.summary(db.session(), metric.id),
        form=form or FeedForm(formdata=None, data=feed_data(feed)),
        roots=[str(root) for root in feeds.limits().roots],
        can_edit=can_edit(role),
    ), status


@blueprint.route("/<id:metric_id>/feed", methods=["GET", "POST"])
@workspace_view()
def feed(workspace: Workspace, role: Role, metric_id: int) -> Response | tuple[str, int]:
    """The metric's feed and its runs; set it up or change it (a stale save shows the conflict)."""
    metric = metric_service.get_metric(db.session(), metric_id)
    if request.method == "GET":
        return _feed_page(workspace, role, metric, None)
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feeds.save_feed(
                db.session(), metric_id, form.loaded_version(), feed_values(form), utcnow()
            )
        except ServiceError as error:
            refused(error, form)
        else:
            flash("Feed saved.", "success")
            return redirect(
                url_for("metrics.feed", workspace_id=workspace.id, metric_id=metric_id), 303
            )
    # The address typed is never sent back: the field stays empty on the refused form.
    form.database_url.data = ""
    return _feed_page(workspace, role, metric, form, 400)


@blueprint.route("/<id:metric_id>/feed/run", methods=["POST"])
@workspace_view()
def run_feed(workspace: Workspace, role: Role, metric_id: int) -> Response:
    """Run the feed now; the run's page shows its progress and then its result."""
    if not ConfirmForm().validate_on_submit():
        flash("The form had expired; press Run now again.", "error")
        return redirect(
            url_for("metrics.feed", workspace_id=workspace.id, metric_id=metric_id), 303
        )
    job = feeds.request_run(db.session(), metric_id, current_user.id)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id = job.id
    after_commit(lambda: job_backends.start(app, workspace.id, job_id))
    return redirect(
        url_for(
            "metrics.feed_job", workspace_id=workspace.id, metric_id=metric_id, feed_job_id=job_id
        ),
        303,
    )


@blueprint.route("/<id:metric_id>/feed/delete", methods=["POST"])
@workspace_view()
def delete_feed(workspace: Workspace, role: Role, metric_id: int) -> Response:
    """Delete the feed after confirmation; the readings it wrote stay."""
    feeds.delete_feed(db.session(), metric_id)
    flash("Feed deleted. The readings it wrote are kept.", "success")
    return redirect(url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id), 303)


@blueprint.route("/<id:metric_id>/feed/holds/<id:hold_id>/release", methods=["POST"])
@workspace_view()
def release_hold(workspace: Workspace, role: Role, metric_id: int, hold_id: int) -> Response:
    """Let the feed fill a day again whose reading a person deleted (from its next run)."""
    words = feed_holds.release(db.session(), metric_id, hold_id)
    flash(
        f"The feed will fill {words} again at its next run; until then the day has no reading.",
        "success",
    )
    return redirect(
        url_for("metrics.detail", workspace_id=workspace.id, metric_id=metric_id) + "#feed", 303
    )


def _job_page(metric_id: int, job_id: int, template: str) -> str:
    metric = metric_service.get_metric(db.session(), metric_id)
    job = feed_runs.job_view(db.session(), metric_id, job_id)
    ids: dict[str, Any] = {
        "workspace_id": metric.workspace_id,
        "metric_id": metric_id,
        "feed_job_id": job_id,
    }
    urls = {
        "status": url_for("metrics.feed_job_status", **ids),
        "feed": url_for("metrics.feed", workspace_id=metric.workspace_id, metric_id=metric_id),
    }
    return render_template(template, metric=metric, job=job, urls=urls)


@blueprint.route("/<id:metric_id>/feed/runs/<id:feed_job_id>")
@workspace_view()
def feed_job(workspace: Workspace, role: Role, metric_id: int, feed_job_id: int) -> str:
    """A feed run's progress, then what it wrote or why it wrote nothing."""
    return _job_page(metric_id, feed_job_id, "metrics/feed_job.html")


@blueprint.route("/<id:metric_id>/feed/runs/<id:feed_job_id>/status")
@workspace_view()
def feed_job_status(workspace: Workspace, role: Role, metric_id: int, feed_job_id: int) -> str:
    """The run's state as a fragment, polled by its page."""
    return _job_page(metric_id, feed_job_id, "metrics/_feed_job_status.html")
