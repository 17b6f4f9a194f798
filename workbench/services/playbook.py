"""Phase 3 playbook: failure scenarios from industry templates or written fresh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.response_target import slow_target_note
from workbench.models import (
    FailureScenario,
    Initiative,
    ScenarioInitiative,
    ScenarioTemplate,
)
from workbench.models.vocabulary import (
    COMPENSATION_TYPES,
    DETECTION_CHANNELS,
    RESPONSE_CHANNELS,
    SEVERITIES,
)
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.tenancy import system_access

FIELDS = (
    "name",
    "description",
    "severity",
    "foreseeable",
    "detection_channels",
    "responder",
    "customer_message",
    "response_channels",
    "compensation_type",
    "compensation_amount",
    "currency",
    "escalation_limit",
    "expected_cases_per_year",
    "target_response_minutes",
    "prevention_note",
)
SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


@dataclass(frozen=True)
class ScenarioView:
    """A scenario with the flags and the recovery-paradox note the playbook shows."""

    scenario: FailureScenario
    flags: tuple[str, ...]
    paradox_note: str
    initiatives: tuple[Initiative, ...]
    needs_approval: bool
    # A target slower than the 10-15 minute advice: a decision for the owner, not a gap.
    slow_target: str | None = None


def flags_for(scenario: FailureScenario) -> tuple[str, ...]:
    """Name what the front line would be missing."""
    flags = []
    if not scenario.responder.strip():
        flags.append("No responder: say which team or person answers.")
    if not scenario.customer_message.strip():
        flags.append("No message: write what to say to the customer.")
    if not scenario.target_response_minutes:
        flags.append("No response target: set how many minutes the customer may wait.")
    return tuple(flags)


def paradox_note(scenario: FailureScenario) -> str:
    """Explain how far a good recovery can win loyalty back for this kind of failure."""
    if scenario.foreseeable or scenario.severity in {"high", "critical"}:
        reasons = []
        if scenario.foreseeable:
            reasons.append("it was reasonably foreseeable")
        if scenario.severity in {"high", "critical"}:
            reasons.append(f"it is {scenario.severity}")
        return (
            "The recovery paradox is weak here because " + " and ".join(reasons) + ": even a "
            "perfect recovery rarely leaves the customer more loyal than before. Prevention "
            "matters most."
        )
    return (
        "A small, unforeseeable failure: recovered quickly and well, it can leave the customer "
        "more loyal than if nothing had gone wrong."
    )


def _check(values: dict[str, Any]) -> None:
    if values.get("severity") not in SEVERITIES:
        raise ServiceError("Choose low, medium, high or critical.", "severity")
    if values.get("compensation_type") not in COMPENSATION_TYPES:
        raise ServiceError("Choose a compensation type from the list.", "compensation_type")
    if any(c not in DETECTION_CHANNELS for c in values.get("detection_channels") or []):
        raise ServiceError("Choose detection channels from the list.", "detection_channels")
    if any(c not in RESPONSE_CHANNELS for c in values.get("response_channels") or []):
        raise ServiceError("Choose response channels from the list.", "response_channels")
    for name in ("compensation_amount", "escalation_limit"):
        if values.get(name) is not None and values[name] < 0:
            raise ServiceError("Amounts cannot be negative.", name)
    if values.get("compensation_amount") is not None and not values.get("currency"):
        raise ServiceError("Give the currency of the compensation.", "currency")


def list_scenarios(session: Session) -> list[FailureScenario]:
    """Return the playbook, most severe first."""
    rows = list(session.scalars(select(FailureScenario).order_by(FailureScenario.id)))
    return sorted(rows, key=lambda s: (SEVERITY_ORDER.get(s.severity, 9), s.name.lower()))


def views(session: Session, rows: list[FailureScenario] | None = None) -> list[ScenarioView]:
    """Return scenarios with their flags, paradox notes and initiatives (three queries)."""
    rows = list_scenarios(session) if rows is None else rows
    links: dict[int, list[int]] = {}
    for link in session.scalars(select(ScenarioInitiative)):
        links.setdefault(link.scenario_id, []).append(link.initiative_id)
    initiatives = {i.id: i for i in session.scalars(select(Initiative))}
    return [
        ScenarioView(
            scenario=s,
            flags=flags_for(s),
            paradox_note=paradox_note(s),
            initiatives=tuple(initiatives[i] for i in links.get(s.id, []) if i in initiatives),
            needs_approval=(
                s.compensation_amount is not None
                and s.escalation_limit is not None
                and s.compensation_amount > s.escalation_limit
            ),
            slow_target=slow_target_note(s.target_response_minutes),
        )
        for s in rows
    ]


def get_scenario(session: Session, scenario_id: int) -> FailureScenario:
    """Return a scenario or raise NotFoundError."""
    row = session.get(FailureScenario, scenario_id)
    if row is None:
        raise NotFoundError("That scenario no longer exists.")
    return row


def templates(session: Session) -> list[ScenarioTemplate]:
    """Return the industry templates by industry and name."""
    with system_access(session):
        return list(
            session.scalars(
                select(ScenarioTemplate).order_by(ScenarioTemplate.industry, ScenarioTemplate.name)
            )
        )


def adopt_template(session: Session, key: str) -> FailureScenario:
    """Copy an industry template into the playbook."""
    template = next((t for t in templates(session) if t.key == key), None)
    if template is None:
        raise NotFoundError("That scenario template does not exist.")
    # A template knows the failure, not how often it happens here: cases are left to the team.
    values = {name: getattr(template, name, None) for name in FIELDS}
    return create_scenario(session, {**values, "template_key": template.key}, set())


def create_scenario(
    session: Session, values: dict[str, Any], initiative_ids: set[int]
) -> FailureScenario:
    """Add a scenario with the initiatives linked to it."""
    _check(values)
    row = FailureScenario(**{name: values.get(name) for name in FIELDS})
    row.template_key = values.get("template_key")
    for name in ("description", "responder", "customer_message", "prevention_note"):
        setattr(row, name, getattr(row, name) or "")
    session.add(row)
    session.flush()
    _set_initiatives(session, row.id, initiative_ids)
    return row


def _set_initiatives(session: Session, scenario_id: int, wanted: set[int]) -> bool:
    known = set(session.scalars(select(Initiative.id).where(Initiative.id.in_(wanted))))
    if wanted - known:
        raise ServiceError("Some chosen initiatives no longer exist; reload and choose again.")
    links = {
        link.initiative_id: link
        for link in session.scalars(
            select(ScenarioInitiative).where(ScenarioInitiative.scenario_id == scenario_id)
        )
    }
    for initiative_id in wanted - links.keys():
        session.add(ScenarioInitiative(scenario_id=scenario_id, initiative_id=initiative_id))
    for initiative_id in links.keys() - wanted:
        session.delete(links[initiative_id])
    session.flush()
    return links.keys() != wanted


def initiative_ids(session: Session, scenario_id: int) -> set[int]:
    """Return the initiatives linked to a scenario."""
    return set(
        session.scalars(
            select(ScenarioInitiative.initiative_id).where(
                ScenarioInitiative.scenario_id == scenario_id
            )
        )
    )


def update_scenario(
    session: Session,
    scenario_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    initiatives: set[int],
) -> FailureScenario:
    """Save a scenario unless it changed since the form was loaded."""
    _check(values)
    row = get_scenario(session, scenario_id)
    changes = {name: values.get(name) for name in FIELDS}
    for name in ("description", "responder", "customer_message", "prevention_note"):
        changes[name] = changes[name] or ""
    apply_versioned_edit(row, loaded_version, changes, f"The scenario “{row.name}”")
    _set_initiatives(session, scenario_id, initiatives)
    session.flush()
    return row


def delete_scenario(session: Session, scenario_id: int) -> str:
    """Delete a scenario."""
    row = get_scenario(session, scenario_id)
    name = row.name
    session.delete(row)
    session.flush()
    return name
