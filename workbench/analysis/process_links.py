"""Rules for the links of processes and the workshop's recap and decision steps.

Plain values in, plain values out: merging a process's initiative links saved from a stale
page, deciding whether the room has named the functions involved, and setting the room's
prevent-versus-recover decision beside today's split of the budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PERCENT_RANGE = range(0, 101)

FUNCTIONS_RULE = (
    "This step is complete when the room has named at least one function and every "
    "department that runs an active initiative (dropped ones aside) is among them."
)


def merge_links(base: Iterable[int], mine: Iterable[int], theirs: Iterable[int]) -> set[int]:
    """Apply the links this save added and removed (mine against base) to the stored ones.

    A link someone else added or removed meanwhile stays as they left it; a link both sides
    changed was changed the same way, so a set of links never conflicts with itself.
    """
    loaded, wanted, stored = set(base), set(mine), set(theirs)
    return (stored | (wanted - loaded)) - (loaded - wanted)


@dataclass(frozen=True)
class FunctionsCheck:
    """Whether the functions named cover the initiatives' departments, and who is missing."""

    done: bool
    named: int
    missing: tuple[str, ...]  # initiative departments not among the functions named


def functions_check(
    involved: Iterable[str], initiative_departments: Iterable[str]
) -> FunctionsCheck:
    """Check the recap: at least one function named, and every initiative's department in it."""
    named = set(involved)
    missing = tuple(sorted({d for d in initiative_departments if d and d not in named}))
    return FunctionsCheck(bool(named) and not missing, len(named), missing)


def prevent_share(prevent_budget: float, recover_budget: float) -> int | None:
    """Today's share of the budget on prevention, of the budget with an approach chosen."""
    total = prevent_budget + recover_budget
    if total <= 0:
        return None
    return round(prevent_budget * 100 / total)


def check_target(value: object) -> int | None:
    """A decided share of the budget on prevention (0-100), or None; refuse anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in PERCENT_RANGE:
        raise ValueError("Give the share on prevention as a whole per cent from 0 to 100.")
    return value


@dataclass(frozen=True)
class Decision:
    """The decided split beside today's, in words for the page and the storyboard."""

    target: int | None
    today: int | None
    rationale: str

    @property
    def decided(self) -> bool:
        """Whether the room has recorded a split."""
        return self.target is not None

    def line(self) -> str:
        """'decided: 40% prevent, 60% recover; today: 25% prevent, 75% recover'."""
        decided = (
            f"decided: {self.target}% prevent, {100 - self.target}% recover"
            if self.target is not None
            else "decided: not yet"
        )
        today = (
            f"today: {self.today}% prevent, {100 - self.today}% recover"
            if self.today is not None
            else "today: no budget with an approach chosen"
        )
        return f"{decided}; {today}"

    def gap(self) -> str:
        """How far today's budget sits from the decision, in percentage points."""
        if self.target is None or self.today is None:
            return ""
        points = self.today - self.target
        if points == 0:
            return "Today's budget matches the decided split."
        side = "more" if points > 0 else "less"
        return (
            f"Today's budget puts {abs(points)} percentage points {side} on prevention "
            "than decided."
        )


def decision(target: int | None, rationale: str, prevent: float, recover: float) -> Decision:
    """The room's decision beside today's split of the budget with an approach chosen."""
    return Decision(target, prevent_share(prevent, recover), rationale.strip())
