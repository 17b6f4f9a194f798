"""How the storyboard's headline figures are worked out, written for the reader of the appendix.

The thresholds and weights come from the modules that compute the figures, so the notes
cannot drift from the arithmetic they describe.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.analysis import viability
from workbench.analysis.alignment_records import CONTRIBUTION_WEIGHT
from workbench.analysis.economics import LABELS

# Typeset signs, written as escapes so the source stays plain ASCII.
TIMES, MINUS, DIVIDED = "\u00d7", "\u2212", "\u00f7"


class MethodNote(NamedTuple):
    """One figure of the report and how it is calculated."""

    title: str
    formula: str
    explanation: str


def _whole(value: float) -> str:
    return f"{value:.0f}"


def viability_note() -> MethodNote:
    """The viability index and the verdict it leads to."""
    return MethodNote(
        "Viability index and verdict",
        f"Viability index = (factor score + readiness score) {DIVIDED} 2",
        "The factor score weighs the summed importance (1 to 5) of drivers and enablers "
        "against that of barriers: 0 means only barriers, 50 an even balance, 100 no "
        "barriers at all. The readiness score is the questionnaire's overall result out of "
        "100. When only one of the two exists, the index is that one. The strategy is "
        f"viable at {_whole(viability.VIABLE_AT)} or more with no readiness dimension below "
        f"{_whole(viability.WEAK_DIMENSION_BLOCKS_BELOW)}, viable with conditions from "
        f"{_whole(viability.CONDITIONAL_AT)}, and not yet viable below that. The conditions "
        f"name every barrier of importance {viability.HEAVY_BARRIER_FROM} or more and every "
        f"readiness dimension below {_whole(viability.WEAK_DIMENSION_NAMED_BELOW)}.",
    )


def alignment_note() -> MethodNote:
    """The alignment score and its four shares."""
    strong, moderate, weak = (
        CONTRIBUTION_WEIGHT["strong"],
        CONTRIBUTION_WEIGHT["moderate"],
        CONTRIBUTION_WEIGHT["weak"],
    )
    return MethodNote(
        "Alignment score",
        f"Alignment score = 100 {TIMES} the average of four shares, each from 0 to 1",
        "The shares are: initiatives linked to at least one objective; how well each "
        "objective is served by its best initiative (a strong contribution counts in full, "
        f"a moderate one {moderate}/{strong}, a weak one {weak}/{strong}); TQM principles "
        "applied by at least one initiative; and barriers addressed by at least one "
        "initiative. A share with nothing to measure is left out of the average. Dropped "
        "initiatives do not count.",
    )


def economics_note() -> MethodNote:
    """The business case: customers kept beyond today's recovery, their value, the cost by year."""
    churn = LABELS["churn_unrecovered"].lower(), LABELS["churn_recovered"].lower()
    return MethodNote(
        "Recovery economics",
        f"NPV = the sum over the years of (value kept {MINUS} programme cost) {DIVIDED} "
        "(1 + discount rate) to the power of the years since the first",
        "Only complaints recovered beyond today's recovery rate count. The rate climbs in a "
        "straight line to the target by the Recovery rate goal's date. Customers kept = "
        f"extra recoveries {TIMES} ({churn[0]} {MINUS} {churn[1]}); their lifetime value is "
        "booked in the year they are kept. A year's cost is the initiatives' budget spread "
        "over their dates, the running cost and the playbook's compensation (remedy value "
        f"{TIMES} expected cases).",
    )


def delivery_note() -> MethodNote:
    """An initiative's share done, forecast end and health."""
    return MethodNote(
        "Delivery: done, forecast end and health",
        f"Forecast end = start + days since the start {DIVIDED} share done",
        "The share done is that of the initiative's milestones completed; without "
        "milestones it is the figure the team entered. The forecast projects the rate of "
        "progress so far for work in progress; otherwise it is the planned end, or today "
        "once the planned end has passed. An initiative is late once its planned end has "
        "passed; at risk when the forecast runs past the planned end or the baseline (the "
        "dates it was first approved with), a milestone is overdue, it has not started when "
        "due, or spend exceeds the budget; on track otherwise. Done and dropped work have no "
        "health.",
    )


def method_notes() -> tuple[MethodNote, ...]:
    """Every note of the appendix, in the order the report presents its figures."""
    return (viability_note(), alignment_note(), delivery_note(), economics_note())
