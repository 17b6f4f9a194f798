"""A workspace with something owed of each kind of reminder, and an app that mails by SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from tests.conftest import BASE_CONFIG, Person, add_member, make_user, make_workspace
from tests.mail_support import SMTP_PASSWORD, SMTP_USER
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import InitiativeStatus, Priority, Role
from workbench.services import initiatives
from workbench.services import metrics as metric_service
from workbench.services.reminder_runner import run_reminders
from workbench.services.reminders import ReminderSummary
from workbench.services.tenancy import scope_session

# Every date is in the past whenever the tests run, so no reading is refused as future.
TODAY = date(2025, 12, 4)
NOW = datetime(2025, 12, 4, 7, 0, tzinfo=UTC)
HOSTILE = "CSAT <script>alert(1)</script> رضا 满意 😀"


def smtp_app(database_url: str, tmp_path: Path, port: int, **extra: Any) -> Flask:
    """An app that sends mail to the test SMTP server on `port`."""
    return create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_USERNAME": SMTP_USER,
            "SMTP_PASSWORD": SMTP_PASSWORD,
            "SMTP_STARTTLS": False,
            "SMTP_TIMEOUT_SECONDS": 10.0,
            "PUBLIC_URL": "https://workbench.example/",
            **extra,
        }
    )


@dataclass
class Owed:
    """The people and rows of the workspace whose reminders are owed on TODAY."""

    workspace_id: int
    fran: Person
    ana: Person
    eve: Person
    due_metric: int
    overdue_metric: int
    goal_metric: int
    orphan_metric: int
    late_initiative: int


def fill(app: Flask) -> Owed:
    """Fran (facilitator) owns a late initiative; Ana a due and an overdue metric; Eve a goal
    at risk; nobody the orphan metric."""
    fran = make_user(app, "fran@example.org", "Fran Facilitator")
    ana = make_user(app, "ana@example.org", "Ana Analyst")
    eve = make_user(app, "eve@example.org", "Eve Executive")
    workspace_id = make_workspace(app, fran, "Harbour Test Hotels")
    add_member(app, workspace_id, ana, Role.ANALYST)
    add_member(app, workspace_id, eve, Role.EXECUTIVE)
    with app.app_context():
        scope_session(db.session, workspace_id)
        session = db.session()

        def metric(name: str, owner: str, frequency: str, readings: dict[date, float]) -> int:
            row = metric_service.create_metric(
                session,
                {"name": name, "unit": "score", "direction": "higher", "owner": owner,
                 "frequency": frequency},
            )  # fmt: skip
            for day, value in readings.items():
                metric_service.record_measurement(session, row.id, day, value, today=TODAY)
            return row.id

        due = metric(HOSTILE, "ana analyst", "monthly", {date(2025, 11, 4): 80})
        overdue = metric("Time to resolution", "ANA@example.org", "monthly", {date(2025, 10, 1): 9})
        goal = metric(
            "Net Promoter Score",
            "Eve Executive",
            "quarterly",
            {date(2025, 6, 1): 70, date(2025, 11, 1): 85},
        )
        metric_service.save_goal(
            session,
            goal,
            0,
            {"baseline": 50, "baseline_date": date(2025, 1, 1), "target": 100,
             "target_date": date(2026, 1, 1), "rationale": ""},
        )  # fmt: skip
        orphan = metric("Complaints", "Head of marketing", "monthly", {date(2025, 11, 4): 3})
        late = initiatives.create_initiative(
            session,
            {
                "title": "Recovery playbook",
                "owner": "fran@example.org",
                "status": InitiativeStatus.IN_PROGRESS,
                "priority": Priority.HIGH,
                "start_date": date(2025, 1, 1),
                "end_date": date(2025, 11, 1),
            },
        )
        session.commit()
        return Owed(workspace_id, fran, ana, eve, due, overdue, goal, orphan, late.id)


def run(app: Flask, now: datetime = NOW, dry_run: bool = False) -> ReminderSummary:
    """Run the reminders as the scheduler does."""
    return run_reminders(app, now, dry_run=dry_run)
