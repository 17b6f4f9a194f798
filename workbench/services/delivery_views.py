"""Delivery for the pages: each initiative's flags, progress, forecast, slip and health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from workbench.analysis.alignment_records import AlignmentInput
from workbench.analysis.delivery import DeliveryFlag, plan_delivery
from workbench.analysis.delivery_health import DeliveryHealth, assess_all
from workbench.services.alignment import gather


@dataclass(frozen=True)
class InitiativeDelivery:
    """One initiative's delivery flags with its health, as the pages show them."""

    flags: tuple[DeliveryFlag, ...]
    health: DeliveryHealth


def delivery(data: AlignmentInput, today: date, currency: str) -> dict[int, InitiativeDelivery]:
    """Every initiative's flags and health from records already read (no query)."""
    plan = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    health = assess_all(data.initiatives, data.milestones, plan.flags, today)
    return {
        record.id: InitiativeDelivery(plan.flags.get(record.id, ()), health[record.id])
        for record in data.initiatives
    }


def workspace_delivery(
    session: Session, today: date, currency: str
) -> dict[int, InitiativeDelivery]:
    """Every initiative's flags and health, read with a fixed number of queries."""
    return delivery(gather(session), today, currency)
