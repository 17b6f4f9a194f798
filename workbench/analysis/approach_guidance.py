"""The guidance on preventing against recovering: its shape, and validation of the parsed YAML.

The guidance (seeds/approach_guidance.yaml) says when each approach pays off and sets the
lines the reading of a plan's balance draws. This module is pure: it receives the already
parsed document and returns a frozen value, or raises GuidanceError naming the place of
every problem it found, in the order of the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.analysis.seed_documents import SeedDocumentError

APPROACH_KEYS = ("prevent", "recover")
LEANING_RANGE = (55, 95)
TEXT_MAX = 600
NAME_MAX = 40
REASONS_MAX = 8


class GuidanceError(SeedDocumentError):
    """The guidance file does not have the expected shape; the message lists each problem."""


@dataclass(frozen=True)
class ApproachGuidance:
    """One approach: its name, what it is and the conditions in which it pays off."""

    key: str
    name: str
    summary: str
    pays_off_when: tuple[str, ...]


@dataclass(frozen=True)
class Guidance:
    """Both approaches and the thresholds the reading of a balance uses."""

    prevent: ApproachGuidance
    recover: ApproachGuidance
    leaning_percent: int
    frequent_cases_per_year: int
    big_severities: tuple[str, ...]


def _text(value: Any, place: str, limit: int, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{place}: must be a non-empty text")
        return ""
    text = " ".join(value.split())
    if len(text) > limit:
        problems.append(f"{place}: must be at most {limit} characters")
    return text


def _whole(value: Any, place: str, low: int, high: int | None, problems: list[str]) -> int:
    # YAML reads "yes" as True, and bool is an int in Python: refuse it explicitly.
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{place}: must be a whole number")
        return low
    if value < low or (high is not None and value > high):
        limit = f"from {low} to {high}" if high is not None else f"of at least {low}"
        problems.append(f"{place}: must be a whole number {limit}")
    return value


def _approach(entry: Any, place: str, problems: list[str]) -> ApproachGuidance | None:
    if not isinstance(entry, Mapping):
        problems.append(f"{place}: must be a mapping with key, name, summary and pays_off_when")
        return None
    key = entry.get("key")
    reasons = entry.get("pays_off_when")
    if not isinstance(reasons, list) or not reasons or len(reasons) > REASONS_MAX:
        problems.append(f"{place}.pays_off_when: must be a list of 1 to {REASONS_MAX} texts")
        reasons = []
    return ApproachGuidance(
        key=str(key),
        name=_text(entry.get("name"), f"{place}.name", NAME_MAX, problems),
        summary=_text(entry.get("summary"), f"{place}.summary", TEXT_MAX, problems),
        pays_off_when=tuple(
            _text(reason, f"{place}.pays_off_when[{number}]", TEXT_MAX, problems)
            for number, reason in enumerate(reasons, start=1)
        ),
    )


def parse_guidance(document: Any, source: str, severities: Sequence[str]) -> Guidance:
    """Validate the parsed guidance document; `severities` are the playbook's severity keys."""
    problems: list[str] = []
    if not isinstance(document, Mapping):
        raise GuidanceError(source, ["document: must be a mapping with thresholds and approaches"])
    thresholds = document.get("thresholds")
    if not isinstance(thresholds, Mapping):
        problems.append("thresholds: must be a mapping")
        thresholds = {}
    low, high = LEANING_RANGE
    leaning = _whole(
        thresholds.get("leaning_percent"), "thresholds.leaning_percent", low, high, problems
    )
    frequent = _whole(
        thresholds.get("frequent_cases_per_year"),
        "thresholds.frequent_cases_per_year",
        1,
        None,
        problems,
    )
    big = thresholds.get("big_severities")
    if not isinstance(big, list) or any(level not in severities for level in big):
        problems.append(
            "thresholds.big_severities: must be a list of severities from " + ", ".join(severities)
        )
        big = []
    entries = document.get("approaches")
    if not isinstance(entries, list):
        problems.append("approaches: must be a list")
        entries = []
    found: dict[str, ApproachGuidance] = {}
    for number, entry in enumerate(entries, start=1):
        place = f"approaches[{number}]"
        approach = _approach(entry, place, problems)
        if approach is None:
            continue
        if approach.key not in APPROACH_KEYS:
            problems.append(f"{place}.key: must be prevent or recover")
        elif approach.key in found:
            problems.append(f"{place}.key: {approach.key} appears twice")
        else:
            found[approach.key] = approach
    missing = [key for key in APPROACH_KEYS if key not in found]
    if missing and isinstance(document.get("approaches"), list):
        problems.append("approaches: missing " + " and ".join(missing))
    if problems:
        raise GuidanceError(source, problems)
    return Guidance(
        prevent=found["prevent"],
        recover=found["recover"],
        leaning_percent=leaning,
        frequent_cases_per_year=frequent,
        big_severities=tuple(str(level) for level in big),
    )
