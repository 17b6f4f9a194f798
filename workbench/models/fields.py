"""What one field of a register holds and the limits every way in applies to it.

A web form, an API field and an exchange column are each built from one of these (see
`workbench.models.catalogue`), so a limit is stated once and cannot differ between them.
Pure description: no Flask, no WTForms, no database session.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

# Kinds of value. `line` and `text` are cleaned with analysis.text.clean_text (line endings,
# control characters, NFC, surrounding space) before their length is checked.
KINDS = frozenset(
    {"line", "text", "choice", "choices", "integer", "number", "money", "date", "boolean"}
)
# Plain numbers stay within what a double holds exactly enough for people to type.
NUMBER_LIMIT = 1e12
# Money columns are Numeric(14, 2): whole units up to twelve digits.
MONEY_MAX = Decimal("999999999999")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a register: its name, label, kind, required-ness, limits and choices."""

    name: str
    label: str
    kind: str
    required: bool = False
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label), in the order offered
    default: Any = None
    nullable: bool = False
    enum_type: type[enum.Enum] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")
        if self.kind in {"line", "text"} and not self.max_length:
            raise ValueError(f"{self.name}: a text field needs its maximum length")

    @property
    def values(self) -> tuple[str, ...]:
        """The accepted values of a choice field, in order."""
        return tuple(value for value, _label in self.choices)

    @property
    def low(self) -> float | None:
        """The smallest accepted number (money is never negative)."""
        if self.minimum is not None:
            return self.minimum
        return {"number": -NUMBER_LIMIT, "money": 0.0}.get(self.kind)

    @property
    def high(self) -> float | None:
        """The largest accepted number."""
        if self.maximum is not None:
            return self.maximum
        return {"number": NUMBER_LIMIT, "money": float(MONEY_MAX)}.get(self.kind)

    def but(self, **changes: Any) -> FieldSpec:
        """Return a copy with some attributes changed (another label, say)."""
        return replace(self, **changes)


def line(name: str, label: str, max_length: int, required: bool = False) -> FieldSpec:
    """A single line of text."""
    return FieldSpec(name, label, "line", required, max_length, default="")


def text(name: str, label: str, max_length: int, required: bool = False) -> FieldSpec:
    """Several lines of text."""
    return FieldSpec(name, label, "text", required, max_length, default="")


# Values whose words a plain capitalisation would garble ("Sms").
SPECIAL_LABELS = {
    "sms": "Text message (SMS)",
    "app_notification": "App notification",
    "field_service": "Field service visit",
}


def labelled(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Choices labelled as people read them: "partial_refund" -> "Partial refund"."""
    return tuple(
        (value, SPECIAL_LABELS.get(value) or value.replace("_", " ").capitalize())
        for value in values
    )


def enum_choices(
    kind: type[enum.Enum], labels: dict[Any, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """The members of a string enum as choices, labelled from `labels` or capitalised."""
    return tuple(
        (member.value, (labels or {}).get(member) or member.value.replace("_", " ").capitalize())
        for member in kind
    )


def choice(
    name: str,
    label: str,
    choices: tuple[tuple[str, str], ...],
    default: str | None = None,
    *,
    required: bool = False,
    nullable: bool = False,
    enum_type: type[enum.Enum] | None = None,
) -> FieldSpec:
    """One of fixed values; without a default (and not nullable) a value must be given."""
    return FieldSpec(
        name,
        label,
        "choice",
        required,
        choices=choices,
        default=default,
        nullable=nullable,
        enum_type=enum_type,
    )


def choices(name: str, label: str, values: tuple[str, ...]) -> FieldSpec:
    """Any number of fixed values."""
    return FieldSpec(name, label, "choices", choices=labelled(values), default=())


def integer(
    name: str,
    label: str,
    low: int,
    high: int,
    default: int | None = None,
    *,
    labels: dict[int, str] | None = None,
    nullable: bool = False,
    required: bool = False,
) -> FieldSpec:
    """A whole number from `low` to `high`; `labels` names each value of a small scale."""
    scale = (
        tuple((str(n), (labels or {}).get(n, str(n))) for n in range(low, high + 1))
        if labels
        else ()
    )
    return FieldSpec(
        name,
        label,
        "integer",
        required,
        minimum=low,
        maximum=high,
        choices=scale,
        default=default,
        nullable=nullable,
    )


def number(
    name: str,
    label: str,
    low: float | None = None,
    high: float | None = None,
    required: bool = False,
) -> FieldSpec:
    """A number with decimals; optional (empty is None) unless required."""
    return FieldSpec(
        name, label, "number", required, minimum=low, maximum=high, nullable=not required
    )


def money(name: str, label: str) -> FieldSpec:
    """An optional, non-negative amount with two decimals."""
    return FieldSpec(name, label, "money", nullable=True)


def day(name: str, label: str, required: bool = False) -> FieldSpec:
    """A calendar date; optional unless required."""
    return FieldSpec(name, label, "date", required, nullable=not required)


def flag(name: str, label: str) -> FieldSpec:
    """Yes or no, no by default."""
    return FieldSpec(name, label, "boolean", default=False)
