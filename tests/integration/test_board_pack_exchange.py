"""Packs and commentary in the JSON backup and the workbook, and migration 0033 down and up."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import inspect, select, text

from tests.conftest import BASE_CONFIG
from workbench.app import create_app
from workbench.exchange import backup
from workbench.extensions import db
from workbench.models import SectionCommentary, StoryboardPack, User, Workspace
from workbench.services import board_packs, exchange, exchange_workbook
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _fill(app: Flask, wid: int) -> None:
    with app.app_context():
        scope_session(db.session, wid)
        board_packs.save_commentary(db.session, "summary", None, "Fund it.\n\n- 先做 😀")
        board_packs.save_commentary(db.session, "risks", None, "مخاطر")
        board_packs.create_pack(db.session, "Audit committee", ["risks", "summary"])
        db.session.commit()


def test_backup_and_workbook_carry_packs_and_commentary(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        workspace = db.session.get_one(Workspace, wid)
        first = json.loads(run_export(db.session, workspace, "json"))
        raw = run_export(db.session, workspace, "xlsx")
    registers = first["registers"]
    packs = {row["name"]: row for row in registers["storyboard_packs"]}
    assert set(packs) == {"Board", "Leadership team", "Front line", "Audit committee"}
    assert packs["Audit committee"]["sections"] == "risks,summary"
    views = {row["section"]: row["body"] for row in registers["section_commentary"]}
    assert views == {"summary": "Fund it.\n\n- 先做 😀", "risks": "مخاطر"}
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
    for document in (first, second):
        document.pop("exported_at")
        document["workspace"].pop("name")
    assert second == first
    # A backup from before packs: the restored workspace gets the starting packs.
    del older["registers"]["storyboard_packs"], older["registers"]["section_commentary"]
    with app.app_context():
        allow_system_access(db.session)
        owner = db.session.get_one(User, team["facilitator"].id)
        report = exchange.restore(db.session, owner, backup.load(json.dumps(older).encode()))
        db.session.commit()
        scope_session(db.session, report.workspace_id)
        names = [p.name for p in db.session.scalars(select(StoryboardPack))]
        assert sorted(names) == ["Board", "Front line", "Leadership team"]
        assert db.session.scalars(select(SectionCommentary)).all() == []
    # A section that does not exist is refused with its place.
    bad = json.loads(json.dumps(older))
    bad["registers"]["section_commentary"] = [{"key": "SV1", "section": "<script>", "body": ""}]
    with pytest.raises(backup.ExchangeRefusedError) as refusal:
        backup.load(json.dumps(bad).encode())
    assert "section" in str(refusal.value.problems)
    # The workbook has a sheet for each, and an edited view is one change.
    book = load_workbook(io.BytesIO(raw))
    assert "Storyboard packs" in book.sheetnames and "Our view" in book.sheetnames
    sheet = book["Our view"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("body") + 1).value = "Rewritten in the workbook"
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        scope_session(db.session, wid)
        result = exchange_workbook.plan_import(db.session, buffer.getvalue(), 10_000_000)
        db.session.rollback()
    assert result.problems == []
    assert result.counts() == (0, 1, 0)


def test_a_restored_pack_with_unknown_sections_still_renders(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(StoryboardPack).where(StoryboardPack.name == "Board")).one()
        row.sections = "nowhere,risks,risks"
        db.session.commit()
        assert board_packs.resolve_pack(db.session, "board").sections == ("risks",)


def test_the_migration_adds_and_drops_packs(database_url: str, team: dict) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    wid = team["workspace_id"]
    _fill(app, wid)
    with app.app_context():
        downgrade(revision="0030_feeds")
        inspector = inspect(db.engine)
        assert "storyboard_pack" not in inspector.get_table_names()
        assert "section_commentary" not in inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("storyboard_snapshot")}
        assert "pack_key" not in columns and "pack_name" not in columns
        upgrade()
        inspector = inspect(db.engine)
        assert "section_commentary" in inspector.get_table_names()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT code, sections FROM storyboard_pack WHERE workspace_id = :w"),
                {"w": wid},
            ).all()
        assert sorted(code for code, _s in rows) == ["board", "front-line", "leadership-team"]
        scope_session(db.session, wid)
        assert board_packs.resolve_pack(db.session, "Front line").sections == (
            "summary",
            "operating",
            "metrics",
        )
        board_packs.save_commentary(db.session, "summary", None, "Again.")
        db.session.commit()
        db.engine.dispose()
