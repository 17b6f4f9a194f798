"""Assessment instruments: their shape, and strict validation of parsed YAML documents.

An instrument file holds exactly these top-level keys, all of them required:

- ``key``: snake_case, 2 to 60 characters, starting with a letter;
- ``title``: 1 to 120 characters;
- ``version``: a positive whole number;
- ``description``: text of at most 2000 characters (it may be empty);
- ``scale``: ``min`` and ``max`` (whole numbers, min below max, at most 10 apart) and
  ``labels``, a mapping from points on the scale to texts of 1 to 60 characters;
- ``dimensions``: a list of 1 to 30 dimensions.

A dimension has ``key`` and ``title`` (as above), an optional ``description``, an
optional ``weight`` (a positive number up to 100, 1 when left out) and a non-empty
list of ``questions``. A question has ``key``, ``text`` (1 to 400 characters), an
optional ``weight`` (as for a dimension), an optional ``help`` (at most 600
characters) and an optional ``reverse`` flag (true or false, false when left out).
Keys are unique: dimension keys within the instrument, question keys across the whole
instrument. An instrument holds at most 200 questions. Any key not listed here is an
error, so a misspelt key is caught rather than silently ignored. Texts are trimmed of
surrounding whitespace before their length is checked; an optional field left empty
(null) takes its default.

Each problem names the file and the place in it, with list items numbered from 1, for
example ``assessments/readiness.yaml: dimensions[2].questions[1].weight: must be a
positive number``. Every problem in a file is collected, not only the first.

This module is pure: it receives already-parsed Python objects, never file contents.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeGuard

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,59}")
TOP_LEVEL_KEYS = ("key", "title", "version", "description", "scale", "dimensions")
SCALE_KEYS = ("min", "max", "labels")
DIMENSION_KEYS = ("key", "title", "description", "weight", "questions")
QUESTION_KEYS = ("key", "text", "weight", "help", "reverse")
MAX_TITLE = 120
MAX_DESCRIPTION = 2000
MAX_QUESTION_TEXT = 400
MAX_HELP = 600
MAX_LABEL = 60
MAX_SCALE_RANGE = 10
MAX_WEIGHT = 100
MAX_DIMENSIONS = 30
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


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _join(place: str, name: str) -> str:
    return f"{place}.{name}" if place else name


class _Checker:
    """Walks one document, collecting every problem instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[InstrumentError] = []
        self.dimension_keys: dict[str, str] = {}
        self.question_keys: dict[str, str] = {}
        self.question_count = 0

    def fail(self, place: str, message: str) -> None:
        self.errors.append(InstrumentError(self.source, place, message))

    def mapping(
        self, value: object, place: str, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> Mapping[object, object] | None:
        if not isinstance(value, Mapping):
            self.fail(place or "document", f"must be a mapping with the keys {', '.join(allowed)}")
            return None
        for name in value:
            if name not in allowed:
                self.fail(
                    _join(place, str(name)),
                    f"unknown key; the allowed keys are {', '.join(allowed)}",
                )
        for name in required:
            if name not in value:
                self.fail(_join(place, name), "is required")
        return value

    def key(
        self, data: Mapping[object, object], place: str, seen: dict[str, str] | None = None
    ) -> str | None:
        """Return a well-formed key not yet in seen (recording it there), or None."""
        if "key" not in data:
            return None
        value, where = data["key"], _join(place, "key")
        if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
            self.fail(
                where,
                "must be 2 to 60 characters of lower-case letters, digits and underscores, "
                "starting with a letter",
            )
            return None
        if seen is not None:
            if value in seen:
                self.fail(where, f"repeats the key '{value}' already used at {seen[value]}")
                return None
            seen[value] = place
        return value

    def text(
        self, data: Mapping[object, object], name: str, place: str, longest: int, *, required: bool
    ) -> str | None:
        """Return the trimmed text, "" for an absent optional text, or None when invalid."""
        if name not in data:
            return None if required else ""  # a missing required key is reported by mapping()
        value = data[name]
        if value is None and not required:
            return ""
        return self.clean(value, _join(place, name), longest, allow_empty=not required)

    def clean(
        self, value: object, where: str, longest: int, *, allow_empty: bool = False
    ) -> str | None:
        """Return a text trimmed, or None (with the problem noted) when invalid."""
        if not isinstance(value, str):
            self.fail(where, "must be text")
            return None
        cleaned = value.strip()
        if not cleaned and not allow_empty:
            self.fail(where, "must not be empty")
            return None
        if len(cleaned) > longest:
            self.fail(where, f"must be at most {longest} characters (it has {len(cleaned)})")
            return None
        return cleaned

    def weight(self, data: Mapping[object, object], place: str) -> float | None:
        value = data.get("weight")
        if value is None:
            return 1.0
        where = _join(place, "weight")
        if not _is_number(value) or value <= 0:
            self.fail(where, "must be a positive number")
            return None
        if value > MAX_WEIGHT:
            self.fail(where, f"must be at most {MAX_WEIGHT}")
            return None
        return float(value)

    def listing(
        self, data: Mapping[object, object], name: str, place: str, most: int | None
    ) -> list[object] | None:
        if name not in data:
            return None
        value = data[name]
        where = _join(place, name)
        if not isinstance(value, list | tuple):
            self.fail(where, f"must be a list of {name}")
            return None
        if not value:
            self.fail(where, f"must hold at least one {name[:-1]}")
            return None
        if most is not None and len(value) > most:
            self.fail(where, f"must hold at most {most} {name} (it has {len(value)})")
            return None
        return list(value)


def _scale(check: _Checker, value: object) -> Scale | None:
    data = check.mapping(value, "scale", SCALE_KEYS, SCALE_KEYS)
    if data is None:
        return None
    low, high = data.get("min"), data.get("max")
    for name in ("min", "max"):
        if name in data and not _is_int(data[name]):
            check.fail(f"scale.{name}", "must be a whole number")
    if not (_is_int(low) and _is_int(high)):
        return None
    if low >= high:
        check.fail("scale.max", f"must be greater than scale.min ({low})")
        return None
    if high - low > MAX_SCALE_RANGE:
        check.fail("scale.max", f"must be at most {MAX_SCALE_RANGE} above scale.min ({low})")
        return None
    raw_labels = data.get("labels")
    if raw_labels is None:
        raw_labels = {}
    if not isinstance(raw_labels, Mapping):
        check.fail("scale.labels", "must be a mapping from points on the scale to labels")
        return None
    labels: dict[int, str] = {}
    for point, text in raw_labels.items():
        where = f"scale.labels.{point}"
        if not (_is_int(point) and low <= point <= high):
            check.fail(where, f"must be a whole number from {low} to {high}")
            continue
        label = check.clean(text, where, MAX_LABEL)
        if label is not None:
            labels[point] = label
    return Scale(min=low, max=high, labels=dict(sorted(labels.items())))


def _question(check: _Checker, value: object, place: str) -> Question | None:
    data = check.mapping(value, place, QUESTION_KEYS, ("key", "text"))
    if data is None:
        return None
    key = check.key(data, place, check.question_keys)
    text = check.text(data, "text", place, MAX_QUESTION_TEXT, required=True)
    weight = check.weight(data, place)
    help_text = check.text(data, "help", place, MAX_HELP, required=False)
    reverse = data.get("reverse")
    if reverse is None:
        reverse = False
    if not isinstance(reverse, bool):
        check.fail(f"{place}.reverse", "must be true or false")
        return None
    if key is None or text is None or weight is None or help_text is None:
        return None
    return Question(key=key, text=text, weight=weight, help=help_text, reverse=reverse)


def _dimension(check: _Checker, value: object, place: str) -> Dimension | None:
    data = check.mapping(value, place, DIMENSION_KEYS, ("key", "title", "questions"))
    if data is None:
        return None
    key = check.key(data, place, check.dimension_keys)
    title = check.text(data, "title", place, MAX_TITLE, required=True)
    description = check.text(data, "description", place, MAX_DESCRIPTION, required=False)
    weight = check.weight(data, place)
    raw_questions = check.listing(data, "questions", place, None)
    check.question_count += len(raw_questions or [])
    questions: list[Question] = []
    for number, item in enumerate(raw_questions or [], start=1):
        question = _question(check, item, f"{place}.questions[{number}]")
        if question is not None:
            questions.append(question)
    if key is None or title is None or description is None or weight is None:
        return None
    if raw_questions is None or len(questions) != len(raw_questions):
        return None
    return Dimension(
        key=key, title=title, description=description, weight=weight, questions=tuple(questions)
    )


def check_instrument(
    document: object, source: str
) -> tuple[Instrument | None, list[InstrumentError]]:
    """Validate a parsed document, returning the instrument (if valid) and every problem found."""
    check = _Checker(source)
    data = check.mapping(document, "", TOP_LEVEL_KEYS, TOP_LEVEL_KEYS)
    if data is None:
        return None, check.errors
    key = check.key(data, "")
    title = check.text(data, "title", "", MAX_TITLE, required=True)
    version = data.get("version")
    if "version" in data and not (_is_int(version) and version > 0):
        check.fail("version", "must be a positive whole number")
    description = check.text(data, "description", "", MAX_DESCRIPTION, required=False)
    scale = _scale(check, data["scale"]) if "scale" in data else None
    raw_dimensions = check.listing(data, "dimensions", "", MAX_DIMENSIONS) or []
    dimensions = [
        _dimension(check, item, f"dimensions[{number}]")
        for number, item in enumerate(raw_dimensions, start=1)
    ]
    if check.question_count > MAX_QUESTIONS:
        total = check.question_count
        check.fail("dimensions", f"must hold at most {MAX_QUESTIONS} questions in all ({total})")
    if check.errors:
        return None, check.errors
    assert key is not None and title is not None and description is not None
    assert _is_int(version) and scale is not None
    return Instrument(
        key=key,
        title=title,
        version=version,
        description=description,
        scale=scale,
        dimensions=tuple(d for d in dimensions if d is not None),
    ), []


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
