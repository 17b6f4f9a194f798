"""Assessment instruments: strict validation of parsed documents and the shipped files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from workbench.analysis.instruments import (
    Instrument,
    InstrumentError,
    Question,
    Scale,
    check_instrument,
    parse_instrument,
    validate_all,
)

ASSESSMENTS = Path(__file__).resolve().parents[2] / "assessments"
SOURCE = "assessments/broken.yaml"
TOP_LEVEL = ("key", "title", "version", "description", "scale", "dimensions")

BASE: dict[str, Any] = {
    "key": "sample_instrument",
    "title": "  Sample instrument  ",
    "version": 2,
    "description": "A small instrument used by the tests.",
    "scale": {"min": 1, "max": 5, "labels": {5: "Fully true here", 1: "Not at all true here"}},
    "dimensions": [
        {
            "key": "speed",
            "title": "Speed of response",
            "description": "How quickly we answer.",
            "weight": 2,
            "questions": [
                {"key": "first_reply", "text": "We reply within the hour.", "weight": 1.5},
                {
                    "key": "customers_chase",
                    "text": "Customers have to chase us.",
                    "help": "Think of last week.",
                    "reverse": True,
                },
            ],
        },
        {
            "key": "learning",
            "title": "Learning",
            "questions": [{"key": "causes_fixed", "text": "We fix causes, not symptoms."}],
        },
    ],
}


def document() -> dict[str, Any]:
    """Return a fresh, valid document that a test may change freely."""
    return copy.deepcopy(BASE)


def questions(count: int, prefix: str) -> list[dict[str, Any]]:
    """Return count distinct, valid questions."""
    return [{"key": f"{prefix}_{n}", "text": f"Statement {n}."} for n in range(count)]


def test_valid_document_parses_with_defaults_and_trimmed_text() -> None:
    instrument = parse_instrument(document(), "assessments/sample.yaml")
    assert (instrument.key, instrument.title, instrument.version) == (
        "sample_instrument",
        "Sample instrument",
        2,
    )
    assert instrument.scale == Scale(1, 5, {1: "Not at all true here", 5: "Fully true here"})
    assert list(instrument.scale.labels) == [1, 5]
    speed, learning = instrument.dimensions
    assert (speed.key, speed.weight, speed.description) == ("speed", 2.0, "How quickly we answer.")
    assert (learning.weight, learning.description) == (1.0, "")
    first = Question("first_reply", "We reply within the hour.", 1.5, "", False)
    assert speed.questions[0] == first
    assert speed.questions[1] == Question(
        "customers_chase", "Customers have to chase us.", 1.0, "Think of last week.", True
    )
    assert isinstance(speed.weight, float) and isinstance(learning.questions[0].weight, float)


def test_instrument_helpers_list_and_find_questions_in_order() -> None:
    instrument = parse_instrument(document(), SOURCE)
    assert [q.key for q in instrument.questions()] == [
        "first_reply",
        "customers_chase",
        "causes_fixed",
    ]
    assert instrument.question("causes_fixed").text == "We fix causes, not symptoms."
    assert instrument.dimension("learning").title == "Learning"
    with pytest.raises(KeyError):
        instrument.question("missing")
    with pytest.raises(KeyError):
        instrument.dimension("missing")
    assert hash(instrument) == hash(parse_instrument(document(), SOURCE))


def test_scale_helpers() -> None:
    scale = Scale(1, 5, {1: "Low", 5: "High"})
    assert scale.range == 4
    assert scale.points() == (1, 2, 3, 4, 5)
    assert [scale.contains(v) for v in (0, 1, 5, 6, 3.0, True, "3", None)] == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert (scale.reversed(1), scale.reversed(2), scale.reversed(5)) == (5, 4, 1)
    assert (scale.label(1), scale.label(3)) == ("Low", "3")


Mutation = Callable[[dict[str, Any]], object]


def put(path: str, value: object) -> Mutation:
    """Return a change setting the value at a dotted path such as 'dimensions.1.weight'."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def drop(path: str) -> Mutation:
    """Return a change removing the key at a dotted path."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return change


def label(point: object, text: object) -> Mutation:
    """Return a change setting one scale label (points are usually whole numbers)."""
    return lambda doc: doc["scale"]["labels"].__setitem__(point, text)


BROKEN: list[tuple[str, Mutation, str, str]] = [
    # top level
    ("unknown top-level key", put("titel", "Typo"), "titel", "unknown key"),
    ("missing title", drop("title"), "title", "is required"),
    ("missing description", drop("description"), "description", "is required"),
    ("missing scale", drop("scale"), "scale", "is required"),
    ("missing dimensions", drop("dimensions"), "dimensions", "is required"),
    ("key with capitals", put("key", "Readiness"), "key", "lower-case"),
    ("key too short", put("key", "a"), "key", "2 to 60"),
    ("key too long", put("key", "k" * 61), "key", "2 to 60"),
    ("key starting with digit", put("key", "1st"), "key", "starting with a letter"),
    ("key with hyphen", put("key", "service-recovery"), "key", "lower-case"),
    ("key trailing newline", put("key", "readiness\n"), "key", "lower-case"),
    ("key not text", put("key", 5), "key", "lower-case"),
    ("blank title", put("title", "   "), "title", "must not be empty"),
    ("long title", put("title", "t" * 121), "title", "at most 120 characters"),
    ("title not text", put("title", 12), "title", "must be text"),
    ("long description", put("description", "d" * 2001), "description", "at most 2000"),
    ("version zero", put("version", 0), "version", "positive whole number"),
    ("version negative", put("version", -1), "version", "positive whole number"),
    ("version boolean", put("version", True), "version", "positive whole number"),
    ("version text", put("version", "1"), "version", "positive whole number"),
    ("version fraction", put("version", 1.5), "version", "positive whole number"),
    ("version null", put("version", None), "version", "positive whole number"),
    ("version float", put("version", 1.0), "version", "positive whole number"),
    # scale
    ("scale not mapping", put("scale", [1, 5]), "scale", "must be a mapping"),
    ("scale unknown key", put("scale.step", 1), "scale.step", "unknown key"),
    ("scale missing max", drop("scale.max"), "scale.max", "is required"),
    ("scale missing labels", drop("scale.labels"), "scale.labels", "is required"),
    ("scale min text", put("scale.min", "1"), "scale.min", "whole number"),
    ("scale max boolean", put("scale.max", True), "scale.max", "whole number"),
    ("scale min equals max", put("scale.min", 5), "scale.max", "greater than scale.min"),
    ("scale min above max", put("scale.min", 7), "scale.max", "greater than scale.min"),
    ("scale too wide", put("scale.max", 12), "scale.max", "at most 10 above"),
    ("labels not mapping", put("scale.labels", ["a"]), "scale.labels", "must be a mapping"),
    ("label above scale", label(6, "Beyond"), "scale.labels.6", "from 1 to 5"),
    ("label below scale", label(0, "Below"), "scale.labels.0", "from 1 to 5"),
    ("label key text", label("one", "One"), "scale.labels.one", "from 1 to 5"),
    ("label empty", label(3, ""), "scale.labels.3", "must not be empty"),
    ("label null", label(3, None), "scale.labels.3", "must be text"),
    ("label long", label(3, "l" * 61), "scale.labels.3", "at most 60"),
    # dimensions
    ("dimensions empty", put("dimensions", []), "dimensions", "at least one dimension"),
    ("dimensions mapping", put("dimensions", {"a": 1}), "dimensions", "must be a list"),
    ("dimension not mapping", put("dimensions.1", "learning"), "dimensions[2]", "mapping"),
    ("dimension typo", put("dimensions.1.wieght", 2), "dimensions[2].wieght", "unknown key"),
    ("dimension no key", drop("dimensions.1.key"), "dimensions[2].key", "is required"),
    ("dimension no title", drop("dimensions.1.title"), "dimensions[2].title", "is required"),
    (
        "dimension no questions",
        drop("dimensions.1.questions"),
        "dimensions[2].questions",
        "is required",
    ),
    (
        "dimension questions empty",
        put("dimensions.1.questions", []),
        "dimensions[2].questions",
        "at least one question",
    ),
    (
        "dimension questions not list",
        put("dimensions.1.questions", "none"),
        "dimensions[2].questions",
        "must be a list",
    ),
    ("dimension bad key", put("dimensions.0.key", "Speed"), "dimensions[1].key", "lower-case"),
    ("dimension long title", put("dimensions.0.title", "t" * 121), "dimensions[1].title", "120"),
    (
        "dimension long description",
        put("dimensions.0.description", "d" * 2001),
        "dimensions[1].description",
        "at most 2000",
    ),
    ("dimension weight zero", put("dimensions.0.weight", 0), "dimensions[1].weight", "positive"),
    ("dimension weight negative", put("dimensions.0.weight", -2), "dimensions[1].weight", "posit"),
    ("dimension weight bool", put("dimensions.0.weight", True), "dimensions[1].weight", "positive"),
    ("dimension weight text", put("dimensions.0.weight", "2"), "dimensions[1].weight", "positive"),
    (
        "dimension weight not finite",
        put("dimensions.0.weight", float("nan")),
        "dimensions[1].weight",
        "positive",
    ),
    ("dimension weight huge", put("dimensions.0.weight", 101), "dimensions[1].weight", "at most"),
    (
        "dimension weight infinite",
        put("dimensions.0.weight", float("inf")),
        "dimensions[1].weight",
        "must be a positive number",
    ),
    (
        "duplicate dimension key",
        put("dimensions.1.key", "speed"),
        "dimensions[2].key",
        "repeats the key 'speed' already used at dimensions[1]",
    ),
    # questions
    (
        "question not mapping",
        put("dimensions.0.questions.1", "text"),
        "dimensions[1].questions[2]",
        "mapping",
    ),
    (
        "question typo",
        put("dimensions.0.questions.1.revers", True),
        "dimensions[1].questions[2].revers",
        "unknown key",
    ),
    (
        "question no key",
        drop("dimensions.0.questions.0.key"),
        "dimensions[1].questions[1].key",
        "is required",
    ),
    (
        "question no text",
        drop("dimensions.1.questions.0.text"),
        "dimensions[2].questions[1].text",
        "is required",
    ),
    (
        "question blank text",
        put("dimensions.1.questions.0.text", " \n"),
        "dimensions[2].questions[1].text",
        "must not be empty",
    ),
    (
        "question long text",
        put("dimensions.1.questions.0.text", "x" * 401),
        "dimensions[2].questions[1].text",
        "at most 400 characters (it has 401)",
    ),
    (
        "question text not text",
        put("dimensions.1.questions.0.text", ["a"]),
        "dimensions[2].questions[1].text",
        "must be text",
    ),
    (
        "question weight negative",
        put("dimensions.1.questions.0.weight", -1),
        "dimensions[2].questions[1].weight",
        "must be a positive number",
    ),
    (
        "question weight bool",
        put("dimensions.1.questions.0.weight", False),
        "dimensions[2].questions[1].weight",
        "must be a positive number",
    ),
    (
        "question long help",
        put("dimensions.0.questions.1.help", "h" * 601),
        "dimensions[1].questions[2].help",
        "at most 600",
    ),
    (
        "question help not text",
        put("dimensions.0.questions.1.help", 3),
        "dimensions[1].questions[2].help",
        "must be text",
    ),
    (
        "question reverse text",
        put("dimensions.0.questions.1.reverse", "yes"),
        "dimensions[1].questions[2].reverse",
        "true or false",
    ),
    (
        "question reverse number",
        put("dimensions.0.questions.1.reverse", 1),
        "dimensions[1].questions[2].reverse",
        "true or false",
    ),
    (
        "duplicate question key across dimensions",
        put("dimensions.1.questions.0.key", "first_reply"),
        "dimensions[2].questions[1].key",
        "repeats the key 'first_reply' already used at dimensions[1].questions[1]",
    ),
    (
        "duplicate question key within a dimension",
        put("dimensions.0.questions.1.key", "first_reply"),
        "dimensions[1].questions[2].key",
        "repeats the key 'first_reply'",
    ),
    # sizes
    (
        "too many dimensions",
        put(
            "dimensions",
            [
                {"key": f"dim_{n}", "title": "D", "questions": questions(1, f"q{n}")}
                for n in range(31)
            ],
        ),
        "dimensions",
        "at most 30 dimensions (it has 31)",
    ),
    (
        "too many questions",
        put(
            "dimensions",
            [
                {"key": f"dim_{n}", "title": "D", "questions": questions(30, f"q{n}")}
                for n in range(7)
            ],
        ),
        "dimensions",
        "at most 200 questions in all (210)",
    ),
]


@pytest.mark.parametrize(
    ("change", "place", "fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_document_names_file_and_place(change: Mutation, place: str, fragment: str) -> None:
    doc = document()
    change(doc)
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(doc, SOURCE)
    error = caught.value
    assert (error.source, error.place) == (SOURCE, place)
    assert fragment in error.message
    assert str(error) == f"{SOURCE}: {place}: {error.message}"


@pytest.mark.parametrize("doc", [None, "key: x", ["key"], 3], ids=["empty", "text", "list", "int"])
def test_document_that_is_not_a_mapping(doc: object) -> None:
    with pytest.raises(InstrumentError, match=r"^assessments/broken\.yaml: document: must be a"):
        parse_instrument(doc, SOURCE)


def test_error_message_matches_the_documented_form() -> None:
    doc = document()
    doc["dimensions"].append(
        {"key": "third", "title": "Third", "questions": [{"key": "q", "text": "T"}]}
    )
    doc["dimensions"][1]["questions"][0]["weight"] = 0
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(doc, "assessments/readiness.yaml")
    assert str(caught.value) == (
        "assessments/readiness.yaml: dimensions[2].questions[1].weight: must be a positive number"
    )
    assert caught.value.args == (
        "assessments/readiness.yaml",
        "dimensions[2].questions[1].weight",
        "must be a positive number",
    )


def test_error_without_place_shows_only_the_file() -> None:
    assert str(InstrumentError("a.yaml", "", "cannot be read")) == "a.yaml: cannot be read"


def test_check_instrument_collects_every_problem_and_parse_raises_the_first() -> None:
    doc = document()
    doc["version"] = 0
    doc["scale"]["max"] = 1
    doc["dimensions"][0]["questions"][1]["reverse"] = "no"
    instrument, errors = check_instrument(doc, SOURCE)
    assert instrument is None
    assert [e.place for e in errors] == [
        "version",
        "scale.max",
        "dimensions[1].questions[2].reverse",
    ]
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(doc, SOURCE)
    assert caught.value.place == "version"


def test_problems_come_in_document_order_with_schema_and_rules_mixed() -> None:
    doc = document()
    doc["dimensions"][1]["key"] = "speed"  # a rule: repeated key
    doc["dimensions"][0]["questions"][0]["weight"] = "heavy"  # the schema: type
    doc["scale"]["labels"][9] = "Off the scale"  # a rule: point outside the scale
    doc["zzz"] = 1  # the schema: unknown key, written last
    del doc["title"]  # the schema: missing, reported where its mapping starts
    _, errors = check_instrument(doc, SOURCE)
    assert [(e.place, e.message) for e in errors] == [
        ("title", "is required"),
        ("scale.labels.9", "must be a whole number from 1 to 5"),
        ("dimensions[1].questions[1].weight", "must be a positive number"),
        ("dimensions[2].key", "repeats the key 'speed' already used at dimensions[1]"),
        ("zzz", "unknown key; the allowed keys are " + ", ".join(TOP_LEVEL)),
    ]


def test_a_repeated_malformed_key_is_reported_once_per_place() -> None:
    doc = document()
    doc["dimensions"][0]["key"] = doc["dimensions"][1]["key"] = "Bad Key"
    _, errors = check_instrument(doc, SOURCE)
    assert [e.place for e in errors] == ["dimensions[1].key", "dimensions[2].key"]
    assert all("lower-case" in e.message for e in errors)


def test_text_length_is_counted_after_trimming() -> None:
    doc = document()
    doc["dimensions"][1]["questions"][0]["text"] = "x" * 400 + "\n"  # as a YAML '>' block ends
    doc["title"] = "  " + "t" * 120 + "  "
    instrument = parse_instrument(doc, SOURCE)
    assert instrument.question("causes_fixed").text == "x" * 400
    assert instrument.title == "t" * 120


def test_schema_is_valid_draft_2020_12_and_accepts_the_shipped_files_as_plain_json() -> None:
    """Editors check files against the published schema with no help from our code."""
    schema = json.loads((ASSESSMENTS / "instrument.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == list(TOP_LEVEL)
    for path in sorted(ASSESSMENTS.glob("*.yaml")):
        # JSON has only text keys: an editor sees the label points as "1" to "5".
        plain = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert list(Draft202012Validator(schema).iter_errors(plain)) == [], path.name


def test_missing_required_key_is_reported_once() -> None:
    doc = document()
    del doc["dimensions"][0]["questions"][0]["text"]
    _, errors = check_instrument(doc, SOURCE)
    assert [str(e) for e in errors] == [f"{SOURCE}: dimensions[1].questions[1].text: is required"]


def test_limits_themselves_are_accepted() -> None:
    doc = document()
    doc["key"] = "k" * 60
    doc["title"] = "t" * 120
    doc["description"] = "d" * 2000
    doc["scale"] = {"min": 0, "max": 10, "labels": {0: "l" * 60, 10: "Top"}}
    doc["dimensions"] = [
        {"key": f"d{n}", "title": "D", "weight": 100, "questions": questions(7, f"q{n}")}
        for n in range(28)
    ] + [
        {"key": "last", "title": "Last", "weight": 0.25, "questions": questions(3, "end")},
        {
            "key": "edge",
            "title": "Edge",
            "questions": [{"key": "ab", "text": "x" * 400, "help": "h" * 600, "weight": 100}],
        },
    ]
    instrument = parse_instrument(doc, SOURCE)
    assert len(instrument.dimensions) == 30
    assert len(instrument.questions()) == 200
    assert instrument.scale.range == 10
    assert instrument.dimension("last").weight == 0.25


def test_optional_fields_may_be_null_or_empty() -> None:
    doc = document()
    doc["description"] = ""
    doc["dimensions"][1]["description"] = None
    doc["dimensions"][1]["weight"] = None
    doc["dimensions"][1]["questions"][0].update({"help": None, "reverse": None, "weight": None})
    instrument = parse_instrument(doc, SOURCE)
    assert instrument.description == ""
    assert instrument.question("causes_fixed") == Question(
        "causes_fixed", "We fix causes, not symptoms.", 1.0, "", False
    )
    assert instrument.dimension("learning").weight == 1.0


def test_labels_may_leave_points_unlabelled() -> None:
    doc = document()
    doc["scale"]["labels"] = {}
    assert parse_instrument(doc, SOURCE).scale.labels == {}


def test_validate_all_reports_broken_files_and_repeated_instrument_keys() -> None:
    broken = document()
    broken["version"] = "one"
    other = document()
    other["key"] = "other_instrument"
    instruments, errors = validate_all(
        {
            "assessments/a.yaml": document(),
            "assessments/b.yaml": broken,
            "assessments/c.yaml": document(),
            "assessments/d.yaml": other,
        }
    )
    assert [i.key for i in instruments] == ["sample_instrument", "other_instrument"]
    assert [str(e) for e in errors] == [
        "assessments/b.yaml: version: must be a positive whole number",
        "assessments/c.yaml: key: repeats the instrument key 'sample_instrument' already used "
        "in assessments/a.yaml",
    ]


def test_validate_all_of_nothing() -> None:
    assert validate_all({}) == ([], [])


# --- the instruments shipped in assessments/ ---------------------------------------

SHIPPED = {
    "service_recovery_readiness": [
        "listening_detection",
        "response_speed",
        "empowerment_escalation",
        "compensation_policy",
        "reporting_learning",
        "service_management_technology",
        "quality_culture",
    ],
    "fcr_capability": [
        "routing_escalation",
        "self_service_knowledge",
        "customer_history",
        "practice_improvement",
        "analytics_reporting",
    ],
    "tqm_maturity": [
        "customer_focused",
        "total_employee_involvement",
        "process_centred",
        "integrated_processes",
        "strategic_systematic_approach",
        "continual_improvement",
        "fact_based_decision_making",
        "communications",
    ],
}
QUESTIONS_PER_DIMENSION = {
    "service_recovery_readiness": (3, 4),
    "fcr_capability": (3, 3),
    "tqm_maturity": (2, 3),
}


def load(key: str) -> Instrument:
    """Parse one shipped instrument file."""
    path = ASSESSMENTS / f"{key}.yaml"
    return parse_instrument(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@pytest.mark.parametrize("key", list(SHIPPED))
def test_shipped_instrument_parses_with_expected_shape(key: str) -> None:
    instrument = load(key)
    assert instrument.key == key
    assert instrument.version == 1
    assert (instrument.scale.min, instrument.scale.max) == (1, 5)
    assert list(instrument.scale.labels) == [1, 2, 3, 4, 5]
    assert instrument.scale.labels[1] == "Not at all true here"
    assert instrument.scale.labels[5] == "Fully true here"
    assert [d.key for d in instrument.dimensions] == SHIPPED[key]
    fewest, most = QUESTIONS_PER_DIMENSION[key]
    assert all(fewest <= len(d.questions) <= most for d in instrument.dimensions)
    assert any(q.help for q in instrument.questions())
    assert instrument.description and all(d.description for d in instrument.dimensions)


def test_readiness_has_a_few_reverse_scored_questions() -> None:
    reverse = [q.key for q in load("service_recovery_readiness").questions() if q.reverse]
    assert 2 <= len(reverse) <= 6
    assert "customers_chase_us" in reverse


def test_every_shipped_file_validates_together() -> None:
    documents = {
        f"assessments/{path.name}": yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(ASSESSMENTS.glob("*.yaml"))
    }
    instruments, errors = validate_all(documents)
    assert errors == []
    assert sorted(i.key for i in instruments) == sorted(SHIPPED)
