"""Reminders by email to the owners of metrics, goals and initiatives, each sent once.

`send_due` is the scheduler's entry point (and the `send-reminders` command's). It reads
every workspace, deliberately across workspaces: the scheduler serves them all, so it lists
the workspaces with the scope lifted and then reads each one under that workspace's own
scope, as a page of it would (`reminder_plan`). What is owed follows
`workbench.analysis.reminders`.

Sending once rests on the sent log: before a message leaves, each reminder in it is
claimed by inserting its occurrence, whose uniqueness refuses a second claim. A claim is
committed on a connection of its own at once, not with the caller's session, so another
process running at the same moment sees it before this one's message leaves; a failed send
gives its claims back for the next run. The statuses last seen of goals and initiatives are
stored the same way. This is why the function ends the session's transaction (it must hold
no unsaved changes) instead of leaving the writes to the caller's commit.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.analysis.reminders import Kind, Member, Seen
from workbench.database import rowcount, write_intent
from workbench.models import ReminderSent, ReminderState
from workbench.models.base import utcnow
from workbench.services import mail, reminder_messages, reminder_prefs
from workbench.services.errors import ServiceError
from workbench.services.mail import MailSettings
from workbench.services.reminder_plan import Due, Links, StateChange, plan_all, scope_kept
from workbench.services.tenancy import system_access

log = logging.getLogger(__name__)

# A claim whose message has not left after this long belongs to a run that stopped midway.
ABANDONED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class ReminderSettings:
    """What sending needs besides the database: mail delivery, the signing key, the links."""

    mail: MailSettings
    secret_key: str
    links: Links


@dataclass(frozen=True)
class Sent:
    """One message: to whom, about what, and the reminders it carries."""

    workspace: str
    to: str
    kind: str
    subject: str
    occurrences: tuple[str, ...]


@dataclass(frozen=True)
class Unresolved:
    """A reminder whose owner names nobody: nobody receives it until someone decides."""

    workspace_id: int
    workspace: str
    kind: str
    title: str
    owner: str
    reason: str


@dataclass
class ReminderSummary:
    """What one run did (or, in a dry run, would do)."""

    dry_run: bool
    sent: list[Sent] = field(default_factory=list)
    already_sent: int = 0
    opted_out: list[tuple[str, str, str]] = field(default_factory=list)  # to, kind, title
    unresolved: list[Unresolved] = field(default_factory=list)
    failed: list[tuple[Sent, str]] = field(default_factory=list)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _store_state(engine: Engine, change: StateChange) -> Seen:
    """Store a changed status; when another run stored one first, return what it stored."""
    values = {"status": change.seen.status, "since": change.seen.since}
    try:
        with engine.begin() as connection:
            if change.previous is None:
                connection.execute(
                    insert(ReminderState).values(
                        workspace_id=change.workspace_id,
                        subject=change.subject,
                        subject_id=change.subject_id,
                        **values,
                    )
                )
            else:
                connection.execute(
                    update(ReminderState)
                    .where(
                        ReminderState.subject == change.subject,
                        ReminderState.subject_id == change.subject_id,
                    )
                    .values(**values)
                )
        return change.seen
    except IntegrityError:
        with engine.connect() as connection:
            row = connection.execute(
                select(ReminderState.status, ReminderState.since).where(
                    ReminderState.subject == change.subject,
                    ReminderState.subject_id == change.subject_id,
                )
            ).one()
        return Seen(row.status, row.since)


def _claim(engine: Engine, item: Due, user_id: int) -> bool:
    """Claim one reminder for this run; False when another run has it (or sent it)."""
    now = utcnow()
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(ReminderSent).values(
                    occurrence=item.owed.occurrence,
                    kind=item.owed.kind.value,
                    workspace_id=item.workspace_id,
                    user_id=user_id,
                    claimed_at=now,
                )
            )
        return True
    except IntegrityError:
        pass
    # Taken over only when the run that claimed it stopped before sending.
    with engine.begin() as connection:
        taken = connection.execute(
            update(ReminderSent)
            .where(
                ReminderSent.occurrence == item.owed.occurrence,
                ReminderSent.sent_at.is_(None),
                ReminderSent.claimed_at < now - ABANDONED_AFTER,
            )
            .values(claimed_at=now, user_id=user_id)
        )
        return rowcount(taken) == 1


def _settle(engine: Engine, occurrences: Sequence[str], sent: bool) -> None:
    chosen = ReminderSent.occurrence.in_(list(occurrences))
    with engine.begin() as connection:
        if sent:
            connection.execute(update(ReminderSent).where(chosen).values(sent_at=utcnow()))
        else:
            connection.execute(delete(ReminderSent).where(chosen, ReminderSent.sent_at.is_(None)))


def _already_sent(session: Session, occurrences: Sequence[str]) -> set[str]:
    if not occurrences:
        return set()
    with scope_kept(session), system_access(session):
        found = session.scalars(
            select(ReminderSent.occurrence).where(
                ReminderSent.occurrence.in_(list(occurrences)),
                ReminderSent.sent_at.is_not(None),
            )
        )
        return set(found)


def _message(
    settings: ReminderSettings, member: Member, kind: Kind, items: Sequence[Due]
) -> mail.Message:
    links = settings.links
    prompt = reminder_messages.FooterLinks(
        unsubscribe=links.unsubscribe(
            reminder_prefs.make_token(settings.secret_key, member.user_id, kind.value)
        ),
        unsubscribe_all=links.unsubscribe(
            reminder_prefs.make_token(settings.secret_key, member.user_id, reminder_prefs.ALL)
        ),
        preferences=links.preferences(),
    )
    lines = [reminder_messages.Item(d.owed.title, d.owed.detail, d.link) for d in items]
    return reminder_messages.reminder(
        member.email, member.name, items[0].workspace, kind, lines, prompt
    )


def _groups(due: Sequence[Due]) -> dict[tuple[int, int, str], list[Due]]:
    """Reminders by workspace, person and kind: each group becomes one message."""
    grouped: dict[tuple[int, int, str], list[Due]] = {}
    for item in sorted(due, key=lambda d: d.owed.occurrence):
        member = item.resolution.member
        if member is not None:
            key = (item.workspace_id, member.user_id, item.owed.kind.value)
            grouped.setdefault(key, []).append(item)
    return grouped


def send_due(
    session: Session, now: datetime, *, settings: ReminderSettings, dry_run: bool = False
) -> ReminderSummary:
    """Send every reminder owed on `now`'s day (UTC) that has not been sent; report each.

    A dry run reads the same and reports what it would send, writing and sending nothing.
    The session's transaction is ended (see the module's note); it must hold no changes.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("send_due needs a session without unsaved changes")
    summary = ReminderSummary(dry_run)
    today = now.date()
    try:
        session.rollback()
        with write_intent(False):
            due, changes = plan_all(session, today, settings.links)
            summary.unresolved = [
                Unresolved(d.workspace_id, d.workspace, d.owed.kind.value, d.owed.title,
                           d.owed.owner, d.resolution.reason)
                for d in due
                if d.resolution.member is None
            ]  # fmt: skip
            grouped = _groups(due)
            people = sorted({user_id for _w, user_id, _k in grouped})
            choices = reminder_prefs.choices_for(session, people)
            done = _already_sent(session, [d.owed.occurrence for d in due])
        session.rollback()
        engine = _engine(session)
        with write_intent(True):
            if not dry_run:
                for change in changes:
                    _store_state(engine, change)
            for (_wid, user_id, kind), items in grouped.items():
                _send_group(engine, settings, summary, items, choices[user_id], kind, done)
    finally:
        session.rollback()
    return summary


def _send_group(
    engine: Engine,
    settings: ReminderSettings,
    summary: ReminderSummary,
    items: list[Due],
    choices: reminder_prefs.Choices,
    kind: str,
    done: set[str],
) -> None:
    member = items[0].resolution.member
    assert member is not None  # grouped only when the owner names a member
    fresh = [d for d in items if d.owed.occurrence not in done]
    summary.already_sent += len(items) - len(fresh)
    if not fresh:
        return
    if not choices.receives(kind):
        summary.opted_out += [(member.email, kind, d.owed.title) for d in fresh]
        return
    claimed = fresh if summary.dry_run else [d for d in fresh if _claim(engine, d, member.user_id)]
    summary.already_sent += len(fresh) - len(claimed)
    if not claimed:
        return
    message = _message(settings, member, Kind(kind), claimed)
    occurrences = tuple(d.owed.occurrence for d in claimed)
    record = Sent(claimed[0].workspace, member.email, kind, message.subject, occurrences)
    if summary.dry_run:
        summary.sent.append(record)
        return
    try:
        mail.send(settings.mail, message)
    except (OSError, smtplib.SMTPException, ServiceError, ValueError) as error:
        # Given back, so the next run tries again.
        log.warning("reminder to %s (%s) not sent: %s", member.email, message.subject, error)
        _settle(engine, occurrences, sent=False)
        summary.failed.append((record, str(error)))
        return
    _settle(engine, occurrences, sent=True)
    summary.sent.append(record)
