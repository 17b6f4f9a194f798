"""Load test: a workshop of simulated participants against gunicorn, then a database audit.

For each database (SQLite in a temporary folder; PostgreSQL in a scratch database), it
starts the workbench under gunicorn on 127.0.0.1, and every participant logs in, reads
pages, adds factors on the board (in place, as the page does with JavaScript), votes, and
edits the same few objectives at once with the version their form was loaded at.
Afterwards the database is checked: every acknowledged write is there, no two
acknowledged edits of an objective were made from the same version (each stale save must
have been answered 409), and nothing answered 5xx. Then a minimal Flask app doing one
single-row update on the same database is driven the same way as the reference. Besides
rates and latencies it prints the processor time per request of the server's processes
and of this load client, which depends less on what else the machine is doing.

    python bench/load.py [--duration 60] [--participants 30] [--workers 2]
                         [--databases sqlite,postgresql]
                         [--postgres-url postgresql+psycopg://postgres@127.0.0.1/workbench_load]

Traffic goes to 127.0.0.1 only; every loop stops at its deadline.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bare_app  # noqa: E402
from bench.serving import Browser, Server  # noqa: E402

PASSWORD = "load test password"
SECRET = "load-test-secret"
OBJECTIVES = 3
FACTOR_FORM = {"category": "business_need", "polarity": "driver", "importance": "3"}
# The board adds factors in place (htmx): the answer is the new cards, not a reloaded page.
IN_PLACE = {"HX-Request": "true"}


@dataclass
class Tally:
    """What the participants saw, gathered across threads."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    factors: list[str] = field(default_factory=list)
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # objective, version, title
    stale: int = 0
    dots: Counter[int] = field(default_factory=Counter)  # acknowledged dots by participant
    dots_refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, status: int, action: str) -> None:
        """Count one answered request."""
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            self.by_action[f"{action} {status}"] += 1


DOTS = 3
VOTE_ITEMS = 6


@dataclass(frozen=True)
class Room:
    """The workshop session every participant sits in, with its open dot vote."""

    session_id: int
    vote_id: int
    item_ids: list[int]


def _vote(browser: Browser, workspace_id: int, room: Room, number: int, tally: Tally) -> None:
    """Place one dot, as the room's htmx panel does; a refusal (all dots used) answers 400."""
    rng = random.Random()
    path = f"/workspaces/{workspace_id}/workshop/{room.session_id}/votes/{room.vote_id}/dots"
    form = {"item_id": str(rng.choice(room.item_ids)), "action": "add"}
    status, _ = _timed(
        tally,
        lambda: browser.request("POST", path, form, headers={"HX-Request": "true"}),
        "dot",
    )
    with tally.lock:
        if status == 200:
            tally.dots[number] += 1
        elif status == 400:
            tally.dots_refused += 1


def _timed(
    tally: Tally, call: Callable[[], tuple[int, str]], action: str = "read"
) -> tuple[int, str]:
    started = time.perf_counter()
    status, body = call()
    tally.record(time.perf_counter() - started, status, action)
    return status, body


def _participant(
    base: str,
    number: int,
    workspace_id: int,
    objective_ids: list[int],
    room: Room,
    deadline: float,
    tally: Tally,
) -> None:
    rng = random.Random(number)
    browser = Browser(base)
    w = f"/workspaces/{workspace_id}"
    try:
        _timed(tally, lambda: browser.get("/login"))
        login = {"email": _email(number), "password": PASSWORD}
        _timed(tally, lambda: browser.post("/login", login), "login")
        # A browser follows the redirect; the new session's page carries the CSRF token.
        _timed(tally, lambda: browser.get("/workspaces/"))
        index = 0
        while time.time() < deadline:
            index += 1
            roll = rng.random()
            if roll < 0.15:
                _vote(browser, workspace_id, room, number, tally)
            elif roll < 0.45:
                page = rng.choice([f"{w}/", f"{w}/assessment/factors", f"{w}/alignment/objectives"])
                _timed(tally, lambda page=page: browser.get(page))
            elif roll < 0.70:
                title = f"Participant {number} factor {index}"
                form = {**FACTOR_FORM, "titles": title}
                status, _ = _timed(
                    tally,
                    lambda form=form: browser.post(f"{w}/assessment/factors", form, IN_PLACE),
                    "factor",
                )
                if status == 200:
                    with tally.lock:
                        tally.factors.append(title)
            else:
                _edit_objective(browser, w, rng.choice(objective_ids), number, index, tally)
    except OSError as error:
        with tally.lock:
            tally.errors[type(error).__name__] += 1


def _edit_objective(
    browser: Browser, w: str, objective_id: int, number: int, index: int, tally: Tally
) -> None:
    url = f"{w}/alignment/objectives/{objective_id}"
    status, body = _timed(tally, lambda: browser.get(url))
    match = re.search(r'name="version"[^>]*value="(\d+)"', body) or re.search(
        r'value="(\d+)"[^>]*name="version"', body
    )
    if status != 200 or match is None:
        return
    version = int(match.group(1))
    title = f"Objective {objective_id} by participant {number} ({index})"
    form = {"title": title, "perspective": "customer", "parent": "none", "version": str(version)}
    status, _ = _timed(tally, lambda: browser.post(url, form), "edit")
    with tally.lock:
        if status == 303:
            tally.edits.append((objective_id, version, title))
        elif status == 409:
            tally.stale += 1


def _email(number: int) -> str:
    return f"participant{number}@example.org"


def _prepare(url: str, participants: int) -> tuple[int, list[int], Room]:
    from flask_migrate import upgrade

    from workbench.app import create_app
    from workbench.extensions import db
    from workbench.models import FactorCategory, Perspective, Polarity, Role, VoteKind
    from workbench.services import (
        accounts,
        factors,
        objectives,
        seeding,
        voting,
        workshop,
        workshop_join,
        workspaces,
    )
    from workbench.services.tenancy import allow_system_access, scope_session

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, ROOT / "seeds")
        lead = accounts.register(db.session, "lead@example.org", "Workshop lead", PASSWORD)
        workspace = workspaces.create_workspace(db.session, lead, "Load Test Rail", "rail")
        db.session.commit()
        workspace_id = workspace.id
        scope_session(db.session, workspace_id)
        room = workshop.open_session(db.session, lead, "Load test workshop", 30, 12)
        people = []
        for number in range(participants):
            people.append(
                accounts.register(db.session, _email(number), f"Participant {number}", PASSWORD)
            )
            db.session.flush()
            workspaces.add_member_by_email(db.session, _email(number), Role.ANALYST)
        for person in people:
            workshop_join.join_as_member(db.session, person, room)
        ids = []
        for n in range(OBJECTIVES):
            values = {"title": f"Shared objective {n}", "perspective": Perspective.CUSTOMER}
            ids.append(objectives.create_objective(db.session, values).id)
        titles = [f"Voting item {n}" for n in range(VOTE_ITEMS)]
        items = factors.quick_add(
            db.session, FactorCategory.BUSINESS_NEED, Polarity.BARRIER, 3, titles, lead.id
        )
        vote = voting.open_vote(db.session, room, VoteKind.FACTORS, "", DOTS)
        db.session.commit()
        setup = Room(room.id, vote.id, [item.id for item in items])
        db.engine.dispose()
    return workspace_id, ids, setup


def _audit(url: str, workspace_id: int, tally: Tally) -> dict[str, int]:
    from sqlalchemy import select

    from workbench.app import create_app
    from workbench.extensions import db
    from workbench.models import Factor, Objective, User, WorkshopDot
    from workbench.services.tenancy import scope_session, system_access

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        scope_session(db.session, workspace_id)
        stored = set(db.session.scalars(select(Factor.title)))
        lost_factors = len(set(tally.factors) - stored)
        lost_edits = double_accepted = 0
        for objective in db.session.scalars(select(Objective)):
            mine = [edit for edit in tally.edits if edit[0] == objective.id]
            versions = [version for _, version, _ in mine]
            # Each acknowledged edit raised the version by one, from a distinct version.
            double_accepted += len(versions) - len(set(versions))
            lost_edits += abs(objective.version - 1 - len(mine))
            if mine and objective.title != max(mine, key=lambda edit: edit[1])[2]:
                lost_edits += 1
        with system_access(db.session):
            emails = {uid: email for uid, email in db.session.execute(select(User.id, User.email))}
        placed: Counter[int] = Counter()
        for dot in db.session.scalars(select(WorkshopDot)):
            placed[int(emails[dot.user_id].removeprefix("participant").split("@")[0])] += 1
        # Every acknowledged dot is stored, nothing else is, and nobody holds more than N.
        lost_dots = sum(abs(placed[n] - tally.dots[n]) for n in set(placed) | set(tally.dots))
        over_limit = sum(1 for count in placed.values() if count > DOTS)
        db.engine.dispose()
    return {
        "lost_factors": lost_factors,
        "lost_edits": lost_edits,
        "stale_accepted": double_accepted,
        "lost_dots": lost_dots,
        "over_limit": over_limit,
    }


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _drive(threads: list[threading.Thread]) -> float:
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


@dataclass
class Cost:
    """Processor time spent per answered request, by the server and by this load client."""

    server_ms: float
    client_ms: float

    def __str__(self) -> str:
        return f"server {self.server_ms:.2f} ms, client {self.client_ms:.2f} ms of CPU per request"


def _cost(server: Server, since: tuple[float, float], requests: int) -> Cost:
    server_cpu, client_cpu = since
    count = max(1, requests)
    return Cost(
        1000 * (server.cpu_seconds() - server_cpu) / count,
        1000 * (time.process_time() - client_cpu) / count,
    )


def _bare(url: str, args: argparse.Namespace) -> tuple[float, float, float, int, Cost]:
    bare_app.prepare(url)
    server = Server(
        {"BENCH_DATABASE_URL": url}, workers=args.workers, app="bench.bare_app:create()"
    )
    server.start()
    tally = Tally()
    deadline = time.time() + args.duration

    def hammer() -> None:
        browser = Browser(server.base)
        while time.time() < deadline:
            try:
                _timed(tally, lambda: browser.request("POST", "/write", {}), "write")
            except OSError as error:
                with tally.lock:
                    tally.errors[type(error).__name__] += 1

    try:
        since = (server.cpu_seconds(), time.process_time())
        elapsed = _drive([threading.Thread(target=hammer) for _ in range(args.participants)])
        cost = _cost(server, since, sum(tally.statuses.values()))
    finally:
        server.stop()
    acknowledged = tally.statuses[200]
    missing = acknowledged - bare_app.written(url)
    rate = sum(tally.statuses.values()) / elapsed
    p50, p95 = _percentile(tally.latencies, 0.5), _percentile(tally.latencies, 0.95)
    return rate, p50, p95, missing, cost


def _write_phase(
    server: Server, workspace_id: int, args: argparse.Namespace, tally: Tally
) -> tuple[float, Cost]:
    """Participants, already logged in, only add factors: the workbench's own write rate."""
    base = server.base
    url = f"/workspaces/{workspace_id}/assessment/factors"
    stop_at = [0.0]
    started = [0.0]
    since = [(0.0, 0.0)]

    def go() -> None:
        # Runs once, when every participant has logged in: the clock starts now.
        since[0] = (server.cpu_seconds(), time.process_time())
        started[0] = time.perf_counter()
        stop_at[0] = time.time() + args.write_duration

    ready = threading.Barrier(args.participants, action=go)

    def writer(number: int) -> None:
        browser = Browser(base)
        browser.get("/login")
        browser.post("/login", {"email": _email(number), "password": PASSWORD})
        browser.get(url)
        ready.wait()
        index = 0
        while time.time() < stop_at[0]:
            index += 1
            title = f"Write phase {number}-{index}"
            form = {**FACTOR_FORM, "titles": title}
            try:
                status, _ = _timed(
                    tally, lambda form=form: browser.post(url, form, IN_PLACE), "factor"
                )
            except OSError as error:
                with tally.lock:
                    tally.errors[type(error).__name__] += 1
                return
            if status == 200:
                with tally.lock:
                    tally.factors.append(title)

    _drive([threading.Thread(target=writer, args=(n,)) for n in range(args.participants)])
    elapsed = time.perf_counter() - started[0]
    return elapsed, _cost(server, since[0], sum(tally.statuses.values()))


def run_database(name: str, url: str, args: argparse.Namespace) -> bool:
    """Run the workshop and the reference on one database; print figures; return success."""
    workspace_id, objective_ids, room = _prepare(url, args.participants)
    env = {"WORKBENCH_DATABASE_URL": url, "WORKBENCH_SECRET_KEY": SECRET}
    server = Server(env, workers=args.workers)
    server.start()
    tally = Tally()
    deadline = time.time() + args.duration
    threads = [
        threading.Thread(
            target=_participant,
            args=(server.base, n, workspace_id, objective_ids, room, deadline, tally),
        )
        for n in range(args.participants)
    ]
    writes_only = Tally()
    workshop_factors = 0
    try:
        elapsed = _drive(threads)
        workshop_factors = len(tally.factors)
        write_elapsed, write_cost = _write_phase(server, workspace_id, args, writes_only)
    finally:
        server.stop()
    tally.factors += writes_only.factors
    audit = _audit(url, workspace_id, tally)
    write_rate = sum(writes_only.statuses.values()) / write_elapsed
    tally.errors.update(writes_only.errors)
    for status, count in writes_only.statuses.items():
        if status >= 500:
            tally.statuses[status] += count
    total = sum(tally.statuses.values())
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    writes = workshop_factors + len(tally.edits) + tally.stale
    rate = total / elapsed
    bare_rate, bare_p50, bare_p95, bare_missing, bare_cost = _bare(url, args)
    print(f"== {name}: {args.participants} participants, {elapsed:.1f} s, {args.workers} workers")
    print(f"  requests            {total} ({rate:.1f} req/s), writes {writes / elapsed:.1f}/s")
    print(
        f"  latency             p50 {1000 * _percentile(tally.latencies, 0.5):.0f} ms, "
        f"p95 {1000 * _percentile(tally.latencies, 0.95):.0f} ms"
    )
    print(f"  statuses            {dict(sorted(tally.statuses.items()))}")
    print(f"  by action           {dict(sorted(tally.by_action.items()))}")
    print(f"  connection errors   {dict(tally.errors) or 0}")
    print(
        f"  writes acknowledged {workshop_factors} factors, {len(tally.edits)} objective "
        f"edits; {tally.stale} stale edits answered 409; {len(writes_only.factors)} factors "
        "in the writes-only phase"
    )
    print(
        f"  dot vote            {sum(tally.dots.values())} dots acknowledged, "
        f"{tally.dots_refused} refused past {DOTS} each; lost {audit['lost_dots']}, "
        f"people over the limit {audit['over_limit']}"
    )
    print(
        f"  lost writes         {audit['lost_factors'] + audit['lost_edits']} "
        f"(factors {audit['lost_factors']}, objective edits {audit['lost_edits']}); "
        f"stale edits accepted {audit['stale_accepted']}; 5xx {server_errors}"
    )
    print(
        f"  bare Flask write    {bare_rate:.1f} req/s, p50 {1000 * bare_p50:.0f} ms, "
        f"p95 {1000 * bare_p95:.0f} ms, lost {bare_missing}"
    )
    print(f"                      {bare_cost}")
    print(
        f"  workbench writes    {write_rate:.1f} req/s adding factors only "
        f"({write_elapsed:.0f} s), "
        f"p50 {1000 * _percentile(writes_only.latencies, 0.5):.0f} ms, "
        f"p95 {1000 * _percentile(writes_only.latencies, 0.95):.0f} ms, "
        f"answers {dict(sorted(writes_only.statuses.items()))}"
    )
    print(f"                      {write_cost}")
    ratio = rate / bare_rate if bare_rate else 0.0
    write_ratio = write_rate / bare_rate if bare_rate else 0.0
    print(
        f"  ratio to bare       workshop mix {ratio:.2f}, writes only {write_ratio:.2f} "
        "(target at least 0.50)"
    )
    return (
        server_errors == 0
        and not tally.errors
        and audit["lost_factors"] == audit["lost_edits"] == audit["stale_accepted"] == 0
        and audit["lost_dots"] == audit["over_limit"] == 0
    )


def _scratch_postgres(url: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if target.database in (None, "", "test", "postgres"):
        raise SystemExit("Give a scratch PostgreSQL database (never `test` or `postgres`).")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def main() -> None:
    """Run the load test on each database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--write-duration", type=float, default=0.0, help="seconds of the writes-only phase"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/workbench_load",
        help="a scratch database; its public schema is emptied first",
    )
    args = parser.parse_args()
    args.write_duration = args.write_duration or max(5.0, args.duration / 3)
    ok = True
    for name in [part.strip() for part in args.databases.split(",") if part.strip()]:
        if name == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="wb-load-"))
            url = f"sqlite:///{folder / 'load.sqlite3'}"
        elif name == "postgresql":
            url = _scratch_postgres(args.postgres_url)
        else:
            raise SystemExit(f"unknown database {name!r}")
        ok = run_database(name, url, args) and ok
    print(
        "integrity: every acknowledged write present, no stale edit accepted, no 5xx"
        if ok
        else "integrity: PROBLEMS FOUND (see above)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
