"""Published evidence on service recovery and the guidance for the toughest customers.

The evidence (seeds/evidence.yaml) is shown beside the pages it supports, each claim with
its source; it is guidance for the reader and never a figure in the team's own data. This
module is pure: it receives the parsed document, checks it and returns frozen values, or
raises EvidenceError naming the place of every problem, in the order of the document.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.analysis.seed_documents import SeedDocumentError

PAGES = ("playbook", "scenario", "organisation", "economics", "journey")
"""The pages a claim may be shown on."""
TEXT_MAX = 600
SHORT_MAX = 160
LIST_MAX = 6


class EvidenceError(SeedDocumentError):
    """The evidence file does not have the expected shape; the message lists each problem."""


@dataclass(frozen=True)
class Evidence:
    """One published claim: what it says, where it comes from and where it is shown."""

    key: str
    topic: str
    claim: str
    source: str
    note: str
    pages: tuple[str, ...]
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class ToughestCustomers:
    """What to do when a customer stays angry after a sound recovery."""

    title: str
    summary: str
    escalate_when: tuple[str, ...]
    stop_when: tuple[str, ...]
    protect_staff: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceLibrary:
    """Every claim in the file's order, and the toughest-customer guidance."""

    items: tuple[Evidence, ...]
    toughest: ToughestCustomers

    def for_page(self, page: str) -> tuple[Evidence, ...]:
        """The claims shown on one page, in the file's order."""
        return tuple(item for item in self.items if page in item.pages)

    def for_targets(self) -> tuple[Evidence, ...]:
        """The claims that inform the target of at least one library metric."""
        return tuple(item for item in self.items if item.metrics)

    def for_metric(self, metric_key: str) -> tuple[Evidence, ...]:
        """The claims that inform the target of one library metric."""
        return tuple(item for item in self.items if metric_key in item.metrics)


def _text(value: Any, place: str, limit: int, problems: list[str], required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{place}: must be a non-empty text")
        return ""
    text = " ".join(value.split())
    if len(text) > limit:
        problems.append(f"{place}: must be at most {limit} characters")
    return text


def _texts(value: Any, place: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > LIST_MAX:
        problems.append(f"{place}: must be a list of 1 to {LIST_MAX} texts")
        return ()
    return tuple(
        _text(item, f"{place}[{number}]", TEXT_MAX, problems)
        for number, item in enumerate(value, start=1)
    )


def _keys(
    value: Any, place: str, allowed: Collection[str], problems: list[str], empty_ok: bool
) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not empty_ok):
        problems.append(f"{place}: must be a list" + ("" if empty_ok else " of at least one"))
        return ()
    unknown = [str(item) for item in value if item not in allowed]
    if unknown:
        problems.append(f"{place}: unknown {', '.join(unknown)}")
    return tuple(str(item) for item in value if item in allowed)


def _item(
    entry: Any, place: str, metric_keys: Collection[str], problems: list[str]
) -> Evidence | None:
    if not isinstance(entry, Mapping):
        problems.append(f"{place}: must be a mapping with key, topic, claim, source and pages")
        return None
    key = entry.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append(f"{place}.key: must be a non-empty text")
    return Evidence(
        key=str(key),
        topic=_text(entry.get("topic"), f"{place}.topic", SHORT_MAX, problems),
        claim=_text(entry.get("claim"), f"{place}.claim", TEXT_MAX, problems),
        source=_text(entry.get("source"), f"{place}.source", SHORT_MAX, problems),
        note=_text(entry.get("note"), f"{place}.note", TEXT_MAX, problems, required=False),
        pages=_keys(entry.get("pages"), f"{place}.pages", PAGES, problems, empty_ok=False),
        metrics=_keys(
            entry.get("metrics", []), f"{place}.metrics", metric_keys, problems, empty_ok=True
        ),
    )


def _toughest(value: Any, problems: list[str]) -> ToughestCustomers:
    place = "toughest_customers"
    if not isinstance(value, Mapping):
        problems.append(f"{place}: must be a mapping")
        value = {}
    return ToughestCustomers(
        title=_text(value.get("title"), f"{place}.title", SHORT_MAX, problems),
        summary=_text(value.get("summary"), f"{place}.summary", TEXT_MAX, problems),
        escalate_when=_texts(value.get("escalate_when"), f"{place}.escalate_when", problems),
        stop_when=_texts(value.get("stop_when"), f"{place}.stop_when", problems),
        protect_staff=_texts(value.get("protect_staff"), f"{place}.protect_staff", problems),
    )


def parse_evidence(document: Any, source: str, metric_keys: Collection[str]) -> EvidenceLibrary:
    """Validate the parsed evidence document; `metric_keys` are the metric library's keys."""
    problems: list[str] = []
    if not isinstance(document, Mapping):
        raise EvidenceError(source, ["document: must be a mapping with evidence"])
    entries = document.get("evidence")
    if not isinstance(entries, list) or not entries:
        problems.append("evidence: must be a non-empty list")
        entries = []
    items: list[Evidence] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        item = _item(entry, f"evidence[{number}]", metric_keys, problems)
        if item is None:
            continue
        if item.key in seen:
            problems.append(f"evidence[{number}].key: {item.key} appears twice")
        seen.add(item.key)
        items.append(item)
    toughest = _toughest(document.get("toughest_customers"), problems)
    if problems:
        raise EvidenceError(source, problems)
    return EvidenceLibrary(tuple(items), toughest)
