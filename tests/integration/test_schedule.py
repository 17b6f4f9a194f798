"""The schedule in one process: the daily purge, failures, the lease, the thread, the page."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from tests.conftest import BASE_CONFIG, login
from tests.integration.schedule_support import (
    claim_outcomes,
    claims,
    job_file_count,
    old_job_files,
    source,
)
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import ClaimOutcome, Job, ScheduleClaim
from workbench.models.base import utcnow
from workbench.services import schedule, schedule_lease, schedule_runner
from workbench.services.errors import ServiceError
from workbench.services.schedule import RunContext
from workbench.services.schedule_sources import PURGE_SOURCE, REMINDERS, SOURCES
from workbench.services.tenancy import allow_system_access

NOON = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://evil.example") file:///etc/passwd'
UNICODE = "مرحبا بالعالم 服务恢复 👩🏽‍💻"


def test_the_purge_runs_once_a_day_and_is_recorded(app: Flask, team: dict[str, Any]) -> None:
    old_job_files(app, [team["workspace_id"], team["foreign_id"]], before=NOON)
    first = schedule_runner.tick(app, (PURGE_SOURCE,), now=NOON, holder="host-a:1:main")
    assert first.ran
    assert first.lines() == [
        "done    purge-job-files:2026-12-04  Deleted 2 job file(s) older than 7 day(s)."
    ]
    assert job_file_count(app) == 0
    # Later the same day nothing is due; the next day the next occurrence runs.
    later = NOON + timedelta(hours=6)
    assert schedule_runner.tick(app, (PURGE_SOURCE,), now=later).lines() == ["Nothing is due."]
    assert schedule_runner.tick(app, (PURGE_SOURCE,), now=NOON + timedelta(hours=13)).lines() == [
        "done    purge-job-files:2026-12-05  Deleted 0 job file(s) older than 7 day(s)."
    ]
    rows = claims(app)
    assert [row.key for row in rows] == ["purge-job-files:2026-12-04", "purge-job-files:2026-12-05"]
    first_row = rows[0]
    assert first_row.source == "purge-job-files" and first_row.workspace_id is None
    assert first_row.holder == "host-a:1:main" and first_row.outcome == ClaimOutcome.DONE
    assert first_row.due_at == datetime(2026, 12, 4, tzinfo=UTC)
    assert first_row.claimed_at == NOON and first_row.finished_at is not None
    assert first_row.summary.startswith("Deleted 2 job file(s)") and first_row.error == ""


def test_a_failed_run_is_rolled_back_recorded_and_not_run_again(
    app: Flask, team: dict[str, Any]
) -> None:
    wid = team["workspace_id"]
    calls: list[str] = []

    def half_then_fail(context: RunContext) -> str:
        calls.append(context.item.key)
        context.session.add(Job(workspace_id=wid, kind="exchange.export", status="done"))
        context.session.flush()
        raise ValueError("postgresql://feed:secret@db.internal/feeds refused")

    def refused(context: RunContext) -> str:
        raise ServiceError(f"The feed's file is missing: {HOSTILE}")

    sources = (
        source("half", ["half:1"], half_then_fail, workspace_id=wid),
        source("refused", ["refused:1"], refused),
    )
    results = schedule.run_due(app, sources, NOON)
    assert [(r.key, r.outcome) for r in results] == [("half:1", "failed"), ("refused:1", "failed")]
    # Whatever an unexpected error says (a password in an address) stays in the log.
    assert "secret" not in results[0].text and "ValueError" in results[0].text
    assert results[1].text.startswith("The feed's file is missing: <script>")
    with app.app_context():
        allow_system_access(db.session)
        assert db.session.scalar(select(Job.id)) is None  # the half-done work is gone
    assert claim_outcomes(app) == {"half:1": "failed", "refused:1": "failed"}
    assert schedule.run_due(app, sources, NOON + timedelta(minutes=1)) == []
    assert calls == ["half:1"]


def test_a_source_that_cannot_list_its_work_does_not_stop_the_others(app: Flask) -> None:
    def broken(_session: object, _now: datetime) -> list[schedule.DueItem]:
        raise RuntimeError("no such table: feed")

    broken_source = schedule.Source("feeds", "Metric feeds", "Hourly", broken, lambda s, n: None)
    results = schedule.run_due(app, (broken_source, PURGE_SOURCE), NOON)
    assert [(r.key, r.outcome) for r in results] == [
        ("feeds", "failed"),
        ("purge-job-files:2026-12-04", "done"),
    ]
    assert "RuntimeError" in results[0].text and "no such table" not in results[0].text


def test_an_occurrence_listed_twice_runs_once(app: Flask) -> None:
    calls: list[str] = []
    twice = source("twice", ["same:1", "same:1"], lambda c: calls.append(c.item.key) or "ok")
    results = schedule.run_due(app, (twice,), NOON)
    assert [(r.key, r.outcome) for r in results] == [("same:1", "done")]
    assert calls == ["same:1"]


def test_the_lease_moves_to_another_holder_only_after_it_expires(app: Flask) -> None:
    minute = timedelta(minutes=1)
    with app.app_context():
        engine = db.engine
        assert schedule_lease.current(engine, NOON) is None
        assert schedule_lease.take(engine, "host-a", NOON, 3 * minute)
        assert not schedule_lease.take(engine, "host-b", NOON + minute, 3 * minute)
        # The holder renews its own lease; the other still waits.
        assert schedule_lease.take(engine, "host-a", NOON + 2 * minute, 3 * minute)
        assert not schedule_lease.take(engine, "host-b", NOON + 4 * minute, 3 * minute)
        held = schedule_lease.current(engine, NOON + 4 * minute)
        assert held is not None and held.holder == "host-a"
        assert held.expires_at == NOON + 5 * minute
        assert schedule_lease.take(engine, "host-b", NOON + 5 * minute, 3 * minute)
        assert not schedule_lease.take(engine, "host-a", NOON + 6 * minute, 3 * minute)
        # A holder that lets go early hands over at once.
        schedule_lease.release(engine, "host-b", NOON + 6 * minute)
        assert schedule_lease.take(engine, "host-a", NOON + 6 * minute, 3 * minute)
    report = schedule_runner.tick(app, now=NOON + 7 * minute, holder="host-b")
    assert not report.ran and claims(app) == []
    assert report.lines() == [
        "host-a runs the schedule until 2026-12-04 12:09:00 UTC; nothing was run."
    ]
    assert schedule_runner.tick(app, now=NOON + 10 * minute, holder="host-b").ran


def test_a_one_off_tick_lets_the_lease_go_and_a_loop_keeps_it(app: Flask) -> None:
    schedule_runner.tick(app, now=NOON, holder="cron")
    with app.app_context():
        assert schedule_lease.current(db.engine, NOON) is None
    schedule_runner.tick(app, now=NOON, holder="loop", keep_lease=True)
    with app.app_context():
        held = schedule_lease.current(db.engine, NOON + timedelta(minutes=2))
    assert held is not None and held.holder == "loop"


def test_the_thread_ticks_only_when_asked_for(app: Flask, database_url: str) -> None:
    assert not schedule_runner.start_ticker(app)  # tests: SCHEDULER_ENABLED is off
    with_redis = create_app(
        {**BASE_CONFIG, "DATABASE_URL": database_url, "SCHEDULER_ENABLED": True,
         "JOBS_INLINE": False, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )  # fmt: skip
    assert not schedule_runner.start_ticker(with_redis)  # the workers tick instead
    threaded = create_app(
        {**BASE_CONFIG, "DATABASE_URL": database_url, "SCHEDULER_ENABLED": True,
         "JOBS_INLINE": False, "JOBS_BACKEND": "thread", "SCHEDULER_TICK_SECONDS": 0.2}
    )  # fmt: skip
    try:
        assert schedule_runner.start_ticker(threaded)
        assert not schedule_runner.start_ticker(threaded)  # one thread per process
        deadline = time.monotonic() + 20
        while not any(row.finished_at for row in claims(app)) and time.monotonic() < deadline:
            time.sleep(0.1)
        with threaded.app_context():
            held = schedule_lease.current(db.engine, utcnow())
        assert held is not None and held.holder.endswith(":schedule-ticker")
    finally:
        schedule_runner.stop_ticker()
        for application in (with_redis, threaded):
            with application.app_context():
                db.engine.dispose()
    ran = claims(app)
    assert ran and {row.outcome for row in ran} == {ClaimOutcome.DONE}
    assert {row.source for row in ran} <= {s.name for s in SOURCES}
    with app.app_context():
        assert schedule_lease.current(db.engine, utcnow()) is None  # let go when stopped


def _claim_row(key: str, workspace_id: int | None, **values: Any) -> ScheduleClaim:
    defaults: dict[str, Any] = {
        "source": "purge-job-files",
        "label": key,
        "due_at": NOON,
        "holder": "host-a:1:main",
        "claimed_at": NOON,
        "outcome": ClaimOutcome.DONE,
        "summary": "",
        "error": "",
    }
    return ScheduleClaim(key=key, workspace_id=workspace_id, **{**defaults, **values})


def test_the_page_shows_each_source_with_its_next_run_and_last_runs(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    wid, foreign = team["workspace_id"], team["foreign_id"]
    url = f"/workspaces/{wid}/schedule"
    login(client, team["facilitator"])
    before = " ".join(client.get(url).get_data(as_text=True).split())
    assert "Delete the stored files of old exports and imports" in before
    assert "Once a day, from 00:00 UTC" in before and "Now (due since" in before
    assert "No runs yet." in before and "Nothing has checked the schedule yet" in before
    schedule_runner.tick(app)
    with app.app_context():
        db.session.add_all(
            [
                _claim_row("purge-job-files:ours", wid, label=f"{UNICODE} {HOSTILE}",
                           outcome=ClaimOutcome.FAILED, error=f"Refused: {HOSTILE}"),
                _claim_row("purge-job-files:theirs", foreign, summary="Foreign Ferries secret"),
            ]
        )  # fmt: skip
        db.session.commit()
    page = " ".join(client.get(url).get_data(as_text=True).split())
    assert "Deleted 0 job file(s) older than 7 day(s)." in page and "Done" in page
    assert "Now (due since" not in page and "Last checked" in page
    assert "Failed" in page and UNICODE in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "Foreign Ferries secret" not in page
    assert f'href="/workspaces/{wid}/schedule"' in page  # in the facilitator's menu
    for role in ("analyst", "executive"):
        client.post("/logout")
        login(client, team[role])
        assert client.get(url).status_code == 403
        menu = client.get(f"/workspaces/{wid}/").get_data(as_text=True)
        assert f"/workspaces/{wid}/schedule" not in menu


def test_the_migration_drops_and_adds_the_tables(database_url: str) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    schedule_runner.tick(app, now=NOON)
    with app.app_context():
        downgrade(revision="0032_reminders")
        tables = set(inspect(db.engine).get_table_names())
        assert not {"schedule_claim", "schedule_lease"} & tables
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"schedule_claim", "schedule_lease"} <= tables
        db.engine.dispose()
    assert schedule_runner.tick(app, now=NOON).lines()[0].startswith("done    purge-job-files")
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("interval", [60.0, 1.0])
def test_next_slot_is_a_whole_multiple_after_now(interval: float) -> None:
    now = datetime(2026, 12, 4, 12, 0, 30, 500000, tzinfo=UTC)
    slot = schedule_runner.next_slot(now, timedelta(seconds=interval))
    assert slot > now and slot.timestamp() % interval == 0
    assert slot - now <= timedelta(seconds=interval)


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_an_occurrence_key_must_fit_its_column(app: Flask, key: str) -> None:
    def bad_keys(_session: object, now: datetime) -> list[schedule.DueItem]:
        return [schedule.DueItem(key=key, due_at=now, label="Bad", run=lambda c: "ran")]

    bad = schedule.Source("bad", "Bad keys", "Every tick", bad_keys, lambda s, n: None)
    results = schedule.run_due(app, (bad,), NOON)
    assert [(r.key, r.outcome) for r in results] == [("bad", "failed")]
    assert "ValueError" in results[0].text and claims(app) == []


def test_an_occurrence_whose_workspace_has_gone_fails_without_stopping_the_tick(
    app: Flask,
) -> None:
    gone = source("gone", ["gone:1"], lambda c: "ran", workspace_id=999_999)
    results = schedule.run_due(app, (gone, PURGE_SOURCE), NOON)
    assert [(r.key, r.outcome) for r in results] == [
        ("gone:1", "failed"),
        ("purge-job-files:2026-12-04", "done"),
    ]
    assert "Could not claim it (IntegrityError)" in results[0].text
    assert [row.key for row in claims(app)] == ["purge-job-files:2026-12-04"]


def test_the_reminders_run_once_an_hour_with_the_purge(app: Flask) -> None:
    first = schedule_runner.tick(app, now=NOON)
    assert first.lines() == [
        "done    purge-job-files:2026-12-04  Deleted 0 job file(s) older than 7 day(s).",
        f"done    {REMINDERS}:2026-12-04T12  Sent 0 message(s); 0 turned off; "
        "0 without a recipient; 0 failed.",
    ]
    assert schedule_runner.tick(app, now=NOON + timedelta(minutes=59)).lines() == [
        "Nothing is due."
    ]
    assert schedule_runner.tick(app, now=NOON + timedelta(hours=1)).lines() == [
        f"done    {REMINDERS}:2026-12-04T13  Sent 0 message(s); 0 turned off; "
        "0 without a recipient; 0 failed."
    ]
