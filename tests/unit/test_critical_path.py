"""The critical path method on hand-made plans: forward and backward pass, slack and chain."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis.alignment_records import Dependency, InitiativeRecord
from workbench.analysis.critical_path import CriticalPath, critical_path


def task(
    key: int, start: date | None, end: date | None, status: str = "approved"
) -> InitiativeRecord:
    """An initiative with only what the schedule reads."""
    return InitiativeRecord(key, f"Initiative {key}", status=status, start=start, end=end)


def slack(result: CriticalPath, key: int) -> int | None:
    """The initiative's slack in days, or None when it is not scheduled."""
    item = result.schedule.get(key)
    return item.slack_days if item else None


def d(month: int, day: int, year: int = 2027) -> date:
    return date(year, month, day)


def test_a_chain_is_critical_end_to_end_with_no_slack() -> None:
    plan = [task(1, d(1, 1), d(2, 1)), task(2, d(2, 1), d(3, 1)), task(3, d(3, 1), d(5, 1))]
    result = critical_path(plan, [Dependency(2, 1), Dependency(3, 2)])
    assert result.chain == (1, 2, 3)
    assert result.programme_end == d(5, 1)
    assert [slack(result, i) for i in (1, 2, 3)] == [0, 0, 0]
    assert result.pushed == {}


def test_a_diamond_takes_the_longer_branch_and_the_shorter_one_has_slack() -> None:
    plan = [
        task(1, d(1, 1), d(2, 1)),
        task(2, d(2, 1), d(6, 1)),  # long branch: four months
        task(3, d(2, 1), d(3, 1)),  # short branch: one month
        task(4, d(6, 1), d(7, 1)),
    ]
    links = [Dependency(2, 1), Dependency(3, 1), Dependency(4, 2), Dependency(4, 3)]
    result = critical_path(plan, links)
    assert result.chain == (1, 2, 4)
    assert slack(result, 3) == (d(6, 1) - d(3, 1)).days
    assert result.schedule[3].latest_finish == d(6, 1)
    assert result.programme_end == d(7, 1)


def test_two_independent_chains_the_one_ending_later_decides() -> None:
    plan = [
        task(1, d(1, 1), d(2, 1)),
        task(2, d(2, 1), d(4, 1)),
        task(3, d(1, 1), d(3, 1)),
        task(4, d(3, 1), d(9, 1)),
    ]
    result = critical_path(plan, [Dependency(2, 1), Dependency(4, 3)])
    assert result.chain == (3, 4)
    assert slack(result, 1) == slack(result, 2) == (d(9, 1) - d(4, 1)).days


def test_parallel_ties_choose_the_initiative_listed_first_every_time() -> None:
    plan = [
        task(1, d(1, 1), d(2, 1)),
        task(2, d(2, 1), d(3, 1)),
        task(3, d(2, 1), d(3, 1)),
        task(4, d(3, 1), d(4, 1)),
    ]
    links = [Dependency(2, 1), Dependency(3, 1), Dependency(4, 2), Dependency(4, 3)]
    result = critical_path(plan, links)
    assert result.chain == (1, 2, 4)
    # Both tied branches are critical even though the chain names one of them.
    assert slack(result, 2) == slack(result, 3) == 0
    reordered = critical_path([plan[0], plan[2], plan[1], plan[3]], list(reversed(links)))
    assert reordered.chain == (1, 3, 4)


def test_a_planned_start_later_than_the_prerequisites_is_kept_and_ends_the_chain() -> None:
    plan = [task(1, d(1, 1), d(2, 1)), task(2, d(4, 1), d(6, 1))]
    result = critical_path(plan, [Dependency(2, 1)])
    assert result.schedule[2].earliest_start == d(4, 1)
    assert result.schedule[2].held_by is None
    assert result.chain == (2,)
    assert slack(result, 1) == (d(4, 1) - d(2, 1)).days


def test_a_start_before_a_prerequisite_ends_is_pushed_to_the_earliest_possible_start() -> None:
    plan = [task(1, d(1, 1), d(3, 1)), task(2, d(2, 1), d(4, 1))]
    result = critical_path(plan, [Dependency(2, 1)])
    pushed = result.pushed[2]
    assert pushed.planned_start == d(2, 1)
    assert pushed.earliest_start == d(3, 1)
    assert pushed.held_by == 1
    # The duration is kept, so the finish moves by as much as the start.
    assert pushed.earliest_finish == d(3, 1) + (d(4, 1) - d(2, 1))
    assert result.programme_end == pushed.earliest_finish
    assert result.chain == (1, 2)


def test_done_work_finishes_on_its_own_date_whatever_it_depends_on() -> None:
    plan = [task(1, d(1, 1), d(9, 1), "in_progress"), task(2, d(2, 1), d(3, 1), "done")]
    result = critical_path(plan, [Dependency(2, 1)])
    assert result.schedule[2].earliest_start == d(2, 1)
    assert result.schedule[2].earliest_finish == d(3, 1)
    assert result.pushed == {}
    assert result.chain == (1,)
    assert slack(result, 2) == (d(9, 1) - d(3, 1)).days


def test_done_work_can_hold_back_what_follows_it() -> None:
    plan = [task(1, d(1, 1), d(3, 1), "done"), task(2, d(2, 1), d(5, 1))]
    result = critical_path(plan, [Dependency(2, 1)])
    assert result.schedule[2].earliest_start == d(3, 1)
    assert result.chain == (1, 2)


def test_an_undated_initiative_is_listed_and_its_dependencies_still_count() -> None:
    plan = [
        task(1, d(1, 1), d(3, 1)),
        task(2, None, None),
        task(3, d(2, 1), d(4, 1)),
        task(4, d(1, 1), None),
    ]
    result = critical_path(plan, [Dependency(2, 1), Dependency(3, 2)])
    assert result.undated == (2, 4)
    assert set(result.schedule) == {1, 3}
    assert slack(result, 2) is None
    # 3 waits for 2, which waits for 1: so 3 cannot start before 1 ends.
    assert result.schedule[3].earliest_start == d(3, 1)
    assert result.chain == (1, 3)


def test_dropped_work_takes_no_part() -> None:
    plan = [task(1, d(1, 1), d(12, 1), "dropped"), task(2, d(2, 1), d(3, 1))]
    result = critical_path(plan, [Dependency(2, 1)])
    assert set(result.schedule) == {2}
    assert result.undated == ()
    assert result.chain == (2,)


def test_a_single_initiative_is_the_whole_path() -> None:
    result = critical_path([task(7, d(3, 1), d(3, 31))], [])
    assert result.chain == (7,)
    assert result.programme_end == d(3, 31)
    assert slack(result, 7) == 0


def test_an_empty_plan_has_no_end_and_no_chain() -> None:
    result = critical_path([], [])
    assert result.chain == ()
    assert result.programme_end is None
    assert result.schedule == {} and result.undated == ()


def test_a_plan_with_only_undated_work_has_no_end() -> None:
    result = critical_path([task(1, None, None)], [])
    assert result.programme_end is None
    assert result.undated == (1,)


def test_slack_is_never_negative_and_the_chain_has_none() -> None:
    plan = [
        task(1, d(1, 1), d(5, 1)),
        task(2, d(2, 1), d(3, 1), "done"),
        task(3, d(3, 1), d(4, 1)),
        task(4, d(1, 15), d(8, 1)),
    ]
    links = [Dependency(2, 1), Dependency(3, 2), Dependency(4, 1), Dependency(4, 3)]
    result = critical_path(plan, links)
    assert all(item.slack_days >= 0 for item in result.schedule.values())
    assert all(slack(result, i) == 0 for i in result.chain)
    assert result.chain[-1] == 4


def test_a_loop_is_refused() -> None:
    plan = [task(1, d(1, 1), d(2, 1)), task(2, d(2, 1), d(3, 1))]
    with pytest.raises(ValueError, match="loop"):
        critical_path(plan, [Dependency(1, 2), Dependency(2, 1)])


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[InitiativeRecord], list[Dependency]]:
    """Random plans: some undated, done or dropped, dependencies only on earlier ones."""
    days = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))
    statuses = st.sampled_from(["proposed", "approved", "in_progress", "done", "dropped"])
    records = [
        task(key, draw(st.none() | days), draw(st.none() | days), draw(statuses))
        for key in range(draw(st.integers(0, 12)))
    ]
    links = [
        Dependency(b, a)
        for b in range(len(records))
        for a in range(b)
        if draw(st.integers(0, 3)) == 0
    ]
    return records, links


@settings(max_examples=200, deadline=None)
@given(plan=plans())
def test_any_plan_has_no_negative_slack_and_a_chain_of_linked_critical_work(
    plan: tuple[list[InitiativeRecord], list[Dependency]],
) -> None:
    records, links = plan
    result = critical_path(records, links)
    for item in result.schedule.values():
        assert item.slack_days >= 0
        assert item.earliest_start >= item.planned_start
        assert item.latest_finish <= result.programme_end
    if result.schedule:
        assert result.programme_end == max(i.earliest_finish for i in result.schedule.values())
        assert result.schedule[result.chain[-1]].earliest_finish == result.programme_end
        assert all(result.schedule[i].slack_days == 0 for i in result.chain)
        for before, after in zip(result.chain, result.chain[1:], strict=False):
            assert result.schedule[before].earliest_finish == result.schedule[after].earliest_start
    else:
        assert result.chain == () and result.programme_end is None
