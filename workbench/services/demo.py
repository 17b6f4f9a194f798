"""The demo organisation's phases, filled from seeds/demo_*.yaml when still empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import (
    AssessmentResponse,
    Factor,
    FactorCategory,
    FrictionPoint,
    Membership,
    Polarity,
    Role,
    Workspace,
)
from workbench.services import accounts
from workbench.services.errors import ServiceError
from workbench.services.instruments import load_catalogue
from workbench.services.tenancy import scope_session

DEMO_PASSWORD = "harbourline-demo"


def _load(path: Path) -> dict[str, Any]:
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
    document = _load(seeds_dir / "demo_phase1.yaml")
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
