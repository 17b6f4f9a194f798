"""The version comparison of the operating model and the front line: scenarios, stakeholders,
processes, the target organisation, the canvas, the application portfolio, drills, quoted
stories and training.

Each function takes one section of the old and the new plain report context and yields
sentences, as the other sections of `report_diff_sections` do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from workbench.analysis.report_diff_format import (
    Change,
    Rows,
    amount,
    as_list,
    as_map,
    common,
    count_change,
    day,
    field,
    measure,
    money,
    moved,
    named_change,
    named_rows,
    plain,
    row_fields,
    rows_added_removed,
)

Section = Mapping[str, Any]


CANVAS = (
    ("needs", "customer need"),
    ("drivers", "driver"),
    ("environment", "factor of the environment"),
    ("challenges", "challenge"),
    ("opportunities", "opportunity"),
)


def _minutes(value: Any) -> str:
    return measure(value, "minutes") if value is not None else "none"


def operating_changes(old: Section, new: Section, currency: str) -> Iterable[Change]:
    """Scenarios, stakeholders, processes, the target organisation, the canvas and the
    application portfolio."""
    scenarios_old, scenarios_new = (
        named_rows(old.get("scenarios")),
        named_rows(new.get("scenarios")),
    )
    yield from rows_added_removed("failure scenario", scenarios_old, scenarios_new)
    yield from row_fields(
        scenarios_old,
        scenarios_new,
        (
            ("severity", "Severity", plain),
            ("responder", "Responder", plain),
            ("minutes", "Response time", _minutes),
            ("compensation", "Compensation", plain),
            ("amount", "Compensation amount", partial(money, currency=currency)),
            ("needs_approval", "Whether '{name}' needs approval", plain),
            ("initiatives", "Initiatives linked to '{name}'", plain),
        ),
    )
    people_old = named_rows(old.get("stakeholders"))
    people_new = named_rows(new.get("stakeholders"))
    yield from rows_added_removed("stakeholder", people_old, people_new)
    yield from row_fields(people_old, people_new, ((4, "Place on the stakeholder grid", plain),))
    processes_old = named_rows(old.get("processes"))
    processes_new = named_rows(new.get("processes"))
    yield from rows_added_removed("process", processes_old, processes_new)
    for name, process in processes_new.items():
        if name in processes_old:
            yield from count_change(
                f"RACI problems in '{name}'",
                field(processes_old[name], "violations"),
                field(process, "violations"),
            )
    yield from rows_added_removed(
        "unit of the target organisation",
        named_rows(old.get("target")),
        named_rows(new.get("target")),
    )
    for key, noun in CANVAS:
        yield from rows_added_removed(
            f"{noun} on the canvas", named_rows(old.get(key)), named_rows(new.get(key))
        )
    yield from _drill_changes(
        as_map(old.get("drills")), as_map(new.get("drills")), set(scenarios_new)
    )
    yield from _portfolio_changes(old.get("applications"), new.get("applications"), currency)


def _portfolio_changes(old: Any, new: Any, currency: str) -> Iterable[Change]:
    """The application portfolio's yearly cost, applications added or removed, their costs
    and contract ends (a row is [name, kind, owner, annual cost, contract end])."""
    before, after = common(old, new)
    yield from amount(
        "Annual cost of the applications",
        before.get("total_cost"),
        after.get("total_cost"),
        currency,
    )
    apps_old, apps_new = named_rows(before.get("rows")), named_rows(after.get("rows"))
    yield from rows_added_removed("application", apps_old, apps_new)
    yield from row_fields(
        apps_old,
        apps_new,
        (
            (3, "Annual cost of '{name}'", partial(money, currency=currency)),
            (4, "Contract end of '{name}'", day),
        ),
    )


def _drill_changes(old: Section, new: Section, scenarios: set[str]) -> Iterable[Change]:
    """Drills held since the other version, with their verdicts; scenarios first drilled."""
    held_before = {(field(row, 0), field(row, 1)) for row in as_list(old.get("held"))}
    for row in as_list(new.get("held")):
        scenario, held_on, outcome = field(row, 0), field(row, 1), field(row, 2)
        if (scenario, held_on) not in held_before:
            verdict = "met its targets" if outcome == "met" else "missed its targets"
            yield Change(f"Drill of '{scenario}' held on {held_on}: {verdict}", str(scenario))
    never_now = set(as_list(new.get("never_drilled")))
    for name in as_list(old.get("never_drilled")):
        # A scenario gone from the playbook leaves the list too, undrilled.
        if name not in never_now and name in scenarios:
            yield Change(f"'{name}' was drilled for the first time", str(name))


def _by_department(rows: Any) -> Rows:
    return {
        row["department"]: row
        for row in as_list(rows)
        if isinstance(row, Mapping) and isinstance(row.get("department"), str)
    }


def front_line_changes(old: Section, new: Section, _currency: str) -> Iterable[Change]:
    """Stories quoted or no longer quoted, each department's training figures, and the gaps."""
    stories_old, stories_new = named_rows(old.get("stories")), named_rows(new.get("stories"))
    yield from named_change(
        "quoted story", [n for n in stories_new if n not in stories_old], "added"
    )
    yield from named_change(
        "quoted story", [n for n in stories_old if n not in stories_new], "no longer quoted"
    )
    plans_old, plans_new = _by_department(old.get("training")), _by_department(new.get("training"))
    yield from rows_added_removed("training plan", plans_old, plans_new)
    yield from row_fields(
        plans_old,
        plans_new,
        (
            ("done", "Training sessions done in '{name}'", plain),
            ("overdue", "Training sessions overdue in '{name}'", plain),
            ("people_trained", "People trained in '{name}'", plain),
        ),
    )
    gaps_old, gaps_new = len(as_list(old.get("gaps"))), len(as_list(new.get("gaps")))
    if gaps_old != gaps_new:
        label = "Scenarios no responding team is trained for"
        yield moved(label, "changed", str(gaps_old), str(gaps_new))
