"""The lease of the tick loop: one holder at a time, taken over only once it has expired.

Several app hosts, job workers and cron lines may all try to tick; the lease lets one of
them do it and the others stand by, so the sources are not asked the same question many
times a minute. The claims (`services.schedule`) stay what guarantees an occurrence runs
once: a holder that stalls past its lease and carries on while another has taken over
still cannot run anything twice.

Taking the lease is one conditional UPDATE (the row is ours already, or it has expired),
or, when no row exists yet, an INSERT whose primary key refuses a second one. Each runs in
a short transaction of its own: on SQLite it begins with BEGIN IMMEDIATE, so two takers
are serialised; on PostgreSQL the second UPDATE waits for the first and then re-reads the
row, which no longer matches its condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from workbench.database import write_intent
from workbench.models import ScheduleLease

TICK = "tick"


@dataclass(frozen=True)
class Lease:
    """Who holds a lease and until when."""

    holder: str
    expires_at: datetime


def take(engine: Engine, holder: str, now: datetime, length: timedelta, name: str = TICK) -> bool:
    """Take or renew the lease for `length` from `now`; False while another holds it."""
    expires = now + length
    with engine.begin() as connection:
        renewed = connection.execute(
            update(ScheduleLease)
            .where(
                ScheduleLease.name == name,
                or_(ScheduleLease.holder == holder, ScheduleLease.expires_at <= now),
            )
            .values(holder=holder, expires_at=expires, taken_at=now)
        ).rowcount
    if renewed:
        return True
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(ScheduleLease).values(
                    name=name, holder=holder, taken_at=now, expires_at=expires
                )
            )
    except IntegrityError:
        return False  # the row exists and another holder's lease has not expired
    return True


def release(engine: Engine, holder: str, now: datetime, name: str = TICK) -> None:
    """End the lease now if `holder` still has it, so the next taker need not wait."""
    with engine.begin() as connection:
        connection.execute(
            update(ScheduleLease)
            .where(ScheduleLease.name == name, ScheduleLease.holder == holder)
            .values(expires_at=now)
        )


def current(engine: Engine, now: datetime, name: str = TICK) -> Lease | None:
    """Return the lease while it runs, or None when nobody holds it."""
    with write_intent(False), engine.connect() as connection:
        row = connection.execute(
            select(ScheduleLease.holder, ScheduleLease.expires_at).where(ScheduleLease.name == name)
        ).first()
    if row is None or row.expires_at <= now:
        return None
    return Lease(row.holder, row.expires_at)
