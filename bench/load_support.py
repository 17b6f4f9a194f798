"""What the load scenarios share: tallies, timing, percentiles, processor time, databases.

Imported by bench/load.py, bench/load_compare.py and bench/load_room.py; it runs nothing itself.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# `make bench` runs every file here as a script: the checkout must be importable then too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import Server

PASSWORD = "load test password"
SECRET = "load-test-secret"
FACTOR_FORM = {"category": "business_need", "polarity": "driver", "importance": "3"}
# The board adds factors in place (htmx): the answer is the new cards, not a reloaded page.
IN_PLACE = {"HX-Request": "true"}


@dataclass
class Tally:
    """What the participants saw, gathered across threads."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    by_kind: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    factors: list[str] = field(default_factory=list)
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # objective, version, title
    stale: int = 0  # saves answered 409
    stale_sent: int = 0  # saves sent on purpose from a version known to be gone
    stale_refused: int = 0  # of those, the ones answered 409
    dots: Counter[int] = field(default_factory=Counter)  # acknowledged dots by participant
    dots_refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, status: int, action: str) -> None:
        """Count one answered request."""
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            self.by_action[f"{action} {status}"] += 1
            self.by_kind[action].append(seconds)

    def error(self, error: BaseException) -> None:
        """Count a request that got no answer at all (refused or dropped connection)."""
        with self.lock:
            self.errors[type(error).__name__] += 1

    def server_errors(self) -> int:
        """Return how many answers were 5xx."""
        return sum(count for status, count in self.statuses.items() if status >= 500)


def timed(
    tally: Tally, call: Callable[[], tuple[int, str]], action: str = "read"
) -> tuple[int, str]:
    """Send one request through `call`, recording its latency and status under `action`."""
    started = time.perf_counter()
    status, body = call()
    tally.record(time.perf_counter() - started, status, action)
    return status, body


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the values lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drive(threads: list[threading.Thread]) -> float:
    """Start the threads, wait for all of them; return the seconds it took."""
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


def cpu_now(server: Server) -> tuple[float, float]:
    """Return the server's and this process's processor seconds so far."""
    return server.cpu_seconds(), time.process_time()


def cost(server: Server, since: tuple[float, float], requests: int) -> Cost:
    """Return the processor time per request since `since` (see cpu_now)."""
    server_cpu, client_cpu = since
    count = max(1, requests)
    return Cost(
        1000 * (server.cpu_seconds() - server_cpu) / count,
        1000 * (time.process_time() - client_cpu) / count,
    )


def email(number: int) -> str:
    """Return the address of participant `number`."""
    return f"participant{number}@example.org"


def scratch_postgres(url: str) -> str:
    """Empty the public schema of a scratch PostgreSQL database (created if missing)."""
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
