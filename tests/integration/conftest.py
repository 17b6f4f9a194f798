"""Fixtures shared by the integration tests of one area, beside the suite-wide ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.integration.reminder_support import Owed, fill, smtp_app
from tests.mail_support import Received, smtp_server
from workbench.extensions import db


@pytest.fixture
def mailed(database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Received, Owed]]:
    """An app mailing the test SMTP server, with one reminder owed of each kind."""
    with smtp_server() as (port, received):
        app = smtp_app(database_url, tmp_path, port)
        owed = fill(app)
        yield app, received, owed
        with app.app_context():
            db.engine.dispose()
