"""Columns and registers: the shape every exchange format shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.models.catalogue.shared import RegisterSpec
from workbench.models.fields import FieldSpec

TEXT_MAX = 20000
MAX_ROWS_PER_TABLE = 20000
KEY_MAX = 40


@dataclass(frozen=True)
class TargetRule:
    """What a referenced row must hold: `accepts` is true of its `column`'s value.

    `refusal` says why a row is refused; it follows the target's key and title and may use
    {value}, the value found.
    """

    column: str
    accepts: Callable[[Any], bool]
    refusal: str


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
    # A department named by its display name in files; rows hold the register's key.
    department: bool = False
    # For a reference: what the row it points at must hold, beyond existing.
    target_rule: TargetRule | None = None


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
    # Groups of columns of which exactly one holds a value in every row.
    one_of: tuple[tuple[str, ...], ...] = ()
    # Columns added after files were first written: a file without them reads them as empty.
    added_later: tuple[str, ...] = ()
    # A register added after files were first exchanged: a file without it is still read
    # (as having no rows of it in a backup; as leaving it unchanged in a workbook).
    optional: bool = False
    # Whether an empty value in a unique rule counts as a value of its own (a reading for
    # the whole organisation is one "site"), rather than never colliding.
    empty_collides: bool = False

    def column(self, name: str) -> Column:
        """Return the column called `name`."""
        return next(c for c in self.columns if c.name == name)


# Catalogue kinds as exchange kinds; the catalogue's limits carry over unchanged.
_KIND = {
    "line": "text",
    "text": "text",
    "choice": "choice",
    "choices": "list",
    "integer": "int",
    "number": "float",
    "money": "decimal",
    "date": "date",
    "boolean": "bool",
}


def from_spec(spec: FieldSpec) -> Column:
    """The exchange column of a catalogue field: same name, limits, choices and default."""
    kind = _KIND[spec.kind]
    if kind == "text":
        return Column(
            spec.name,
            "text",
            spec.max_length or TEXT_MAX,
            spec.required,
            default="",
            department=spec.name == "department",
        )
    if kind == "choice":
        return Column(
            spec.name,
            "choice",
            60,
            spec.required,
            spec.nullable,
            spec.values,
            default=spec.default,
        )
    if kind == "list":
        return Column(spec.name, "list", choices=spec.values, default=())
    return Column(
        spec.name,
        kind,
        required=spec.required,
        nullable=spec.nullable,
        minimum=spec.low,
        maximum=spec.high,
        default=spec.default,
    )


def columns_of(register: RegisterSpec, *names: str) -> tuple[Column, ...]:
    """The columns of the named catalogue fields, in the order given (the file's order)."""
    return tuple(from_spec(register.field(name)) for name in names)


def line(name: str, length: int, required: bool = False, nullable: bool = False) -> Column:
    """A single-line text column."""
    default = None if nullable else ""
    return Column(name, "text", length, required, nullable, default=default)


def integer(
    name: str, low: int, high: int, default: int | None = 0, nullable: bool = False
) -> Column:
    """A whole-number column within a range."""
    return Column(name, "int", minimum=low, maximum=high, default=default, nullable=nullable)


def ref(name: str, target: str, required: bool = True, rule: TargetRule | None = None) -> Column:
    """A reference to a row of a register, by its key (and, given a rule, of a kind)."""
    return Column(
        name,
        "ref",
        KEY_MAX,
        required=required,
        nullable=not required,
        ref=target,
        default=None,
        target_rule=rule,
    )


# A row's place in its list (factors on the board, steps of a process, scenarios, metrics).
POSITION = integer("position", 0, 1_000_000)
