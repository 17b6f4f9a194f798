"""Instruments are data: a new valid file appears with no code change; a bad one is named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import BASE_CONFIG, login, make_user, make_workspace
from workbench.app import create_app

REPO_ASSESSMENTS = Path(__file__).resolve().parents[2] / "assessments"
WORKBENCH = str(Path(sys.executable).with_name("workbench"))

NEW_INSTRUMENT = """
key: complaint_handling_pulse
title: Complaint handling pulse
version: 2
description: A five-question check run each quarter.
scale:
  min: 1
  max: 4
  labels: {1: Never, 4: Always}
dimensions:
  - key: pace
    title: Pace
    questions:
      - key: same_day_reply
        text: Complaints get a personal reply the same day.
"""

BROKEN_INSTRUMENT = """
key: broken_one
title: Broken
version: 1
description: ""
scale: {min: 1, max: 5, labels: {1: Low, 5: High}}
dimensions:
  - key: only
    title: Only
    questions:
      - key: q1
        text: A statement.
        weight: -2
"""


@pytest.fixture
def assessments_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "assessments"
    shutil.copytree(REPO_ASSESSMENTS, folder)
    return folder


def _app(database_url: str, folder: Path) -> Flask:
    return create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "ASSESSMENTS_DIR": str(folder)})


def test_a_new_valid_file_appears_without_code_change(
    database_url: str, assessments_dir: Path
) -> None:
    app = _app(database_url, assessments_dir)
    person = make_user(app, "pulse@example.org")
    wid = make_workspace(app, person)
    client = app.test_client()
    login(client, person)
    before = client.get(f"/workspaces/{wid}/assessment/questionnaires/").get_data(as_text=True)
    assert "Complaint handling pulse" not in before
    (assessments_dir / "pulse.yaml").write_text(NEW_INSTRUMENT, encoding="utf-8")
    after = client.get(f"/workspaces/{wid}/assessment/questionnaires/").get_data(as_text=True)
    assert "Complaint handling pulse" in after
    form = client.get(
        f"/workspaces/{wid}/assessment/questionnaires/complaint_handling_pulse"
    ).get_data(as_text=True)
    assert "Complaints get a personal reply the same day." in form
    assert form.count('name="q_same_day_reply"') == 5  # four points and "no answer"


def test_an_invalid_file_is_refused_with_file_and_place(
    database_url: str, assessments_dir: Path
) -> None:
    (assessments_dir / "broken.yaml").write_text(BROKEN_INSTRUMENT, encoding="utf-8")
    (assessments_dir / "not_yaml.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    app = _app(database_url, assessments_dir)
    person = make_user(app, "broken@example.org")
    wid = make_workspace(app, person)
    client = app.test_client()
    login(client, person)
    page = client.get(f"/workspaces/{wid}/assessment/questionnaires/").get_data(as_text=True)
    assert "Service recovery readiness" in page  # the valid files still load
    assert "assessments/broken.yaml: dimensions[1].questions[1].weight" in page
    assert "assessments/not_yaml.yaml: line 2" in page

    env = {
        **os.environ,
        "WORKBENCH_DATABASE_URL": database_url,
        "WORKBENCH_SECRET_KEY": "x",
        "WORKBENCH_ASSESSMENTS_DIR": str(assessments_dir),
    }
    result = subprocess.run(
        [WORKBENCH, "assessments", "validate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "broken.yaml: dimensions[1].questions[1].weight" in result.stderr
    assert "ok  service_recovery_readiness" in result.stdout


def test_shipped_instruments_validate(database_url: str) -> None:
    env = {**os.environ, "WORKBENCH_DATABASE_URL": database_url, "WORKBENCH_SECRET_KEY": "x"}
    result = subprocess.run(
        [WORKBENCH, "assessments", "validate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for key in ("service_recovery_readiness", "fcr_capability", "tqm_maturity"):
        assert f"ok  {key}" in result.stdout
