"""The pure rules behind process links, the functions recap and the approach decision."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.analysis.process_links import (
    check_target,
    decision,
    functions_check,
    merge_links,
    prevent_share,
)

IDS = st.sets(st.integers(min_value=1, max_value=20), max_size=8)


def test_a_stale_save_applies_its_own_changes_and_keeps_the_others() -> None:
    # Loaded {1, 2}; this save removes 2 and adds 3; meanwhile a colleague added 4.
    assert merge_links({1, 2}, {1, 3}, {1, 2, 4}) == {1, 3, 4}
    # A colleague removed 1 while this save left it alone: it stays removed.
    assert merge_links({1, 2}, {1, 2}, {2}) == {2}


@given(IDS, IDS, IDS)
def test_merging_is_exact_at_either_end(base: set[int], mine: set[int], theirs: set[int]) -> None:
    # Nothing changed meanwhile: this save's links win; nothing changed here: theirs stay.
    assert merge_links(base, mine, base) == mine
    assert merge_links(base, base, theirs) == theirs
    merged = merge_links(base, mine, theirs)
    assert (mine - base) <= merged and not (merged & (base - mine))


def test_the_functions_recap_needs_a_name_and_every_initiative_department() -> None:
    assert not functions_check([], []).done
    assert functions_check(["it"], []).done
    missing = functions_check(["it"], ["it", "service", "", "marketing", "service"])
    assert (missing.done, missing.named, missing.missing) == (False, 1, ("marketing", "service"))
    assert functions_check(["it", "service", "marketing"], ["it", "service"]).done


def test_the_target_is_a_whole_per_cent() -> None:
    assert check_target(0) == 0 and check_target(100) == 100 and check_target(None) is None
    for bad in (-1, 101, 40.5, "40", True, "=1+1"):
        with pytest.raises(ValueError, match="whole per cent"):
            check_target(bad)


def test_the_decision_reads_beside_today() -> None:
    assert prevent_share(0, 0) is None
    assert prevent_share(25, 75) == 25
    decided = decision(40, "  Most failures are small.  ", 25_000, 75_000)
    assert decided.line() == "decided: 40% prevent, 60% recover; today: 25% prevent, 75% recover"
    assert decided.gap() == (
        "Today's budget puts 15 percentage points less on prevention than decided."
    )
    assert decided.rationale == "Most failures are small."
    assert decision(25, "", 1, 3).gap() == "Today's budget matches the decided split."
    assert "10 percentage points more" in decision(40, "", 50, 50).gap()
    undecided = decision(None, "", 0, 0)
    assert not undecided.decided and undecided.gap() == ""
    assert undecided.line() == "decided: not yet; today: no budget with an approach chosen"
