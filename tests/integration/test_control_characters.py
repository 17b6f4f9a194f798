"""Control characters: cleaned on every way into the database, absent from every export.

Each of the 32 C0 control characters and DEL is sent through the web forms, the API, the
paste box, an uploaded CSV file, an edited workbook, a restored backup and a StratML file.
Then every export format is made, and each must succeed and carry no control character
other than a tab or a line break. A row stored with control characters before the ways in
cleaned them (written here with SQL) must export as well.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from openpyxl import load_workbook
from sqlalchemy import select, text

from tests.conftest import form_version, login, make_user, make_workspace, seed
from tests.integration.api_support import API, call, make_token
from tests.integration.test_exchange_backup import make_demo
from tests.integration.test_exchange_workbook import LIMIT, column_of, edited, export
from workbench.analysis.text import clean_text
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.schema import TABLES
from workbench.extensions import db
from workbench.models import Factor, Measurement, Objective, Workspace
from workbench.services import exchange_workbook
from workbench.services.exchange import model_of
from workbench.services.exchange_exports import EXPORTERS, run_export
from workbench.services.stratml_import import StratmlRefusedError, import_file
from workbench.services.tenancy import allow_system_access, scope_session

C0 = [chr(code) for code in range(32)]
CONTROLS = [*C0, "\x7f"]
# Also dropped: the C1 controls (NEL and CSI shown here), which XML and openpyxl let pass.
C1 = ["\x85", "\x9b"]
# What may stay in stored text: tab and line feed (multi-line fields only).
STORED_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# In an XML file or a CSV file the line ends may be CR LF; nothing else.
FILE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PAST = date.today() - timedelta(days=400)


def _between(controls: list[str]) -> str:
    """A text holding each control character between two visible ones."""
    return "".join(f"[{ord(c):02x}]{c}" for c in controls) + "end"


def _visible(controls: list[str]) -> str:
    """The same text once cleaned: the controls dropped, a carriage return a line feed."""
    kept = {"\t": "\t", "\n": "\n", "\r": "\n"}
    return "".join(f"[{ord(c):02x}]{kept.get(c, '')}" for c in controls) + "end"


def _stored_texts(app: Flask) -> list[str]:
    """Every text value stored in every table of every workspace."""
    with app.app_context():
        allow_system_access(db.session)
        found: list[str] = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                found.extend(value for value in row if isinstance(value, str))
        return found


def _assert_clean(texts: list[str], where: str, bad: re.Pattern[str] = STORED_BAD) -> None:
    dirty = [value[:80] for value in texts if bad.search(value)]
    assert not dirty, f"{where}: control characters in {dirty[:3]}"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _assert_exports_clean(app: Flask, workspace_id: int) -> dict[str, bytes]:
    """Make every registered export; each succeeds and carries no control character."""
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        files = {name: run_export(db.session, workspace, name) for name in EXPORTERS}
    assert set(files) == {"json", "xlsx", "csv", "stratml", "stratml-core", "archimate"}
    _assert_clean(_strings(json.loads(files["json"])), "json")
    book = load_workbook(io.BytesIO(files["xlsx"]))
    cells = [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    _assert_clean(cells, "xlsx")
    archive = zipfile.ZipFile(io.BytesIO(files["csv"]))
    for name in archive.namelist():
        content = archive.read(name).decode("utf-8-sig")
        _assert_clean([content], name, FILE_BAD)
        _assert_clean(_strings(list(csv.reader(io.StringIO(content)))), name)
    for name in ("stratml", "stratml-core", "archimate"):
        _assert_clean([files[name].decode("utf-8")], name, FILE_BAD)
        root = etree.fromstring(files[name])
        _assert_clean([t for t in root.itertext()], name)
    return files


@pytest.fixture
def metric(app: Flask, client: FlaskClient, team: dict) -> int:
    """An adopted metric (a percentage), made by the analyst, who stays logged in."""
    seed(app)
    login(client, team["analyst"])
    response = client.post(
        f"/workspaces/{team['workspace_id']}/metrics/library",
        data={"template_key": "first_contact_resolution", "department": "service"},
    )
    assert response.status_code == 303
    return int(re.search(r"/metrics/(\d+)", response.headers["Location"]).group(1))


def _day(index: int) -> str:
    return (PAST - timedelta(days=index)).isoformat()


def test_every_way_in_drops_control_characters_and_every_export_succeeds(
    app: Flask, client: FlaskClient, team: dict, metric: int
) -> None:
    wid = team["workspace_id"]
    base = f"/workspaces/{wid}"
    multi = _between(CONTROLS + C1)
    # A single-line field refuses line breaks: it gets every other control character.
    one_line = _between([c for c in CONTROLS + C1 if c not in "\n\r"])

    # The web forms: a factor's edit page and one measurement.
    added = client.post(
        f"{base}/assessment/factors",
        data={
            "category": "business_need",
            "polarity": "barrier",
            "importance": "3",
            "titles": "Form factor",
        },
    )
    assert added.status_code == 303, added.get_data(as_text=True)[:300]
    with app.app_context():
        scope_session(db.session, wid)
        factor_id = db.session.scalars(select(Factor.id)).one()
    page = client.get(f"{base}/assessment/factors/{factor_id}").get_data(as_text=True)
    saved = client.post(
        f"{base}/assessment/factors/{factor_id}",
        data={
            "version": form_version(page),
            "title": one_line,
            "category": "business_need",
            "polarity": "barrier",
            "importance": "3",
            "description": multi,
            "evidence": multi,
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:300]
    measurements = f"{base}/metrics/{metric}/measurements"
    one = client.post(
        measurements, data={"mode": "one", "measured_on": _day(0), "value": "1", "note": one_line}
    )
    assert one.status_code == 303

    # The API: a factor and a measurement.
    token = make_token(app, team["analyst"].id)
    created = call(
        client,
        "POST",
        f"{API}/workspaces/{wid}/factors",
        token,
        {
            "title": one_line,
            "category": "business_need",
            "polarity": "driver",
            "description": multi,
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    reading = call(
        client,
        "POST",
        f"{API}/workspaces/{wid}/metrics/{metric}/measurements",
        token,
        {"measured_on": _day(1), "value": 2, "note": one_line},
    )
    assert reading.status_code == 201, reading.get_data(as_text=True)

    # The paste box and an uploaded CSV file: one line per control character. A line break
    # ends a line and a tab separates cells, so those two are sent in notes of their own
    # below; every other one stays inside the note.
    inside = [c for c in CONTROLS + C1 if c not in "\t\n\r"]
    pasted = "\n".join(f"{_day(10 + i)},{i},a{c}b" for i, c in enumerate(inside))
    response = client.post(measurements, data={"mode": "paste", "text": pasted})
    assert response.status_code == 303, re.findall(r"Line \d+[^<]*", response.get_data(True))
    uploaded = "\r\n".join(f'{_day(60 + i)};{i};"c{c}d"' for i, c in enumerate(inside))
    response = client.post(
        measurements,
        data={"mode": "paste", "upload": (io.BytesIO(uploaded.encode()), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, re.findall(r"Line \d+[^<]*", response.get_data(True))
    with app.app_context():
        scope_session(db.session, wid)
        notes = set(db.session.scalars(select(Measurement.note)))
    # A note is one line: its tab became a space.
    note = _visible([c for c in CONTROLS + C1 if c not in "\n\r"]).replace("\t", " ")
    assert notes == {note, "ab", "cd"}
    # A tab in a pasted line makes it tab-separated: its cells no longer read as a date.
    tabbed = client.post(measurements, data={"mode": "paste", "text": f"{_day(99)},1,a\tb"})
    assert tabbed.status_code == 400

    # An edited workbook: openpyxl writes tab, line breaks, DEL and C1 into cells (XML 1.0
    # cannot hold the other C0 characters; a file holding one raw is refused below).
    xml_able = ["\t", "\n", "\r", "\x7f", *C1]
    raw = export(app, wid)

    def edit(book: Any) -> None:
        sheet = book["Factors"]
        sheet.cell(row=2, column=column_of(sheet, "description")).value = _between(xml_able)
        sheet.append([None, "business_need", "enabler", "W\x7fB\x85", _between(xml_able), 2])

    changed = edited(raw, edit)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, changed, LIMIT)
        db.session.rollback()
        assert result.counts() == (1, 1, 0), result.problems
        exchange_workbook.apply_import(db.session, changed, LIMIT, result.fingerprint)
        db.session.commit()
        stored = {f.title: f.description for f in db.session.scalars(select(Factor))}
    assert stored["WB"] == _visible(xml_able)

    # A StratML file: its text may hold tab, line breaks, DEL and C1 characters.
    plan = (
        '<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>P</Name>'
        "<StrategicPlanCore><Goal><Name>Goal\x7f one\x85</Name>"
        f"<Description>{_between(xml_able)}</Description>"
        "</Goal></StrategicPlanCore></StrategicPlan>"
    )
    with app.app_context():
        scope_session(db.session, wid)
        import_file(db.session, plan.encode())
        db.session.commit()
        goal = db.session.scalars(select(Objective).where(Objective.title == "Goal one")).one()
        assert goal.description == _visible(xml_able)

    _assert_clean(_stored_texts(app), "after the ways in")
    files = _assert_exports_clean(app, wid)

    # A backup restored as a new workspace: JSON carries every control character.
    document = json.loads(files["json"])
    document["workspace"]["vision"] = multi
    document["registers"]["factors"][0]["description"] = multi
    document["registers"]["factors"][0]["title"] = one_line
    document["registers"]["measurements"][0]["note"] = one_line
    restored = client.post(
        "/workspaces/restore",
        data={
            "upload": (io.BytesIO(json.dumps(document).encode()), "backup.json"),
            "name": "Restored\x00\x1b here",
        },
        content_type="multipart/form-data",
    )
    assert restored.status_code == 303, restored.get_data(as_text=True)[:500]
    new_id = int(re.search(r"/workspaces/(\d+)", restored.headers["Location"]).group(1))
    with app.app_context():
        scope_session(db.session, new_id)
        workspace = db.session.get_one(Workspace, new_id)
        assert (workspace.name, workspace.vision) == ("Restored here", _visible(CONTROLS + C1))
    _assert_clean(_stored_texts(app), "after the restore")
    _assert_exports_clean(app, new_id)


def test_files_holding_characters_their_format_forbids_are_refused(app: Flask) -> None:
    wid = make_workspace(app, make_user(app, "olga@example.org"))
    raw = export(app, wid)
    bad_xml = "\x01\x1b"
    # Raw control characters in the workbook part: its XML is not well-formed.
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b"<sheets>", f"<sheets>{bad_xml}".encode())
            target.writestr(info, content)
    with app.app_context():
        scope_session(db.session, wid)
        with pytest.raises(ExchangeRefusedError):
            exchange_workbook.plan_import(db.session, buffer.getvalue(), LIMIT)
        with pytest.raises(StratmlRefusedError):
            import_file(
                db.session,
                b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>P'
                + bad_xml.encode()
                + b"</Name><StrategicPlanCore/></StrategicPlan>",
            )
        db.session.rollback()
    _assert_clean(_stored_texts(app), "after the refusals")


def test_rows_stored_with_control_characters_still_export(
    app: Flask, client: FlaskClient, team: dict, metric: int
) -> None:
    wid = team["workspace_id"]
    dirty = "".join(CONTROLS + C1)
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add(
            Measurement(metric_id=metric, measured_on=PAST, value=1.0, note="clean note")
        )
        db.session.flush()
        # Written with SQL, as rows were before every way in cleaned them. PostgreSQL
        # cannot hold NUL at all, so it is left out there.
        stored = dirty if db.engine.dialect.name == "sqlite" else dirty.replace("\x00", "")
        texts = {"mark": f"Note{stored}end", "name": f"Harbour{stored}Hotels"}
        db.session.execute(text("UPDATE measurement SET note = :mark"), texts)
        db.session.execute(text("UPDATE workspace SET name = :name, vision = :mark"), texts)
        db.session.commit()
    assert any(STORED_BAD.search(value) for value in _stored_texts(app))
    files = _assert_exports_clean(app, wid)
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = book["Measurements"]
    note = column_of(sheet, "note") - 1
    notes = [row[note] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert notes == [clean_text(texts["mark"], trim=False)] == ["Note\t\n\nend"]
    document = json.loads(files["json"])
    assert document["workspace"]["name"] == clean_text(texts["name"], trim=False)
    # The web download and an export job give the same workbook, not a 500.
    login(client, team["analyst"])
    assert client.get(f"/workspaces/{wid}/export/xlsx").status_code == 200
    job = client.post(f"/workspaces/{wid}/exchange/exports", data={"export_format": "xlsx"})
    assert job.status_code == 303
    download = client.get(job.headers["Location"] + "/download")
    assert download.status_code == 200 and download.data[:2] == b"PK"


def test_every_register_stored_with_control_characters_still_exports(app: Flask) -> None:
    _user, wid = make_demo(app)
    with app.app_context():
        dirty = "".join(CONTROLS + C1)
        if db.engine.dialect.name != "sqlite":
            dirty = dirty.replace("\x00", "")  # PostgreSQL cannot hold NUL at all
        changed = 0
        for table in TABLES:
            name = model_of(table).__tablename__
            for column in table.columns:
                # Text columns with room to spare: every demo value grows by a few characters.
                if column.kind == "text" and column.max_length >= 200:
                    db.session.execute(
                        text(f"UPDATE {name} SET {column.name} = {column.name} || :dirty"),
                        {"dirty": dirty},
                    )
                    changed += 1
        db.session.commit()
    assert changed >= 25
    assert sum(bool(STORED_BAD.search(value)) for value in _stored_texts(app)) > 300
    files = _assert_exports_clean(app, wid)
    # What the ways in would have stored: the same rows read back from the workbook change
    # nothing but the dropped characters, so the file still imports.
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, files["xlsx"], LIMIT)
        db.session.rollback()
    assert not result.problems
