"""A backup or workbook linking a risk to a factor that is not a barrier, or to a row that does
not exist, is refused with the row named, and nothing is written."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from openpyxl import load_workbook

from tests.conftest import login, make_user
from tests.integration.test_exchange_backup import export_json, make_demo, row_counts
from tests.integration.test_exchange_workbook import LIMIT, column_of, edited, export, plan
from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.extensions import db
from workbench.models import User
from workbench.services import exchange, exchange_workbook
from workbench.services.tenancy import allow_system_access, scope_session

NOT_A_BARRIER = "a risk can only come from a barrier of the assessment"


def _keys(rows: list[dict[str, Any]], polarity: str) -> list[str]:
    return [row["key"] for row in rows if row["polarity"] == polarity]


def _broken_backups(good: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    """Backups that each break one rule of the risk links, with what the refusal must say."""
    factors = good["registers"]["factors"]
    enabler = next(row for row in factors if row["polarity"] == "enabler")
    linked = good["registers"]["risk_factors"][0]["factor"]
    barrier = next(row for row in factors if row["key"] == linked)

    def changed(edit: Any) -> bytes:
        document = json.loads(json.dumps(good))
        edit(document["registers"])
        return json.dumps(document).encode()

    def to_enabler(registers: dict[str, Any]) -> None:
        registers["risk_factors"][1]["factor"] = enabler["key"]

    def barrier_turned_driver(registers: dict[str, Any]) -> None:
        row = next(r for r in registers["factors"] if r["key"] == linked)
        row["polarity"] = "driver"

    def no_such_factor(registers: dict[str, Any]) -> None:
        registers["risk_factors"][0]["factor"] = "F99999"

    def no_such_initiative(registers: dict[str, Any]) -> None:
        registers["risk_initiatives"][2]["initiative"] = "I99999"

    return {
        "enabler": (
            changed(to_enabler),
            f"risk_factors row 2: factor: {enabler['key']} “{enabler['title'][:57]}",
        ),
        "barrier turned driver": (
            changed(barrier_turned_driver),
            f"risk_factors row 1: factor: {linked} “{barrier['title'][:57]}",
        ),
        "no such factor": (
            changed(no_such_factor),
            "risk_factors row 1: factor: F99999 is not a row of that register",
        ),
        "no such initiative": (
            changed(no_such_initiative),
            "risk_initiatives row 3: initiative: I99999 is not a row of that register",
        ),
    }


def test_a_backup_with_a_bad_risk_link_is_refused_and_nothing_is_written(app: Flask) -> None:
    user_id, workspace_id = make_demo(app)
    good = export_json(app, workspace_id)
    assert _keys(good["registers"]["factors"], "enabler")
    before = row_counts(app)
    for label, (raw, expected) in _broken_backups(good).items():
        with pytest.raises(ExchangeRefusedError) as refused:
            backup.load(raw)
        problems = refused.value.problems
        assert any(p.startswith(expected) for p in problems), (label, problems)
        if "factor:" in expected and "not a row" not in expected:
            assert NOT_A_BARRIER in " ".join(problems), label
        assert len(problems) == 1, (label, problems)
        assert row_counts(app) == before, label
    # The demo's own backup, with every risk on a barrier, still restores.
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, user_id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(good).encode()))
        db.session.rollback()
    assert report.rows > 300


def test_the_restore_page_names_the_row_of_a_risk_not_on_a_barrier(
    app: Flask, client: FlaskClient
) -> None:
    _user_id, workspace_id = make_demo(app)
    good = export_json(app, workspace_id)
    raw, expected = _broken_backups(good)["enabler"]
    person = make_user(app, "rhea.risks@example.org", "Rhea Restorer")
    login(client, person)
    before = row_counts(app)
    answer = client.post(
        "/workspaces/restore",
        data={"name": "", "upload": (io.BytesIO(raw), "backup.json")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert str(escape(expected)) in page and NOT_A_BARRIER in page
    assert row_counts(app) == before


def _sheet_rows(book: Any, title: str) -> list[dict[str, Any]]:
    """A sheet's rows as dicts by header."""
    sheet = book[title]
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_a_workbook_with_a_bad_risk_link_is_refused_and_nothing_changes(app: Flask) -> None:
    _user, workspace_id = make_demo(app)
    raw = export(app, workspace_id)
    book = load_workbook(io.BytesIO(raw))
    factors = _sheet_rows(book, "Factors")
    links = _sheet_rows(book, "Risk barriers")
    enabler = _keys(factors, "enabler")[0]
    first_risk = _sheet_rows(book, "Risks")[0]["key"]
    taken = {row["factor"] for row in links if row["risk"] == first_risk}
    free = next(key for key in _keys(factors, "barrier") if key not in taken)

    def risk_to_enabler(book: Any) -> None:
        sheet = book["Risk barriers"]
        sheet.cell(row=3, column=column_of(sheet, "factor")).value = enabler

    def linked_barrier_turned_driver(book: Any) -> None:
        sheet = book["Factors"]
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=1).value == links[0]["factor"]:
                sheet.cell(row=row, column=column_of(sheet, "polarity")).value = "driver"

    def new_link(factor: str) -> Any:
        return lambda book: book["Risk barriers"].append([None, first_risk, factor])

    def no_such_factor(book: Any) -> None:
        sheet = book["Risk barriers"]
        sheet.cell(row=2, column=column_of(sheet, "factor")).value = "F99999"

    def no_such_initiative(book: Any) -> None:
        sheet = book["Risk mitigations"]
        sheet.cell(row=4, column=column_of(sheet, "initiative")).value = "I99999"

    cases = {
        "risk to enabler": (risk_to_enabler, "Risk barriers row 3: factor: " + enabler),
        "linked barrier turned driver": (
            linked_barrier_turned_driver,
            "Risk barriers row 2: factor: " + links[0]["factor"],
        ),
        "new link to enabler": (new_link(enabler), f"Risk barriers row {len(links) + 2}"),
        "no such factor": (no_such_factor, "Risk barriers row 2: factor: F99999 is not a row"),
        "no such initiative": (
            no_such_initiative,
            "Risk mitigations row 4: initiative: I99999 is not a row",
        ),
    }
    before = row_counts(app)
    for label, (edit, expected) in cases.items():
        bad = edited(raw, edit)
        result = plan(app, workspace_id, bad)
        assert any(p.startswith(expected) for p in result.problems), (label, result.problems)
        if "99999" not in expected:
            assert NOT_A_BARRIER in " ".join(result.problems), label
        assert not result.has_changes, label
        with app.app_context():
            scope_session(db.session, workspace_id)
            with pytest.raises(ExchangeRefusedError):
                exchange_workbook.apply_import(db.session, bad, LIMIT, result.fingerprint)
            db.session.rollback()
        assert row_counts(app) == before, label
    # Linking a risk to another barrier is a change like any other, and applies.
    good = edited(raw, new_link(free))
    result = plan(app, workspace_id, good)
    assert result.problems == [] and result.counts() == (1, 0, 0)
    with app.app_context():
        scope_session(db.session, workspace_id)
        exchange_workbook.apply_import(db.session, good, LIMIT, result.fingerprint)
        db.session.commit()
    assert row_counts(app)["RiskFactor"] == before["RiskFactor"] + 1
