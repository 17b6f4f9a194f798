"""Pasted and uploaded measurements at the limits: every refusal names its line, never a 500."""

from __future__ import annotations

import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.test_phase4 import _rows, metric_id  # noqa: F401 (a fixture)
from workbench.analysis.measurement_import import LINE_MAX
from workbench.models import Measurement

PREFIX = "2026-01-31,5,"
TOO_LONG = (
    "Line 2: the line is {length:,} characters long, more than the 131,072 a line may have; "
    "give a date, a value and a note of up to 500 characters."
)


def _send(client: FlaskClient, url: str, how: str, text: str) -> tuple[int, str]:
    """Post the text through the paste box or as an uploaded CSV file; the status and page."""
    if how == "paste":
        response = client.post(url, data={"mode": "paste", "text": text})
    else:
        upload = (io.BytesIO(text.encode("utf-8")), "readings.csv")
        response = client.post(
            url,
            data={"mode": "paste", "text": "", "upload": upload},
            content_type="multipart/form-data",
        )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def _url(team: dict, metric: int) -> str:
    return f"/workspaces/{team['workspace_id']}/metrics/{metric}/measurements"


@pytest.mark.parametrize("how", ["paste", "upload"])
@pytest.mark.parametrize("length", [LINE_MAX - 1, LINE_MAX, LINE_MAX + 1, 199_000])
def test_a_long_line_is_refused_by_number(
    app: Flask,
    client: FlaskClient,
    team: dict,
    metric_id: int,  # noqa: F811
    how: str,
    length: int,
) -> None:
    line = PREFIX + "n" * (length - len(PREFIX))
    status, page = _send(client, _url(team, metric_id), how, f"2026-01-01,40\n{line}\n")
    assert status == 400
    assert "Nothing was recorded" in page
    if length <= LINE_MAX:
        assert "Line 2: keep the note under 500 characters." in page
    else:
        assert TOO_LONG.format(length=length) in page
    assert _rows(app, team["workspace_id"], Measurement) == []


def test_the_paste_box_limit_still_applies(
    app: Flask,
    client: FlaskClient,
    team: dict,
    metric_id: int,  # noqa: F811
) -> None:
    url = _url(team, metric_id)
    at_limit = "2026-01-01,40\n" + PREFIX + "n" * (200_000 - 14 - len(PREFIX))
    assert len(at_limit) == 200_000
    status, page = _send(client, url, "paste", at_limit)
    assert status == 400 and TOO_LONG.format(length=200_000 - 14) in page
    status, page = _send(client, url, "paste", at_limit + "n")
    assert status == 400
    assert "under 200,000 characters" in page
    assert _rows(app, team["workspace_id"], Measurement) == []


@pytest.mark.parametrize("how", ["paste", "upload"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "There is nothing to import"),
        ("\n \n\t\n", "There is nothing to import"),
        ("2026-01-31", "Line 1: expected a date and a value"),
        ('2026-01-31,"5"x', "Line 1: “5x” is not a plain number"),
        ("2026-01-31,5\n,,,\n2026-02-30;1", "Line 3: “2026-02-30” is not a date"),
        ("2026-01-31,=1+1", "Line 1: “=1+1” looks like a spreadsheet formula"),
        ("2026-01-31,+5", "looks like a spreadsheet formula"),
        ("2026-01-31,@SUM(A1)", "looks like a spreadsheet formula"),
        ("2026-01-31,\uff1d1+1", "Line 1: “\uff1d1+1” is not a plain number"),
        ("2026-01-31,\u0665", "Line 1: “\u0665” is not a plain number"),
    ],
)
def test_empty_and_malformed_files_are_refused_by_line(
    app: Flask,
    client: FlaskClient,
    team: dict,
    metric_id: int,  # noqa: F811
    how: str,
    text: str,
    message: str,
) -> None:
    if how == "upload" and not text:
        text = "\n"  # an empty upload is no upload at all; the paste box is then used
    status, page = _send(client, _url(team, metric_id), how, text)
    assert status == 400
    assert message in page
    assert _rows(app, team["workspace_id"], Measurement) == []


NOTES = [
    "تأخر استرداد المبالغ",  # Arabic, right to left
    "עיכוב בהחזר כספי",  # Hebrew
    "退款延迟 返金の遅れ",  # CJK
    "Refund delays 🙈🔥 👩🏽‍💻",  # emoji with joiners
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example/","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\uff1d1+1",
]


@pytest.mark.parametrize("how", ["paste", "upload"])
def test_unicode_and_hostile_notes_are_stored_as_text(
    app: Flask,
    client: FlaskClient,
    team: dict,
    metric_id: int,  # noqa: F811
    how: str,
) -> None:
    lines = [
        f'2026-01-{day:02d},{day},"{note.replace(chr(34), chr(34) * 2)}"'
        for day, note in enumerate(NOTES, start=1)
    ]
    text = "date,value,note\n" + "\n".join(lines)
    status, page = _send(client, _url(team, metric_id), how, text)
    assert status == 303, re.findall(r"Line \d+[^<]*", page)
    stored = sorted(_rows(app, team["workspace_id"], Measurement), key=lambda m: m.measured_on)
    assert [m.note for m in stored] == NOTES
    detail = client.get(f"/workspaces/{team['workspace_id']}/metrics/{metric_id}")
    body = detail.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
