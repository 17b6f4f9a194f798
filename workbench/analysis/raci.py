"""RACI checks for the steps of a process: who is Responsible, Accountable, Consulted, Informed.

Rules for a sound RACI matrix:

1. Every step has exactly one party Accountable (A): the one who answers for the outcome.
   A step with no one Accountable, or with several, is an error.
2. Every step has at least one party Responsible (R): someone who does the work.
   A step with no one Responsible is an error.
3. A party holds at most one role in a step. If a party is given a second, different
   role in the same step, only the first is kept and the repeat is an error.
4. An assignment that names a step or a party that does not exist is ignored; the
   number ignored is reported once as an error.
5. An assignment with a role other than R, A, C or I is ignored; the number ignored is
   reported once as an error.
6. A party with no role in any step is reported as a warning: assign them a role or
   remove them from the process.

The matrix is sound ("ok") when there are no errors; warnings do not stop it.
Roles are read without regard to case or surrounding spaces ("a " counts as "A").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

RACI_ROLES: dict[str, str] = {
    "R": "Responsible",
    "A": "Accountable",
    "C": "Consulted",
    "I": "Informed",
}

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class StepRecord:
    """A step of a process, numbered by its position."""

    id: int
    position: int
    name: str


@dataclass(frozen=True)
class PartyRecord:
    """A party (stakeholder, team or person) that can hold a role in a step."""

    id: int
    name: str


@dataclass(frozen=True)
class Assignment:
    """One role ("R", "A", "C" or "I") held by a party in a step."""

    step_id: int
    party_id: int
    role: str


@dataclass(frozen=True)
class RaciViolation:
    """A broken rule: the step concerned (None for the whole matrix), a code and a sentence."""

    step_id: int | None
    code: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class RaciReport:
    """The problems found, the cleaned matrix (step id -> party id -> role) and the verdict."""

    violations: tuple[RaciViolation, ...]
    matrix: dict[int, dict[int, str]]
    ok: bool

    @property
    def errors(self) -> tuple[RaciViolation, ...]:
        """The violations that make the matrix unsound."""
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[RaciViolation, ...]:
        """The violations worth a look that do not make the matrix unsound."""
        return tuple(v for v in self.violations if v.severity == "warning")


RecordT = TypeVar("RecordT", StepRecord, PartyRecord)


def join_names(names: Sequence[str]) -> str:
    """Names as an English list: ``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def step_label(step: StepRecord) -> str:
    """How a step is named in messages: ``Step 3 “Apologise”``."""
    return f"Step {step.position} “{step.name}”"


def _role_label(role: str) -> str:
    return f"{RACI_ROLES[role]} ({role})"


def _first_by_id(records: Iterable[RecordT]) -> dict[int, RecordT]:
    found: dict[int, RecordT] = {}
    for record in records:
        found.setdefault(record.id, record)
    return found


def check_raci(
    steps: Sequence[StepRecord],
    parties: Sequence[PartyRecord],
    assignments: Sequence[Assignment],
) -> RaciReport:
    """Check a RACI matrix against the rules in this module's docstring."""
    step_by_id = _first_by_id(steps)
    party_by_id = _first_by_id(parties)

    matrix: dict[int, dict[int, str]] = {step_id: {} for step_id in step_by_id}
    # (step id, party id) -> the roles given after the first, in order, without repeats.
    clashes: dict[tuple[int, int], list[str]] = {}
    unknown_references = 0
    unknown_roles = 0

    for assignment in assignments:
        if assignment.step_id not in step_by_id or assignment.party_id not in party_by_id:
            unknown_references += 1
            continue
        role = str(assignment.role).strip().upper()
        if role not in RACI_ROLES:
            unknown_roles += 1
            continue
        row = matrix[assignment.step_id]
        held = row.get(assignment.party_id)
        if held is None:
            row[assignment.party_id] = role
        elif role != held:
            extra = clashes.setdefault((assignment.step_id, assignment.party_id), [])
            if role not in extra:
                extra.append(role)

    violations: list[RaciViolation] = []
    for step_id, row in matrix.items():
        violations.extend(_step_violations(step_by_id[step_id], row, party_by_id))
    for (step_id, party_id), extra in clashes.items():
        violations.append(
            _duplicate_role(step_by_id[step_id], party_by_id[party_id], matrix, extra)
        )

    if unknown_references:
        noun = "assignment names" if unknown_references == 1 else "assignments name"
        verb = "was" if unknown_references == 1 else "were"
        violations.append(
            RaciViolation(
                None,
                "unknown_reference",
                f"{unknown_references} {noun} a step or party that does not exist "
                f"and {verb} ignored.",
            )
        )
    if unknown_roles:
        noun = "assignment has" if unknown_roles == 1 else "assignments have"
        verb = "was" if unknown_roles == 1 else "were"
        violations.append(
            RaciViolation(
                None,
                "unknown_role",
                f"{unknown_roles} {noun} a role other than R, A, C or I and {verb} ignored.",
            )
        )

    busy = {party_id for row in matrix.values() for party_id in row}
    for party in party_by_id.values():
        if party.id not in busy:
            violations.append(
                RaciViolation(
                    None,
                    "idle_party",
                    f"{party.name} has no role in any step: give them one or remove them.",
                    "warning",
                )
            )

    def order(violation: RaciViolation) -> tuple[int, int, int, str, str]:
        if violation.step_id is None:
            return (1, 0, 0, violation.code, violation.message)
        step = step_by_id[violation.step_id]
        return (0, step.position, step.id, violation.code, violation.message)

    ordered = tuple(sorted(violations, key=order))
    ok = not any(v.severity == "error" for v in ordered)
    return RaciReport(violations=ordered, matrix=matrix, ok=ok)


def _step_violations(
    step: StepRecord, row: dict[int, str], party_by_id: dict[int, PartyRecord]
) -> list[RaciViolation]:
    """The Accountable and Responsible rules for one step's row of the matrix."""
    found: list[RaciViolation] = []
    accountable = sorted(
        (party_by_id[party_id] for party_id, role in row.items() if role == "A"),
        key=lambda party: (party.name.casefold(), party.id),
    )
    if not accountable:
        found.append(
            RaciViolation(
                step.id,
                "no_accountable",
                f"{step_label(step)} has no one Accountable: choose exactly one.",
            )
        )
    elif len(accountable) > 1:
        names = join_names([party.name for party in accountable])
        found.append(
            RaciViolation(
                step.id,
                "several_accountable",
                f"{step_label(step)} has {len(accountable)} parties Accountable "
                f"({names}): keep exactly one.",
            )
        )
    if "R" not in row.values():
        found.append(
            RaciViolation(
                step.id,
                "no_responsible",
                f"{step_label(step)} has no one Responsible: "
                "name at least one party who does the work.",
            )
        )
    return found


def _duplicate_role(
    step: StepRecord,
    party: PartyRecord,
    matrix: dict[int, dict[int, str]],
    extra: list[str],
) -> RaciViolation:
    """The violation for a party given more than one role in a step."""
    kept = matrix[step.id][party.id]
    dropped = join_names([_role_label(role) for role in extra])
    return RaciViolation(
        step.id,
        "duplicate_role",
        f"{step_label(step)} gives {party.name} more than one role: "
        f"{_role_label(kept)} is kept and {dropped} ignored. A party holds one role per step.",
    )


# How each kind of problem is counted in the summary line: (one, many).
_SUMMARY_NOUNS: dict[str, tuple[str, str]] = {
    "no_accountable": ("1 step has no one Accountable", "{n} steps have no one Accountable"),
    "several_accountable": (
        "1 step has more than one Accountable",
        "{n} steps have more than one Accountable",
    ),
    "no_responsible": ("1 step has no one Responsible", "{n} steps have no one Responsible"),
    "duplicate_role": ("1 party holds two roles in a step", "{n} parties hold two roles in a step"),
    "unknown_reference": ("1 assignment was ignored", "{n} assignments were ignored"),
    "unknown_role": ("1 role was not R, A, C or I", "{n} roles were not R, A, C or I"),
    "idle_party": ("1 stakeholder has no role yet", "{n} stakeholders have no role yet"),
}


def summary(report: RaciReport) -> str:
    """One sentence counting the problems by kind, for a page that lists them folded away."""
    counts: dict[str, int] = {}
    for violation in report.violations:
        counts[violation.code] = counts.get(violation.code, 0) + 1
    if not counts:
        return ""
    parts = []
    for code, count in counts.items():
        one, many = _SUMMARY_NOUNS.get(code, ("1 other problem", "{n} other problems"))
        parts.append(one if count == 1 else many.format(n=count))
    total = len(report.violations)
    return f"{total} point{'s' if total != 1 else ''} to settle: {join_names(parts)}."
