"""The writes-only comparison of bench/load.py: three apps driven the same way, in turns.

- the workbench's in-place factor add (the board's quick add with htmx);
- the same-stack reference (bench/same_stack_app.py): Flask-Login, Flask-WTF's CSRF check,
  one ORM insert plus one audit row, the new row drawn by a template;
- the minimal write (bench/bare_app.py): one single-row update, the physical limit.

Every app runs under gunicorn with the same workers on the same database. The same number
of clients sign in first (not timed), then post as fast as they are answered. The apps take
turns in short rounds (workbench, reference, minimal, workbench, ...), so a change in what
else the machine is doing falls on all three alike; each one's figures add up its rounds.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# `make bench` runs every file here as a script: the checkout must be importable then too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bare_app, same_stack_app
from bench.load_support import (
    FACTOR_FORM,
    IN_PLACE,
    PASSWORD,
    Cost,
    Tally,
    cpu_now,
    email,
    percentile,
    timed,
)
from bench.serving import Browser, Server


@dataclass
class Contender:
    """One app in the comparison, with how a client signs in and writes once."""

    name: str
    server: Server
    sign_in: Callable[[Browser, int], None]
    write: Callable[[Browser, int, int], tuple[int, str]]
    tally: Tally = field(default_factory=Tally)
    acknowledged: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    lost: int = 0

    @property
    def requests(self) -> int:
        """Return how many requests were answered in the timed rounds."""
        return sum(self.tally.statuses.values())

    @property
    def rate(self) -> float:
        """Return the answered requests per second over the timed rounds."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cost(self) -> Cost:
        """Return the processor time per answered request."""
        count = max(1, self.requests)
        return Cost(1000 * self.server_cpu / count, 1000 * self.client_cpu / count)

    def summary(self) -> str:
        """Return the rate, latencies and answers in one line."""
        latencies = self.tally.latencies
        return (
            f"{self.rate:.1f} req/s ({self.seconds:.0f} s), "
            f"p50 {1000 * percentile(latencies, 0.5):.0f} ms, "
            f"p95 {1000 * percentile(latencies, 0.95):.0f} ms, "
            f"answers {dict(sorted(self.tally.statuses.items()))}, lost {self.lost}"
        )


def _round(contender: Contender, browsers: list[Browser], seconds: float) -> None:
    """Let every client write for `seconds`, starting together; add up time and CPU."""
    marks: dict[str, float] = {}

    def go() -> None:
        marks["server"], marks["client"] = cpu_now(contender.server)
        marks["start"] = time.perf_counter()
        marks["stop"] = time.time() + seconds

    ready = threading.Barrier(len(browsers), action=go)

    def writer(number: int) -> None:
        browser = browsers[number]
        ready.wait()
        index = 0
        while time.time() < marks["stop"]:
            index += 1
            try:
                status, _ = timed(
                    contender.tally,
                    lambda index=index: contender.write(browser, number, index),
                    "write",
                )
            except OSError as error:
                contender.tally.error(error)
                return
            if status == 200:
                with contender.tally.lock:
                    contender.acknowledged.append(f"{number}-{index}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server_now, client_now = cpu_now(contender.server)
    contender.seconds += time.perf_counter() - marks["start"]
    contender.server_cpu += server_now - marks["server"]
    contender.client_cpu += client_now - marks["client"]


def _workbench(server: Server, workspace_id: int, titles: list[str]) -> Contender:
    board = f"/workspaces/{workspace_id}/assessment/factors"

    def sign_in(browser: Browser, number: int) -> None:
        browser.login(email(number), PASSWORD)
        browser.get(board)

    def write(browser: Browser, number: int, index: int) -> tuple[int, str]:
        title = f"Write phase {number}-{index}-{time.monotonic_ns()}"
        status, body = browser.post(board, {**FACTOR_FORM, "titles": title}, IN_PLACE)
        if status == 200:
            titles.append(title)  # list.append is atomic; the audit reads it afterwards
        return status, body

    return Contender("workbench", server, sign_in, write)


def _reference(server: Server) -> Contender:
    def sign_in(browser: Browser, number: int) -> None:
        browser.get("/login")
        status, body = browser.post("/login", {"email": email(number), "password": PASSWORD})
        assert status == 302, body[:300]
        browser.get("/notes")

    def write(browser: Browser, number: int, index: int) -> tuple[int, str]:
        return browser.post("/notes", {"title": f"Note {number}-{index}"})

    return Contender("same-stack", server, sign_in, write)


def _bare(server: Server) -> Contender:
    def sign_in(_browser: Browser, _number: int) -> None:
        return None

    def write(browser: Browser, _number: int, _index: int) -> tuple[int, str]:
        return browser.request("POST", "/write", {})

    return Contender("minimal", server, sign_in, write)


@dataclass
class Comparison:
    """The three contenders after their rounds."""

    workbench: Contender
    reference: Contender
    minimal: Contender

    @property
    def reference_ratio(self) -> float:
        """Return the workbench's write rate over the reference's."""
        return self.workbench.rate / self.reference.rate if self.reference.rate else 0.0

    @property
    def cpu_ratio(self) -> float:
        """Return the workbench's server CPU per write over the minimal write's."""
        minimal = self.minimal.cost.server_ms
        return self.workbench.cost.server_ms / minimal if minimal else 0.0

    @property
    def reference_cpu_ratio(self) -> float:
        """Return the workbench's server CPU per write over the reference's."""
        reference = self.reference.cost.server_ms
        return self.workbench.cost.server_ms / reference if reference else 0.0


def compare(
    url: str,
    workbench: Server,
    workspace_id: int,
    titles: list[str],
    args: argparse.Namespace,
) -> Comparison:
    """Run the rounds against the running workbench and fresh reference and minimal apps."""
    clients = args.participants
    same_stack_app.prepare(url, [(email(n), f"Participant {n}") for n in range(clients)], PASSWORD)
    bare_app.prepare(url)
    env = {"BENCH_DATABASE_URL": url}
    reference_server = Server(env, workers=args.workers, app="bench.same_stack_app:create()")
    bare_server = Server(env, workers=args.workers, app="bench.bare_app:create()")
    result = Comparison(
        _workbench(workbench, workspace_id, titles),
        _reference(reference_server),
        _bare(bare_server),
    )
    reference_server.start()
    bare_server.start()
    try:
        contenders = (result.workbench, result.reference, result.minimal)
        browsers = {}
        for contender in contenders:
            browsers[contender.name] = [Browser(contender.server.base) for _ in range(clients)]
            for number, browser in enumerate(browsers[contender.name]):
                contender.sign_in(browser, number)
        for _ in range(args.rounds):
            for contender in contenders:
                _round(contender, browsers[contender.name], args.write_duration / args.rounds)
    finally:
        reference_server.stop()
        bare_server.stop()
    rows, audited = same_stack_app.written(url)
    acknowledged = len(result.reference.acknowledged)
    result.reference.lost = abs(acknowledged - rows) + abs(rows - audited)
    result.minimal.lost = abs(len(result.minimal.acknowledged) - bare_app.written(url))
    return result
