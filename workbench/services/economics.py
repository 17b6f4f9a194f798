"""The workspace's recovery economics: stored inputs, defaults with sources, and the result."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis import economics as model
from workbench.models import EconomicsCase
from workbench.models.vocabulary import DEFAULT_CURRENCY
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import ServiceError

INPUTS = model.input_names()


def current_inputs(session: Session) -> tuple[model.EconomicsInputs, int, str]:
    """Return the saved inputs (or the cited defaults), their version (0 if unsaved), currency."""
    case = session.scalar(select(EconomicsCase))
    if case is None:
        return model.DEFAULTS, 0, DEFAULT_CURRENCY
    values = {name: getattr(case, name) for name in INPUTS}
    return model.EconomicsInputs(**values), case.version, case.currency


def save_inputs(
    session: Session, loaded_version: int | None, values: dict[str, Any], currency: str
) -> EconomicsCase:
    """Save the inputs after checking them; refuse a stale save."""
    inputs = model.EconomicsInputs(**{name: values[name] for name in INPUTS})
    problems = model.validate_inputs(inputs)
    if problems:
        raise ServiceError(" ".join(problems))
    case = session.scalar(select(EconomicsCase))
    if case is None:
        if loaded_version != 0:
            raise ServiceError("Reload the page: the inputs were removed meanwhile.")
        case = EconomicsCase(**asdict(inputs), currency=currency)
        session.add(case)
    else:
        apply_versioned_edit(
            case,
            loaded_version,
            {**asdict(inputs), "currency": currency},
            "The economics inputs",
        )
    session.flush()
    return case


def result(session: Session) -> tuple[model.EconomicsInputs, model.EconomicsResult, int, str]:
    """Compute the economics from the stored inputs (or defaults)."""
    inputs, version, currency = current_inputs(session)
    return inputs, model.compute(inputs), version, currency
