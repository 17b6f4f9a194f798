"""The storyboard's perspective and coverage sentences, written from the data as plain text.

A workspace whose analyst has not written a perspective gets one composed from the
assessment's verdict, the weakest readiness areas, the heaviest barrier, how far the
initiatives serve the objectives and the goals' statuses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PerspectiveFacts:
    """The findings a written perspective draws on."""

    verdict: str
    index: float | None
    factor_score: float | None
    readiness_score: float | None
    weakest: Sequence[tuple[str, float | None]]
    heavy_barriers: Sequence[str]
    initiatives: int
    objectives: int
    unserved: int
    goals: Mapping[str, int]
    flagged_initiatives: int


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def written_perspective(facts: PerspectiveFacts) -> str:
    """A perspective written from the data, for a workspace whose analyst has not written one."""
    if facts.index is None:
        opening = "The organisation has not been assessed yet, so the strategy has no verdict."
    else:
        opening = (
            f"The assessment finds the strategy {facts.verdict}, with a viability index of "
            f"{facts.index:.0f} out of 100."
        )
        parts = []
        if facts.factor_score is not None:
            parts.append(f"the balance of factors scores {facts.factor_score:.0f}")
        if facts.readiness_score is not None:
            parts.append(f"the organisation's readiness {facts.readiness_score:.0f}")
        if parts:
            opening += " Of its two halves, " + " and ".join(parts) + "."
    sentences = [opening]
    if facts.weakest:
        names = ", ".join(
            f"{title.lower()} ({score or 0:.0f})" for title, score in facts.weakest[:3]
        )
        sentences.append(f"Readiness is weakest in {names}.")
    if facts.heavy_barriers:
        sentences.append(f"The heaviest barrier is “{facts.heavy_barriers[0]}”.")
    served = facts.objectives - facts.unserved
    if facts.objectives:
        sentences.append(
            f"{_count(facts.initiatives, 'active initiative', 'active initiatives')}; "
            f"{served} of {_count(facts.objectives, 'objective', 'objectives')} "
            f"{'is' if served == 1 else 'are'} served."
        )
    else:
        sentences.append("No objective has been set yet.")
    off, risk = facts.goals.get("off_track", 0), facts.goals.get("at_risk", 0)
    if off or risk:
        sentences.append(
            f"{_count(off, 'goal is', 'goals are')} off track and {risk} at risk on the "
            "latest measurements."
        )
    stale = facts.goals.get("stale", 0)
    if stale:
        sentences.append(
            f"{_count(stale, 'metric has', 'metrics have')} no recent data, so "
            f"{'its goal is' if stale == 1 else 'their goals are'} not judged."
        )
    if facts.flagged_initiatives:
        sentences.append(
            f"{_count(facts.flagged_initiatives, 'initiative needs', 'initiatives need')} "
            "re-planning: late, not started when due, or scheduled against a prerequisite."
        )
    return " ".join(sentences)


def coverage(initiatives: int, serving: int, objectives: int, served: int) -> str:
    """How far the active initiatives and the objectives meet, in one sentence."""
    if not initiatives and not objectives:
        return "No initiative or objective has been written yet."
    if initiatives == 1:
        first = (
            "The one active initiative serves an objective"
            if serving
            else "The one active initiative serves no objective"
        )
    else:
        first = f"{serving} of the {initiatives} active initiatives serve at least one objective"
    if objectives == 1:
        second = "the one objective is served" if served else "the one objective is not served"
    else:
        second = f"{served} of the {objectives} objectives are served by at least one initiative"
    return f"{first}, and {second}."
