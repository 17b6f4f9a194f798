"""The audit trail in plain words: what kind of thing changed, how, and its values as a
reader writes them; a burst of edits to one thing by one person read as one entry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Names a plain split of the class name would get wrong or leave obscure.
ENTITY_LABELS = {
    "RaciAssignment": "RACI role",
    "OrgUnit": "Organisation unit",
    "CommunicationMetric": "Metric in a communication plan",
    "CommunicationPlan": "Communication plan",
    "InitiativeObjective": "Contribution to an objective",
    "InitiativePrinciple": "TQM principle applied",
    "InitiativeFactor": "Factor addressed",
    "InitiativeDependency": "Dependency between initiatives",
    "MetricObjective": "Objective a metric measures",
    "ScenarioInitiative": "Initiative delivering a scenario",
    "RiskFactor": "Barrier a risk comes from",
    "RiskInitiative": "Initiative mitigating a risk",
    "Drill": "Recovery drill",
    "FeedHold": "Day a feed leaves alone",
    "ProcessInitiative": "Initiative changing a process",
    "AssessmentResponse": "Questionnaire answer",
    "FailureScenario": "Failure scenario",
    "FrictionPoint": "Friction point",
    "EconomicsCase": "Business case figures",
    "StoryboardSnapshot": "Published storyboard",
    "WorkshopSession": "Workshop session",
    "WorkshopParticipant": "Workshop participant",
    "WorkshopVote": "Vote",
    "WorkshopDot": "Vote dot",
    "CanvasItem": "Canvas item",
    "ProcessStep": "Process step",
    "Membership": "Member",
    "ShareLink": "Share link",
    "Workspace": "Workspace",
}
ACTION_WORDS = {"create": "Added", "update": "Changed", "delete": "Removed"}
# Edits by one person to one thing within this time read as one entry.
BURST = timedelta(minutes=2)
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entity_label(name: str) -> str:
    """A kind of record as people call it: "OrgUnit" -> "Organisation unit"."""
    if name in ENTITY_LABELS:
        return ENTITY_LABELS[name]
    words = CAMEL.sub(" ", name).lower()
    return words[:1].upper() + words[1:]


def field_label(name: str | None) -> str:
    """A column name as words: "target_date" -> "target date"."""
    return (name or "").replace("_", " ")


def readable(value: str | None) -> str:
    """A stored value as a reader writes it: dates as dates, yes and no for flags."""
    if value is None:
        return ""
    text = value.strip()
    if ISO_DATE.match(text):
        day = date.fromisoformat(text)
        return f"{day.day} {day.strftime('%b %Y')}"
    if ISO_DATETIME.match(text):
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return f"{moment.day} {moment.strftime('%b %Y %H:%M')}"
    if text in ("True", "False"):
        return "yes" if text == "True" else "no"
    return value


@dataclass(frozen=True)
class Row:
    """One audited change as the history reads it."""

    when: datetime
    who: str
    user_id: int | None
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    before: str | None
    after: str | None


@dataclass
class Entry:
    """One person's burst of changes to one thing, newest first."""

    when: datetime
    who: str
    action: str
    kind: str
    title: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def what(self) -> str:
        """The action and the kind as a phrase: "Added failure scenario", "Changed RACI role"."""
        kind = self.kind if self.kind[1:2].isupper() else self.kind[:1].lower() + self.kind[1:]
        return f"{self.action} {kind}"


def group(rows: Sequence[Row], titles: dict[tuple[str, int | None], str]) -> list[Entry]:
    """Fold rows (newest first) into entries: same person, same thing, close in time."""
    entries: list[Entry] = []
    keys: list[tuple[int | None, str, str, int | None]] = []
    for row in rows:
        key = (row.user_id, row.action, row.entity, row.entity_id)
        last = entries[-1] if entries else None
        if last is not None and keys[-1] == key and last.when - row.when <= BURST:
            if row.field:
                last.fields.append(
                    (field_label(row.field), readable(row.before), readable(row.after))
                )
            continue
        entry = Entry(
            when=row.when,
            who=row.who,
            action=ACTION_WORDS.get(row.action, row.action),
            kind=entity_label(row.entity),
            title=titles.get((row.entity, row.entity_id), ""),
        )
        if row.field:
            entry.fields.append((field_label(row.field), readable(row.before), readable(row.after)))
        entries.append(entry)
        keys.append(key)
    return entries
