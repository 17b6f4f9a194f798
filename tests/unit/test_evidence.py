"""The published evidence: every claim carries its source, is placed on known pages and metrics,
and a malformed file is refused with each problem named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.analysis.evidence import PAGES, EvidenceError, parse_evidence

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def _document() -> Any:
    return yaml.safe_load((SEEDS / "evidence.yaml").read_text(encoding="utf-8"))


def _metric_keys() -> set[str]:
    library = yaml.safe_load((SEEDS / "metric_library.yaml").read_text(encoding="utf-8"))
    return {entry["key"] for entry in library["metrics"]}


def test_the_shipped_evidence_parses_and_every_claim_names_its_source() -> None:
    library = parse_evidence(_document(), "evidence.yaml", _metric_keys())
    assert len(library.items) == 10
    for item in library.items:
        assert item.claim and item.source and item.topic, item.key
        assert set(item.pages) <= set(PAGES)
    claims = " ".join(item.claim for item in library.items)
    for figure in (
        "1.06 to 4.65 stars",
        "-85 to +22",
        "Nine customers in ten",
        "85%",
        "57%",
        "20% to 50%",
        "70% of buying decisions",
        "10.7%",
        "90%",
    ):
        assert figure in claims, figure


def test_the_two_studies_are_cited_with_journal_year_and_size() -> None:
    library = parse_evidence(_document(), "evidence.yaml", _metric_keys())
    sources = {item.key: item.source for item in library.items}
    assert sources["bots_recover_like_staff"] == (
        "International Journal of Hospitality Management, 2020 (180 participants)"
    )
    assert sources["speed_and_fitting_compensation"] == (
        "Asian Journal of Economics, Finance and Management, 2022 (91 participants)"
    )
    assert sources["experience_revenue"] == "McKinsey research"
    on_scenario = {item.key for item in library.for_page("scenario")}
    assert {"bots_recover_like_staff", "speed_and_fitting_compensation"} <= on_scenario


def test_claims_are_found_by_page_and_by_metric() -> None:
    library = parse_evidence(_document(), "evidence.yaml", _metric_keys())
    assert [i.key for i in library.for_metric("star_rating")] == ["qa_team_callbacks"]
    assert library.for_metric("cost_per_contact") == ()
    assert {i.key for i in library.for_page("organisation")} == {"qa_team_callbacks"}
    assert all(item.metrics for item in library.for_targets())
    assert library.toughest.escalate_when and library.toughest.stop_when
    assert library.toughest.protect_staff


def test_a_malformed_file_names_every_problem() -> None:
    document = {
        "evidence": [
            {"key": "a", "topic": "T", "claim": "C", "source": "", "pages": ["nowhere"]},
            {"key": "a", "topic": "T", "claim": "C", "source": "S", "pages": ["playbook"]},
            {"key": "b", "topic": "T", "claim": "x" * 700, "source": "S", "pages": []},
            {
                "key": "c",
                "topic": "T",
                "claim": "C",
                "source": "S",
                "pages": ["playbook"],
                "metrics": ["made_up"],
            },
            "not a mapping",
        ],
        "toughest_customers": {"title": "T", "summary": "S", "escalate_when": []},
    }
    with pytest.raises(EvidenceError) as caught:
        parse_evidence(document, "evidence.yaml", {"nps"})
    problems = caught.value.problems
    assert "evidence[1].source: must be a non-empty text" in problems
    assert "evidence[1].pages: unknown nowhere" in problems
    assert "evidence[2].key: a appears twice" in problems
    assert "evidence[3].claim: must be at most 600 characters" in problems
    assert "evidence[3].pages: must be a list of at least one" in problems
    assert "evidence[4].metrics: unknown made_up" in problems
    assert any(p.startswith("evidence[5]: must be a mapping") for p in problems)
    assert "toughest_customers.escalate_when: must be a list of 1 to 6 texts" in problems
    assert "toughest_customers.stop_when: must be a list of 1 to 6 texts" in problems
    assert str(caught.value).startswith("evidence.yaml: ")


@pytest.mark.parametrize("document", [None, [], "text", {"evidence": "x"}])
def test_a_document_of_the_wrong_shape_is_refused(document: Any) -> None:
    with pytest.raises(EvidenceError):
        parse_evidence(document, "evidence.yaml", set())
