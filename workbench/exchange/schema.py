"""The registers a workspace is exchanged as: their columns, types, limits and references.

One table spec serves the JSON backup, the workbook and the CSV files, so every format
checks a value the same way. Rows are plain dicts: column name -> Python value, with the
row's `key` and references written as the keys of the rows they point at.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.models import (
    Approach,
    Contribution,
    Direction,
    FactorCategory,
    InitiativeStatus,
    Perspective,
    Polarity,
    Priority,
)
from workbench.models.operating import CANVAS_KINDS, RACI_ROLES, SEVERITIES, STAKEHOLDER_KINDS
from workbench.services.communication import CADENCES
from workbench.services.journey import CHANNELS, STAGES
from workbench.services.metrics import FREQUENCIES
from workbench.services.playbook import COMPENSATION_TYPES, DETECTION_CHANNELS, RESPONSE_CHANNELS

TEXT_MAX = 20000
MAX_ROWS_PER_TABLE = 20000
KEY_MAX = 40
# C0/C1 control characters except tab and line feed; PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class Column:
    """One field of a register.

    kind: text, int, float, decimal, bool, date, choice, list, ref, user, principle.
    `ref` names the register a reference points at; `user` is an account's email and
    `principle` a TQM principle key, both looked up outside the workspace.
    """

    name: str
    kind: str = "text"
    max_length: int = TEXT_MAX
    required: bool = False
    nullable: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None
    default: Any = ""


@dataclass(frozen=True)
class Table:
    """A register: its name, key prefix, model attribute names and constraints."""

    name: str
    title: str
    prefix: str
    model: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    # A reference to the same register that must not loop (a tree or a dependency order).
    acyclic: tuple[tuple[str, str], ...] = ()
    max_rows: int = MAX_ROWS_PER_TABLE

    def column(self, name: str) -> Column:
        """Return the column called `name`."""
        return next(c for c in self.columns if c.name == name)


def _values(kind: type) -> tuple[str, ...]:
    return tuple(member.value for member in kind)  # type: ignore[attr-defined]


def _line(name: str, length: int, required: bool = False, nullable: bool = False) -> Column:
    default = None if nullable else ""
    return Column(name, "text", length, required, nullable, default=default)


def _int(name: str, low: int, high: int, default: int | None = 0, nullable: bool = False) -> Column:
    return Column(name, "int", minimum=low, maximum=high, default=default, nullable=nullable)


def _number(name: str, low: float | None = None, required: bool = False) -> Column:
    return Column(
        name, "float", required=required, nullable=not required, minimum=low, default=None
    )


def _choice(
    name: str, choices: tuple[str, ...], default: str | None, nullable: bool = False
) -> Column:
    return Column(name, "choice", 60, choices=choices, default=default, nullable=nullable)


def _ref(name: str, target: str, required: bool = True) -> Column:
    return Column(
        name, "ref", KEY_MAX, required=required, nullable=not required, ref=target, default=None
    )


def _date(name: str, required: bool = False) -> Column:
    return Column(name, "date", required=required, nullable=not required, default=None)


POSITION = _int("position", 0, 1_000_000)

TABLES: tuple[Table, ...] = (
    Table(
        "factors",
        "Factors",
        "F",
        "Factor",
        (
            _choice("category", _values(FactorCategory), None),
            _choice("polarity", _values(Polarity), None),
            _line("title", 200, required=True),
            Column("description"),
            _int("importance", 1, 5, 3),
            Column("evidence"),
            POSITION,
        ),
    ),
    Table(
        "responses",
        "Assessment answers",
        "R",
        "AssessmentResponse",
        (
            _line("instrument_key", 60, required=True),
            _int("instrument_version", 0, 1_000_000, 1),
            _line("question_key", 60, required=True),
            Column("respondent", "user", 254, required=True, default=None),
            _int("value", -1000, 1000, None),
            Column("note"),
        ),
        unique=(("instrument_key", "question_key", "respondent"),),
    ),
    Table(
        "friction",
        "Friction points",
        "J",
        "FrictionPoint",
        (
            _choice("stage_key", tuple(k for k, _ in STAGES), None),
            Column("description", required=True),
            _int("severity", 1, 5, 3),
            _choice("channel", tuple(k for k, _ in CHANNELS), "other"),
            Column("digital_opportunity"),
            POSITION,
        ),
    ),
    Table(
        "objectives",
        "Objectives",
        "O",
        "Objective",
        (
            _line("title", 200, required=True),
            Column("description"),
            _choice("perspective", _values(Perspective), None),
            _ref("parent", "objectives", required=False),
            _line("owner", 120),
            _date("due_date"),
            POSITION,
        ),
        acyclic=(("parent", "parent"),),
    ),
    Table(
        "initiatives",
        "Initiatives",
        "I",
        "Initiative",
        (
            _line("title", 200, required=True),
            Column("description"),
            _line("owner", 120),
            _line("department", 80),
            _choice("status", _values(InitiativeStatus), "proposed"),
            _choice("priority", _values(Priority), "medium"),
            Column("budget", "decimal", nullable=True, minimum=0, default=None),
            Column("spend", "decimal", nullable=True, minimum=0, default=None),
            _date("start_date"),
            _date("end_date"),
            _choice("approach", _values(Approach), None, nullable=True),
            POSITION,
        ),
    ),
    Table(
        "alignment",
        "Alignment matrix",
        "A",
        "InitiativeObjective",
        (
            _ref("initiative", "initiatives"),
            _ref("objective", "objectives"),
            _choice("contribution", _values(Contribution), None),
            Column("rationale"),
        ),
        unique=(("initiative", "objective"),),
    ),
    Table(
        "principles",
        "TQM principles",
        "P",
        "InitiativePrinciple",
        (
            _ref("initiative", "initiatives"),
            Column("principle", "principle", 60, required=True, default=None),
        ),
        unique=(("initiative", "principle"),),
    ),
    Table(
        "addressed",
        "Factors addressed",
        "X",
        "InitiativeFactor",
        (_ref("initiative", "initiatives"), _ref("factor", "factors")),
        unique=(("initiative", "factor"),),
    ),
    Table(
        "dependencies",
        "Dependencies",
        "D",
        "InitiativeDependency",
        (_ref("initiative", "initiatives"), _ref("depends_on", "initiatives")),
        unique=(("initiative", "depends_on"),),
        acyclic=(("initiative", "depends_on"),),
    ),
    Table(
        "stakeholders",
        "Stakeholders",
        "S",
        "Stakeholder",
        (
            _line("name", 160, required=True),
            _choice("kind", STAKEHOLDER_KINDS, "team"),
            _int("interest", 1, 5, 3),
            _int("influence", 1, 5, 3),
            Column("notes"),
        ),
    ),
    Table(
        "canvas",
        "Challenges and opportunities",
        "C",
        "CanvasItem",
        (
            _choice("kind", CANVAS_KINDS, None),
            _line("title", 200, required=True),
            Column("description"),
            POSITION,
        ),
    ),
    Table(
        "processes",
        "Processes",
        "PR",
        "Process",
        (
            _line("name", 160, required=True),
            Column("description"),
            _line("template_key", 60, nullable=True),
        ),
    ),
    Table(
        "steps",
        "Process steps",
        "PS",
        "ProcessStep",
        (
            _ref("process", "processes"),
            POSITION,
            _line("name", 120, required=True),
            Column("description"),
        ),
    ),
    Table(
        "raci",
        "RACI",
        "RA",
        "RaciAssignment",
        (
            _ref("step", "steps"),
            _ref("stakeholder", "stakeholders"),
            _choice("role", RACI_ROLES, None),
        ),
        unique=(("step", "stakeholder"),),
    ),
    Table(
        "org_units",
        "Organisation units",
        "U",
        "OrgUnit",
        (
            _choice("structure", ("current", "target"), None),
            _line("name", 160, required=True),
            Column("purpose"),
            _ref("parent", "org_units", required=False),
            _ref("source", "org_units", required=False),
        ),
        acyclic=(("parent", "parent"),),
    ),
    Table(
        "scenarios",
        "Failure scenarios",
        "SC",
        "FailureScenario",
        (
            _line("name", 160, required=True),
            Column("description"),
            _choice("severity", SEVERITIES, "medium"),
            Column("foreseeable", "bool", default=False),
            Column("detection_channels", "list", choices=DETECTION_CHANNELS, default=()),
            _line("responder", 160),
            Column("customer_message"),
            Column("response_channels", "list", choices=RESPONSE_CHANNELS, default=()),
            _choice("compensation_type", COMPENSATION_TYPES, "none"),
            _number("compensation_amount", 0),
            _line("currency", 3, nullable=True),
            _number("escalation_limit", 0),
            _int("target_response_minutes", 0, 1_000_000, None, nullable=True),
            Column("prevention_note"),
            _line("template_key", 80, nullable=True),
        ),
    ),
    Table(
        "scenario_initiatives",
        "Scenario initiatives",
        "SI",
        "ScenarioInitiative",
        (_ref("scenario", "scenarios"), _ref("initiative", "initiatives")),
        unique=(("scenario", "initiative"),),
    ),
    Table(
        "metrics",
        "Metrics",
        "M",
        "Metric",
        (
            _line("name", 160, required=True),
            Column("definition"),
            _line("unit", 20),
            _choice("direction", _values(Direction), None),
            _number("min_value"),
            _number("max_value"),
            _choice("frequency", FREQUENCIES, "monthly"),
            _line("owner", 120),
            _line("department", 80),
            _line("template_key", 60, nullable=True),
            POSITION,
        ),
    ),
    Table(
        "metric_objectives",
        "Metric objectives",
        "MO",
        "MetricObjective",
        (_ref("metric", "metrics"), _ref("objective", "objectives")),
        unique=(("metric", "objective"),),
    ),
    Table(
        "goals",
        "Goals",
        "G",
        "Goal",
        (
            _ref("metric", "metrics"),
            _number("baseline"),
            _date("baseline_date"),
            _number("target"),
            _date("target_date"),
            Column("rationale"),
        ),
        unique=(("metric",),),
    ),
    Table(
        "measurements",
        "Measurements",
        "ME",
        "Measurement",
        (
            _ref("metric", "metrics"),
            _date("measured_on", required=True),
            _number("value", required=True),
            _line("note", 500),
        ),
        unique=(("metric", "measured_on"),),
    ),
    Table(
        "plans",
        "Communication plans",
        "CP",
        "CommunicationPlan",
        (
            _line("department", 80, required=True),
            _line("audience", 200),
            _line("channel", 120),
            _choice("cadence", CADENCES, "monthly"),
            _line("owner", 120),
            Column("notes"),
        ),
    ),
    Table(
        "plan_metrics",
        "Plan metrics",
        "PM",
        "CommunicationMetric",
        (_ref("plan", "plans"), _ref("metric", "metrics")),
        unique=(("plan", "metric"),),
    ),
    Table(
        "economics",
        "Recovery economics",
        "E",
        "EconomicsCase",
        (
            _int("customers", 0, 10**12, None),
            _number("failure_rate", 0, required=True),
            _number("complaint_rate", 0, required=True),
            _number("recovery_success_rate", 0, required=True),
            _number("customer_lifetime_value", 0, required=True),
            _number("churn_unrecovered", 0, required=True),
            _number("churn_recovered", 0, required=True),
            _number("cost_per_recovery", 0, required=True),
            _number("programme_fixed_cost", 0, required=True),
            _line("currency", 3, required=True),
        ),
        max_rows=1,
    ),
)

TABLE_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

# The workspace's own texts travel with it (the name is chosen again on restore).
WORKSPACE_FIELDS: tuple[Column, ...] = (
    _line("name", 120, required=True),
    _line("industry", 80),
    *(
        Column(name)
        for name in (
            "purpose",
            "vision",
            "mission",
            "values",
            "corporate_goals",
            "current_state",
            "future_state",
            "analyst_perspective",
            "executive_summary",
        )
    ),
)


class ValueProblem(ValueError):
    """A value that does not fit its column; the message is safe to show."""


def clean_text(value: str) -> str:
    """Normalise text: NFC, Unix line endings, no control characters."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", value)


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
        text = clean_text(str(raw))
        if kind != "text":
            text = text.strip()
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
            text = str(item).strip() if isinstance(item, str) else None
            if text is None or text not in column.choices:
                allowed = ", ".join(column.choices)
                raise ValueProblem(f"{column.name}: {_show(item)} is not one of {allowed}")
            if text not in values:
                values.append(text)
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
    for table in TABLES:
        rows = rows_by_table.get(table.name, [])
        if len(rows) > table.max_rows:
            problems.add(table.title, f"more than {table.max_rows} rows")
        for unique in table.unique:
            seen_values: set[tuple[Any, ...]] = set()
            for place, row in rows:
                value = tuple(row.get(name) for name in unique)
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
