"""A response target slower than the 10-15 minute advice is named as the owner's decision."""

from __future__ import annotations

import pytest

from workbench.analysis.response_target import (
    ADVICE_MINUTES,
    slow_target_note,
    slow_target_remark,
    slower_than_advised,
)


@pytest.mark.parametrize("minutes", [None, 1, 10, 15])
def test_a_target_within_the_advice_or_unset_has_no_note(minutes: int | None) -> None:
    assert not slower_than_advised(minutes)
    assert slow_target_note(minutes) is None


def test_one_minute_over_the_advice_is_flagged_with_the_target_and_the_advice() -> None:
    assert ADVICE_MINUTES == (10, 15)
    note = slow_target_note(16)
    assert note == (
        "Response target 16 minutes: slower than the advice to reach the customer within "
        "10 to 15 minutes of the alert. Whether to keep it is a decision for the scenario's "
        "owner."
    )


def test_long_targets_read_in_hours_too() -> None:
    assert slower_than_advised(240)
    assert (slow_target_note(240) or "").startswith("Response target 240 minutes (4 hours):")
    assert (slow_target_note(90) or "").startswith("Response target 90 minutes:")


def test_the_compact_remark_follows_the_same_rule() -> None:
    assert slow_target_remark(15) is None and slow_target_remark(None) is None
    assert slow_target_remark(16) == (
        "slower than the 10 to 15 minutes advised; keeping it is the scenario owner's decision"
    )
