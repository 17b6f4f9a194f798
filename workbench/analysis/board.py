"""What the board is asked, and the decisions the data leaves open, as plain values.

A storyboard's summary answers four questions: what are we asked to approve, for how
much, by when, and is it sound. The recommendation follows the verdict of the
assessment. Every gap in the data becomes a decision for a named person by a date: the
owner the data names (an initiative's, objective's or metric's owner), otherwise the
workspace's lead; the date the data gives (a start or due date still ahead), otherwise
DECISION_DAYS after the storyboard's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from workbench.analysis.dates import format_date
from workbench.analysis.decisions import OpenPoint

DECISION_DAYS = 30

RECOMMENDATIONS = {
    "viable": "Approve the programme as planned.",
    "viable with conditions": (
        "Approve the programme on the conditions listed under decisions, each with its owner "
        "and date."
    ),
    "not yet viable": (
        "Fund the conditions first and not yet the whole programme; review it again once they "
        "are met."
    ),
}
NOT_READY = "Complete the organisational assessment before the programme is approved."

# Areas in the order a reader meets them in the document.
AREA_ORDER = (
    "assessment",
    "alignment",
    "delivery",
    "risks",
    "metrics",
    "business_case",
    "playbook",
    "raci",
)


class Decision(NamedTuple):
    """An open point with its owner and date settled, for the decisions page."""

    area: str
    subject: str
    decision: str
    owner: str
    due: str
    owner_named: bool  # False when the data names nobody and the lead takes it


class Owned(NamedTuple):
    """Something with a title, an owner and a date, as the gap rules read it."""

    title: str
    owner: str
    due: date | None


UNPROFITABLE = (
    " The business case does not yet pay for itself at the target recovery rate: agree how "
    "it will before funds beyond the first wave are released."
)


def recommendation(verdict: str, pays: bool | None = None) -> str:
    """The recommendation the verdict supports, qualified when the team's business case
    shows a loss (`pays` False; None when there is no business case of the team's own)."""
    text = RECOMMENDATIONS.get(verdict, NOT_READY)
    if pays is False and verdict in RECOMMENDATIONS and verdict != "not yet viable":
        text += UNPROFITABLE
    return text


def _ahead(day: date | None, today: date) -> str | None:
    return day.isoformat() if day and day >= today else None


def condition_points(
    heavy_barriers: Iterable[str], weak_dimensions: Iterable[tuple[str, float | None]]
) -> list[OpenPoint]:
    """The verdict's conditions: each heavy barrier and each weak readiness dimension."""
    points = [
        OpenPoint(
            "assessment", title, f"Agree how “{title}” will be lowered, and by whom.", "", None
        )
        for title in heavy_barriers
    ]
    points += [
        OpenPoint(
            "assessment",
            title,
            f"Agree a plan to raise readiness in {title.lower()}, which scores {score or 0:.0f} "
            "out of 100.",
            "",
            None,
        )
        for title, score in weak_dimensions
    ]
    return points


def gap_points(
    unaligned: Sequence[Owned],
    unserved: Sequence[Owned],
    barriers: Sequence[str],
    principles: Sequence[str],
    today: date,
) -> list[OpenPoint]:
    """The alignment gaps as decisions for the owners of what they concern."""
    points = [
        OpenPoint(
            "alignment",
            item.title,
            f"Decide whether “{item.title}” goes ahead: it serves none of the objectives.",
            item.owner,
            _ahead(item.due, today),
        )
        for item in unaligned
    ]
    points += [
        OpenPoint(
            "alignment",
            item.title,
            f"Decide which initiative delivers the objective “{item.title}”, or retire it.",
            item.owner,
            _ahead(item.due, today),
        )
        for item in unserved
    ]
    points += [
        OpenPoint(
            "alignment",
            title,
            f"Decide which initiative lowers the barrier “{title}”; none addresses it.",
            "",
            None,
        )
        for title in barriers
    ]
    if len(principles) > 2:
        names = ", ".join(name.lower() for name in principles)
        points.append(
            OpenPoint(
                "alignment",
                "TQM principles",
                f"Decide which initiatives apply the {len(principles)} TQM principles none "
                f"applies yet: {names}.",
                "",
                None,
            )
        )
    else:
        points += [
            OpenPoint(
                "alignment",
                name,
                f"Decide which initiative applies the TQM principle of {name.lower()}.",
                "",
                None,
            )
            for name in principles
        ]
    return points


def delivery_points(flagged: Sequence[tuple[Owned, Sequence[str]]]) -> list[OpenPoint]:
    """Each initiative with a delivery flag: re-plan it, with the reasons."""
    return [
        OpenPoint(
            "delivery",
            item.title,
            f"Re-plan “{item.title}” or confirm its dates. " + " ".join(reasons),
            item.owner,
            None,
        )
        for item, reasons in flagged
        if reasons
    ]


def goal_points(
    off_track: Sequence[tuple[Owned, str]], without_goals: Sequence[Owned]
) -> list[OpenPoint]:
    """Goals off track need a recovery plan; metrics without a goal need one set."""
    points = [
        OpenPoint(
            "metrics",
            item.title,
            f"Agree how “{item.title}” gets back on track: {detail}.",
            item.owner,
            None,
        )
        for item, detail in off_track
    ]
    points += [
        OpenPoint(
            "metrics",
            item.title,
            f"Set a goal for “{item.title}”: a target and a date.",
            item.owner,
            None,
        )
        for item in without_goals
    ]
    return points


def stale_points(stale: Sequence[tuple[Owned, str]]) -> list[OpenPoint]:
    """A metric whose readings stopped needs them restarted before its goal can be judged."""
    return [
        OpenPoint(
            "metrics",
            item.title,
            f"Restart the readings of “{item.title}”: {detail}.",
            item.owner,
            None,
        )
        for item, detail in stale
    ]


def stale_site_points(stale: Sequence[tuple[Owned, str, str]]) -> list[OpenPoint]:
    """A site whose readings of a metric stopped needs them restarted before it is ranked
    against the other sites again; each item is (metric, site, detail)."""
    return [
        OpenPoint(
            "metrics",
            f"{item.title} at {site}",
            f"Restart the readings of “{item.title}” at {site}: {detail}. Until then the "
            "site is not ranked against the other sites.",
            item.owner,
            None,
        )
        for item, site, detail in stale
    ]


def business_case_points(
    saved: bool, compensation_priced: bool, target_dated: bool
) -> list[OpenPoint]:
    """The business case needs the team's own figures, its compensation and its timing."""
    if not saved:
        return [
            OpenPoint(
                "business_case",
                "Business case",
                "Provide the organisation's own figures for the business case (customers, "
                "failure, complaint and recovery rates, lifetime value and costs); until then "
                "no return is stated.",
                "",
                None,
            )
        ]
    points: list[OpenPoint] = []
    if not compensation_priced:
        points.append(
            OpenPoint(
                "business_case",
                "Compensation budget",
                "Agree how many cases a year each playbook scenario is expected to have, so "
                "the compensation the remedies will cost is part of the business case.",
                "",
                None,
            )
        )
    if not target_dated:
        points.append(
            OpenPoint(
                "business_case",
                "Recovery rate target date",
                "Agree by when the recovery rate is to reach its target; the business case "
                "assumes a year from the programme's start.",
                "",
                None,
            )
        )
    return points


def input_gap_points(
    gaps: Iterable[tuple[str, str, str, str, str, str]],
) -> list[OpenPoint]:
    """An input of the business case the team's own measurement contradicts: which to use.

    Each gap is (subject, value used, value measured, metric, ISO date, metric owner)."""
    return [
        OpenPoint(
            "business_case",
            subject.capitalize(),
            f"Agree which {subject} the business case uses: its inputs give {used}, while "
            f"the {metric} metric read {measured} on {format_date(date.fromisoformat(on))}.",
            owner,
            None,
        )
        for subject, used, measured, metric, on, owner in gaps
    ]


def settle(points: Iterable[OpenPoint], lead: str, today: date) -> tuple[Decision, ...]:
    """Give every open point an owner and a date, ordered by area, then date."""
    fallback = (today + timedelta(days=DECISION_DAYS)).isoformat()
    rank = {area: index for index, area in enumerate(AREA_ORDER)}
    decisions = [
        Decision(
            p.area,
            p.subject,
            p.decision,
            p.owner or lead,
            # A date already past is no deadline for a decision still open.
            p.due if p.due and p.due >= today.isoformat() else fallback,
            bool(p.owner),
        )
        for p in points
    ]
    return tuple(sorted(decisions, key=lambda d: (rank.get(d.area, len(rank)), d.due)))
