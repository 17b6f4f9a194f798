"""The application portfolio: the enterprise applications that serve recovery, read, added,
edited and deleted, and the portfolio read as a whole (the rules in analysis.applications)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import applications as rules
from workbench.analysis.text import clean_text
from workbench.models import Application
from workbench.models.catalogue.operating import APPLICATIONS
from workbench.models.fields import MONEY_MAX
from workbench.models.vocabulary import APPLICATION_CAPABILITIES, APPLICATION_KINDS
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.currency import workspace_currency
from workbench.services.departments import resolve
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = tuple(spec.name for spec in APPLICATIONS.fields)
KIND_LABELS = dict(APPLICATION_KINDS)
CAPABILITIES = rules.capabilities_of(APPLICATION_CAPABILITIES)
CAPABILITY_LABELS = {c.key: c.label for c in CAPABILITIES}


def list_applications(session: Session) -> list[Application]:
    """Return the workspace's applications by name."""
    return list(
        session.scalars(select(Application).order_by(func.lower(Application.name), Application.id))
    )


def get_application(session: Session, application_id: int) -> Application:
    """Return an application of the session's workspace or raise NotFoundError."""
    row = session.get(Application, application_id)
    if row is None:
        raise NotFoundError("That application no longer exists; someone may have deleted it.")
    return row


def _line(values: dict[str, Any], name: str) -> str:
    text = clean_text(str(values.get(name) or ""))
    limit = APPLICATIONS.field(name).max_length or 0
    if len(text) > limit:
        label = APPLICATIONS.field(name).label.lower()
        raise ServiceError(f"Keep the {label} to {limit} characters.", name)
    return text


def _cost(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ServiceError(
            "Enter the annual cost as an amount, such as 12000.", "annual_cost"
        ) from None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise ServiceError(f"Enter an annual cost from 0 to {MONEY_MAX:,}.", "annual_cost")
    return amount


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """The values an application stores, refused with a message naming the field."""
    name = _line(values, "name")
    if not name:
        raise ServiceError("Name the application.", "name")
    kind = values.get("kind") or "other"
    if kind not in KIND_LABELS:
        raise ServiceError("Choose the application's kind from the list.", "kind")
    capabilities = values.get("capabilities") or ()
    if isinstance(capabilities, str) or any(key not in CAPABILITY_LABELS for key in capabilities):
        raise ServiceError("Choose the capabilities from the list.", "capabilities")
    end = values.get("contract_end")
    if end is not None and not isinstance(end, date):
        raise ServiceError("Give the contract end as a date.", "contract_end")
    return {
        "name": name,
        "kind": kind,
        "vendor": _line(values, "vendor"),
        "owner": _line(values, "owner"),
        "department": values.get("department") or "",
        "annual_cost": _cost(values.get("annual_cost")),
        "contract_end": end,
        # Stored in the list's order, so the same choice always reads the same.
        "capabilities": [c.key for c in CAPABILITIES if c.key in set(capabilities)],
        "notes": str(values.get("notes") or ""),
    }


def create_application(session: Session, values: dict[str, Any]) -> Application:
    """Add an application to the portfolio."""
    checked = _checked(values)
    checked["department"] = resolve(session, checked["department"])
    row = Application(**checked)
    session.add(row)
    session.flush()
    return row


def update_application(
    session: Session, application_id: int, loaded_version: int | None, values: dict[str, Any]
) -> Application:
    """Save an application unless someone changed the same fields since the form was loaded."""
    row = get_application(session, application_id)
    checked = _checked(values)
    checked["department"] = resolve(session, checked["department"])
    apply_versioned_edit(row, loaded_version, checked, f"The application “{row.name}”")
    session.flush()
    return row


def delete_application(session: Session, application_id: int) -> str:
    """Delete an application; return its name."""
    row = get_application(session, application_id)
    name = row.name
    session.delete(row)
    session.flush()
    return name


def record(row: Application) -> rules.AppRecord:
    """An application as the portfolio rules read it."""
    return rules.AppRecord(
        row.id,
        row.name,
        None if row.annual_cost is None else float(row.annual_cost),
        row.contract_end,
        frozenset(row.capabilities or ()),
    )


@dataclass(frozen=True)
class PortfolioView:
    """The portfolio with its rows and the currency its costs are in."""

    rows: tuple[Application, ...]
    portfolio: rules.Portfolio
    currency: str


def portfolio_view(session: Session, today: date) -> PortfolioView:
    """Read the portfolio: rows by name, totals, coverage, gaps, overlaps and contracts."""
    rows = tuple(list_applications(session))
    return PortfolioView(
        rows,
        rules.portfolio([record(row) for row in rows], CAPABILITIES, today),
        workspace_currency(session),
    )


def annual_cost(session: Session) -> tuple[float, int]:
    """Return the portfolio's annual cost and how many applications it counts."""
    costs = list(session.scalars(select(Application.annual_cost)))
    return sum(float(c) for c in costs if c is not None), len(costs)
