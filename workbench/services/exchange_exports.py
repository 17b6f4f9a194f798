"""Every export format, by name: the CLI, the export jobs and the web pages read this table.

A format registers by adding an `Exporter` to `EXPORTERS`; its function receives a session
scoped to the workspace and the workspace, and returns the file's bytes. It must only read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from workbench.exchange import archimate, backup, csv_files, stratml, workbook
from workbench.models import Workspace
from workbench.services import exchange, exchange_extras
from workbench.services.exchange_gather import gather


@dataclass(frozen=True)
class Exporter:
    """One export format: how it is shown, named and served, and the function making it."""

    label: str
    suffix: str
    mimetype: str
    function: Callable[[Session, Workspace], bytes]
    description: str = ""


def _json_backup(session: Session, workspace: Workspace) -> bytes:
    return backup.dump(
        exchange.workspace_texts(workspace),
        exchange.collect(session),
        exchange_extras.branding_for_backup(session),
        exchange_extras.feeds_for_backup(session),
    )


def _workbook(session: Session, workspace: Workspace) -> bytes:
    return workbook.write(
        exchange.collect(session, exchange.id_keys),
        workspace.name,
        exchange_extras.accent_for_workbook(session),
    )


def _csv_zip(session: Session, workspace: Workspace) -> bytes:
    return csv_files.write_zip(exchange.collect(session, exchange.id_keys))


def _stratml_plan(session: Session, workspace: Workspace) -> bytes:
    return stratml.build_performance_plan(gather(session, workspace))


def _stratml_core(session: Session, workspace: Workspace) -> bytes:
    return stratml.build_strategic_plan(gather(session, workspace))


def _archimate(session: Session, workspace: Workspace) -> bytes:
    return archimate.build_model(gather(session, workspace))


EXPORTERS: dict[str, Exporter] = {
    "json": Exporter(
        "JSON backup",
        ".json",
        "application/json",
        _json_backup,
        "The whole workspace in one file; restore it as a new workspace.",
    ),
    "xlsx": Exporter(
        "Excel workbook",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _workbook,
        "One sheet per register; edit it and import it back to update this workspace.",
    ),
    "csv": Exporter(
        "CSV files (zip)",
        ".zip",
        "application/zip",
        _csv_zip,
        "One CSV file per register, packed in a zip.",
    ),
    "stratml": Exporter(
        "StratML performance plan",
        ".xml",
        "application/xml",
        _stratml_plan,
        "StratML Part 2: goals, objectives, performance indicators with targets and results, "
        "stakeholders, and the TQM principles as values.",
    ),
    "stratml-core": Exporter(
        "StratML strategic plan",
        ".xml",
        "application/xml",
        _stratml_core,
        "StratML Part 1 (ISO 17469-1): the plan's vision, mission, values, goals and objectives.",
    ),
    "archimate": Exporter(
        "ArchiMate model",
        ".xml",
        "application/xml",
        _archimate,
        "The Open Group exchange format with one view, for enterprise-architecture tools.",
    ),
}


def export_filename(workspace: Workspace, name: str) -> str:
    """A safe download file name: the workspace name in plain characters and the suffix."""
    ascii_name = unicodedata.normalize("NFKD", workspace.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "workspace"
    return f"{slug}{EXPORTERS[name].suffix}"


def run_export(session: Session, workspace: Workspace, name: str) -> bytes:
    """Produce one export of the (scoped) workspace by format name."""
    return EXPORTERS[name].function(session, workspace)


def register_names() -> list[str]:
    """The registers that can be exported alone, as one CSV file each."""
    return csv_files.register_names()


def run_register_export(session: Session, register: str) -> bytes:
    """One register of the (scoped) workspace as CSV, with the workbook's keys."""
    table = csv_files.table_named(register)
    if table is None:
        raise KeyError(register)
    return csv_files.write_register(table, exchange.collect(session, exchange.id_keys)[table.name])


def register_filename(workspace: Workspace, register: str) -> str:
    """The download name of one register's CSV file."""
    return export_filename(workspace, "csv").removesuffix(".zip") + f"-{register}.csv"


__all__: list[Any] = [
    "EXPORTERS",
    "Exporter",
    "export_filename",
    "register_filename",
    "register_names",
    "run_export",
    "run_register_export",
]
