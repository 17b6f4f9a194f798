"""The feed form: where a metric's readings come from and when they are read."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Length, Optional

from workbench.analysis.feed_rows import PATH_MAX, QUERY_MAX
from workbench.models import MetricFeed
from workbench.services.feed_sources import URL_MAX
from workbench.services.feeds import KIND_LABELS, SCHEDULE_LABELS
from workbench.web.forms import VersionedForm, choice_field, line_field, text_field


class FeedForm(VersionedForm):
    """A metric's feed (version 0 while it has none). The address is never filled back in."""

    kind = choice_field("Source", list(KIND_LABELS.items()), "sql")
    database_url = PasswordField(
        "Database address",
        validators=[
            Optional(),
            Length(max=URL_MAX, message=f"Keep the address under {URL_MAX} characters."),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    query = text_field("Query", max_length=QUERY_MAX)
    file_path = line_field("File path", max_length=PATH_MAX, required=False)
    schedule = choice_field("Runs", list(SCHEDULE_LABELS.items()), "daily")
    hour = StringField(
        "At hour (UTC)",
        validators=[Length(max=2, message="Give the hour as a whole number from 0 to 23 (UTC).")],
        default="6",
    )
    enabled = BooleanField("Run on its schedule", default=True)


def feed_values(form: FeedForm) -> dict[str, Any]:
    """Turn a validated feed form into service values."""
    return {
        "kind": form.kind.data,
        "database_url": form.database_url.data or "",
        "query": form.query.data or "",
        "file_path": form.file_path.data or "",
        "schedule": form.schedule.data,
        "hour": (form.hour.data or "").strip(),
        "enabled": bool(form.enabled.data),
    }


def feed_data(feed: MetricFeed | None) -> dict[str, Any]:
    """The form's starting values from a stored feed (never its address)."""
    if feed is None:
        return {"version": 0, "kind": "sql", "schedule": "daily", "hour": "6", "enabled": True}
    return {
        "version": feed.version,
        "kind": feed.kind.value,
        "query": feed.query,
        "file_path": feed.file_path,
        "schedule": feed.schedule.value,
        "hour": str(feed.hour),
        "enabled": feed.enabled,
    }
