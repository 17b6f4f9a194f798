"""A person's edit of a feed's reading is never undone by the feed.

Enforced at flush time, so every path is covered (the measurement pages, the API, the
workbook import and any later one): deleting a reading a feed wrote records a hold, a day
(and site) that feed leaves alone until someone releases it; changing such a reading makes
it the person's (its feed_id is cleared), so runs keep it as entered by hand. Only a feed
run, inside `feed_writing`, changes its own readings without either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from workbench.models import FeedHold, Measurement, MetricFeed, Site, User
from workbench.services import feeds
from workbench.services.audit import ACTOR_ID_KEY, ACTOR_LABEL_KEY
from workbench.services.errors import NotFoundError

FEED_WRITING_KEY = "feed_writing"
# The fields a person may change; a change to any of them makes the reading theirs.
HAND_FIELDS = ("measured_on", "site_id", "value", "note")

Key = tuple[int, date, int | None]
DaySite = tuple[date, int | None]


@contextmanager
def feed_writing(session: Session) -> Iterator[None]:
    """Mark the session's changes to readings as the feed's own for a while."""
    session.info[FEED_WRITING_KEY] = True
    try:
        yield
    finally:
        session.info.pop(FEED_WRITING_KEY, None)


def _before(obj: Measurement, name: str) -> Any:
    """The attribute's value as last loaded (the current one when unchanged)."""
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


def _hold(session: Session, key: Key, workspace_id: int, held: dict[int, set[DaySite]]) -> None:
    feed_id, on, site = key
    feed = session.get(MetricFeed, feed_id)
    # A feed gone (or going in this flush) leaves nothing to hold its days from.
    if feed is None or feed in session.deleted:
        return
    # One read of a feed's held days per flush, however many of its readings go.
    if feed_id not in held:
        held[feed_id] = held_days(session, feed_id)
    days = held[feed_id]
    if (on, site) in days:
        return
    days.add((on, site))
    session.add(
        FeedHold(
            workspace_id=workspace_id,
            feed_id=feed_id,
            measured_on=on,
            site_id=site,
            deleted_by_id=session.info.get(ACTOR_ID_KEY),
            deleted_by=str(session.info.get(ACTOR_LABEL_KEY) or "system")[:254],
        )
    )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(FEED_WRITING_KEY):
        return
    held: dict[int, set[DaySite]] = {}
    with session.no_autoflush:
        for obj in list(session.dirty):
            if not isinstance(obj, Measurement) or obj.feed_id is None:
                continue
            state = inspect(obj)
            if not any(state.attrs[name].history.has_changes() for name in HAND_FIELDS):
                continue
            feed_id = obj.feed_id
            old_day, old_site = _before(obj, "measured_on"), _before(obj, "site_id")
            if (old_day, old_site) != (obj.measured_on, obj.site_id):
                # Moved to another day or site: the old one was, in effect, deleted.
                _hold(session, (feed_id, old_day, old_site), obj.workspace_id, held)
            obj.feed_id = None
        for obj in list(session.deleted):
            if isinstance(obj, Measurement) and obj.feed_id is not None:
                key = (obj.feed_id, _before(obj, "measured_on"), _before(obj, "site_id"))
                _hold(session, key, obj.workspace_id, held)


def install(session_class: type[Session]) -> None:
    """Attach the hook to a session class (idempotent); before tenancy's, which checks it."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)


# --------------------------------------------------------------------------- reads and release


def held_days(session: Session, feed_id: int) -> set[DaySite]:
    """The (day, site) pairs the feed leaves alone."""
    return {
        (on, site)
        for on, site in session.execute(
            select(FeedHold.measured_on, FeedHold.site_id).where(FeedHold.feed_id == feed_id)
        )
    }


def holds_view(session: Session, feed_id: int) -> list[dict[str, Any]]:
    """The feed's held-out days for the pages, oldest day first."""
    names = dict(session.execute(select(Site.id, Site.name)).all())
    # People are named as they call themselves, not by the email the hold keeps.
    who = func.coalesce(func.nullif(User.display_name, ""), FeedHold.deleted_by)
    rows = session.execute(
        select(FeedHold, who)
        .outerjoin(User, User.id == FeedHold.deleted_by_id)
        .where(FeedHold.feed_id == feed_id)
        .order_by(FeedHold.measured_on, FeedHold.site_id.is_not(None), FeedHold.id)
    )
    return [
        {
            "id": hold.id,
            "measured_on": hold.measured_on,
            "site": names.get(hold.site_id, "") if hold.site_id else "",
            "deleted_by": deleted_by,
            "deleted_at": hold.deleted_at,
        }
        for hold, deleted_by in rows
    ]


def release(session: Session, metric_id: int, hold_id: int) -> str:
    """Let the metric's feed fill a held-out day again; return the day (and site) in words."""
    feed = feeds.feed_of(session, metric_id)
    hold = session.get(FeedHold, hold_id)
    if hold is None or hold.feed_id != feed.id:
        raise NotFoundError("That day is no longer held out; someone may have released it.")
    site = session.get(Site, hold.site_id) if hold.site_id else None
    words = hold.measured_on.isoformat() + (f" for {site.name}" if site else "")
    session.delete(hold)
    session.flush()
    return words
