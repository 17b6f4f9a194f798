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
    """The recovery economics: customers kept beyond today's recovery, their value, the cost."""
    churn = LABELS["churn_unrecovered"].lower(), LABELS["churn_recovered"].lower()
    return MethodNote(
        "Recovery economics",
        f"Return = (value kept {MINUS} programme cost) {DIVIDED} programme cost",
        "Only the complaints recovered beyond today's recovery rate are the programme's "
        "doing (today's rate is zero when not known). The customers kept are those extra "
        f"recoveries {TIMES} the difference between {churn[0]} and {churn[1]}; the value "
        f"kept is the customers kept {TIMES} the "
        f"{LABELS['customer_lifetime_value'].lower()}. The programme cost is the "
        f"{LABELS['programme_fixed_cost'].lower()} plus every complaint {TIMES} the "
        f"{LABELS['cost_per_recovery'].lower()}.",
    )


def business_case_note() -> MethodNote:
    """The business case over years: the climb to the target, costs by year, NPV, payback."""
    return MethodNote(
        "Business case over years",
        f"NPV = the sum over the years of (value kept {MINUS} cost) {DIVIDED} "
        "(1 + discount rate) to the power of the years since the first",
        "The recovery rate climbs in a straight line from today's to the target by the "
        "Recovery rate goal's date. A year's cost is the initiatives' budget spread over "
        "their dates, the running cost and the playbook's compensation (remedy value "
        f"{TIMES} expected cases). Payback is when the cumulative net stays positive.",
    )


def method_notes() -> tuple[MethodNote, ...]:
    """Every note of the appendix, in the order the report presents its figures."""
    return (viability_note(), alignment_note(), economics_note(), business_case_note())
