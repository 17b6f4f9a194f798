"""The job registry: every kind of background job and the function that does it.

Adding a kind means a `JobKind` member and its entry here; a test checks that none is left
without a handler. This module imports the handlers' modules, which themselves import
`jobs`, so `jobs` never imports it: the backends hand `HANDLERS` to `jobs.run`.
"""

from __future__ import annotations

from workbench.models import JobKind
from workbench.services import exchange_jobs, feed_runs, render_jobs
from workbench.services.jobs import Handler

HANDLERS: dict[JobKind, Handler] = {
    JobKind.STORYBOARD_PUBLISH: render_jobs.publish_handler,
    JobKind.EXCHANGE_EXPORT: exchange_jobs.export_handler,
    JobKind.EXCHANGE_WORKBOOK: exchange_jobs.workbook_handler,
    JobKind.FEED_RUN: feed_runs.feed_handler,
}
