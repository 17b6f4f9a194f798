"""The field catalogue's shared part: the register type, common lengths and common fields.

A department, an owner or a title is offered the same length in every register that
has one; the registers themselves are in the phase modules beside this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.models.fields import FieldSpec, choice, line
from workbench.models.vocabulary import CURRENCIES, DEFAULT_CURRENCY

# Lengths shared by several registers: a department name is the same thing everywhere.
NAME_MAX = 160
TITLE_MAX = 200
OWNER_MAX = 120
DEPARTMENT_MAX = 80
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000


@dataclass(frozen=True)
class RegisterSpec:
    """A register: its name and its fields in the order they are shown and exchanged."""

    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """Return the field called `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")


def department(required: bool = False) -> FieldSpec:
    """The department a row belongs to: a register key, or a name the register finds or adds."""
    return line("department", "Department", DEPARTMENT_MAX, required)


def owner() -> FieldSpec:
    """The person answerable for a row."""
    return line("owner", "Owner", OWNER_MAX)


def currency(required: bool = False) -> FieldSpec:
    """An amount's currency, from the one list of currencies."""
    listed = tuple((c, c) for c in CURRENCIES)
    if required:
        return choice("currency", "Currency", listed, DEFAULT_CURRENCY, required=True)
    return choice("currency", "Currency", listed, nullable=True)
