"""Load test: simulated people against gunicorn, then a database audit.

Two scenarios, each run on every database given (SQLite in a temporary folder; PostgreSQL
in a scratch database whose public schema is emptied first):

`--scenario workshop` (the default) is a stress test. Every participant logs in and then
acts as fast as answered: reads pages, adds factors on the board (in place, as the page
does with JavaScript), votes, and edits the same few objectives at once with the version
their form was loaded at. Then the writes-only comparison (bench/load_compare.py): the
workbench's in-place factor add, the same-stack reference (bench/same_stack_app.py: a Flask
app written the usual way) and the minimal single-row write (bench/bare_app.py), driven the
same way by the same number of clients, in turns. Afterwards the database is checked: every
acknowledged write is there, no two acknowledged edits of an objective were made from the
same version (each stale save must have been answered 409), and nothing answered 5xx.
Besides rates and latencies it prints the processor time per request of the server's
processes and of this load client, which depends less on what else the machine is doing.
Each database's block ends with the two lines a script can read:

    ratio to same-stack reference  X.XX (target >= 0.80)
    server CPU per write vs minimal  X.XXx (target <= 4.50)

`--scenario room` is a realistic day (bench/load_room.py): ten workshops of thirty people
at a human pace, with each room's facilitator polling the live view; see that module.

    python bench/load.py [--scenario workshop|room] [--duration 60] [--participants 30]
                         [--workers 2] [--write-duration 20] [--rounds 4]
                         [--databases sqlite,postgresql]
                         [--postgres-url postgresql+psycopg://postgres@127.0.0.1/workbench_load]

Traffic goes to 127.0.0.1 only; every loop stops at its deadline.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load_room  # noqa: E402
from bench.load_compare import compare  # noqa: E402
from bench.load_support import (  # noqa: E402
    SECRET,
    Tally,
    drive,
    email,
    percentile,
    scratch_postgres,
    timed,
)
from bench.load_workshop import (  # noqa: E402
    DOTS,
    Room,
    add_factor,
    audit,
    edit_objective,
    prepare,
    sign_in,
    vote,
)
from bench.serving import Browser, Server  # noqa: E402


def _participant(base: str, number: int, room: Room, deadline: float, tally: Tally) -> None:
    """Act as fast as answered: read pages, vote, add factors, edit the shared objectives."""
    rng = random.Random(number)
    browser = Browser(base)
    w = room.prefix
    try:
        sign_in(browser, email(number), tally)
        index = 0
        while time.time() < deadline:
            index += 1
            roll = rng.random()
            if roll < 0.15:
                vote(browser, room, number, tally)
            elif roll < 0.45:
                page = rng.choice([f"{w}/", f"{w}/assessment/factors", f"{w}/alignment/objectives"])
                timed(tally, lambda page=page: browser.get(page))
            elif roll < 0.70:
                add_factor(browser, room, f"Participant {number} factor {index}", tally)
            else:
                edit_objective(browser, room, number, index, tally)
    except OSError as error:
        tally.error(error)


def run_database(name: str, url: str, args: argparse.Namespace) -> bool:
    """Run the workshop and the comparison on one database; print figures; return success."""
    (room,) = prepare(url, 1, args.participants)
    env = {"WORKBENCH_DATABASE_URL": url, "WORKBENCH_SECRET_KEY": SECRET}
    server = Server(env, workers=args.workers)
    server.start()
    tally = Tally()
    deadline = time.time() + args.duration
    threads = [
        threading.Thread(target=_participant, args=(server.base, n, room, deadline, tally))
        for n in range(args.participants)
    ]
    written: list[str] = []
    try:
        elapsed = drive(threads)
        workshop_factors = len(tally.factors)
        result = compare(url, server, room.workspace_id, written, args)
    finally:
        server.stop()
    ours = result.workbench
    tally.factors += written
    audit_found = audit(url, [room], tally)
    ours.lost = audit_found["lost_factors"]
    total = sum(tally.statuses.values())
    server_errors = tally.server_errors() + sum(
        c.tally.server_errors() for c in (ours, result.reference, result.minimal)
    )
    errors = tally.errors + ours.tally.errors + result.reference.tally.errors
    errors += result.minimal.tally.errors
    writes = workshop_factors + len(tally.edits) + tally.stale
    rate = total / elapsed
    print(f"== {name}: {args.participants} participants, {elapsed:.1f} s, {args.workers} workers")
    print(f"  requests            {total} ({rate:.1f} req/s), writes {writes / elapsed:.1f}/s")
    print(
        f"  latency             p50 {1000 * percentile(tally.latencies, 0.5):.0f} ms, "
        f"p95 {1000 * percentile(tally.latencies, 0.95):.0f} ms"
    )
    print(f"  statuses            {dict(sorted(tally.statuses.items()))}")
    print(f"  by action           {dict(sorted(tally.by_action.items()))}")
    print(f"  connection errors   {dict(errors) or 0}")
    print(
        f"  writes acknowledged {workshop_factors} factors, {len(tally.edits)} objective "
        f"edits; {tally.stale} stale edits answered 409; {len(written)} factors "
        "in the writes-only rounds"
    )
    print(
        f"  dot vote            {sum(tally.dots.values())} dots acknowledged, "
        f"{tally.dots_refused} refused past {DOTS} each; lost {audit_found['lost_dots']}, "
        f"people over the limit {audit_found['over_limit']}"
    )
    print(
        f"  lost writes         {audit_found['lost_factors'] + audit_found['lost_edits']} "
        f"(factors {audit_found['lost_factors']}, objective edits {audit_found['lost_edits']}); "
        f"stale edits accepted {audit_found['stale_accepted']}; 5xx {server_errors}"
    )
    print(
        f"  writes only, {args.participants} clients each, {args.rounds} rounds in turn "
        "(workbench, reference, minimal):"
    )
    for label, contender in (
        ("workbench add", ours),
        ("same-stack write", result.reference),
        ("minimal write", result.minimal),
    ):
        print(f"  {label:<19} {contender.summary()}")
        print(f"                      {contender.cost}")
    bare_rate = result.minimal.rate
    print(
        f"  ratio to bare       workshop mix {rate / bare_rate if bare_rate else 0.0:.2f}, "
        f"writes only {ours.rate / bare_rate if bare_rate else 0.0:.2f} "
        "(for information: the minimal write is the physical limit, not a peer)"
    )
    print(f"  server CPU per write vs same-stack  {result.reference_cpu_ratio:.2f}x")
    print(f"ratio to same-stack reference  {result.reference_ratio:.2f} (target >= 0.80)")
    print(f"server CPU per write vs minimal  {result.cpu_ratio:.2f}x (target <= 4.50)")
    lost = ours.lost + result.reference.lost + result.minimal.lost
    return (
        server_errors == 0
        and not errors
        and lost == 0
        and audit_found["lost_edits"] == audit_found["stale_accepted"] == 0
        and audit_found["lost_dots"] == audit_found["over_limit"] == 0
    )


def main() -> None:
    """Run the chosen scenario on each database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=("workshop", "room"), default="workshop")
    parser.add_argument("--duration", type=float, help="seconds of the run (workshop 60, room 120)")
    parser.add_argument("--participants", type=int, help="people in all (workshop 30, room 300)")
    parser.add_argument("--rooms", type=int, default=10, help="room scenario: workshops")
    parser.add_argument(
        "--arrival", type=float, default=20.0, help="room scenario: seconds people arrive over"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--write-duration",
        type=float,
        default=0.0,
        help="seconds of writes-only traffic for each app (default a third of the duration)",
    )
    parser.add_argument(
        "--rounds", type=int, default=4, help="turns the writes-only time is split into"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/workbench_load",
        help="a scratch database; its public schema is emptied first",
    )
    args = parser.parse_args()
    room = args.scenario == "room"
    args.duration = args.duration or (120.0 if room else 60.0)
    args.participants = args.participants or (300 if room else 30)
    args.write_duration = args.write_duration or max(5.0, args.duration / 3)
    ok = True
    for name in [part.strip() for part in args.databases.split(",") if part.strip()]:
        if name == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="wb-load-"))
            url = f"sqlite:///{folder / 'load.sqlite3'}"
        elif name == "postgresql":
            url = scratch_postgres(args.postgres_url)
        else:
            raise SystemExit(f"unknown database {name!r}")
        run = load_room.run_database if room else run_database
        ok = run(name, url, args) and ok
    print(
        "integrity: every acknowledged write present, no stale edit accepted, no 5xx"
        if ok
        else "integrity: PROBLEMS FOUND (see above)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
