"""The method's shipped content says what the method means: the TQM principles, the recovery
process's steps in order, the playbook's channels and the hotel scenario templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbench.models.fields import labelled
from workbench.models.vocabulary import RESPONSE_CHANNELS

ROOT = Path(__file__).resolve().parent.parent.parent


def _load(relative: str) -> Any:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def _principles() -> dict[str, dict[str, Any]]:
    return {p["key"]: p for p in _load("seeds/tqm_principles.yaml")["principles"]}


def test_integrated_processes_is_about_everyone_understanding_vision_to_processes() -> None:
    principle = _principles()["integrated_processes"]
    text = principle["description"].lower()
    for word in ("every employee", "vision", "mission", "policies", "processes"):
        assert word in text, word
    assert "hand-off" not in text and "departments working as one" not in text


def test_communications_is_about_organisational_and_day_to_day_change() -> None:
    principle = _principles()["communications"]
    text = " ".join((principle["description"], principle["example"])).lower()
    assert "organisational change" in text and "day-to-day" in text
    assert "customer" not in text


def test_process_centred_includes_constantly_monitored_measures() -> None:
    text = _principles()["process_centred"]["description"].lower()
    assert "monitored constantly" in text and "measures" in text


def test_the_tqm_maturity_questions_follow_the_same_meaning() -> None:
    dimensions = {d["key"]: d for d in _load("assessments/tqm_maturity.yaml")["dimensions"]}
    integrated = " ".join(q["text"] for q in dimensions["integrated_processes"]["questions"])
    assert "vision" in integrated and "policies" in integrated
    assert "between departments" not in integrated
    communications = [q["key"] for q in dimensions["communications"]["questions"]]
    assert "customers_told_first" not in communications
    assert "changes_explained" in communications
    process = [q["key"] for q in dimensions["process_centred"]["questions"]]
    assert "performance_monitored" in process


def test_the_recovery_process_template_runs_in_the_method_order() -> None:
    (template,) = [
        p
        for p in _load("seeds/process_templates.yaml")["processes"]
        if p["key"] == "service_recovery"
    ]
    assert [step["name"] for step in template["steps"]] == [
        "Listen",
        "Empathise",
        "Apologise",
        "Act",
        "Follow up",
        "Compensate",
        "Report",
    ]
    compensate = template["steps"][5]["description"]
    assert "warrants" in compensate


def test_the_demo_assigns_roles_to_the_template_steps_only() -> None:
    steps = {
        step["name"]
        for p in _load("seeds/process_templates.yaml")["processes"]
        for step in p["steps"]
    }
    raci = _load("seeds/demo_phase3.yaml")["process"]["raci"]
    assert set(raci) == steps


def test_field_service_is_a_playbook_channel() -> None:
    assert "field_service" in RESPONSE_CHANNELS
    assert dict(labelled(RESPONSE_CHANNELS))["field_service"] == "Field service visit"


def test_hotel_templates_cover_room_temperature_and_unmet_access_needs() -> None:
    hotel = {
        s["key"]: s
        for s in _load("seeds/failure_scenarios.yaml")["scenarios"]
        if s["industry"] == "hotel"
    }
    temperature = hotel["hotel_room_temperature"]
    assert "heating or air conditioning" in temperature["description"]
    access = hotel["hotel_access_needs_unmet"]
    assert "accessible" in access["description"] and access["severity"] == "high"
    for scenario in (temperature, access):
        assert set(scenario["response_channels"]) <= set(RESPONSE_CHANNELS)
        assert scenario["target_response_minutes"] <= 15
