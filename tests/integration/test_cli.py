"""The `workbench` command: migrations on an empty database, seeds, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import BASE_CONFIG
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import (
    AssessmentResponse,
    Factor,
    FrictionPoint,
    MetricTemplate,
    ScenarioTemplate,
    TqmPrinciple,
)
from workbench.services.seeding import DEMO_EMAIL, DEMO_PASSWORD
from workbench.services.tenancy import system_access

WORKBENCH = str(Path(sys.executable).with_name("workbench"))


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "WORKBENCH_SECRET_KEY": "cli-test"}
    return subprocess.run(
        [WORKBENCH, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_upgrade_seed_and_demo_on_an_empty_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgraded = _cli(url, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    check = _cli(url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    first = _cli(url, "seed")
    assert first.returncode == 0, first.stderr
    assert "tqm_principles.yaml: 8 added" in first.stdout
    again = _cli(url, "seed")
    assert "tqm_principles.yaml: 0 added, 0 updated" in again.stdout
    demo = _cli(url, "demo")
    assert demo.returncode == 0, demo.stderr
    assert DEMO_EMAIL in demo.stdout and DEMO_PASSWORD in demo.stdout
    assert "already present" in _cli(url, "demo").stdout

    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        assert db.session.scalar(select(func.count(TqmPrinciple.id))) == 8
        assert db.session.scalar(select(func.count(MetricTemplate.id))) >= 15
        industries = set(db.session.scalars(select(ScenarioTemplate.industry)))
        assert {"hotel", "retail", "airline"} <= industries
    client = app.test_client()
    response = client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    overview = client.get("/workspaces/", follow_redirects=True).get_data(as_text=True)
    assert "Harbourline Hotels" in overview

    # The demo's Phase 1 is complete and believable.
    with app.app_context(), system_access(db.session):
        factors = db.session.scalars(select(Factor)).all()
        assert len(factors) >= 20
        assert {f.polarity.value for f in factors} == {"driver", "enabler", "barrier"}
        respondents = set(db.session.scalars(select(AssessmentResponse.respondent_id)))
        assert len(respondents) == 3
        stages = set(db.session.scalars(select(FrictionPoint.stage_key)))
        assert len(stages) == 6
        workspace_id = factors[0].workspace_id
    verdict = client.get(f"/workspaces/{workspace_id}/assessment/").get_data(as_text=True)
    assert "Viable with conditions" in verdict
    results = client.get(
        f"/workspaces/{workspace_id}/assessment/questionnaires/service_recovery_readiness/results"
    ).get_data(as_text=True)
    assert "To discuss: the room disagrees" in results
    gaps = client.get(f"/workspaces/{workspace_id}/alignment/").get_data(as_text=True)
    assert "Integrated processes" in gaps  # the deliberate principle gap
    scorecard = client.get(f"/workspaces/{workspace_id}/metrics/").get_data(as_text=True)
    for status in ("On track", "At risk", "Off track"):
        assert status in scorecard
    roadmap = client.get(f"/workspaces/{workspace_id}/alignment/roadmap").get_data(as_text=True)
    assert "Wave 3" in roadmap
    playbook = client.get(f"/workspaces/{workspace_id}/operating/playbook").get_data(as_text=True)
    assert playbook.count('class="card scenario') >= 8
    assert "No responder" in playbook and "No message" in playbook
    organisation = client.get(f"/workspaces/{workspace_id}/operating/organisation")
    assert "Renamed:" in organisation.get_data(as_text=True)
    overview = client.get(f"/workspaces/{workspace_id}/").get_data(as_text=True)
    assert "Phase 4" in overview


def test_models_match_migrations(app: Flask) -> None:
    """No schema change may exist without its migration (checked on every backend)."""
    from flask_migrate import check

    with app.app_context():
        check()


def test_seed_catalogue_contents(app: Flask) -> None:
    from tests.conftest import seed

    seed(app)
    with app.app_context():
        principles = db.session.scalars(select(TqmPrinciple).order_by(TqmPrinciple.position))
        names = [p.name.lower() for p in principles]
        assert len(names) == 8
        assert names[0].startswith("customer")
        nps = db.session.scalar(select(MetricTemplate).where(MetricTemplate.key == "nps"))
        assert nps is not None and (nps.min_value, nps.max_value) == (-100, 100)
        assert nps.direction == "higher"


def test_help_lists_our_commands() -> None:
    result = subprocess.run(
        [WORKBENCH, "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "WORKBENCH_SECRET_KEY": "x", "WORKBENCH_DATABASE_URL": "sqlite://"},
    )
    assert result.returncode == 0
    for command in ("run", "db", "seed", "demo"):
        assert command in result.stdout


def test_storyboard_command_writes_pdf_and_html(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'story.sqlite3'}"
    assert _cli(url, "db", "upgrade").returncode == 0
    assert _cli(url, "demo").returncode == 0
    pdf, html = tmp_path / "story.pdf", tmp_path / "story.html"
    result = _cli(url, "storyboard", "Harbourline Hotels", "--out", str(pdf), "--html", str(html))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    document = html.read_text(encoding="utf-8")
    assert "Harbourline Hotels" in document and "data:image/svg+xml;base64," in document
    assert 'src="http' not in document and "<link" not in document  # self-contained
    missing = _cli(url, "storyboard", "No Such Place", "--out", str(pdf))
    assert missing.returncode != 0 and "no workspace called" in missing.stderr
