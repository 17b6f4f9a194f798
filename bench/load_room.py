"""The room scenario of bench/load.py: ten workshops of thirty people at a human pace.

Each room is a workspace with its own session, dot vote, shared objectives and facilitator,
all served by one gunicorn with two workers (`--workers`). People arrive over the first
seconds (`--arrival`; signing in is not part of the figures); once everyone is in, the
measured run starts (`--duration`, 120 s by default). Each participant then waits a random
3-8 s between actions, as a person reading and typing does, and each time does one of:
read the factor board, add a factor in place, place a dot, read the presenter view, or
open an objective's form and save it; a third of the saved edits are sent once more from
the same, now stale, form, as from a second tab, and must be answered 409. Each room's
facilitator keeps the presenter view open: it polls the live fragment at the interval the
page itself asks for (`hx-trigger="every ...ms"`).

Printed per database: a table per request kind (count, p50, p95, p99 and the server's
processor time per request of that kind, measured in the worker by bench/gunicorn_cpu.py),
the server's processor time per request over the run, the live view's share of it, the
audit, and the closing line a script can read:

    room worst p95 NNN ms, worst p99 NNN ms, errors N, lost writes N

Passwords are hashed at the cheapest Argon2 costs here (as in the tests), so three hundred
arrivals do not keep the server busy for half a minute before the run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# `make bench` runs every file here as a script: the checkout must be importable then too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_support import SECRET, Cost, Tally, cost, cpu_now, email, percentile, timed
from bench.load_workshop import (
    Room,
    add_factor,
    audit,
    edit_objective,
    prepare,
    sign_in,
    vote,
)
from bench.serving import Browser, Server

ROOT = Path(__file__).resolve().parent.parent
THINK_SECONDS = (3.0, 8.0)
# Of the edits that are saved, the share sent once more from the stale form.
STALE_SHARE = 1 / 3
CHEAP_HASHES = {"TIME_COST": "1", "MEMORY_KIB": "8", "PARALLELISM": "1"}
_POLL = re.compile(r'presenter/live"[^>]*hx-trigger="every (\d+)ms"')


@dataclass(frozen=True)
class Kind:
    """A kind of request: how the client names it and which server routes it covers."""

    name: str
    method: str
    path: re.Pattern[str]
    statuses: frozenset[str] = frozenset()  # empty: any


KINDS = (
    Kind("board", "GET", re.compile(r"^/workspaces/N/assessment/factors$")),
    Kind("factor", "POST", re.compile(r"^/workspaces/N/assessment/factors$")),
    Kind("dot", "POST", re.compile(r"^/workspaces/N/workshop/N/votes/N/dots$")),
    Kind("presenter", "GET", re.compile(r"^/workspaces/N/workshop/N/presenter$")),
    Kind("objective form", "GET", re.compile(r"^/workspaces/N/alignment/objectives/N$")),
    Kind("edit", "POST", re.compile(r"^/workspaces/N/alignment/objectives/N$"), frozenset({"303"})),
    Kind(
        "stale edit",
        "POST",
        re.compile(r"^/workspaces/N/alignment/objectives/N$"),
        frozenset({"409"}),
    ),
    Kind("live view", "GET", re.compile(r"^/workspaces/N/workshop/N/presenter/live$")),
)


class RoomRun:
    """The people of every room, the moment the measured run starts, and what they saw."""

    def __init__(self, server: Server, rooms: list[Room], args: argparse.Namespace) -> None:
        self.server = server
        self.rooms = rooms
        self.args = args
        self.tally = Tally()  # the measured run
        self.arrival = Tally()  # signing in and opening the presenter view, before it
        self.started = 0.0
        self.deadline = 0.0
        self.cpu_at_start = (0.0, 0.0)
        people = sum(len(room.participants) for room in rooms)
        self.start = threading.Barrier(people + len(rooms), action=self._begin)

    def _begin(self) -> None:
        # Runs once, when the last person is in: the clock starts now.
        self.cpu_at_start = cpu_now(self.server)
        self.started = time.time()
        self.deadline = self.started + self.args.duration

    def _arrive(
        self, browser: Browser, address: str, then: Callable[[], None] | None = None
    ) -> bool:
        """Come in at some moment of the arrival time and sign in; wait for the others."""
        time.sleep(random.uniform(0, self.args.arrival))
        try:
            sign_in(browser, address, self.arrival)
            if then is not None:
                then()
            return True
        except OSError as error:
            self.arrival.error(error)
            return False
        finally:
            # Everyone waits here, signed in or not, so nobody waits forever.
            self.start.wait()
            browser.headers["X-Bench-Phase"] = "measured"

    def participant(self, number: int, room: Room) -> None:
        """Think 3-8 s, act, until the end of the run."""
        browser = Browser(self.server.base)
        if not self._arrive(browser, email(number)):
            return
        tally = self.tally
        rng = random.Random(number)
        board = f"{room.prefix}/assessment/factors"
        presenter = f"{room.session_path}/presenter"
        index = 0
        try:
            while True:
                think = rng.uniform(*THINK_SECONDS)
                time.sleep(max(0.0, min(think, self.deadline - time.time())))
                if time.time() >= self.deadline:
                    return
                index += 1
                roll = rng.random()
                if roll < 0.30:
                    timed(tally, lambda: browser.get(board), "board")
                elif roll < 0.55:
                    add_factor(browser, room, f"Participant {number} factor {index}", tally)
                elif roll < 0.70:
                    vote(browser, room, number, tally)
                elif roll < 0.88:
                    timed(tally, lambda: browser.get(presenter), "presenter")
                else:
                    stale = rng.random() < STALE_SHARE
                    edit_objective(browser, room, number, index, tally, stale_again=stale)
        except OSError as error:
            tally.error(error)

    def facilitator(self, number: int, room: Room) -> None:
        """Keep the presenter view open: poll its live fragment at the page's interval."""
        browser = Browser(self.server.base)
        presenter = f"{room.session_path}/presenter"
        opened: list[tuple[int, str]] = []

        def open_presenter() -> None:
            # Opening the projector is part of arriving; the page names its polling interval.
            opened.append(timed(self.arrival, lambda: browser.get(presenter), "presenter"))

        if not self._arrive(browser, room.lead, open_presenter):
            return
        status, page = opened[0]
        found = _POLL.search(page)
        if status != 200 or found is None:
            self.tally.errors[f"presenter view without polling ({status})"] += 1
            return
        interval = int(found.group(1)) / 1000
        live = f"{room.session_path}/presenter/live"
        # Rooms opened their projector at different moments.
        due = time.time() + random.Random(number).uniform(0, interval)
        try:
            while True:
                time.sleep(max(0.0, min(due, self.deadline) - time.time()))
                if time.time() >= self.deadline:
                    return
                timed(self.tally, lambda: browser.get(live), "live view")
                # htmx asks again one interval after the answer has been swapped in.
                due = time.time() + interval
        except OSError as error:
            self.tally.error(error)


def _server_cpu(folder: Path) -> dict[str, list[float]]:
    totals: dict[str, list[float]] = {}
    for path in folder.glob("cpu-*.json"):
        for key, (count, seconds) in json.loads(path.read_text()).items():
            total = totals.setdefault(key, [0, 0.0])
            total[0] += count
            total[1] += seconds
    return totals


def _kind_cpu(kind: Kind, totals: dict[str, list[float]]) -> tuple[int, float]:
    count, seconds = 0, 0.0
    for key, (n, spent) in totals.items():
        method, path, status = key.split(" ")
        wanted = not kind.statuses or status in kind.statuses
        if method == kind.method and kind.path.match(path) and wanted:
            count += int(n)
            seconds += spent
    return count, seconds


def run_database(name: str, url: str, args: argparse.Namespace) -> bool:
    """Run the rooms on one database, print the table and the audit; return success."""
    per_room = args.participants // args.rooms
    hashes = {f"PASSWORD_HASH_{key}": int(value) for key, value in CHEAP_HASHES.items()}
    rooms = prepare(url, args.rooms, per_room, hashes)
    cpu_folder = Path(tempfile.mkdtemp(prefix="wb-room-cpu-"))
    env = {
        "WORKBENCH_DATABASE_URL": url,
        "WORKBENCH_SECRET_KEY": SECRET,
        "BENCH_CPU_DIR": str(cpu_folder),
        **{f"WORKBENCH_PASSWORD_HASH_{key}": value for key, value in CHEAP_HASHES.items()},
    }
    server = Server(env, workers=args.workers, config=str(ROOT / "bench" / "gunicorn_cpu.py"))
    server.start()
    room_run = RoomRun(server, rooms, args)
    threads = [
        threading.Thread(target=room_run.participant, args=(n, room))
        for room in rooms
        for n in room.participants
    ]
    threads += [
        threading.Thread(target=room_run.facilitator, args=(n, room))
        for n, room in enumerate(rooms)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server_cost = cost(server, room_run.cpu_at_start, sum(room_run.tally.statuses.values()))
        elapsed = time.time() - room_run.started
    finally:
        server.stop()
    found = audit(url, rooms, room_run.tally)
    errors = _report(name, room_run, found, server_cost, _server_cpu(cpu_folder), elapsed)
    lost = found["lost_factors"] + found["lost_edits"] + found["lost_dots"]
    return errors == 0 and lost == 0 and found["stale_accepted"] == 0 and found["over_limit"] == 0


def _report(
    name: str,
    room_run: RoomRun,
    found: dict[str, int],
    server_cost: Cost,
    totals: dict[str, list[float]],
    elapsed: float,
) -> int:
    """Print the block of one database; return the count of errors."""
    args, tally, arrival = room_run.args, room_run.tally, room_run.arrival
    people = sum(len(room.participants) for room in room_run.rooms)
    requests = sum(tally.statuses.values())
    print(
        f"== {name}: {len(room_run.rooms)} rooms, {people} participants and "
        f"{len(room_run.rooms)} facilitators, {elapsed:.0f} s at a human pace, "
        f"{args.workers} workers"
    )
    logins = arrival.by_kind.get("login", [])
    print(
        f"  arrival             {len(logins)} sign-ins over {args.arrival:.0f} s before the run, "
        f"p95 {1000 * percentile(logins, 0.95):.0f} ms (not in the figures below)"
    )
    print(f"  requests            {requests} ({requests / max(elapsed, 1e-9):.1f} req/s)")
    header = f"  {'kind':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU ms':>9}"
    print(header)
    measured_cpu = sum(seconds for _, seconds in totals.values())
    worst95 = worst99 = 0.0
    for kind in KINDS:
        seen = tally.by_kind.get(kind.name, [])
        served, seconds = _kind_cpu(kind, totals)
        p95, p99 = percentile(seen, 0.95), percentile(seen, 0.99)
        worst95, worst99 = max(worst95, p95), max(worst99, p99)
        per_request = f"{1000 * seconds / served:.2f}" if served else "-"
        print(
            f"  {kind.name:<16}{len(seen):>7}{1000 * percentile(seen, 0.5):>9.0f}"
            f"{1000 * p95:>9.0f}{1000 * p99:>9.0f}{per_request:>9}"
        )
    print("  (CPU ms: the worker's processor time per request of that kind, in the worker)")
    print(f"  server CPU          {server_cost}")
    live = _kind_cpu(KINDS[-1], totals)[1]
    share = 100 * live / measured_cpu if measured_cpu else 0.0
    print(f"  live view share     {share:.0f}% of the server's processor time on requests")
    print(f"  statuses            {dict(sorted(tally.statuses.items()))}")
    print(f"  by action           {dict(sorted(tally.by_action.items()))}")
    errors = sum(tally.errors.values()) + sum(arrival.errors.values()) + tally.server_errors()
    errors += arrival.server_errors()
    print(f"  connection errors   {dict(tally.errors + arrival.errors) or 0}")
    print(
        f"  stale edits         {tally.stale_sent} sent from a stale form on purpose, "
        f"{tally.stale_refused} answered 409; {tally.stale} answered 409 in all"
    )
    print(
        f"  writes acknowledged {len(tally.factors)} factors, {len(tally.edits)} objective "
        f"edits, {sum(tally.dots.values())} dots ({tally.dots_refused} refused past the limit)"
    )
    lost = found["lost_factors"] + found["lost_edits"] + found["lost_dots"]
    print(
        f"  audit               lost factors {found['lost_factors']}, objective edits "
        f"{found['lost_edits']}, dots {found['lost_dots']}; stale edits accepted "
        f"{found['stale_accepted']}; people over the dot limit {found['over_limit']}"
    )
    print(
        f"room worst p95 {1000 * worst95:.0f} ms, worst p99 {1000 * worst99:.0f} ms, "
        f"errors {errors}, lost writes {lost}"
    )
    return errors
