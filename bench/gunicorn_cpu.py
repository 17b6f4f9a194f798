"""gunicorn settings for bench/load_room.py: the processor time of each request, by route.

Loaded with `-c bench/gunicorn_cpu.py`. Only requests carrying `X-Bench-Phase: measured`
count (the clients add it once everyone is in the room), so signing in is left out. Each
worker adds up the processor time of its handling thread per `METHOD /path status` (ids in
the path written as N) and writes the totals as JSON to BENCH_CPU_DIR/cpu-<pid>.json now
and then and when it exits. Defining hooks is all this module does.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

_NUMBER = re.compile(r"/\d+")
_totals: dict[str, list[float]] = {}
_started: dict[str, float] = {}
_written = [0.0]


def _measured(req: Any) -> bool:
    return any(name == "X-BENCH-PHASE" and value == "measured" for name, value in req.headers)


def _write(pid: int) -> None:
    folder = os.environ.get("BENCH_CPU_DIR")
    if folder:
        path = os.path.join(folder, f"cpu-{pid}.json")
        with open(f"{path}.part", "w", encoding="utf-8") as file:
            json.dump(_totals, file)
        os.replace(f"{path}.part", path)
    _written[0] = time.monotonic()


def pre_request(worker: Any, req: Any) -> None:
    """Note the handling thread's processor time as the request starts."""
    _started["cpu"] = time.thread_time()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """Add the request's processor time to its route's total."""
    if not _measured(req):
        return
    spent = time.thread_time() - _started.get("cpu", time.thread_time())
    status = (getattr(resp, "status", None) or "000").split()[0]
    key = f"{req.method} {_NUMBER.sub('/N', req.path)} {status}"
    total = _totals.setdefault(key, [0, 0.0])
    total[0] += 1
    total[1] += spent
    if time.monotonic() - _written[0] > 2:
        _write(worker.pid)


def worker_exit(server: Any, worker: Any) -> None:
    """Write the totals one last time."""
    _write(worker.pid)
