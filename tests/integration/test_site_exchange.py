"""Sites beyond the pages: the backup and workbook, an older backup, the API, the migration
on both databases and the storyboard's best and worst sites."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import BASE_CONFIG, SEEDS
from tests.integration.api_support import API, call, make_token
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import Measurement, Metric, Rollup, Site, User, Workspace
from workbench.services import exchange, exchange_workbook, seeding
from workbench.services import metrics as metric_service
from workbench.services import sites as site_service
from workbench.services.exchange_exports import run_export
from workbench.services.report_context import build_context
from workbench.services.storyboard import render_document
from workbench.services.tenancy import allow_system_access, scope_session

REPORTS = Path(__file__).resolve().parents[2] / "reports"
DAY1, DAY2 = date(2026, 9, 30), date(2026, 10, 31)


def _fill(app: Flask, wid: int) -> dict[str, int]:
    """A region with one hotel in it, a second hotel, and readings by site and for the whole."""
    with app.app_context():
        scope_session(db.session, wid)
        region = site_service.create_site(db.session, {"name": "North coast", "kind": "region"})
        north = site_service.create_site(
            db.session, {"name": "Whitby", "kind": "hotel", "parent_id": region.id}
        )
        south = site_service.create_site(db.session, {"name": "Tenby", "kind": "hotel"})
        guests = metric_service.create_metric(
            db.session, {"name": "Guests", "unit": "count", "direction": "higher"}
        )
        score = metric_service.create_metric(
            db.session,
            {
                "name": "Score",
                "unit": "score",
                "direction": "higher",
                "rollup": "weighted_mean",
                "rollup_weight_metric_id": guests.id,
            },
        )
        for site, value, volume in ((north.id, 8.0, 300.0), (south.id, 6.0, 100.0)):
            metric_service.record_measurement(db.session, score.id, DAY1, value, "", site_id=site)
            metric_service.record_measurement(db.session, guests.id, DAY1, volume, "", site_id=site)
        metric_service.record_measurement(db.session, score.id, DAY1, 7.1, "whole group")
        db.session.commit()
        return {
            "region": region.id,
            "north": north.id,
            "south": south.id,
            "score": score.id,
            "guests": guests.id,
        }


def test_backup_and_workbook_carry_sites_and_readings_by_site(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    registers = first["registers"]
    names = {row["name"]: row for row in registers["sites"]}
    assert names["Whitby"]["parent"] == names["North coast"]["key"]
    assert names["Tenby"]["parent"] is None and names["North coast"]["kind"] == "region"
    score = next(row for row in registers["metrics"] if row["name"] == "Score")
    guests = next(row for row in registers["metrics"] if row["name"] == "Guests")
    assert score["rollup"] == "weighted_mean" and score["rollup_weight_metric"] == guests["key"]
    assert guests["rollup"] == "sum"
    sited = [row for row in registers["measurements"] if row["site"] is not None]
    assert len(sited) == 4 and len(registers["measurements"]) == 5
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(first).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        second = json.loads(
            run_export(db.session, db.session.get_one(Workspace, report.workspace_id), "json")
        )
    older = json.loads(json.dumps(first))
    doubled = json.loads(json.dumps(first))
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    # A backup from before sites: no register, no site column, no roll-up columns.
    del older["registers"]["sites"]
    for row in older["registers"]["measurements"]:
        del row["site"]
    older["registers"]["measurements"] = [
        row for row in older["registers"]["measurements"] if row["note"] == "whole group"
    ]
    for row in older["registers"]["metrics"]:
        del row["rollup"], row["rollup_weight_metric"]
    loaded = backup.load(json.dumps(older).encode())
    assert loaded.registers["sites"] == []
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, loaded)
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        rules = {m.name: m.rollup for m in db.session.scalars(select(Metric))}
        assert rules == {"Guests": Rollup.SUM, "Score": Rollup.MEAN}
        assert [m.site_id for m in db.session.scalars(select(Measurement))] == [None]
    # Two readings of one site on one day in a file are refused with their place.
    doubled["registers"]["measurements"].append(dict(sited[0], key="ME99"))
    with pytest.raises(backup.ExchangeRefusedError) as refusal:
        backup.load(json.dumps(doubled).encode())
    assert "the same metric, measured_on, site appears twice" in str(refusal.value.problems)
    # The workbook has a sheet of sites, and an edited cell is one change.
    book = load_workbook(io.BytesIO(raw))
    assert "Sites" in book.sheetnames
    sheet = book["Sites"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("notes") + 1).value = "Edited in the workbook"
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []
    assert result.counts() == (0, 1, 0)


def test_the_api_reads_and_writes_sites_and_readings_by_site(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    ids = _fill(app, wid)
    token = make_token(app, team["analyst"].id)
    url = f"{API}/workspaces/{wid}/sites"
    listed = call(client, "GET", url, token).get_json()
    assert [item["name"] for item in listed["items"]] == ["North coast", "Tenby", "Whitby"]
    created = call(client, "POST", url, token, {"name": "St Ives", "kind": "hotel"})
    assert created.status_code == 201, created.get_data(as_text=True)
    site = created.get_json()
    assert (site["kind"], site["parent_id"], site["notes"]) == ("hotel", None, "")
    for body in (
        {"name": "", "kind": "hotel"},
        {"name": "x" * 121},
        {"name": "Y", "kind": "fort"},
        {"name": "tenby"},
        {"name": "Z", "parent_id": 999999},
    ):
        assert call(client, "POST", url, token, body).status_code in (400, 422), body
    patched = call(
        client,
        "PATCH",
        f"{url}/{site['id']}",
        token,
        {"version": site["version"], "parent_id": ids["region"]},
    )
    assert patched.status_code == 200 and patched.get_json()["parent_id"] == ids["region"]
    stale = call(
        client,
        "PATCH",
        f"{url}/{site['id']}",
        token,
        {"version": site["version"], "parent_id": ids["north"]},
    )
    assert stale.status_code == 409
    readings = f"{API}/workspaces/{wid}/metrics/{ids['score']}/measurements"
    added = call(
        client,
        "POST",
        readings,
        token,
        {"measured_on": DAY2.isoformat(), "value": 7.5, "site_id": site["id"]},
    )
    assert added.status_code == 201 and added.get_json()["site_id"] == site["id"]
    again = call(
        client,
        "POST",
        readings,
        token,
        {"measured_on": DAY2.isoformat(), "value": 7.0, "site_id": site["id"]},
    )
    assert again.status_code == 422
    unknown = call(
        client,
        "POST",
        readings,
        token,
        {"measured_on": DAY2.isoformat(), "value": 7.0, "site_id": 999999},
    )
    assert unknown.status_code == 422
    # A site a reading names is not deleted; a site nothing names is.
    in_use = call(client, "DELETE", f"{url}/{site['id']}", token)
    assert in_use.status_code == 422 and "1 measurement" in in_use.get_data(as_text=True)
    executive = make_token(app, team["executive"].id, "exec")
    assert call(client, "GET", url, executive).status_code == 200
    assert call(client, "DELETE", f"{url}/{ids['region']}", executive).status_code == 403
    assert call(client, "DELETE", f"{url}/{ids['region']}", token).status_code == 204
    outsider = make_token(app, team["outsider"].id, "out")
    foreign = f"{API}/workspaces/{team['foreign_id']}/sites/{ids['north']}"
    assert call(client, "GET", foreign, outsider).status_code == 404
    metric = call(client, "GET", f"{API}/workspaces/{wid}/metrics/{ids['score']}", token)
    assert metric.get_json()["rollup_weight_metric_id"] == ids["guests"]
    spec = client.get(f"{API}/openapi.json").get_json()
    assert "/workspaces/{workspace_id}/sites" in spec["paths"]


def test_the_migration_adds_and_drops_sites(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    ids = _fill(app, team["workspace_id"])
    with app.app_context():
        downgrade(revision="0028_process_links")
        inspector = inspect(db.engine)
        assert "site" not in inspector.get_table_names()
        assert "site_id" not in {c["name"] for c in inspector.get_columns("measurement")}
        # Only the organisation's own reading survives the way down.
        with db.engine.connect() as connection:
            values = connection.execute(text("SELECT value FROM measurement")).scalars().all()
        assert values == [7.1]
        upgrade()
        inspector = inspect(db.engine)
        assert "site" in inspector.get_table_names()
        scope_session(db.session, team["workspace_id"])
        rules = {m.name: m.rollup for m in db.session.scalars(select(Metric))}
        assert rules["Guests"] is Rollup.SUM  # counts and money add up; the rest average
        site = site_service.create_site(db.session, {"name": "Again", "kind": "hotel"})
        db.session.add(
            Measurement(metric_id=ids["score"], measured_on=DAY2, value=1.0, site_id=site.id)
        )
        db.session.commit()
        db.session.add(Measurement(metric_id=ids["score"], measured_on=DAY1, value=2.0))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()


def test_the_storyboard_names_the_best_and_worst_site(app: Flask, team: dict) -> None:
    today = date(2026, 12, 4)
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _user, workspace, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        scope_session(db.session, workspace.id)
        context = build_context(db.session, workspace, today).as_dict()
        html, _fingerprint = render_document(
            db.session, workspace, "Dana Demo", today, REPORTS, "1"
        )
        assert db.session.scalar(select(Site.id).where(Site.name == "Harbourline Whitby"))
        scope_session(db.session, team["workspace_id"])
        empty = db.session.get_one(Workspace, team["workspace_id"])
        empty_html, _ = render_document(db.session, empty, "Fran", today, REPORTS, "1")
    rows = {row["metric"]: row for row in context["metrics"]["sites"]}
    assert set(rows) == {
        "Time to first response",
        "First contact resolution",
        "Average star rating",
    }
    fastest = rows["Time to first response"]
    assert (fastest["best"], fastest["best_value"]) == ("Harbourline Whitby", "150 min")
    assert (fastest["worst"], fastest["worst_value"]) == ("Harbourline St Ives", "206 min")
    assert rows["First contact resolution"]["best_value"] == "61%"
    assert "Best and worst sites" in html and "Harbourline St Ives</span>: 48.5%" in html
    # Tenby's star rating stopped after August: listed apart, not ranked, never best or worst.
    stars = rows["Average star rating"]
    assert (stars["sites"], stars["best"], stars["worst"]) == (
        2,
        "Harbourline Whitby",
        "Harbourline St Ives",
    )
    assert [s["site"] for s in stars["stale"]] == ["Harbourline Tenby"]
    assert stars["stale"][0]["last_value"] == "4.03 stars"
    assert all(not row["stale"] for name, row in rows.items() if name != "Average star rating")
    assert "Harbourline Tenby" not in {
        row[key] for row in rows.values() for key in ("best", "worst")
    }
    assert "Harbourline Tenby</span> for Average star rating, last reading 4.03 stars" in html
    assert "Best and worst sites" not in empty_html
