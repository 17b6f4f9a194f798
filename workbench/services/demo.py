"""The demo organisation's phases, filled from seeds/demo_*.yaml when still empty."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.cadence import add_months
from workbench.analysis.freshness import months_to_bring_forward
from workbench.models import (
    Approach,
    AssessmentResponse,
    CommunicationMetric,
    CommunicationPlan,
    Contribution,
    Department,
    Direction,
    EconomicsCase,
    Factor,
    FactorCategory,
    FrictionPoint,
    Goal,
    Initiative,
    InitiativeDependency,
    InitiativeFactor,
    InitiativeObjective,
    InitiativePrinciple,
    InitiativeStatus,
    Measurement,
    Membership,
    Metric,
    MetricObjective,
    MetricTemplate,
    Milestone,
    Objective,
    Perspective,
    Polarity,
    Priority,
    Role,
    TqmPrinciple,
    Workspace,
)
from workbench.services import accounts, approach_decision
from workbench.services.departments import Resolver, involve
from workbench.services.errors import ServiceError
from workbench.services.initiatives import keep_baseline
from workbench.services.instruments import load_catalogue
from workbench.services.tenancy import scope_session, system_access

DEMO_PASSWORD = "harbourline-demo"


def load_document(path: Path) -> dict[str, Any]:
    """Read a demo seed file: a YAML mapping at the top, or a ServiceError naming the file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ServiceError(f"{path.name}: expected a mapping at the top")
    return document


def _respondents(session: Session, entries: list[dict[str, str]]) -> dict[str, int]:
    """Create (or find) each respondent's account and membership; return ids by email."""
    ids = {}
    for entry in entries:
        user = accounts.find_user_by_email(session, entry["email"])
        if user is None:
            user = accounts.register(session, entry["email"], entry["name"], DEMO_PASSWORD)
        member = session.scalar(select(Membership).where(Membership.user_id == user.id))
        if member is None:
            session.add(Membership(user_id=user.id, role=Role(entry["role"])))
        ids[user.email] = user.id
    session.flush()
    return ids


def fill_phase1(session: Session, workspace: Workspace, seeds_dir: Path, assessments: Path) -> bool:
    """Load the demo's Phase 1 (factors, answers, friction) unless it already has factors."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Factor.id))):
        return False
    document = load_document(seeds_dir / "demo_phase1.yaml")
    people = _respondents(session, document.get("respondents", []))
    counters: dict[str, int] = {}
    for entry in document.get("factors", []):
        category = FactorCategory(entry["category"])
        counters[category] = counters.get(category, 0) + 1
        session.add(
            Factor(
                category=category,
                polarity=Polarity(entry["polarity"]),
                importance=int(entry["importance"]),
                title=str(entry["title"]).strip(),
                description=str(entry.get("description") or "").strip(),
                evidence=str(entry.get("evidence") or "").strip(),
                position=counters[category],
                created_by_id=people.get("demo@example.org"),
            )
        )
    catalogue = load_catalogue(assessments)
    for instrument_key, by_person in (document.get("answers") or {}).items():
        instrument = catalogue.get(instrument_key)
        for email, answers in by_person.items():
            for question_key, value in answers.items():
                session.add(
                    AssessmentResponse(
                        instrument_key=instrument.key,
                        instrument_version=instrument.version,
                        question_key=question_key,
                        respondent_id=people[email],
                        value=int(value),
                    )
                )
    positions: dict[str, int] = {}
    for entry in document.get("friction", []):
        stage = str(entry["stage"])
        positions[stage] = positions.get(stage, 0) + 1
        session.add(
            FrictionPoint(
                stage_key=stage,
                severity=int(entry["severity"]),
                channel=str(entry["channel"]),
                description=str(entry["description"]).strip(),
                digital_opportunity=str(entry.get("digital_opportunity") or "").strip(),
                position=positions[stage],
            )
        )
    session.flush()
    return True


def fill_phase2(session: Session, workspace: Workspace, seeds_dir: Path) -> bool:
    """Load the demo's objectives, initiatives and links unless it already has objectives."""
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Objective.id))):
        return False
    document = load_document(seeds_dir / "demo_phase2.yaml")
    for entry in document.get("departments", []):
        session.add(
            Department(
                key=str(entry["key"]),
                name=str(entry["name"]),
                description=str(entry.get("description") or "").strip(),
                owner=str(entry.get("owner") or ""),
            )
        )
    session.flush()
    departments = Resolver(session)
    objectives: dict[str, Objective] = {}
    for position, entry in enumerate(document.get("objectives", []), start=1):
        objective = Objective(
            title=str(entry["title"]).strip(),
            perspective=Perspective(entry["perspective"]),
            owner=str(entry.get("owner") or ""),
            due_date=entry.get("due_date"),
            description=str(entry.get("description") or "").strip(),
            position=position,
        )
        session.add(objective)
        objectives[objective.title] = objective
    session.flush()
    for entry in document.get("objectives", []):
        if entry.get("parent"):
            objectives[entry["title"]].parent_id = objectives[entry["parent"]].id
    factors = {f.title: f.id for f in session.scalars(select(Factor))}
    with system_access(session):
        principles = {p.key: p.id for p in session.scalars(select(TqmPrinciple))}
    initiatives: dict[str, Initiative] = {}
    entries = document.get("initiatives", [])
    for position, entry in enumerate(entries, start=1):
        initiative = Initiative(
            title=str(entry["title"]).strip(),
            description=str(entry.get("description") or "").strip(),
            owner=str(entry.get("owner") or ""),
            department=departments.key_for(str(entry.get("department") or "")),
            status=InitiativeStatus(entry.get("status", "proposed")),
            priority=Priority(entry.get("priority", "medium")),
            approach=Approach(entry["approach"]) if entry.get("approach") else None,
            budget=entry.get("budget"),
            spend=entry.get("spend"),
            start_date=entry.get("start_date"),
            end_date=entry.get("end_date"),
            percent_complete=entry.get("percent_complete"),
            baseline_start=entry.get("baseline_start"),
            baseline_end=entry.get("baseline_end"),
            position=position,
        )
        # Approved work keeps its dates as baseline unless the demo shows an earlier plan.
        keep_baseline(initiative)
        session.add(initiative)
        initiatives[initiative.title] = initiative
    session.flush()
    for entry in entries:
        for number, step in enumerate(entry.get("milestones") or [], start=1):
            session.add(
                Milestone(
                    initiative_id=initiatives[entry["title"]].id,
                    title=str(step["title"]),
                    due_date=step["due_date"],
                    done_date=step.get("done_date"),
                    owner=str(step.get("owner") or ""),
                    position=number,
                )
            )
    for entry in entries:
        initiative_id = initiatives[entry["title"]].id
        for link in entry.get("objectives") or []:
            session.add(
                InitiativeObjective(
                    initiative_id=initiative_id,
                    objective_id=objectives[link["objective"]].id,
                    contribution=Contribution(link["contribution"]),
                    rationale=str(link.get("rationale") or ""),
                )
            )
        for key in entry.get("principles") or []:
            if key in principles:
                session.add(
                    InitiativePrinciple(initiative_id=initiative_id, principle_id=principles[key])
                )
        for title in entry.get("factors") or []:
            session.add(InitiativeFactor(initiative_id=initiative_id, factor_id=factors[title]))
        for title in entry.get("depends_on") or []:
            session.add(
                InitiativeDependency(
                    initiative_id=initiative_id, depends_on_id=initiatives[title].id
                )
            )
    session.flush()
    decision = document.get("approach_decision")
    if decision:
        approach_decision.record(
            session,
            workspace,
            workspace.version,
            {
                "approach_prevent_target": decision["prevent_share"],
                "approach_rationale": str(decision.get("rationale") or ""),
            },
        )
    return True


def reading_shift(seeds_dir: Path, today: date) -> int:
    """Whole months to move the demo's readings by so the latest falls in the month to `today`.

    The goals' dates and the sites' readings move by the same months (fill_phase4,
    demo_sites.fill_sites), so every trend, forecast and status reads as it was written.
    """
    document = load_document(seeds_dir / "demo_phase4.yaml")
    days = [
        on
        for entry in document.get("metrics", [])
        for on, _value in entry.get("measurements") or []
    ]
    return months_to_bring_forward(max(days), today) if days else 0


def shifted(day: date | None, months: int) -> date | None:
    """A seed date moved by the demo's whole months (month ends stay month ends)."""
    return None if day is None else add_months(day, months)


def fill_phase4(session: Session, workspace: Workspace, seeds_dir: Path, months: int = 0) -> bool:
    """Load the demo's metrics, goals, readings, plans and economics unless it has metrics.

    Every reading and goal date moves by `months` (see reading_shift); values stay as written.
    """
    scope_session(session, workspace.id)
    if session.scalar(select(func.count(Metric.id))):
        return False
    document = load_document(seeds_dir / "demo_phase4.yaml")
    objectives = {o.title: o.id for o in session.scalars(select(Objective))}
    departments = Resolver(session)
    with system_access(session):
        templates = {t.key: t for t in session.scalars(select(MetricTemplate))}
    by_key: dict[str, Metric] = {}
    for position, entry in enumerate(document.get("metrics", []), start=1):
        if "template" in entry:
            template = templates[entry["template"]]
            fields = {
                "name": template.name,
                "definition": template.definition,
                "unit": template.unit,
                "direction": Direction(template.direction),
                "min_value": template.min_value,
                "max_value": template.max_value,
                # The demo's readings are monthly, whatever the library suggests.
                "frequency": entry.get("frequency") or template.frequency,
                "template_key": template.key,
            }
            key = template.key
        else:
            custom = entry["custom"]
            fields = {
                "name": custom["name"],
                "definition": custom.get("definition", ""),
                "unit": custom.get("unit", ""),
                "direction": Direction(custom["direction"]),
                "min_value": custom.get("min_value"),
                "max_value": custom.get("max_value"),
                "frequency": custom.get("frequency", "monthly"),
            }
            key = custom["name"]
        metric = Metric(
            **fields,
            department=departments.key_for(entry.get("department", "")),
            owner=entry.get("owner", ""),
            position=position,
        )
        session.add(metric)
        session.flush()
        by_key[key] = metric
        for title in entry.get("objectives") or []:
            session.add(MetricObjective(metric_id=metric.id, objective_id=objectives[title]))
        goal = entry.get("goal")
        if goal:
            session.add(
                Goal(
                    metric_id=metric.id,
                    baseline=goal.get("baseline"),
                    baseline_date=shifted(goal.get("baseline_date"), months),
                    target=goal.get("target"),
                    target_date=shifted(goal.get("target_date"), months),
                    rationale=goal.get("rationale", ""),
                    owner=goal.get("owner", ""),
                )
            )
        for on, value in entry.get("measurements") or []:
            session.add(
                Measurement(
                    metric_id=metric.id, measured_on=add_months(on, months), value=float(value)
                )
            )
    for entry in document.get("communication", []):
        plan = CommunicationPlan(
            **{
                name: str(entry.get(name) or "")
                for name in ("audience", "channel", "cadence", "owner", "notes")
            },
            department=departments.key_for(str(entry.get("department") or "")),
        )
        session.add(plan)
        session.flush()
        for key in entry.get("metrics") or []:
            session.add(CommunicationMetric(plan_id=plan.id, metric_id=by_key[key].id))
    economics = document.get("economics")
    if economics:
        session.add(EconomicsCase(**economics, currency="GBP"))
    session.flush()
    for name in document.get("functions_involved") or []:
        involve(session, str(name))
    return True
