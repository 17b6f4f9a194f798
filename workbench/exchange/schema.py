"""Checking exchanged values and rows against the registers.

Rows are plain dicts: column name -> Python value, with the row's `key` and references
written as the keys of the rows they point at.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.analysis.text import clean_text
from workbench.exchange.columns import KEY_MAX, Column, Table
from workbench.exchange.registers import TABLE_BY_NAME, TABLES, WORKSPACE_FIELDS

__all__ = [
    "KEY_MAX",
    "TABLES",
    "TABLE_BY_NAME",
    "WORKSPACE_FIELDS",
    "Column",
    "Problems",
    "Table",
    "ValueProblem",
    "as_plain",
    "check_key",
    "check_rows",
    "find_cycle",
    "parse_value",
]

_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class ValueProblem(ValueError):
    """A value that does not fit its column; the message is safe to show."""


def _as_number(raw: Any, column: Column) -> float:
    if isinstance(raw, bool):
        raise ValueProblem(f"{column.name}: expected a number, got {raw!r}")
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip().replace(",", ""))
        except ValueError:
            raise ValueProblem(f"{column.name}: expected a number, got {_show(raw)}") from None
    if not math.isfinite(number):
        raise ValueProblem(f"{column.name}: expected a finite number")
    if column.minimum is not None and number < column.minimum:
        raise ValueProblem(f"{column.name}: must be at least {column.minimum:g}")
    if column.maximum is not None and number > column.maximum:
        raise ValueProblem(f"{column.name}: must be at most {column.maximum:g}")
    return number


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse_value(column: Column, raw: Any) -> Any:
    """Check and convert one incoming value for its column, or raise ValueProblem."""
    if _empty(raw) and column.kind != "list":
        if column.required:
            raise ValueProblem(f"{column.name}: a value is required")
        if column.kind in {"int", "choice"} and column.default is not None:
            return column.default
        if column.kind == "bool":
            return bool(column.default)
        return None if column.nullable or column.default is None else column.default
    kind = column.kind
    if kind in {"text", "ref", "user", "principle"}:
        if isinstance(raw, bool | dict | list):
            raise ValueProblem(f"{column.name}: expected text, got {_show(raw)}")
        # Text is carried as stored (see clean_text); keys and references are trimmed.
        text = clean_text(str(raw), trim=kind != "text")
        if len(text) > column.max_length:
            raise ValueProblem(f"{column.name}: longer than {column.max_length} characters")
        return text
    if kind == "choice":
        text = str(raw).strip()
        if text not in column.choices:
            allowed = ", ".join(column.choices)
            raise ValueProblem(f"{column.name}: {_show(raw)} is not one of {allowed}")
        return text
    if kind == "int":
        number = _as_number(raw, column)
        if number != int(number):
            raise ValueProblem(f"{column.name}: expected a whole number, got {_show(raw)}")
        return int(number)
    if kind == "float":
        return _as_number(raw, column)
    if kind == "decimal":
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueProblem(f"{column.name}: expected an amount, got {_show(raw)}") from None
        if not value.is_finite() or abs(value) >= Decimal("1e12"):
            raise ValueProblem(f"{column.name}: the amount is out of range")
        if column.minimum is not None and value < Decimal(str(column.minimum)):
            raise ValueProblem(f"{column.name}: must not be negative")
        if column.maximum is not None and value > Decimal(str(int(column.maximum))):
            raise ValueProblem(f"{column.name}: must be at most {int(column.maximum)}")
        return value.quantize(Decimal("0.01"))
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"yes", "true", "1"}:
            return True
        if text in {"no", "false", "0"}:
            return False
        raise ValueProblem(f"{column.name}: expected yes or no, got {_show(raw)}")
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            raise ValueProblem(f"{column.name}: expected a date such as 2026-03-31") from None
    if kind == "list":
        if _empty(raw):
            return []
        items = raw if isinstance(raw, list) else str(raw).split(",")
        values = []
        for item in items:
            choice = item.strip() if isinstance(item, str) else None
            if choice is None or choice not in column.choices:
                allowed = ", ".join(column.choices)
                raise ValueProblem(f"{column.name}: {_show(item)} is not one of {allowed}")
            if choice not in values:
                values.append(choice)
        return values
    raise AssertionError(f"unknown column kind {kind}")  # pragma: no cover


def check_key(raw: Any) -> str:
    """Check a row key: letters, digits, dot, dash and underscore, at most 40 characters."""
    if not isinstance(raw, str) or not _KEY.match(raw.strip()):
        raise ValueProblem(
            f"key: {_show(raw)} is not a key (letters, digits, '-', '_' or '.', up to 40)"
        )
    return raw.strip()


def as_plain(column: Column, value: Any) -> Any:
    """Turn a stored value into its exchange form (text, number, bool, list or None)."""
    if value is None:
        return None
    if hasattr(value, "value") and column.kind == "choice":
        return value.value
    if column.kind == "decimal":
        return format(Decimal(value).quantize(Decimal("0.01")), "f")
    if column.kind == "date":
        return value if isinstance(value, str) else value.isoformat()
    if column.kind == "float":
        return float(value)
    if column.kind == "list":
        return list(value)
    if column.kind == "text" and isinstance(value, str):
        # Every way in cleans text; a row stored before that (or by hand) is cleaned on the
        # way out, so no export carries a control character or fails on one.
        return clean_text(value, trim=False)
    return value


@dataclass
class Problems:
    """Problems found in a file, each with its place (register, row)."""

    items: list[str] = field(default_factory=list)
    limit: int = 200

    def add(self, place: str, message: str) -> None:
        """Record one problem (the list is capped so a hostile file cannot flood the page)."""
        if len(self.items) < self.limit:
            self.items.append(f"{place}: {message}" if place else message)

    def __bool__(self) -> bool:
        return bool(self.items)


def find_cycle(edges: list[tuple[str, str]]) -> list[str] | None:
    """Return one loop among key -> key edges, or None."""
    graph: dict[str, list[str]] = {}
    for source, target in edges:
        graph.setdefault(source, []).append(target)
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                if state.get(node) == 1:
                    return [*path[path.index(node) :], node]
                if state.get(node) == 2:
                    continue
                state[node] = 1
                path.append(node)
            children = graph.get(node, [])
            if index < len(children):
                stack.append((node, index + 1))
                stack.append((children[index], 0))
            else:
                state[node] = 2
                path.pop()
    return None


def _check_target(
    column: Column, found: dict[str, Any], target: str, place: str, problems: Problems
) -> None:
    """Refuse a reference whose row in the file does not hold what the column's rule asks."""
    rule = column.target_rule
    if rule is None or rule.accepts(found.get(rule.column)):
        return
    table = TABLE_BY_NAME[column.ref or ""]
    title = next((c.name for c in table.columns if c.kind == "text" and c.required), None)
    name = str(found.get(title) or "") if title else ""
    shown = f"{target} “{name if len(name) <= 60 else name[:57] + '...'}”" if name else target
    refusal = rule.refusal.format(value=found.get(rule.column))
    problems.add(place, f"{column.name}: {shown} {refusal}")


def check_rows(
    rows_by_table: dict[str, list[tuple[str, dict[str, Any]]]],
    problems: Problems,
    known: dict[str, set[str]] | None = None,
) -> None:
    """Check uniqueness, references and loops across registers of parsed rows.

    `rows_by_table` maps a register to (place, row) pairs, each row with its `key`.
    `known` adds keys that exist outside the rows (rows kept in the database).
    """
    keys: dict[str, set[str]] = {}
    for table in TABLES:
        seen: set[str] = set()
        for place, row in rows_by_table.get(table.name, []):
            key = row.get("key")
            if key is None:
                continue
            if key in seen:
                problems.add(place, f"key {key} is used twice in {table.title}")
            seen.add(key)
        keys[table.name] = seen | (known or {}).get(table.name, set())
    indexed: dict[str, dict[str, dict[str, Any]]] = {}

    def by_key(name: str) -> dict[str, dict[str, Any]]:
        """The file's rows of a register by key, indexed once when a rule first needs them."""
        if name not in indexed:
            rows = rows_by_table.get(name, [])
            indexed[name] = {row["key"]: row for _place, row in rows if row.get("key")}
        return indexed[name]

    for table in TABLES:
        rows = rows_by_table.get(table.name, [])
        if len(rows) > table.max_rows:
            problems.add(table.title, f"more than {table.max_rows} rows")
        for group in table.one_of:
            for place, row in rows:
                given = sum(1 for name in group if row.get(name) is not None)
                if given == 0:
                    problems.add(place, f"fill in {' or '.join(group)}")
                elif given > 1:
                    problems.add(place, f"fill in only one of {' and '.join(group)}")
        for unique in table.unique:
            seen_values: set[tuple[Any, ...]] = set()
            for place, row in rows:
                value = tuple(row.get(name) for name in unique)
                if None in value and not table.empty_collides:
                    continue  # as in the database: an empty value never collides
                if value in seen_values:
                    names = ", ".join(unique)
                    problems.add(place, f"the same {names} appears twice")
                seen_values.add(value)
        for column in table.columns:
            if column.kind != "ref":
                continue
            for place, row in rows:
                target = row.get(column.name)
                if target is not None and target not in keys[column.ref or ""]:
                    problems.add(place, f"{column.name}: {target} is not a row of that register")
                elif target is not None and column.target_rule is not None:
                    found = by_key(column.ref or "").get(target)
                    if found is not None:  # a row kept outside the file is not checked here
                        _check_target(column, found, target, place, problems)
        for source_name, target_name in table.acyclic:
            edges = []
            for _place, row in rows:
                if row.get(source_name if source_name != target_name else "key") is None:
                    continue
                source = row["key"] if source_name == target_name else row[source_name]
                target = row.get(target_name)
                if target is not None and source is not None:
                    edges.append((source, target))
            loop = find_cycle(edges)
            if loop:
                problems.add(table.title, f"{target_name} makes a loop: {' -> '.join(loop)}")
