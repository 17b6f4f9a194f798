"""The workshop the load scenarios run: its set-up, what a participant does, and the audit.

A room is a workspace with its facilitator, its participants (analysts who joined the
session), a few shared objectives and an open dot vote. The actions are the requests the
pages send: a dot as the vote panel sends it, a factor added in place as the board sends
it, an objective edited with the version its form was loaded at. The audit then checks the
database against what the participants were told.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# `make bench` runs every file here as a script: the checkout must be importable then too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_support import FACTOR_FORM, IN_PLACE, PASSWORD, SECRET, Tally, email, timed
from bench.serving import Browser

ROOT = Path(__file__).resolve().parent.parent
OBJECTIVES = 3
DOTS = 3
VOTE_ITEMS = 6
_VERSION = (
    re.compile(r'name="version"[^>]*value="(\d+)"'),
    re.compile(r'value="(\d+)"[^>]*name="version"'),
)


@dataclass(frozen=True)
class Room:
    """One workshop: its workspace, session, open vote, shared objectives and people."""

    workspace_id: int
    session_id: int
    vote_id: int
    item_ids: list[int]
    objective_ids: list[int]
    participants: range
    lead: str

    @property
    def prefix(self) -> str:
        """Return the workspace's URL prefix."""
        return f"/workspaces/{self.workspace_id}"

    @property
    def session_path(self) -> str:
        """Return the session's URL prefix."""
        return f"{self.prefix}/workshop/{self.session_id}"


def lead_email(room: int) -> str:
    """Return the address of room `room`'s facilitator."""
    return f"lead{room}@example.org"


def prepare(
    url: str, rooms: int, per_room: int, config: dict[str, object] | None = None
) -> list[Room]:
    """Migrate the database and build the rooms; `config` may lower the password costs."""
    from flask_migrate import upgrade

    from workbench.app import create_app
    from workbench.extensions import db
    from workbench.services import seeding
    from workbench.services.tenancy import allow_system_access

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, **(config or {})})
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, ROOT / "seeds")
        db.session.commit()
        built = [_room(n, range(n * per_room, (n + 1) * per_room)) for n in range(rooms)]
        db.engine.dispose()
    return built


def _room(number: int, people: range) -> Room:
    from workbench.extensions import db
    from workbench.models import FactorCategory, Perspective, Polarity, Role, VoteKind
    from workbench.services import (
        accounts,
        factors,
        objectives,
        voting,
        workshop,
        workshop_join,
        workspaces,
    )
    from workbench.services.tenancy import allow_system_access, scope_session

    allow_system_access(db.session)
    lead = accounts.register(db.session, lead_email(number), f"Facilitator {number}", PASSWORD)
    workspace = workspaces.create_workspace(db.session, lead, f"Load Test Rail {number}", "rail")
    db.session.commit()
    scope_session(db.session, workspace.id)
    session = workshop.open_session(db.session, lead, f"Workshop {number}", 30, 12)
    joined = []
    for person in people:
        joined.append(
            accounts.register(db.session, email(person), f"Participant {person}", PASSWORD)
        )
        db.session.flush()
        workspaces.add_member_by_email(db.session, email(person), Role.ANALYST)
    for account in joined:
        workshop_join.join_as_member(db.session, account, session)
    ids = []
    for n in range(OBJECTIVES):
        values = {"title": f"Shared objective {n}", "perspective": Perspective.CUSTOMER}
        ids.append(objectives.create_objective(db.session, values).id)
    titles = [f"Voting item {n}" for n in range(VOTE_ITEMS)]
    items = factors.quick_add(
        db.session, FactorCategory.BUSINESS_NEED, Polarity.BARRIER, 3, titles, lead.id
    )
    vote = voting.open_vote(db.session, session, VoteKind.FACTORS, "", DOTS)
    db.session.commit()
    return Room(
        workspace.id,
        session.id,
        vote.id,
        [item.id for item in items],
        ids,
        people,
        lead_email(number),
    )


def sign_in(browser: Browser, address: str, tally: Tally) -> None:
    """Log in through the form and open the list of workspaces, as a browser would."""
    timed(tally, lambda: browser.get("/login"), "login page")
    login = {"email": address, "password": PASSWORD}
    timed(tally, lambda: browser.post("/login", login), "login")
    # A browser follows the redirect; the new session's page carries the CSRF token.
    timed(tally, lambda: browser.get("/workspaces/"), "workspaces")


def vote(browser: Browser, room: Room, number: int, tally: Tally) -> None:
    """Place one dot, as the room's htmx panel does; a refusal (all dots used) answers 400."""
    path = f"{room.session_path}/votes/{room.vote_id}/dots"
    form = {"item_id": str(random.choice(room.item_ids)), "action": "add"}
    status, _ = timed(
        tally,
        lambda: browser.request("POST", path, form, headers={"HX-Request": "true"}),
        "dot",
    )
    with tally.lock:
        if status == 200:
            tally.dots[number] += 1
        elif status == 400:
            tally.dots_refused += 1


def add_factor(browser: Browser, room: Room, title: str, tally: Tally) -> None:
    """Add one factor in place, as the board's quick add does with htmx."""
    form = {**FACTOR_FORM, "titles": title}
    path = f"{room.prefix}/assessment/factors"
    status, _ = timed(tally, lambda: browser.post(path, form, IN_PLACE), "factor")
    if status == 200:
        with tally.lock:
            tally.factors.append(title)


def edit_objective(
    browser: Browser, room: Room, number: int, index: int, tally: Tally, stale_again: bool = False
) -> None:
    """Open an objective's form and save it with the version it showed.

    With `stale_again`, a saved edit is then sent once more from the same form, as from a
    second tab left open: that version is gone, so the answer must be 409.
    """
    objective_id = random.choice(room.objective_ids)
    url = f"{room.prefix}/alignment/objectives/{objective_id}"
    status, body = timed(tally, lambda: browser.get(url), "objective form")
    match = _VERSION[0].search(body) or _VERSION[1].search(body)
    if status != 200 or match is None:
        return
    version = int(match.group(1))
    title = f"Objective {objective_id} by participant {number} ({index})"
    form = {"title": title, "perspective": "customer", "parent": "none", "version": str(version)}
    status, _ = timed(tally, lambda: browser.post(url, form), "edit")
    with tally.lock:
        if status == 303:
            tally.edits.append((objective_id, version, title))
        elif status == 409:
            tally.stale += 1
    if status != 303 or not stale_again:
        return
    again = {**form, "title": f"{title} (second tab)"}
    status, _ = timed(tally, lambda: browser.post(url, again), "stale edit")
    with tally.lock:
        tally.stale_sent += 1
        if status == 409:
            tally.stale += 1
            tally.stale_refused += 1


def audit(url: str, rooms: list[Room], tally: Tally) -> dict[str, int]:
    """Compare the database with what the participants were told; return the problems."""
    from sqlalchemy import select

    from workbench.app import create_app
    from workbench.extensions import db
    from workbench.models import Factor, Objective, User, WorkshopDot
    from workbench.services.tenancy import scope_session, system_access

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    stored: set[str] = set()
    lost_edits = double_accepted = 0
    placed: Counter[int] = Counter()
    edits_by_objective: dict[int, list[tuple[int, int, str]]] = {}
    for edit in tally.edits:
        edits_by_objective.setdefault(edit[0], []).append(edit)
    with app.app_context():
        with system_access(db.session):
            rows = db.session.execute(select(User.id, User.email))
            emails = {user_id: address for user_id, address in rows}
        for room in rooms:
            scope_session(db.session, room.workspace_id)
            stored |= set(db.session.scalars(select(Factor.title)))
            for objective in db.session.scalars(select(Objective)):
                mine = edits_by_objective.get(objective.id, [])
                versions = [version for _, version, _ in mine]
                # Each acknowledged edit raised the version by one, from a distinct version.
                double_accepted += len(versions) - len(set(versions))
                lost_edits += abs(objective.version - 1 - len(mine))
                if mine and objective.title != max(mine, key=lambda edit: edit[1])[2]:
                    lost_edits += 1
            for dot in db.session.scalars(select(WorkshopDot)):
                placed[int(emails[dot.user_id].removeprefix("participant").split("@")[0])] += 1
        db.engine.dispose()
    # Every acknowledged dot is stored, nothing else is, and nobody holds more than N.
    lost_dots = sum(abs(placed[n] - tally.dots[n]) for n in set(placed) | set(tally.dots))
    return {
        "lost_factors": len(set(tally.factors) - stored),
        "lost_edits": lost_edits,
        "stale_accepted": double_accepted + (tally.stale_sent - tally.stale_refused),
        "lost_dots": lost_dots,
        "over_limit": sum(1 for count in placed.values() if count > DOTS),
    }
