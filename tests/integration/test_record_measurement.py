"""One reading, one set of rules: `metrics.record_measurement`, the form, the import, the API."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login, seed
from tests.integration.api_support import make_token
from workbench.extensions import db
from workbench.models import Measurement
from workbench.services import metrics
from workbench.services.errors import ServiceError
from workbench.services.tenancy import scope_session

TODAY = date.today()
PAST = TODAY - timedelta(days=10)
HOSTILE_NOTE = '  Cafe\u0301 مرحبا 👩🏽\u200d💻 <script>alert(1)</script> =HYPERLINK("x")\x00\x07 '
HOSTILE_STORED = 'Caf\u00e9 مرحبا 👩🏽\u200d💻 <script>alert(1)</script> =HYPERLINK("x")'


def _adopt(client: FlaskClient, wid: int, department: str) -> int:
    response = client.post(
        f"/workspaces/{wid}/metrics/library",
        data={"template_key": "first_contact_resolution", "department": department},
    )
    assert response.status_code == 303
    return int(re.search(r"/metrics/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def two_metrics(app: Flask, client: FlaskClient, team: dict) -> tuple[int, int]:
    """Two metrics with the same definition (range 0 to 100), as the analyst."""
    seed(app)
    login(client, team["analyst"])
    wid = team["workspace_id"]
    return _adopt(client, wid, "front desk"), _adopt(client, wid, "call centre")


def _readings(app: Flask, wid: int, metric_id: int) -> list[tuple[date, float, str]]:
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(
            select(Measurement)
            .where(Measurement.metric_id == metric_id)
            .order_by(Measurement.measured_on)
        )
        return [(m.measured_on, m.value, m.note) for m in rows]


def _refusal(app: Flask, wid: int, metric_id: int, *args: Any) -> ServiceError:
    with app.app_context():
        scope_session(db.session, wid)
        with pytest.raises(ServiceError) as refused:
            metrics.record_measurement(db.session, metric_id, *args)
        db.session.rollback()
    return refused.value


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ((None, 50.0), "measured_on", "Enter the date of the measurement."),
        ((PAST, None), "value", "Enter a plain number such as 42 or -3.5."),
        ((PAST, "50"), "value", "Enter a plain number such as 42 or -3.5."),
        ((PAST, True), "value", "Enter a plain number such as 42 or -3.5."),
        ((PAST, float("nan")), "value", "Enter a plain number such as 42 or -3.5."),
        ((PAST, float("inf")), "value", "Enter a plain number such as 42 or -3.5."),
        ((PAST, 1e13), "value", "1e+13 is too large a number to record."),
        ((PAST, 100.5), "value", "100.5 is outside this metric's range 0 to 100."),
        ((PAST, 50.0, "n" * 501), "note", "Keep the note under 500 characters."),
        (
            (TODAY + timedelta(days=1), 50.0),
            "measured_on",
            f"{(TODAY + timedelta(days=1)).isoformat()} is in the future; measure it on the day.",
        ),
    ],
)
def test_a_reading_is_refused_naming_its_field(
    app: Flask, team: dict, two_metrics: tuple[int, int], args: tuple, field: str, message: str
) -> None:
    wid, metric_id = team["workspace_id"], two_metrics[0]
    refused = _refusal(app, wid, metric_id, *args)
    assert (refused.field, refused.message, refused.status_code) == (field, message, 400)
    assert _readings(app, wid, metric_id) == []


def test_a_reading_is_stored_once_with_its_note_cleaned(
    app: Flask, team: dict, two_metrics: tuple[int, int]
) -> None:
    wid, metric_id = team["workspace_id"], two_metrics[0]
    with app.app_context():
        scope_session(db.session, wid)
        row = metrics.record_measurement(db.session, metric_id, PAST, 0, HOSTILE_NOTE)
        # Flushed, not committed: the id is known, and the caller's rollback undoes it.
        assert row.id is not None
        db.session.rollback()
        assert db.session.scalars(select(Measurement)).all() == []
        metrics.record_measurement(db.session, metric_id, PAST, 0, HOSTILE_NOTE)
        # A note of 500 characters once its control characters are gone is accepted.
        metrics.record_measurement(
            db.session, metric_id, PAST - timedelta(days=1), 100, "x" * 500 + "\x00" * 20
        )
        db.session.commit()
    assert _readings(app, wid, metric_id) == [
        (PAST - timedelta(days=1), 100.0, "x" * 500),
        (PAST, 0.0, HOSTILE_STORED),
    ]
    taken = _refusal(app, wid, metric_id, PAST, 10.0)
    assert taken.field == "measured_on"
    assert taken.message == (
        f"A value for {PAST.isoformat()} is already recorded; edit or delete it first."
    )


def _csv_line(*cells: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True)).lower()


@pytest.mark.parametrize(
    ("on", "value", "note", "problem"),
    [
        (PAST, "45.5", "After the pilot, a comma ✓", None),
        (PAST, "0", "مرحبا 你好 <b>bold</b> =SUM(A1)", None),
        (PAST, "100", "Cafe\u0301", None),
        (
            TODAY + timedelta(days=2),
            "50",
            "",
            f"{(TODAY + timedelta(days=2)).isoformat()} is in the future; measure it on the day.",
        ),
        (PAST, "140", "", "140 is outside this metric's range 0 to 100."),
        (PAST, "-0.5", "", "-0.5 is outside this metric's range 0 to 100."),
        (PAST, "50", "n" * 501, "keep the note under 500 characters."),
        (
            PAST - timedelta(days=1),
            "50",
            "",
            f"a value for {(PAST - timedelta(days=1)).isoformat()} is already recorded; "
            "edit or delete it first.",
        ),
    ],
)
def test_the_form_and_the_import_agree(
    app: Flask,
    client: FlaskClient,
    team: dict,
    two_metrics: tuple[int, int],
    on: date,
    value: str,
    note: str,
    problem: str | None,
) -> None:
    wid = team["workspace_id"]
    by_form, by_import = two_metrics
    earlier = PAST - timedelta(days=1)
    for metric_id in two_metrics:  # the same reading already recorded on both
        url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
        first = client.post(url, data={"mode": "one", "measured_on": earlier, "value": "1"})
        assert first.status_code == 303
    form = client.post(
        f"/workspaces/{wid}/metrics/{by_form}/measurements",
        data={"mode": "one", "measured_on": on.isoformat(), "value": value, "note": note},
    )
    pasted = client.post(
        f"/workspaces/{wid}/metrics/{by_import}/measurements",
        data={"mode": "paste", "text": _csv_line(on.isoformat(), value, note)},
    )
    assert _readings(app, wid, by_form) == _readings(app, wid, by_import)
    if problem is None:
        assert (form.status_code, pasted.status_code) == (303, 303)
        assert len(_readings(app, wid, by_form)) == 2
    else:
        assert (form.status_code, pasted.status_code) == (400, 400)
        assert problem in _text(form)
        assert f"line 1: {problem}" in _text(pasted)
        assert len(_readings(app, wid, by_form)) == 1


def test_the_api_refuses_with_the_same_words_and_field(
    app: Flask, client: FlaskClient, team: dict, two_metrics: tuple[int, int]
) -> None:
    """The API records through the same function: a refusal names the field it concerns."""
    wid, metric_id = team["workspace_id"], two_metrics[0]
    secret = make_token(app, team["analyst"].id)
    note = 'Cafe\u0301 مرحبا <script>alert(1)</script> =HYPERLINK("x")'
    url = f"/api/v1/workspaces/{wid}/metrics/{metric_id}/measurements"
    headers = {"Authorization": f"Bearer {secret}"}
    created = client.post(
        url, json={"measured_on": PAST.isoformat(), "value": 5, "note": note}, headers=headers
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    stored = 'Caf\u00e9 مرحبا <script>alert(1)</script> =HYPERLINK("x")'
    assert created.get_json()["note"] == stored
    high = client.post(url, json={"measured_on": TODAY.isoformat(), "value": 101}, headers=headers)
    assert high.status_code == 422
    assert high.get_json()["error"]["fields"] == {
        "value": "101 is outside this metric's range 0 to 100."
    }
    taken = client.post(url, json={"measured_on": PAST.isoformat(), "value": 6}, headers=headers)
    assert taken.status_code == 422 and list(taken.get_json()["error"]["fields"]) == ["measured_on"]
    assert _readings(app, wid, metric_id) == [(PAST, 5.0, stored)]
