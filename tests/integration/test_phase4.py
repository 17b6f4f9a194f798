"""Phase 4 pages: metrics, goals with the SMART check, measurements, plans, economics."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import form_version, login, seed
from workbench.extensions import db
from workbench.models import EconomicsCase, Goal, Measurement, Metric
from workbench.services.tenancy import scope_session


@pytest.fixture
def metric_id(app: Flask, client: FlaskClient, team: dict) -> int:
    """An adopted first-contact-resolution metric in the team workspace, as the analyst."""
    seed(app)
    login(client, team["analyst"])
    response = client.post(
        f"/workspaces/{team['workspace_id']}/metrics/library",
        data={"template_key": "first_contact_resolution", "department": "service"},
    )
    assert response.status_code == 303
    return int(re.search(r"/metrics/(\d+)", response.headers["Location"]).group(1))


def _rows(app: Flask, wid: int, model: type) -> list:
    with app.app_context():
        scope_session(db.session, wid)
        rows = list(db.session.scalars(select(model)))
        db.session.expunge_all()
        return rows


def test_adopted_metric_keeps_library_definition(app: Flask, team: dict, metric_id: int) -> None:
    (metric,) = _rows(app, team["workspace_id"], Metric)
    assert (metric.name, metric.unit, metric.direction.value) == (
        "First contact resolution",
        "percent",
        "higher",
    )
    assert (metric.min_value, metric.max_value, metric.department) == (0, 100, "service")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Metric is required."),
        ({"unit": "furlongs"}, "Choose one of"),
        ({"direction": "sideways"}, "Choose one of"),
        ({"min_value": "nan"}, "Enter a plain number"),
        ({"min_value": "abc"}, "Not a valid float value"),
        ({"min_value": "10", "max_value": "5"}, "lowest possible value must be below"),
    ],
)
def test_custom_metric_bad_input(
    app: Flask, client: FlaskClient, team: dict, data: dict, message: str
) -> None:
    seed(app)
    login(client, team["analyst"])
    base = {
        "name": "Callbacks within 15 minutes",
        "unit": "percent",
        "direction": "higher",
        "frequency": "weekly",
    }
    response = client.post(f"/workspaces/{team['workspace_id']}/metrics/new", data={**base, **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _rows(app, team["workspace_id"], Metric) == []


def _goal(client: FlaskClient, wid: int, metric_id: int, version: str, **values: str):
    data = {
        "baseline": "40",
        "baseline_date": "2026-01-01",
        "target": "70",
        "target_date": "2027-12-31",
        "rationale": "Halve the callbacks.",
        "version": version,
        **values,
    }
    return client.post(f"/workspaces/{wid}/metrics/{metric_id}/goal", data=data)


def test_goal_smart_check_explains_failures(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    assert _goal(client, wid, metric_id, "0", target="30").status_code == 303
    page = client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True)
    # Higher is better, so a target below the baseline is on the wrong side.
    assert "should be above the baseline (40)" in page
    assert "owner" in page.lower()
    # The letters are explained once, and read in words by a screen reader.
    assert "S specific, M measurable, A achievable, R relevant, T time-bound" in page
    assert '<span class="visually-hidden">specific:</span>' in page
    out_of_range = _goal(client, wid, metric_id, "1", target="140")
    assert out_of_range.status_code == 400
    assert "within the metric&#39;s range (0 to 100)" in out_of_range.get_data(as_text=True)
    stale = _goal(client, wid, metric_id, "0", target="80")
    assert stale.status_code == 409
    (goal,) = _rows(app, wid, Goal)
    assert goal.target == 30


def test_measurements_one_paste_and_csv(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    one = client.post(
        url,
        data={
            "mode": "one",
            "measured_on": "2026-01-31",
            "value": "45.5",
            "note": "After the pilot, a comma, and more",
        },
    )
    assert one.status_code == 303
    pasted = client.post(
        url, data={"mode": "paste", "text": "2026-02-28\t48\n2026-03-31;50;March\n"}
    )
    assert pasted.status_code == 303
    upload = client.post(
        url,
        data={
            "mode": "paste",
            "text": "",
            "upload": (io.BytesIO(b"date,value\n2026-04-30,52%\n"), "readings.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 303
    rows = sorted(_rows(app, wid, Measurement), key=lambda m: m.measured_on)
    assert [(m.measured_on.month, m.value) for m in rows] == [(1, 45.5), (2, 48), (3, 50), (4, 52)]
    assert rows[0].note == "After the pilot, a comma, and more"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('2026-05-31,=HYPERLINK("http://evil.example")', "looks like a spreadsheet formula"),
        ("2026-05-31,85 minutes", "is not a plain number"),
        ("2026-05-31,140", "outside this metric&#39;s range 0 to 100"),
        ("2026-05-31,50\n2026-05-31,51", "already appears on line 2"),
        ("31/05/2026,50", "is not a date in the form yyyy-mm-dd"),
        ("2026-05-31,مرحبا", "is not a plain number"),
        ("", "There is nothing to import"),
    ],
)
def test_bad_imports_name_the_line_and_import_nothing(
    app: Flask, client: FlaskClient, team: dict, metric_id: int, text: str, message: str
) -> None:
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    response = client.post(
        url, data={"mode": "paste", "text": f"2026-04-30,40\n{text}" if text else ""}
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Nothing was recorded" in body
    assert message in body
    assert _rows(app, wid, Measurement) == []


def test_upload_that_is_not_utf8_or_too_big(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    url = f"/workspaces/{team['workspace_id']}/metrics/{metric_id}/measurements"
    latin = client.post(
        url,
        data={
            "mode": "paste",
            "upload": (io.BytesIO("2026-01-31,5\n\xe9".encode("latin-1")), "r.csv"),
        },
        content_type="multipart/form-data",
    )
    assert latin.status_code == 400
    assert "not UTF-8 text" in latin.get_data(as_text=True)
    future = (date.today() + timedelta(days=3)).isoformat()
    ahead = client.post(url, data={"mode": "one", "measured_on": future, "value": "5"})
    assert ahead.status_code == 400
    assert "is in the future" in ahead.get_data(as_text=True)


def test_status_follows_the_measurements(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    today = date.today()
    start = today - timedelta(days=120)
    _goal(
        client,
        wid,
        metric_id,
        "0",
        baseline="40",
        baseline_date=start.isoformat(),
        target="60",
        target_date=(today + timedelta(days=120)).isoformat(),
    )
    page = client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True)
    assert "No data" in page
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    # Monthly readings up to two days ago: recent enough for a weekly metric to be judged.
    lines = "\n".join(
        f"{(today - timedelta(days=2 + 30 * (3 - n))).isoformat()},{40 + 0.1 * n}"
        for n in range(1, 4)
    )
    client.post(url, data={"mode": "paste", "text": lines})
    slow = client.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert "Off track" in slow
    client.post(url, data={"mode": "one", "measured_on": today.isoformat(), "value": "61"})
    met = client.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert "On track" in met and "Off track" not in met


def test_communication_plan_and_one_pager(
    app: Flask, client: FlaskClient, team: dict, metric_id: int
) -> None:
    wid = team["workspace_id"]
    url = f"/workspaces/{wid}/metrics/communication"
    bad = client.post(
        url, data={"department": "", "audience": "Desk", "channel": "Huddle", "cadence": "hourly"}
    )
    assert bad.status_code == 400
    ok = client.post(
        url,
        data={
            "department": "service",
            "audience": "Front desk <b>team</b>",
            "channel": "Weekly huddle",
            "cadence": "weekly",
            "metric": str(metric_id),
        },
    )
    assert ok.status_code == 303
    page = client.get(url).get_data(as_text=True)
    plan_id = int(re.search(r"/communication/(\d+)/print", page).group(1))
    sheet = client.get(f"{url}/{plan_id}/print").get_data(as_text=True)
    assert "First contact resolution" in sheet and "Front desk &lt;b&gt;team&lt;/b&gt;" in sheet
    version = form_version(client.get(f"{url}/{plan_id}").get_data(as_text=True))
    data = {
        "department": "service",
        "audience": "Desk",
        "channel": "Huddle",
        "cadence": "monthly",
        "version": version,
    }
    assert client.post(f"{url}/{plan_id}", data=data).status_code == 303
    assert client.post(f"{url}/{plan_id}", data={**data, "audience": "Desk 2"}).status_code == 409


def test_economics_defaults_inputs_and_stale_save(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    login(client, team["analyst"])
    url = f"/workspaces/{team['workspace_id']}/metrics/economics"
    page = client.get(url).get_data(as_text=True)
    assert "Salesforce research" in page and "starting figures" in page
    data = {
        "customers": "10000",
        "failure_rate": "20",
        "complaint_rate": "25",
        "recovery_success_rate": "70",
        "customer_lifetime_value": "1000",
        "churn_unrecovered": "50",
        "churn_recovered": "22",
        "cost_per_recovery": "25",
        "programme_fixed_cost": "50000",
        "currency": "EUR",
        "version": "0",
    }
    bad = client.post(url, data={**data, "failure_rate": "150"})
    assert bad.status_code == 400
    assert "between 0 and 1" in bad.get_data(as_text=True) or "0% to 100%" in bad.get_data(
        as_text=True
    )
    assert client.post(url, data=data).status_code == 303
    # 10000 x 0.2 = 2000 failures; x 0.25 = 500 complaints; x 0.7 = 350 recovered;
    # kept = 350 x (0.5 - 0.22) = 98 customers; revenue kept = 98,000.
    result = client.get(url).get_data(as_text=True)
    assert ">98<" in result and "EUR 98,000" in result
    assert client.post(url, data={**data, "customers": "20000"}).status_code == 409
    (case,) = _rows(app, team["workspace_id"], EconomicsCase)
    assert case.customers == 10000 and case.currency == "EUR"
