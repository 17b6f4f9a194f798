"""Settings: defaults, then WORKBENCH_* environment variables, then an explicit mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_PREFIX = "WORKBENCH_"

# Settings read from the environment, with the type each is parsed as.
_ENV_SETTINGS: dict[str, type] = {
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "SESSION_COOKIE_SECURE": bool,
    "MAX_CONTENT_LENGTH": int,
    "LOGIN_ATTEMPT_LIMIT": int,
    "LOGIN_ATTEMPT_WINDOW_SECONDS": int,
    "LOGIN_PAIR_WINDOW_SECONDS": int,
    "LOGIN_DELAY_SECONDS": int,
    "LOGIN_MAX_DELAY_SECONDS": int,
    "LOGIN_ADDRESS_FAILURE_LIMIT": int,
    "LOGIN_ACCOUNT_FAILURE_LIMIT": int,
    "TWO_FACTOR_ATTEMPT_LIMIT": int,
    "TWO_FACTOR_ATTEMPT_WINDOW_SECONDS": int,
    "TWO_FACTOR_LOGIN_SECONDS": int,
    "TWO_FACTOR_KEY": str,
    "INVITE_MAX_AGE_HOURS": int,
    "REDIS_URL": str,
    "PREFERRED_URL_SCHEME": str,
    "RESOURCE_ROOT": str,
    "ASSESSMENTS_DIR": str,
    "WORKSHOP_CODE_HOURS": int,
    "WORKSHOP_JOIN_ATTEMPT_LIMIT": int,
    "WORKSHOP_JOIN_WINDOW_SECONDS": int,
    "MAIL_PER_RECIPIENT_LIMIT": int,
    "MAIL_PER_RECIPIENT_WINDOW_SECONDS": int,
    "REDIS_KEY_PREFIX": str,
    "PROXY_HOPS": int,
    "JOBS_BACKEND": str,
    "JOBS_QUEUE": str,
    "JOB_HEARTBEAT_SECONDS": float,
    "JOB_STALE_SECONDS": float,
    "JOB_QUEUE_TIMEOUT_SECONDS": float,
    "JOB_TIMEOUT_SECONDS": int,
    "JOB_FILE_MAX_AGE_DAYS": float,
    "SCHEDULER_ENABLED": bool,
    "SCHEDULER_TICK_SECONDS": float,
    "SCHEDULER_LEASE_SECONDS": float,
    "SCHEDULE_RUN_STALE_SECONDS": float,
    "SQLITE_BUSY_TIMEOUT_MS": int,
    "LIVE_POLL_MS": int,
    "JOB_POLL_MS": int,
    "PASSWORD_HASH_TIME_COST": int,
    "PASSWORD_HASH_MEMORY_KIB": int,
    "PASSWORD_HASH_PARALLELISM": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": bool,
    "SMTP_SSL": bool,
    "SMTP_TIMEOUT_SECONDS": float,
    "MAIL_FROM": str,
    "ADMIN_EMAILS": str,
    "MAIL_OUTBOX_DIR": str,
    "MAIL_RETRY_DELAYS_SECONDS": str,
    "PASSWORD_RESET_MAX_AGE_MINUTES": int,
    "PUBLIC_URL": str,
    "FEED_KEY": str,
    "FEED_ROOTS": str,
    "FEED_MAX_ROWS": int,
    "FEED_TIMEOUT_SECONDS": int,
}


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def default_settings() -> dict[str, Any]:
    """Return the built-in defaults, safe for the embedded single-host setup."""
    return {
        "DATABASE_URL": None,
        "SECRET_KEY": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # A workshop runs for half a day; a form loaded at the start must still save at the end.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        # Sign-in limits (services/login_throttle.py): an account and address pair fails 5
        # times freely, then waits 30 s after each failure, doubling up to 15 minutes; its
        # failures are remembered for a day. An address with 100 failures, or an account with
        # 50, within 15 minutes makes every failing pair wait from its first failure.
        "LOGIN_ATTEMPT_LIMIT": 5,
        "LOGIN_ATTEMPT_WINDOW_SECONDS": 15 * 60,
        "LOGIN_PAIR_WINDOW_SECONDS": 24 * 3600,
        "LOGIN_DELAY_SECONDS": 30,
        "LOGIN_MAX_DELAY_SECONDS": 15 * 60,
        "LOGIN_ADDRESS_FAILURE_LIMIT": 100,
        "LOGIN_ACCOUNT_FAILURE_LIMIT": 50,
        # Wrong two-factor codes per account and address (the account as a whole: four times).
        "TWO_FACTOR_ATTEMPT_LIMIT": 5,
        "TWO_FACTOR_ATTEMPT_WINDOW_SECONDS": 15 * 60,
        # How long the code step of a sign-in waits after the password was accepted.
        "TWO_FACTOR_LOGIN_SECONDS": 5 * 60,
        # Protects stored two-factor keys and recovery codes; unset, the secret key does.
        "TWO_FACTOR_KEY": None,
        "INVITE_MAX_AGE_HOURS": 72,
        "SQLITE_BUSY_TIMEOUT_MS": 15000,
        # How often open pages ask for news: a workshop's live views, and a running job.
        "LIVE_POLL_MS": 2000,
        "JOB_POLL_MS": 1000,
        # Argon2id costs for new password hashes (RFC 9106's recommendation as argon2-cffi
        # ships it); only a test run lowers them.
        "PASSWORD_HASH_TIME_COST": 3,
        "PASSWORD_HASH_MEMORY_KIB": 65536,
        "PASSWORD_HASH_PARALLELISM": 4,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "RESOURCE_ROOT": str(PROJECT_ROOT),
        "ASSESSMENTS_DIR": str(PROJECT_ROOT / "assessments"),
        "JOBS_INLINE": False,
        # A join code works for a working day unless the session closes first.
        "WORKSHOP_CODE_HOURS": 12,
        "WORKSHOP_JOIN_ATTEMPT_LIMIT": 10,
        "WORKSHOP_JOIN_WINDOW_SECONDS": 15 * 60,
        # Reset links and registration notes one address may receive per window, so nobody
        # can flood someone's inbox from the public forms.
        "MAIL_PER_RECIPIENT_LIMIT": 5,
        "MAIL_PER_RECIPIENT_WINDOW_SECONDS": 3600,
        # "inline", "thread" or "rq"; empty chooses rq when REDIS_URL is set, else thread.
        "JOBS_BACKEND": "",
        "JOBS_QUEUE": "workbench",
        # A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS has
        # lost its worker. A queued job nobody starts within the queue timeout has no worker.
        "JOB_HEARTBEAT_SECONDS": 5.0,
        "JOB_STALE_SECONDS": 60.0,
        "JOB_QUEUE_TIMEOUT_SECONDS": 900.0,
        "JOB_TIMEOUT_SECONDS": 1800,
        # Files of finished exports and imports older than this are deleted; the jobs stay.
        "JOB_FILE_MAX_AGE_DAYS": 7.0,
        # The schedule (services/schedule*.py): without Redis, `workbench run` and gunicorn
        # tick in a thread of each process every SCHEDULER_TICK_SECONDS; one process holds
        # the lease (renewed each tick, SCHEDULER_LEASE_SECONDS long) and the others stand
        # by. A run still "running" after SCHEDULE_RUN_STALE_SECONDS lost its process.
        "SCHEDULER_ENABLED": True,
        "SCHEDULER_TICK_SECONDS": 60.0,
        "SCHEDULER_LEASE_SECONDS": 180.0,
        "SCHEDULE_RUN_STALE_SECONDS": 3600.0,
        "REDIS_URL": "",
        "REDIS_KEY_PREFIX": "workbench:",
        # How many reverse proxies in front set X-Forwarded-*; 0 trusts none of them.
        "PROXY_HOPS": 0,
        # Mail: without an SMTP host, messages are written to the instance's outbox folder
        # and shown to the instance administrators (ADMIN_EMAILS, comma-separated).
        "SMTP_HOST": "",
        "SMTP_PORT": 587,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": True,
        "SMTP_SSL": False,
        "SMTP_TIMEOUT_SECONDS": 20.0,
        "MAIL_FROM": "Service Recovery Workbench <workbench@localhost>",
        "ADMIN_EMAILS": "",
        # Where unsent messages are kept; empty means the instance folder's "outbox".
        "MAIL_OUTBOX_DIR": "",
        # Mail is sent in the background; a failed send is tried again after each of these
        # delays (seconds), then kept in the outbox.
        "MAIL_RETRY_DELAYS_SECONDS": "10,60,300",
        # A password reset link works this long, and only once.
        "PASSWORD_RESET_MAX_AGE_MINUTES": 30,
        # The address people reach the workbench at, for links in mail sent outside a
        # request (reminders); empty means the address `make run` serves.
        "PUBLIC_URL": "",
        # Protects the database addresses of metric feeds (they may hold a password);
        # unset, the secret key does. Changing it makes every stored address unreadable.
        "FEED_KEY": None,
        # The folders a feed may read files and SQLite databases from, separated by the
        # system's path separator; empty means the instance folder's "feeds".
        "FEED_ROOTS": "",
        # A feed run reads at most this many rows, for at most this long.
        "FEED_MAX_ROWS": 100_000,
        "FEED_TIMEOUT_SECONDS": 60,
    }


def environment_settings(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read the WORKBENCH_* variables that are set."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for name, kind in _ENV_SETTINGS.items():
        raw = environ.get(ENV_PREFIX + name)
        if raw not in (None, ""):
            found[name] = _parse(raw, kind)
    return found


def instance_secret_key(instance_path: Path) -> str:
    """Return the instance folder's secret key, generating it on first use."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created with owner-only permissions: the key signs sessions and invite links.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def sqlite_url_for(instance_path: Path) -> str:
    """Return the URL of the embedded SQLite database in the instance folder."""
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'workbench.sqlite3'}"


# The folders read from RESOURCE_ROOT (the checkout unless configured); named here only.


def templates_dir(config: Mapping[str, Any]) -> Path:
    """Return the web pages' Jinja templates folder under RESOURCE_ROOT."""
    return Path(config["RESOURCE_ROOT"]) / "templates"


def reports_dir(config: Mapping[str, Any]) -> Path:
    """Return the storyboard's layout folder (templates, print.css) under RESOURCE_ROOT."""
    return Path(config["RESOURCE_ROOT"]) / "reports"


def seeds_dir(config: Mapping[str, Any]) -> Path:
    """Return the reference catalogues and demo data folder under RESOURCE_ROOT."""
    return Path(config["RESOURCE_ROOT"]) / "seeds"
