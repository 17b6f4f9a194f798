"""The JSON backup: a versioned document holding one workspace, and its strict reader.

Format (version 1), UTF-8 JSON:

    {"format": "service-recovery-workbench", "version": 1, "exported_at": "...",
     "workspace": {"name": ..., "industry": ..., "purpose": ..., ...},
     "registers": {"factors": [{"key": "F1", "category": ..., ...}, ...], ...},
     "branding": {"accent": ..., "logo": ...} or null, "feeds": [...]}

Every register of `schema.TABLES` is present, rows sorted as exported, keys local to the
file, references written as the keys of the rows they point at. `branding` and `feeds`
(workbench.exchange.backup_extras) came later; like the optional registers they may be left
out, so the version stays 1: a file without them restores with no branding and no feeds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workbench.exchange.backup_extras import parse_branding, parse_feeds
from workbench.exchange.schema import (
    TABLES,
    WORKSPACE_FIELDS,
    Problems,
    ValueProblem,
    check_key,
    check_rows,
    parse_value,
)

FORMAT_NAME = "service-recovery-workbench"
FORMAT_VERSION = 1
MAX_BACKUP_BYTES = 20 * 1024 * 1024


class ExchangeRefusedError(Exception):
    """A file that cannot be taken in; `problems` say why, each with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


@dataclass(frozen=True)
class Backup:
    """A checked backup: the workspace texts, every register's rows, branding and feeds.

    `branding` is None or {"accent": text or None, "logo": (kind, bytes) or None}, both still
    to be checked as an upload is; `feeds` are the feeds' settings, each naming its metric's key.
    """

    workspace: dict[str, Any]
    registers: dict[str, list[dict[str, Any]]]
    branding: dict[str, Any] | None = None
    feeds: list[dict[str, Any]] = field(default_factory=list)


def dump(
    workspace: dict[str, Any],
    registers: dict[str, list[dict[str, Any]]],
    branding: dict[str, Any] | None = None,
    feeds: list[dict[str, Any]] | None = None,
) -> bytes:
    """Serialise a workspace's exchange rows as the backup document (stable key order)."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "workspace": workspace,
        "registers": {table.name: registers.get(table.name, []) for table in TABLES},
        "branding": branding,
        "feeds": feeds or [],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise ValueProblem(f"the name {name[:40]!r} appears twice in one object")
        result[name] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueProblem(f"{name} is not a number JSON allows")


def parse_json(raw: bytes, max_bytes: int = MAX_BACKUP_BYTES) -> Any:
    """Decode and parse JSON strictly (size, UTF-8, no duplicate names, no NaN)."""
    if len(raw) > max_bytes:
        raise ExchangeRefusedError([f"The file is larger than {max_bytes // (1024 * 1024)} MB."])
    if not raw.strip():
        raise ExchangeRefusedError(["The file is empty."])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeRefusedError(["The file is not UTF-8 text, so it is not a backup."]) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except ValueProblem as problem:
        raise ExchangeRefusedError([f"Not a valid backup: {problem}"]) from None
    except (ValueError, RecursionError) as error:
        detail = str(error)[:120] if isinstance(error, json.JSONDecodeError) else "unreadable"
        raise ExchangeRefusedError([f"The file is not JSON ({detail})."]) from None


def _workspace(raw: Any, problems: Problems) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.add("workspace", "expected an object with the workspace's texts")
        return {}
    names = {column.name for column in WORKSPACE_FIELDS}
    for unknown in sorted(set(raw) - names)[:5]:
        problems.add("workspace", f"unknown field {unknown[:40]!r}")
    values = {}
    for column in WORKSPACE_FIELDS:
        try:
            values[column.name] = parse_value(column, raw.get(column.name))
        except ValueProblem as problem:
            problems.add("workspace", str(problem))
    return values


def parse_row(table_columns: Any, raw: Any, place: str, problems: Problems) -> dict[str, Any]:
    """Check one row object against its register's columns; return the typed row."""
    if not isinstance(raw, dict):
        problems.add(place, "expected an object")
        return {}
    names = {column.name for column in table_columns} | {"key"}
    for unknown in sorted(set(raw) - names)[:5]:
        problems.add(place, f"unknown field {unknown[:40]!r}")
    row: dict[str, Any] = {}
    try:
        row["key"] = check_key(raw.get("key"))
    except ValueProblem as problem:
        problems.add(place, str(problem))
        row["key"] = None
    for column in table_columns:
        value = raw.get(column.name)
        if column.kind == "list" and value is not None and not isinstance(value, list):
            problems.add(place, f"{column.name}: expected a list")
            continue
        try:
            row[column.name] = parse_value(column, value)
        except ValueProblem as problem:
            problems.add(place, str(problem))
    return row


def load(raw: bytes, max_bytes: int = MAX_BACKUP_BYTES) -> Backup:
    """Read and check a backup file completely; raise ExchangeRefusedError listing problems."""
    document = parse_json(raw, max_bytes)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ExchangeRefusedError(
            ["This is not a workbench backup (its 'format' is not service-recovery-workbench)."]
        )
    version = document.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ExchangeRefusedError(
            [
                f"The backup has format version {str(version)[:20]}; this workbench reads "
                f"version {FORMAT_VERSION}."
            ]
        )
    problems = Problems()
    for unknown in sorted(
        set(document)
        - {"format", "version", "exported_at", "workspace", "registers", "branding", "feeds"}
    )[:5]:
        problems.add("", f"unknown top-level field {unknown[:40]!r}")
    workspace = _workspace(document.get("workspace"), problems)
    registers_raw = document.get("registers")
    if not isinstance(registers_raw, dict):
        raise ExchangeRefusedError(["The backup has no 'registers' object."])
    known = {table.name for table in TABLES}
    for unknown in sorted(set(registers_raw) - known)[:5]:
        problems.add("registers", f"unknown register {unknown[:40]!r}")
    registers: dict[str, list[dict[str, Any]]] = {}
    placed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for table in TABLES:
        rows = registers_raw.get(table.name, [] if table.optional else None)
        if not isinstance(rows, list):
            problems.add(table.name, "missing, or not a list of rows")
            continue
        if len(rows) > table.max_rows:
            problems.add(table.name, f"more than {table.max_rows} rows")
            continue
        parsed = []
        for index, raw_row in enumerate(rows, start=1):
            place = f"{table.name} row {index}"
            row = parse_row(table.columns, raw_row, place, problems)
            parsed.append(row)
            placed.setdefault(table.name, []).append((place, row))
        registers[table.name] = parsed
    branding = parse_branding(document.get("branding"), problems)
    metric_keys = {row.get("key") for row in registers.get("metrics", [])}
    feeds = parse_feeds(document.get("feeds"), {k for k in metric_keys if k}, problems)
    if not problems:
        check_rows(placed, problems)
    if problems:
        raise ExchangeRefusedError(problems.items)
    return Backup(workspace, registers, branding, feeds)
