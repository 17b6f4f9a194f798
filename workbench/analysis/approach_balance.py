"""Prevent or recover: the active initiatives' count and budget by approach, and a reading.

The roll-up counts every active initiative (dropped work is left out) overall and under
each objective it serves; one serving two objectives counts in full under both. The
reading sets the split of the budget against the failures the playbook expects, using the
guidance's thresholds, and is written as plain sentences for the strategy team and the
board: it describes the balance, it never asks anyone to change the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from workbench.analysis.alignment_records import AlignmentInput, InitiativeRecord
from workbench.analysis.approach_guidance import Guidance

PREVENT, RECOVER, UNSET = "prevent", "recover", "unset"
KEYS = (PREVENT, RECOVER, UNSET)
LABELS = {PREVENT: "Prevent", RECOVER: "Recover", UNSET: "Not chosen"}
OVERALL = "All active initiatives"
NO_OBJECTIVE = "Serving no objective"

# How the plan leans: towards one approach, balanced, or unknown (no approach chosen at all).
BALANCED, UNKNOWN = "balanced", "unknown"

BALANCE_NOTE = (
    "Only active initiatives count; dropped ones are left out. An initiative serving two "
    "objectives counts in full under each, so the objective rows can add up to more than "
    "the total. A missing budget counts as zero. Each per cent is a share of the row's "
    "budget."
)


class ScenarioRecord(NamedTuple):
    """What the reading needs of a playbook failure scenario."""

    name: str
    severity: str
    foreseeable: bool
    cases_per_year: int | None = None
    # A responder named, a message to the customer agreed and a response time set.
    ready: bool = False


class ApproachShare(NamedTuple):
    """The initiatives of one approach within a row: how many, their budget and its share."""

    key: str
    label: str
    initiatives: int
    budget: float
    budget_percent: int | None


@dataclass(frozen=True)
class ApproachRow:
    """One row of the roll-up: all active initiatives, or those serving one objective."""

    objective_id: int | None
    label: str
    shares: tuple[ApproachShare, ...]  # prevent, recover, not chosen: always all three
    initiatives: int
    budget: float


class Unchosen(NamedTuple):
    """An active initiative with no approach chosen."""

    id: int
    title: str
    budget: float


@dataclass(frozen=True)
class PlaybookSplit:
    """The playbook's failures by where each approach pays off, and how many are ready."""

    scenarios: int
    prevention_pays: int  # foreseeable, big or frequent
    recovery_pays: int  # small, unforeseeable and rare
    ready: int


@dataclass(frozen=True)
class ApproachBalance:
    """The roll-up overall and per objective, the undecided initiatives and the reading."""

    overall: ApproachRow
    by_objective: tuple[ApproachRow, ...]
    unchosen: tuple[Unchosen, ...]
    playbook: PlaybookSplit
    lean: str  # prevent, recover, balanced or unknown
    reading: tuple[str, ...]
    currency: str
    rule: str
    note: str = BALANCE_NOTE


def whole_percents(values: Sequence[float]) -> tuple[int | None, ...]:
    """Whole per cents of the values' sum that add up to exactly 100 (largest remainder).

    Every value is None when the sum is not positive: a share of nothing is not 0%.
    """
    total = sum(values)
    if total <= 0:
        return tuple(None for _ in values)
    exact = [value * 100 / total for value in values]
    floors = [int(share) for share in exact]
    short = 100 - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: (floors[i] - exact[i], i))
    for index in by_remainder[:short]:
        floors[index] += 1
    return tuple(floors)


def _key(record: InitiativeRecord) -> str:
    return record.approach if record.approach in (PREVENT, RECOVER) else UNSET


def _row(objective_id: int | None, label: str, members: Iterable[InitiativeRecord]) -> ApproachRow:
    counts = dict.fromkeys(KEYS, 0)
    budgets = dict.fromkeys(KEYS, 0.0)
    for record in members:
        counts[_key(record)] += 1
        budgets[_key(record)] += record.budget or 0.0
    budget_shares = whole_percents([budgets[k] for k in KEYS])
    return ApproachRow(
        objective_id=objective_id,
        label=label,
        shares=tuple(
            ApproachShare(k, LABELS[k], counts[k], budgets[k], budget_shares[n])
            for n, k in enumerate(KEYS)
        ),
        initiatives=sum(counts.values()),
        budget=sum(budgets.values()),
    )


def split_playbook(scenarios: Iterable[ScenarioRecord], guidance: Guidance) -> PlaybookSplit:
    """Sort the playbook's failures by the approach that pays off for each."""
    total = prevention = ready = 0
    for scenario in scenarios:
        total += 1
        ready += scenario.ready
        frequent = (scenario.cases_per_year or 0) >= guidance.frequent_cases_per_year
        if scenario.foreseeable or frequent or scenario.severity in guidance.big_severities:
            prevention += 1
    return PlaybookSplit(total, prevention, total - prevention, ready)


def approach_balance(
    data: AlignmentInput,
    scenarios: Iterable[ScenarioRecord],
    guidance: Guidance,
    currency: str,
) -> ApproachBalance:
    """Roll the active initiatives up by approach and read the balance against the playbook."""
    active = [i for i in data.initiatives if i.active]
    serving: dict[int, list[InitiativeRecord]] = {o.id: [] for o in data.objectives}
    linked: set[int] = set()
    by_id = {i.id: i for i in active}
    for link in data.objective_links:
        record = by_id.get(link.initiative_id)
        if record is not None and link.objective_id in serving:
            serving[link.objective_id].append(record)
            linked.add(record.id)
    rows = [_row(o.id, o.title, serving[o.id]) for o in data.objectives]
    unlinked = [i for i in active if i.id not in linked]
    if unlinked:
        rows.append(_row(None, NO_OBJECTIVE, unlinked))
    overall = _row(None, OVERALL, active)
    playbook = split_playbook(scenarios, guidance)
    lean = _lean(overall, guidance.leaning_percent)
    return ApproachBalance(
        overall=overall,
        by_objective=tuple(rows),
        unchosen=tuple(
            Unchosen(i.id, i.title, i.budget or 0.0) for i in active if _key(i) == UNSET
        ),
        playbook=playbook,
        lean=lean,
        reading=tuple(_reading(overall, playbook, lean, guidance, currency)),
        currency=currency,
        rule=reading_rule(guidance),
    )


def reading_rule(guidance: Guidance) -> str:
    """How the reading sorts the playbook's failures and decides which way a plan leans."""
    big = " or ".join(guidance.big_severities)
    return (
        "The reading counts a playbook failure as one where prevention pays off when it is "
        f"foreseeable, {big + ' in severity, ' if big else ''}or expected "
        f"{guidance.frequent_cases_per_year:,} times a year or more; a plan leans one way when "
        f"that approach takes {guidance.leaning_percent}% or more of the budget with an "
        "approach chosen."
    )


def _chosen(row: ApproachRow) -> tuple[ApproachShare, ApproachShare]:
    prevent, recover, _unset = row.shares
    return prevent, recover


def _lean(overall: ApproachRow, leaning: int) -> str:
    """Which way the chosen work leans, by budget, or by number when nothing has a budget."""
    prevent, recover = _chosen(overall)
    if prevent.initiatives + recover.initiatives == 0:
        return UNKNOWN
    if prevent.budget + recover.budget > 0:
        share = recover.budget * 100 / (prevent.budget + recover.budget)
    else:
        share = recover.initiatives * 100 / (prevent.initiatives + recover.initiatives)
    if share >= leaning:
        return RECOVER
    if share <= 100 - leaning:
        return PREVENT
    return BALANCED


def _money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}".strip()


def _count(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _split_sentence(overall: ApproachRow, currency: str) -> str:
    prevent, recover = _chosen(overall)
    chosen = prevent.budget + recover.budget
    if chosen > 0:
        shares = whole_percents([recover.budget, prevent.budget])
        return (
            f"Of the {_money(chosen, currency)} budgeted for active initiatives with an "
            f"approach chosen, recovery takes {_money(recover.budget, currency)} "
            f"({shares[0]}%) and prevention {_money(prevent.budget, currency)} ({shares[1]}%)."
        )
    number = prevent.initiatives + recover.initiatives
    return (
        f"Of the {_count(number, 'active initiative', 'active initiatives')} with an approach "
        f"chosen, {recover.initiatives:,} recover and {prevent.initiatives:,} prevent; none "
        "has a budget yet, so the split is read from their number."
    )


def _playbook_sentence(playbook: PlaybookSplit) -> str:
    if not playbook.scenarios:
        return (
            "The playbook holds no failure scenarios yet, so the split cannot be compared "
            "with the failures the team expects."
        )
    return (
        f"Of the {_count(playbook.scenarios, 'failure', 'failures')} in the playbook, "
        f"{playbook.prevention_pays:,} {'is' if playbook.prevention_pays == 1 else 'are'} "
        "foreseeable, big or frequent, where prevention pays off, and "
        f"{playbook.recovery_pays:,} {'is' if playbook.recovery_pays == 1 else 'are'} small, "
        "unforeseeable and rare, where a good recovery can win loyalty."
    )


def _verdict(playbook: PlaybookSplit, lean: str, guidance: Guidance) -> str:
    if lean == RECOVER:
        if playbook.prevention_pays > playbook.recovery_pays:
            return (
                "The plan leans on recovery while most of the failures it expects could be "
                "prevented. Prevention would likely pay off more there: a recovery seldom wins "
                "back a customer whose failure was foreseeable, big or frequent."
            )
        if not playbook.scenarios:
            return "The plan leans on recovery."
        return (
            "The plan leans on recovery, which suits a playbook where most failures are "
            "small, unforeseeable and rare: recovered well, these can leave customers more "
            "loyal than before."
        )
    if lean == PREVENT:
        if not playbook.scenarios:
            return (
                "The plan leans on prevention and the playbook holds no scenarios, so nothing "
                "yet says how a failure that gets through would be recovered."
            )
        if playbook.ready * 2 < playbook.scenarios:
            return (
                f"The plan leans on prevention with few recovery capabilities: "
                f"{playbook.ready:,} of the {playbook.scenarios:,} failures in the playbook "
                f"{'has' if playbook.ready == 1 else 'have'} a responder, a message to the "
                "customer and a response time agreed. Some failures always get through, and "
                "the small ones a good recovery could turn round are then lost."
            )
        if playbook.recovery_pays > playbook.prevention_pays:
            return (
                "The plan leans on prevention while most failures in the playbook are small, "
                "unforeseeable and rare, where preventing them may cost more than a good "
                "recovery."
            )
        return (
            "The plan leans on prevention, which suits a playbook where most failures are "
            "foreseeable, big or frequent, and most of them have a responder, a message and "
            "a response time agreed for the cases that still get through."
        )
    return (
        f"The plan is balanced: neither approach takes {guidance.leaning_percent}% or more of "
        "the budget, so it works on preventing the failures that can be foreseen while "
        "keeping recovery ready for those that get through."
    )


def _reading(
    overall: ApproachRow,
    playbook: PlaybookSplit,
    lean: str,
    guidance: Guidance,
    currency: str,
) -> list[str]:
    """The reading as sentences: the split, the playbook, the verdict, what is left out."""
    if overall.initiatives == 0:
        return ["There are no active initiatives yet, so there is no balance to read."]
    if lean == UNKNOWN:
        return [
            "No active initiative has an approach chosen yet, so the balance between "
            "prevention and recovery cannot be read."
        ]
    _prevent, _recover, unset = overall.shares
    left_out = ""
    if unset.initiatives:
        left_out = (
            "This reading leaves out "
            f"{_count(unset.initiatives, 'active initiative', 'active initiatives')} "
            f"({_money(unset.budget, currency)}) with no approach chosen."
        )
    sentences = [
        _split_sentence(overall, currency),
        _playbook_sentence(playbook),
        _verdict(playbook, lean, guidance),
    ]
    return [*sentences, left_out] if left_out else sentences
