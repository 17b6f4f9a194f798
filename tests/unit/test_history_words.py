"""The audit trail in plain words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workbench.analysis.history_words import Row, entity_label, group, readable

NOW = datetime(2026, 12, 3, 23, 50, tzinfo=UTC)


def test_kinds_read_as_words():
    assert entity_label("OrgUnit") == "Organisation unit"
    assert entity_label("CommunicationMetric") == "Metric in a communication plan"
    assert entity_label("WorkshopSession") == "Workshop session"
    assert entity_label("ProcessStep") == "Process step"
    assert entity_label("FeedHold") == "Day a feed leaves alone"
    assert entity_label("SomeNewThing") == "Some new thing"


def test_values_read_as_a_person_writes_them():
    assert readable("2026-12-03T23:50:44.065034+00:00") == "3 Dec 2026 23:50"
    assert readable("2027-06-30") == "30 Jun 2027"
    assert readable("True") == "yes"
    assert readable("Raise NPS") == "Raise NPS"
    assert readable(None) == ""


def test_a_burst_of_edits_to_one_thing_is_one_entry():
    def row(minutes: int, field: str, user: int = 1, entity_id: int = 7) -> Row:
        return Row(
            NOW - timedelta(minutes=minutes), "Ann", user, "update", "FailureScenario",
            entity_id, field, "a", "b",
        )  # fmt: skip

    rows = [row(0, "name"), row(1, "severity"), row(2, "responder"), row(9, "name"), row(9, "x", 2)]
    entries = group(rows, {("FailureScenario", 7): "Room not ready"})
    assert [len(e.fields) for e in entries] == [3, 1, 1]
    assert entries[0].what == "Changed failure scenario"
    assert entries[0].title == "Room not ready"
    assert entries[0].fields[1] == ("severity", "a", "b")
