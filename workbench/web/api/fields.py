"""Declarative field descriptions: they check JSON input and describe it in the OpenAPI document.

Output is described from the model's own columns, so what the API sends and what the
document promises cannot drift apart.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Enum, Float, Integer, Numeric
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.types import JSON

from workbench.analysis.text import clean_text
from workbench.models.base import UtcDateTime
from workbench.models.catalogue.shared import RegisterSpec
from workbench.models.fields import MONEY_MAX, NUMBER_LIMIT, FieldSpec

ID_MAX = 2_147_483_647
LIST_MAX = 500
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What clean_text trims or drops (whitespace, control characters): a required text needs
# one character outside this set. The patterns mean the same in Python's and ECMA-262's
# dialects; `(?![\s\S])` ends the text where Python's `$` would also allow a final newline.
_BLANK = r"\s\x00-\x1f\x7f-\x9f"
VISIBLE_PATTERN = f"[^{_BLANK}]"
LINE_PATTERN = r"^[^\r\n]*(?![\s\S])"
REQUIRED_LINE_PATTERN = rf"^[^\r\n]*{VISIBLE_PATTERN}[^\r\n]*(?![\s\S])"


@dataclass(frozen=True)
class Field:
    """One writable field: its JSON type and the limits the web form applies too."""

    name: str
    kind: str  # line, text, enum, integer, number, money, date, boolean, id, ids, choices
    required: bool = False
    max_length: int = 0
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    default: Any = None
    description: str = ""
    enum_type: type[enum.Enum] | None = None

    def schema(self) -> dict[str, Any]:
        """Return the JSON Schema of the field's accepted values."""
        base: dict[str, Any]
        if self.kind in {"line", "text"}:
            base = self._text_schema()
        elif self.kind == "enum":
            base = {"type": "string", "enum": list(self.choices)}
        elif self.kind == "integer":
            base = {"type": "integer"}
        elif self.kind == "number":
            base = {"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}
        elif self.kind == "money":
            base = {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX)}
        elif self.kind == "date":
            base = {"type": "string", "format": "date"}
        elif self.kind == "boolean":
            base = {"type": "boolean"}
        elif self.kind == "id":
            base = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        elif self.kind == "ids":
            base = {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                "maxItems": LIST_MAX,
            }
        else:  # choices
            base = {"type": "array", "items": {"type": "string", "enum": list(self.choices)}}
        if self.minimum is not None:
            base["minimum"] = self.minimum
        if self.maximum is not None:
            base["maximum"] = self.maximum
        # An optional text may be sent as null: it is stored as empty text.
        optional_text = self.kind in {"line", "text"} and not self.required
        if self.nullable or optional_text:
            base = {"anyOf": [base, {"type": "null"}]}
        if self.description:
            base["description"] = self.description
        return base

    def _text_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.required:
            schema["minLength"] = 1
        if self.kind == "line":
            schema["pattern"] = REQUIRED_LINE_PATTERN if self.required else LINE_PATTERN
        elif self.required:
            schema["pattern"] = VISIBLE_PATTERN
        return schema


# Catalogue kinds as API kinds; `id` and `ids` (references) are the API's own.
_KIND = {
    "line": "line",
    "text": "text",
    "choice": "enum",
    "choices": "choices",
    "integer": "integer",
    "number": "number",
    "money": "money",
    "date": "date",
    "boolean": "boolean",
}


def from_spec(spec: FieldSpec, **changes: Any) -> Field:
    """The API field of a catalogue field: same name, limits, choices and default."""
    kind = _KIND[spec.kind]
    bounded = kind in {"integer", "number"}
    field = Field(
        spec.name,
        kind,
        required=spec.required,
        max_length=spec.max_length or 0,
        choices=spec.values,
        minimum=spec.minimum if bounded else None,
        maximum=spec.maximum if bounded else None,
        nullable=spec.nullable,
        default=list(spec.default) if kind == "choices" else spec.default,
        enum_type=spec.enum_type,
    )
    return replace(field, **changes)


def from_register(register: RegisterSpec, *names: str) -> tuple[Field, ...]:
    """The API fields of the named catalogue fields of a register, in the order given."""
    return tuple(from_spec(register.field(name)) for name in names)


class FieldErrors(Exception):
    """Input that does not fit the fields; maps each field name to a message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def _text(field: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid text") from None
    # Length and line breaks are judged on the text as sent, as the document states them;
    # cleaning may only shorten it (or, rarely, lengthen it under NFC: checked again below).
    if len(value) > field.max_length:
        raise ValueError(f"must be at most {field.max_length} characters")
    if field.kind == "line" and ("\n" in value or "\r" in value):
        raise ValueError("must be a single line")
    cleaned = clean_text(value)
    if field.required and not cleaned:
        raise ValueError("is required")
    if len(cleaned) > field.max_length:
        raise ValueError(f"must be at most {field.max_length} characters")
    return cleaned


def _number(field: Field, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not math.isfinite(value) or abs(value) > NUMBER_LIMIT:
        raise ValueError("must be a number between -1e12 and 1e12")
    return float(value)


def whole_number(value: Any) -> int | None:
    """Return a JSON value as an int if it is a whole number (3 or 3.0), else None."""
    # JSON Schema counts 3.0 as an integer, so a client following the document may send it.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _convert(field: Field, value: Any) -> Any:
    """Return the service value for one JSON value, or raise ValueError with the problem."""
    if value is None:
        if field.nullable:
            return None
        if field.kind in {"line", "text"} and not field.required:
            return ""
        raise ValueError("must not be null")
    kind = field.kind
    if kind in {"line", "text"}:
        return _text(field, value)
    if kind == "enum":
        if value not in field.choices:
            raise ValueError("must be one of: " + ", ".join(field.choices))
        return field.enum_type(value) if field.enum_type else value
    if kind in {"integer", "id"}:
        value = whole_number(value)
        if value is None:
            raise ValueError("must be a whole number")
        low = 1 if kind == "id" else field.minimum
        high = ID_MAX if kind == "id" else field.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"must be from {low:g} to {high:g}" if high else "is out of range")
        return value
    if kind == "number":
        number = _number(field, value)
        if field.minimum is not None and number < field.minimum:
            raise ValueError(f"must be at least {field.minimum:g}")
        if field.maximum is not None and number > field.maximum:
            raise ValueError(f"must be at most {field.maximum:g}")
        return number
    if kind == "money":
        number = _number(field, value)
        try:
            amount = Decimal(repr(number)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError("must be an amount such as 1250.50") from None
        if amount < 0 or amount > MONEY_MAX:
            raise ValueError(f"must be an amount from 0 to {MONEY_MAX}")
        return amount
    if kind == "date":
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError("must be a date as yyyy-mm-dd")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a real date as yyyy-mm-dd") from None
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == "ids":
        if not isinstance(value, list) or len(value) > LIST_MAX:
            raise ValueError(f"must be a list of at most {LIST_MAX} ids")
        ids = [whole_number(v) for v in value]
        if any(v is None or not 1 <= v <= ID_MAX for v in ids):
            raise ValueError("must contain only ids (positive whole numbers)")
        return set(ids)
    # choices
    if not isinstance(value, list) or any(v not in field.choices for v in value):
        raise ValueError("must be a list of: " + ", ".join(field.choices))
    return list(dict.fromkeys(value))


def parse(
    fields: tuple[Field, ...],
    body: dict[str, Any],
    *,
    creating: bool,
    ignored: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Check a JSON object against the fields; return the given values converted.

    Names in `ignored` (read-only attributes of a row sent back as received) are skipped;
    any other unknown name is refused, so a typo never passes silently.
    """
    known = {f.name: f for f in fields}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in body:
        if name not in known and name not in ignored:
            errors[str(name)[:60]] = "is not a field of this resource"
    for field in fields:
        if field.name not in body:
            if creating and field.required:
                errors[field.name] = "is required"
            elif creating:
                values[field.name] = (
                    field.enum_type(field.default)
                    if field.enum_type and field.default is not None
                    else field.default
                )
            continue
        try:
            values[field.name] = _convert(field, body[field.name])
        except ValueError as problem:
            errors[field.name] = str(problem)
    if errors:
        raise FieldErrors(errors)
    return values


# --------------------------------------------------------------------------- output


def _column_schema(column: Any) -> dict[str, Any]:
    kind = column.type
    if isinstance(kind, Enum):
        schema: dict[str, Any] = {"type": "string", "enum": list(kind.enums)}
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Integer):
        schema = {"type": "integer"}
    elif isinstance(kind, Float | Numeric):
        schema = {"type": "number"}
    elif isinstance(kind, UtcDateTime):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(kind, Date):
        schema = {"type": "string", "format": "date"}
    elif isinstance(kind, JSON):
        schema = {}
    else:
        schema = {"type": "string"}
    if column.nullable and schema:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def columns(model: type) -> list[Any]:
    """Return the model's mapped columns in declaration order."""
    return list(sa_inspect(model).columns)


def row_schema(model: type, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the JSON Schema of a serialised row of the model."""
    properties = {column.key: _column_schema(column) for column in columns(model)}
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def serialise(row: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a row as a JSON-ready dict of its columns (plus any extra values)."""
    data = {column.key: _plain(getattr(row, column.key)) for column in columns(type(row))}
    data.update(extra or {})
    return data
