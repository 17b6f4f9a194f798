"""The JSON Schema of assessment instruments, and its refusals in words an author can act on.

The schema is ``assessments/instrument.schema.json`` (Draft 2020-12), published beside the
instruments so that editors can check a file while it is written. It is applied with
`jsonschema` with three deliberate differences from a plain JSON validator, because the
documents come from YAML: an integer is never a float (YAML reads ``1.0`` as a float), a
number is finite (YAML reads ``.nan``), and ``maxLength`` counts a text trimmed of
surrounding whitespace (a folded ``>`` block ends with a newline nobody sees).

A message comes from the schema's ``errorMessage`` where it has one (the ajv-errors
convention: one text, or one per keyword), otherwise from the keyword itself. Pure: the
only thing this module reads is the schema file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "assessments" / "instrument.schema.json"

# A place in a document: mapping keys and list indexes (counted from 0), outermost first.
Where = tuple[object, ...]


def _whole(_checker: object, value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _finite(_checker: object, value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _trimmed_max_length(
    validator: Any, most: int, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """maxLength on the trimmed text: surrounding whitespace (a YAML '>' newline) is free."""
    if isinstance(instance, str) and len(instance.strip()) > most:
        yield ValidationError(f"{instance!r} is too long")


# YAML gives 1.0 for "1.0" and .nan for "not a number": neither is a whole number or a weight,
# whereas plain JSON Schema counts 1.0 as an integer and NaN as a number.
_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _whole, "number": _finite})
_Validator = validators.extend(
    Draft202012Validator, validators={"maxLength": _trimmed_max_length}, type_checker=_TYPES
)


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return _Validator(schema)


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number"}


def _field(where: Where) -> str:
    return next((str(part) for part in reversed(where) if isinstance(part, str)), "items")


def _schema_message(error: ValidationError) -> str:
    """Return what an author should read for one schema error (not required/unknown keys)."""
    keyword, limit, value = error.validator, error.validator_value, error.instance
    custom = error.schema.get("errorMessage") if isinstance(error.schema, Mapping) else None
    if isinstance(custom, Mapping):
        custom = custom.get(keyword)
    if isinstance(custom, str):
        return custom
    name = _field(error.absolute_path)
    if keyword == "type":
        wanted = next(t for t in ([limit] if isinstance(limit, str) else limit) if t != "null")
        if wanted == "object":
            keys = ", ".join(error.schema.get("properties", ()))
            return f"must be a mapping with the keys {keys}" if keys else "must be a mapping"
        if wanted == "array":
            return f"must be a list of {name}"
        if wanted == "boolean":
            return "must be true or false"
        return f"must be {_TYPE_WORDS.get(wanted, wanted)}"
    if keyword == "minItems":
        return f"must hold at least one {name[:-1]}" if limit == 1 else f"must hold {limit}+ {name}"
    if keyword == "maxItems":
        return f"must hold at most {limit} {name} (it has {len(value)})"
    if keyword == "maxLength":
        return f"must be at most {limit} characters (it has {len(value.strip())})"
    words = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most"}
    if keyword in words:
        return f"must be {words[keyword]} {limit}"
    return str(error.message)  # a keyword this schema does not use yet: the library's own words


def schema_problems(document: object) -> list[tuple[Where, str]]:
    """Return every place the schema refuses, with its message, each place and message once."""
    return list(dict.fromkeys(_problems(document)))


def _problems(document: object) -> Iterator[tuple[Where, str]]:
    for error in _validator().iter_errors(document):
        where = tuple(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if name not in error.instance:
                    yield (*where, name), "is required"
        elif error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            known = ", ".join(allowed)
            for name in error.instance:
                if name not in allowed:
                    yield (*where, name), f"unknown key; the allowed keys are {known}"
        else:
            yield where, _schema_message(error)


def locate(document: object, where: Where) -> tuple[str, tuple[int, ...]]:
    """Return a place as authors read it (items from 1) and where it comes in the document.

    A list index reads dimensions[2]; a mapping key reads .key, even a number (scale.labels.6).
    A key missing from its mapping comes first in it, so "is required" precedes its siblings.
    """
    text, order, node = "", [], document
    for part in where:
        if isinstance(node, list) and isinstance(part, int):
            text += f"[{part + 1}]"
            order.append(part)
            node = node[part] if part < len(node) else None
            continue
        text += f".{part}" if text else str(part)
        if isinstance(node, Mapping) and part in node:
            order.append(list(node).index(part))
            node = node[part]
        else:
            order.append(-1)
            node = None
    return text or "document", tuple(order)
