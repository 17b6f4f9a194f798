"""Assessment instruments: their shape, and strict validation of parsed YAML documents.

The shape is a JSON Schema (Draft 2020-12), ``assessments/instrument.schema.json``,
published beside the instruments so that authors and their editors can check a file
while writing it. It says which keys exist (any other key is an error, so a misspelt key
is caught rather than silently ignored), which are required, their types, patterns,
lengths and counts. This module adds what a schema cannot say, as small rules:
``scale.min`` below ``scale.max`` and at most 10 apart, label points on the scale, dimension
keys unique within the instrument, question keys unique across the whole instrument, at
most 200 questions in all, and (in `validate_all`) instrument keys unique across files.
Texts are trimmed of surrounding whitespace before their length is checked; an optional
field left empty (null) takes its default.

Each problem names the file and the place in it, with list items numbered from 1, for
example ``assessments/readiness.yaml: dimensions[2].questions[1].weight: must be a
positive number``. Every problem in a file is collected, not only the first, in the
order of the document.

This module is pure: it receives already-parsed Python objects, never file contents; the
only file it reads is the schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from workbench.analysis.instrument_schema import Where, locate, schema_problems

MAX_SCALE_RANGE = 10
MAX_QUESTIONS = 200


class InstrumentError(Exception):
    """A problem in an instrument document, naming the file and the place within it."""

    def __init__(self, source: str, place: str, message: str) -> None:
        super().__init__(source, place, message)
        self.source = source
        self.place = place
        self.message = message

    def __str__(self) -> str:
        if self.place:
            return f"{self.source}: {self.place}: {self.message}"
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class Scale:
    """The answer scale of an instrument: whole numbers from min to max, some labelled."""

    min: int
    max: int
    labels: dict[int, str] = field(hash=False)

    @property
    def range(self) -> int:
        """Return the distance from the lowest to the highest point."""
        return self.max - self.min

    def points(self) -> tuple[int, ...]:
        """Return every point on the scale, lowest first."""
        return tuple(range(self.min, self.max + 1))

    def contains(self, value: object) -> bool:
        """Return whether a value is a whole number on this scale."""
        return _is_int(value) and self.min <= value <= self.max

    def reversed(self, value: int) -> int:
        """Return a value mirrored about the middle of the scale (min + max - value)."""
        return self.min + self.max - value

    def label(self, value: int) -> str:
        """Return the label of a point, or the number itself when it has none."""
        return self.labels.get(value, str(value))


@dataclass(frozen=True)
class Question:
    """One statement respondents rate on the instrument's scale."""

    key: str
    text: str
    weight: float = 1.0
    help: str = ""
    reverse: bool = False


@dataclass(frozen=True)
class Dimension:
    """A group of questions scored together, with its weight in the overall score."""

    key: str
    title: str
    description: str
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Instrument:
    """A whole assessment instrument: its scale and its dimensions of questions."""

    key: str
    title: str
    version: int
    description: str
    scale: Scale
    dimensions: tuple[Dimension, ...]

    def questions(self) -> tuple[Question, ...]:
        """Return every question, dimension by dimension, in the order written."""
        return tuple(question for dimension in self.dimensions for question in dimension.questions)

    def question(self, key: str) -> Question:
        """Return the question with this key, or raise KeyError."""
        for question in self.questions():
            if question.key == key:
                return question
        raise KeyError(key)

    def dimension(self, key: str) -> Dimension:
        """Return the dimension with this key, or raise KeyError."""
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _items(document: Mapping[object, object], name: str) -> list[tuple[int, Mapping[Any, Any]]]:
    """Return the mappings of a list in the document, with their indexes (others skipped)."""
    value = document.get(name)
    if not isinstance(value, list):
        return []
    return [(n, item) for n, item in enumerate(value) if isinstance(item, Mapping)]


def _scale_rules(document: Mapping[object, object]) -> Iterator[tuple[Where, str]]:
    """Minimum below maximum, at most MAX_SCALE_RANGE apart, labels on points of the scale."""
    scale = document.get("scale")
    if not isinstance(scale, Mapping):
        return
    low, high = scale.get("min"), scale.get("max")
    if not (_is_int(low) and _is_int(high)):
        return
    if low >= high:
        yield ("scale", "max"), f"must be greater than scale.min ({low})"
        return
    if high - low > MAX_SCALE_RANGE:
        yield ("scale", "max"), f"must be at most {MAX_SCALE_RANGE} above scale.min ({low})"
        return
    labels = scale.get("labels")
    for point in labels if isinstance(labels, Mapping) else ():
        if not (_is_int(point) and low <= point <= high):
            yield ("scale", "labels", point), f"must be a whole number from {low} to {high}"


def _unique_key_rules(document: Mapping[object, object]) -> Iterator[tuple[Where, str]]:
    """Dimension keys unique within the instrument, question keys across all its dimensions."""
    dimensions: dict[str, str] = {}
    questions: dict[str, str] = {}
    for d, dimension in _items(document, "dimensions"):
        place = f"dimensions[{d + 1}]"
        yield from _unique(dimension, ("dimensions", d), place, dimensions)
        for q, question in _items(dimension, "questions"):
            where = ("dimensions", d, "questions", q)
            yield from _unique(question, where, f"{place}.questions[{q + 1}]", questions)


def _unique(
    item: Mapping[Any, Any], where: Where, place: str, seen: dict[str, str]
) -> Iterator[tuple[Where, str]]:
    key = item.get("key")
    if not isinstance(key, str):
        return
    if key in seen:
        yield (*where, "key"), f"repeats the key '{key}' already used at {seen[key]}"
    else:
        seen[key] = place


def _question_total_rule(document: Mapping[object, object]) -> Iterator[tuple[Where, str]]:
    """At most MAX_QUESTIONS questions in the whole instrument."""
    total = sum(
        len(questions)
        for _, dimension in _items(document, "dimensions")
        if isinstance(questions := dimension.get("questions"), list)
    )
    if total > MAX_QUESTIONS:
        yield ("dimensions",), f"must hold at most {MAX_QUESTIONS} questions in all ({total})"


RULES = (_scale_rules, _unique_key_rules, _question_total_rule)


def check_instrument(
    document: object, source: str
) -> tuple[Instrument | None, list[InstrumentError]]:
    """Validate a parsed document, returning the instrument (if valid) and every problem found."""
    problems = schema_problems(document)
    if isinstance(document, Mapping):
        # One message per place: a rule is not repeated where the schema already objected.
        refused = {where for where, _ in problems}
        problems += [p for rule in RULES for p in rule(document) if p[0] not in refused]
    if not problems:
        assert isinstance(document, Mapping)
        return _build(document), []
    located = [(*locate(document, where), message) for where, message in problems]
    located.sort(key=lambda problem: problem[1])  # document order; stable for equal places
    return None, [InstrumentError(source, place, message) for place, _, message in located]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _weight(value: Any) -> float:
    return 1.0 if value is None else float(value)


def _build(document: Mapping[str, Any]) -> Instrument:
    """Return the instrument of a document that passed every check, defaults filled in."""
    scale = document["scale"]
    labels = scale["labels"] or {}
    return Instrument(
        key=document["key"],
        title=_text(document["title"]),
        version=document["version"],
        description=_text(document["description"]),
        scale=Scale(scale["min"], scale["max"], {p: _text(labels[p]) for p in sorted(labels)}),
        dimensions=tuple(
            Dimension(
                key=dimension["key"],
                title=_text(dimension["title"]),
                description=_text(dimension.get("description")),
                weight=_weight(dimension.get("weight")),
                questions=tuple(
                    Question(
                        key=question["key"],
                        text=_text(question["text"]),
                        weight=_weight(question.get("weight")),
                        help=_text(question.get("help")),
                        reverse=bool(question.get("reverse")),
                    )
                    for question in dimension["questions"]
                ),
            )
            for dimension in document["dimensions"]
        ),
    )


def parse_instrument(document: object, source: str) -> Instrument:
    """Return the instrument a parsed document describes, or raise its first InstrumentError."""
    instrument, errors = check_instrument(document, source)
    if errors:
        raise errors[0]
    assert instrument is not None
    return instrument


def validate_all(documents: dict[str, object]) -> tuple[list[Instrument], list[InstrumentError]]:
    """Validate documents keyed by source, also refusing an instrument key used twice."""
    instruments: list[Instrument] = []
    errors: list[InstrumentError] = []
    owners: dict[str, str] = {}
    for source, document in documents.items():
        instrument, problems = check_instrument(document, source)
        errors.extend(problems)
        if instrument is None:
            continue
        if instrument.key in owners:
            errors.append(
                InstrumentError(
                    source,
                    "key",
                    f"repeats the instrument key '{instrument.key}' already used in "
                    f"{owners[instrument.key]}",
                )
            )
            continue
        owners[instrument.key] = source
        instruments.append(instrument)
    return instruments, errors
