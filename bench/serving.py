"""A real server in a subprocess (gunicorn) and a small cookie-keeping HTTP client for it.

Used by bench/load.py and by the fault tests; standard library only.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """An app (the workbench by default) under gunicorn, in its own process group."""

    def __init__(
        self,
        env: dict[str, str],
        workers: int = 2,
        app: str = "workbench.app:create_app()",
        config: str | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        self.workers = workers
        self.app = app
        # A gunicorn settings file (its hooks, mostly); the command line still wins.
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        """Start gunicorn and wait until it answers /healthz."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "2",
            "--log-level",
            "warning",
            *(["--config", self.config] if self.config else []),
            self.app,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode()[-3000:])  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError("the server did not start in time")

    def cpu_seconds(self) -> float:
        """Return the processor time used so far by the server's processes (Linux /proc)."""
        if self.process is None:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the command name: state, ppid, pgrp, ..., utime and stime at 11 and 12.
            if int(fields[2]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def kill(self) -> None:
        """Kill the master and its workers at once (SIGKILL to our own process group)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully, falling back to killing."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        return None


class Browser:
    """Keeps cookies and the CSRF token like a person's browser; never follows redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.csrf = ""
        # Sent with every request besides the call's own (a bench marks its phase this way).
        self.headers: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        timeout: float = 30,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """Send a request; return the status and the body (errors included)."""
        data = None
        if form is not None:
            data = urllib.parse.urlencode({"csrf_token": self.csrf, **form}).encode()
        call = urllib.request.Request(
            self.base + path, data=data, method=method, headers={**self.headers, **(headers or {})}
        )
        try:
            with self.opener.open(call, timeout=timeout) as answer:
                status, body = answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8", "replace")
        token = re.search(r'name="csrf-token" content="([^"]+)"', body)
        if token:
            self.csrf = token.group(1)
        return status, body

    def get(self, path: str) -> tuple[int, str]:
        """GET a page."""
        return self.request("GET", path)

    def post(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST a form with the current CSRF token."""
        return self.request("POST", path, form, headers=headers)

    def login(self, email: str, password: str) -> None:
        """Log in through the form, asserting it worked."""
        self.get("/login")
        status, body = self.post("/login", {"email": email, "password": password})
        assert status == 302, body[:300]
        self.get("/workspaces/")
