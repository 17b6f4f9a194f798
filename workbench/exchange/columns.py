"""Columns and registers: the shape every exchange format shares."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

TEXT_MAX = 20000
MAX_ROWS_PER_TABLE = 20000
KEY_MAX = 40


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


def values_of(kind: type[Enum]) -> tuple[str, ...]:
    """The values of a string enum, in order."""
    return tuple(member.value for member in kind)


def line(name: str, length: int, required: bool = False, nullable: bool = False) -> Column:
    """A single-line text column."""
    default = None if nullable else ""
    return Column(name, "text", length, required, nullable, default=default)


def integer(
    name: str, low: int, high: int, default: int | None = 0, nullable: bool = False
) -> Column:
    """A whole-number column within a range."""
    return Column(name, "int", minimum=low, maximum=high, default=default, nullable=nullable)


def number(name: str, low: float | None = None, required: bool = False) -> Column:
    """A decimal-point number column, optional unless required."""
    return Column(
        name, "float", required=required, nullable=not required, minimum=low, default=None
    )


def choice(
    name: str, choices: tuple[str, ...], default: str | None, nullable: bool = False
) -> Column:
    """A column holding one of fixed values."""
    return Column(name, "choice", 60, choices=choices, default=default, nullable=nullable)


def ref(name: str, target: str, required: bool = True) -> Column:
    """A reference to a row of a register, by its key."""
    return Column(
        name, "ref", KEY_MAX, required=required, nullable=not required, ref=target, default=None
    )


def day(name: str, required: bool = False) -> Column:
    """A date column."""
    return Column(name, "date", required=required, nullable=not required, default=None)
