"""A backup's branding and metric feeds: read for an export, checked and written on a restore.

The logo and the accent go through the very checks of the settings page (the logo is remade
by workbench.exchange.logo); any refusal refuses the whole backup before anything is written.
A feed travels without its database address: a database feed comes back switched off until
a facilitator decides to enter the address again, and a file feed whose path this
installation does not allow comes back switched off with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.feed_rows import next_run
from workbench.exchange.backup import Backup, ExchangeRefusedError
from workbench.exchange.backup_extras import branding_document
from workbench.exchange.logo import CleanLogo, LogoRefusedError, clean_logo
from workbench.exchange.schema import TABLES
from workbench.models import FeedKind, FeedSchedule, Metric, MetricFeed
from workbench.services import branding, feed_sources, feeds
from workbench.services.errors import ServiceError

_KIND_NAMES = {"png": "a PNG image", "svg": "an SVG image"}
_MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class CheckedBranding:
    """A backup's branding after the upload's checks: the stored accent and the remade logo."""

    accent: str | None
    logo: CleanLogo | None


# --------------------------------------------------------------------------- export


def branding_for_backup(session: Session) -> dict[str, Any] | None:
    """The workspace's branding as a backup writes it, or None when it has none."""
    row = branding.get_branding(session, with_images=True)
    if row is None or (row.accent is None and row.logo_kind is None):
        return None
    return branding_document(row.accent, row.logo_kind, row.logo)


def accent_for_workbook(session: Session) -> str | None:
    """The accent colour the workbook's About sheet carries (the logo stays out of it)."""
    row = branding.get_branding(session)
    return row.accent if row else None


def feeds_for_backup(session: Session) -> list[dict[str, Any]]:
    """The feeds' settings, each naming its metric by its key in the backup; never an address."""
    metrics = next(table for table in TABLES if table.name == "metrics")
    ids = list(session.scalars(select(Metric.id).order_by(Metric.id)))
    # The same keys as the metrics register of the backup (its rows sorted by id).
    keys = {row_id: f"{metrics.prefix}{index}" for index, row_id in enumerate(ids, start=1)}
    return [
        {
            "metric": keys[feed.metric_id],
            "kind": feed.kind.value,
            "schedule": feed.schedule.value,
            "hour": feed.hour,
            "enabled": feed.enabled,
            "query": feed.query,
            "file_path": feed.file_path,
        }
        for feed in session.scalars(select(MetricFeed).order_by(MetricFeed.id))
        if feed.metric_id in keys
    ]


# --------------------------------------------------------------------------- restore


def check_branding(backup: Backup) -> CheckedBranding | None:
    """Check a backup's accent and logo as the settings page would; refuse the file if not."""
    if backup.branding is None:
        return None
    problems: list[str] = []
    accent: str | None = None
    try:
        accent = branding.checked_accent(backup.branding.get("accent") or "")
    except ServiceError as error:
        problems.append(f"branding: accent: {error.message}")
    logo: CleanLogo | None = None
    if backup.branding.get("logo"):
        kind, data = backup.branding["logo"]
        try:
            logo = clean_logo(data)
        except LogoRefusedError as error:
            problems.append(f"branding: logo: {error}")
        else:
            if logo.kind != kind:
                problems.append(
                    f"branding: logo: media_type says {_MEDIA[kind]}, but the file is "
                    f"{_KIND_NAMES[logo.kind]}"
                )
    if problems:
        raise ExchangeRefusedError(problems)
    return CheckedBranding(accent, logo)


def restore_branding(session: Session, checked: CheckedBranding | None) -> None:
    """Give the restored workspace (the session's) the checked branding, if any."""
    if checked is not None and (checked.accent or checked.logo):
        branding.store(session, checked.accent, checked.logo)


def sql_feed_note(metric: str) -> str:
    """What the restore says of a database feed that came without its address."""
    return (
        f"The feed of “{metric}” came back switched off: a backup never carries a database "
        "address. Whether it should read its database again is a facilitator's decision; if "
        "so, enter the address on the metric's feed page and switch the feed on."
    )


def file_feed_note(metric: str, reason: str) -> str:
    """What the restore says of a file feed whose path this installation does not allow."""
    return f"The feed of “{metric}” came back switched off: {reason}"


def restore_feeds(
    session: Session, backup: Backup, metric_ids: dict[str, int], now: datetime
) -> list[str]:
    """Create the backup's feeds for the restored metrics; return a note for each switched off."""
    if not backup.feeds:
        return []
    names = {row["key"]: row.get("name") or row["key"] for row in backup.registers["metrics"]}
    roots = feeds.limits().roots
    notes: list[str] = []
    for item in backup.feeds:
        enabled = bool(item["enabled"])
        if item["kind"] == FeedKind.SQL.value:
            enabled = False
            notes.append(sql_feed_note(names[item["metric"]]))
        else:
            try:
                feed_sources.check_file_path(item["file_path"], roots)
            except ServiceError as error:
                enabled = False
                notes.append(file_feed_note(names[item["metric"]], error.message))
        session.add(
            MetricFeed(
                metric_id=metric_ids[item["metric"]],
                kind=FeedKind(item["kind"]),
                url_encrypted="",
                query=item["query"],
                file_path=item["file_path"],
                schedule=FeedSchedule(item["schedule"]),
                hour=item["hour"],
                enabled=enabled,
                next_run_at=next_run(now, item["schedule"], item["hour"]) if enabled else None,
            )
        )
    session.flush()
    return notes
