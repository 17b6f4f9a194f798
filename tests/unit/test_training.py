"""Training plans: session states, plans per department, responding departments and gaps."""

from __future__ import annotations

from datetime import date

from workbench.analysis.training import (
    ScenarioRecord,
    TrainingRecord,
    department_plans,
    responding_department,
    state,
    summarise,
)

TODAY = date(2026, 12, 4)
DEPARTMENTS = {"service": "Guest services", "marketing": "Marketing", "it": "IT"}


def _item(
    item_id: int,
    department: str,
    planned: date | None = None,
    done: date | None = None,
    scenarios: tuple[int, ...] = (),
    empowerment: bool = False,
    head_count: int | None = None,
) -> TrainingRecord:
    return TrainingRecord(
        item_id,
        department,
        f"Topic {item_id}",
        planned,
        done,
        frozenset(scenarios),
        empowerment,
        head_count,
    )


def test_a_session_is_done_overdue_planned_or_unscheduled() -> None:
    assert state(_item(1, "service", date(2026, 1, 1), date(2026, 1, 2)), TODAY) == "done"
    # Done early, before its planned date, is still done.
    assert state(_item(2, "service", date(2027, 1, 1), date(2026, 1, 2)), TODAY) == "done"
    assert state(_item(3, "service", date(2026, 12, 3)), TODAY) == "overdue"
    assert state(_item(4, "service", TODAY), TODAY) == "planned"
    assert state(_item(5, "service"), TODAY) == "unscheduled"


def test_plans_count_each_department_and_the_people_trained() -> None:
    items = [
        _item(1, "service", date(2026, 1, 1), date(2026, 1, 5), (1, 2), head_count=12),
        _item(2, "service", date(2026, 11, 1), scenarios=(2,), head_count=40),
        _item(3, "service", date(2027, 2, 1)),
        _item(4, "marketing"),
    ]
    plans = department_plans(items, DEPARTMENTS, TODAY)
    assert [p.name for p in plans] == ["Guest services", "Marketing"]
    service = plans[0]
    assert (service.sessions, service.done, service.overdue, service.planned) == (3, 1, 1, 1)
    # Only the done session's head count counts as trained.
    assert service.people_trained == 12 and service.scenarios == 2
    assert plans[1].unscheduled == 1 and plans[1].people_trained == 0
    # A key the register does not know reads as itself.
    assert department_plans([_item(9, "legal")], DEPARTMENTS, TODAY)[0].name == "legal"


def test_the_responder_names_a_department_by_whole_words() -> None:
    assert responding_department("Marketing review team", DEPARTMENTS) == "marketing"
    assert responding_department("guest SERVICES desk", DEPARTMENTS) == "service"
    assert responding_department("The IT on-call engineer", DEPARTMENTS) == "it"
    # "it" inside another word is no department; nor is an empty responder.
    assert responding_department("Night manager with a kit", DEPARTMENTS) is None
    assert responding_department("   ", DEPARTMENTS) is None
    assert responding_department("Front desk duty manager", DEPARTMENTS) is None
    # The longest name wins when two match.
    assert responding_department("Guest services", {"guest": "Guest", **DEPARTMENTS}) == "service"


def test_a_scenario_is_a_gap_unless_its_responding_department_is_trained_for_it() -> None:
    scenarios = [
        ScenarioRecord(1, "Bad review", "Marketing review team", 50.0),
        ScenarioRecord(2, "Room not ready", "Front desk duty manager", 20.0),
        ScenarioRecord(3, "Wrong bill", "Night manager"),
        ScenarioRecord(4, "Lost luggage", "Guest services", None),
    ]
    items = [
        # Service trains for the review, but the marketing team responds to it.
        _item(1, "service", TODAY, scenarios=(1, 4)),
        # No department is named for the room: any department's session covers it.
        _item(2, "it", TODAY, scenarios=(2,)),
    ]
    summary = summarise(scenarios, items, DEPARTMENTS, TODAY)
    assert [(g.scenario, g.department, g.department_name) for g in summary.gaps] == [
        ("Bad review", "marketing", "Marketing"),
        ("Wrong bill", None, None),
    ]
    # Covered, with a limit, but no covering session teaches the empowerment.
    assert summary.untaught_limits == ("Room not ready",)
    taught = summarise(
        scenarios[1:2], [_item(2, "it", TODAY, scenarios=(2,), empowerment=True)], {}, TODAY
    )
    assert taught.gaps == () and taught.untaught_limits == ()
    assert summarise([], [], DEPARTMENTS, TODAY).plans == ()
