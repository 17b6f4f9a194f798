"""The prevent-or-recover guidance: the shipped seed file is valid, broken ones say where."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.analysis.approach_guidance import GuidanceError, parse_guidance
from workbench.models.vocabulary import SEVERITIES

SEED = Path(__file__).resolve().parents[2] / "seeds" / "approach_guidance.yaml"


def shipped() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return document


def problems(document: object) -> tuple[str, ...]:
    with pytest.raises(GuidanceError) as caught:
        parse_guidance(document, "approach_guidance.yaml", SEVERITIES)
    assert str(caught.value).startswith("approach_guidance.yaml: ")
    return caught.value.problems


def test_the_shipped_guidance_is_valid_and_covers_both_approaches() -> None:
    guidance = parse_guidance(shipped(), "approach_guidance.yaml", SEVERITIES)
    assert (guidance.prevent.name, guidance.recover.name) == ("Prevent", "Recover")
    assert guidance.leaning_percent == 65
    assert guidance.frequent_cases_per_year == 365
    assert guidance.big_severities == ("high", "critical")
    prevent = " ".join(guidance.prevent.pays_off_when).lower()
    recover = " ".join(guidance.recover.pays_off_when).lower()
    # When prevention pays: foreseeable, frequent, big; when recovery pays: rare, small.
    for word in ("foreseen", "frequent", "big", "paradox does not hold"):
        assert word in prevent, word
    for word in ("rare", "small", "paradox holds"):
        assert word in recover, word
    # Folded YAML leaves no line breaks or doubled spaces in the texts.
    for text in (*guidance.prevent.pays_off_when, guidance.recover.summary):
        assert "\n" not in text and "  " not in text


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda d: d["thresholds"].update(leaning_percent=50),
            "thresholds.leaning_percent: must be a whole number from 55 to 95",
        ),
        (
            lambda d: d["thresholds"].update(leaning_percent=True),
            "thresholds.leaning_percent: must be a whole number",
        ),
        (
            lambda d: d["thresholds"].update(frequent_cases_per_year="often"),
            "thresholds.frequent_cases_per_year: must be a whole number",
        ),
        (
            lambda d: d["thresholds"].update(frequent_cases_per_year=0),
            "thresholds.frequent_cases_per_year: must be a whole number of at least 1",
        ),
        (
            lambda d: d["thresholds"].update(big_severities=["huge"]),
            "thresholds.big_severities: must be a list of severities from low, medium, high, "
            "critical",
        ),
        (lambda d: d.pop("thresholds"), "thresholds: must be a mapping"),
        (lambda d: d["approaches"].pop(), "approaches: missing recover"),
        (
            lambda d: d["approaches"][1].update(key="prevent"),
            "approaches[2].key: prevent appears twice",
        ),
        (
            lambda d: d["approaches"][0].update(key="ignore"),
            "approaches[1].key: must be prevent or recover",
        ),
        (
            lambda d: d["approaches"][0].update(name="  "),
            "approaches[1].name: must be a non-empty text",
        ),
        (
            lambda d: d["approaches"][1].update(summary="x" * 601),
            "approaches[2].summary: must be at most 600 characters",
        ),
        (
            lambda d: d["approaches"][1].update(pays_off_when=[]),
            "approaches[2].pays_off_when: must be a list of 1 to 8 texts",
        ),
        (
            lambda d: d["approaches"][1]["pays_off_when"].append(42),
            "approaches[2].pays_off_when[4]: must be a non-empty text",
        ),
        (
            lambda d: d["approaches"].append("text"),
            "approaches[3]: must be a mapping with key, name, summary and pays_off_when",
        ),
        (lambda d: d.update(approaches={"prevent": {}}), "approaches: must be a list"),
    ],
)
def test_a_broken_guidance_names_the_place_of_the_problem(change: Any, expected: str) -> None:
    document = copy.deepcopy(shipped())
    change(document)
    assert expected in problems(document)


def test_every_problem_is_reported_not_only_the_first() -> None:
    document = copy.deepcopy(shipped())
    document["thresholds"]["leaning_percent"] = 99
    document["approaches"][0]["summary"] = ""
    assert problems(document) == (
        "thresholds.leaning_percent: must be a whole number from 55 to 95",
        "approaches[1].summary: must be a non-empty text",
    )


@pytest.mark.parametrize("document", [None, [], "prevent", 3])
def test_a_document_that_is_not_a_mapping_is_refused(document: object) -> None:
    assert problems(document) == ("document: must be a mapping with thresholds and approaches",)
