"""Each person's reminder choices: the settings form, and the one-click unsubscribe link.

The unsubscribe link carries a token naming the account and the kind of reminder (or
"all"), signed with the app's secret key for this purpose only. It works without signing
in, since it is followed from a mail program, and has no expiry: the worst it can do is
stop reminders, which the person can turn back on from their account.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.reminders import KIND_LABELS, Kind
from workbench.models import ReminderPreference, User
from workbench.services.errors import ServiceError, StaleEditError

PURPOSE = "workbench-reminder-unsubscribe"
ALL = "all"
KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
# A token is a few dozen characters; anything much longer was not made here.
TOKEN_MAX = 200
INVALID = (
    "This unsubscribe link is not valid: it may have been cut short or changed. Turn "
    "reminders off from your account's Reminders page instead."
)


@dataclass(frozen=True)
class Choices:
    """Which kinds of reminder a person receives, and the version the choices were read at."""

    on: dict[str, bool]
    version: int

    def receives(self, kind: str) -> bool:
        """Whether reminders of this kind reach the person."""
        return self.on.get(kind, True)


def choices_of(session: Session, user_id: int) -> Choices:
    """The person's choices; a person who never chose receives every kind (version 0)."""
    row = session.scalar(select(ReminderPreference).where(ReminderPreference.user_id == user_id))
    if row is None:
        return Choices(dict.fromkeys(KINDS, True), 0)
    return Choices({kind: bool(getattr(row, kind)) for kind in KINDS}, row.version)


def choices_for(session: Session, user_ids: list[int]) -> dict[int, Choices]:
    """The choices of several people with one query (everyone absent receives every kind)."""
    found: dict[int, Choices] = {}
    if user_ids:
        rows = session.scalars(
            select(ReminderPreference).where(ReminderPreference.user_id.in_(user_ids))
        )
        for row in rows:
            found[row.user_id] = Choices(
                {kind: bool(getattr(row, kind)) for kind in KINDS}, row.version
            )
    everything = Choices(dict.fromkeys(KINDS, True), 0)
    return {user_id: found.get(user_id, everything) for user_id in user_ids}


def _row(session: Session, user: User) -> ReminderPreference:
    row = session.scalar(select(ReminderPreference).where(ReminderPreference.user_id == user.id))
    if row is None:
        row = ReminderPreference(user_id=user.id, **dict.fromkeys(KINDS, True))
        session.add(row)
        session.flush()
    return row


def save_choices(
    session: Session, user: User, loaded_version: int | None, on: dict[str, bool]
) -> Choices:
    """Store which kinds the person receives; a differing save from an older page is refused."""
    unknown = set(on) - set(KINDS)
    if unknown:
        raise ServiceError("Choose among the kinds of reminder listed.")
    wanted = {kind: bool(on.get(kind)) for kind in KINDS}
    row = session.scalar(select(ReminderPreference).where(ReminderPreference.user_id == user.id))
    if row is None:
        # Nothing was stored when the page was drawn (version 0), nor since.
        if loaded_version != 0 and not all(wanted.values()):
            raise StaleEditError("Your choice of reminders", dict.fromkeys(KINDS, True), wanted, 0)
        session.add(ReminderPreference(user_id=user.id, **wanted))
        session.flush()
        return choices_of(session, user.id)
    stored = {kind: bool(getattr(row, kind)) for kind in KINDS}
    if loaded_version != row.version and wanted != stored:
        # A person's own choices have no audit trail to merge from: a save made from an
        # older page (another tab, an unsubscribe link since) that differs is shown back.
        raise StaleEditError("Your choice of reminders", stored, wanted, row.version)
    for kind, value in wanted.items():
        setattr(row, kind, value)
    session.flush()
    return choices_of(session, user.id)


def turn_off(session: Session, user: User, kind: str) -> None:
    """Stop one kind of reminder (or all of them) for the person, whatever was chosen before."""
    if kind != ALL and kind not in KINDS:
        raise ServiceError(INVALID)
    row = _row(session, user)
    for name in KINDS if kind == ALL else (kind,):
        setattr(row, name, False)
    session.flush()


def kind_label(kind: str) -> str:
    """The words for a kind of reminder, or for all of them."""
    if kind == ALL:
        return "All reminders"
    return KIND_LABELS[Kind(kind)]


def make_token(secret_key: str, user_id: int, kind: str) -> str:
    """The signed token of an unsubscribe link for one person and kind (or "all")."""
    return str(URLSafeSerializer(secret_key, salt=PURPOSE).dumps({"u": user_id, "k": kind}))


def read_token(session: Session, secret_key: str, token: str) -> tuple[User, str]:
    """The active account and kind an unsubscribe token names; a changed token is refused."""
    if len(token) > TOKEN_MAX:
        raise ServiceError(INVALID)
    try:
        payload = URLSafeSerializer(secret_key, salt=PURPOSE).loads(token)
    except BadSignature:
        raise ServiceError(INVALID) from None
    if not isinstance(payload, dict):
        raise ServiceError(INVALID)
    user_id, kind = payload.get("u"), payload.get("k")
    if not isinstance(user_id, int) or (kind != ALL and kind not in KINDS):
        raise ServiceError(INVALID)
    user = session.get(User, user_id)
    if user is None or not user.is_active_account:
        raise ServiceError(INVALID)
    return user, str(kind)
