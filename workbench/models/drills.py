"""Recovery drills: a playbook scenario rehearsed on purpose, and what happened when it was."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    Versioned,
    WorkspaceScoped,
    str_enum,
)


class DrillStatus(enum.StrEnum):
    """Where a drill stands."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Drill(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A rehearsal of one failure scenario: when and where, who plays whom, and the result."""

    __tablename__ = "drill"
    __table_args__ = (
        CheckConstraint(
            "detection_minutes IS NULL OR detection_minutes >= 0", name="detection_not_negative"
        ),
        CheckConstraint(
            "contact_minutes IS NULL OR contact_minutes >= 0", name="contact_not_negative"
        ),
        CheckConstraint(
            "compensation_amount IS NULL OR compensation_amount >= 0",
            name="compensation_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A drill rehearses one scenario; removing the scenario removes its drills with it.
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("failure_scenario.id", ondelete="CASCADE"), index=True
    )
    planned_on: Mapped[date] = mapped_column(Date)
    site: Mapped[str] = mapped_column(String(160), default="")
    customer_role: Mapped[str] = mapped_column(String(120), default="")
    facilitator: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[DrillStatus] = mapped_column(
        str_enum(DrillStatus, "drill_status"), default=DrillStatus.PLANNED
    )
    # The result, meaningful once the drill is done.
    detected: Mapped[bool] = mapped_column(Boolean, default=False)
    detected_by: Mapped[str] = mapped_column(String(160), default="")
    detection_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message_used: Mapped[str] = mapped_column(Text, default="")
    remedy_given: Mapped[str] = mapped_column(Text, default="")
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_to: Mapped[str] = mapped_column(String(120), default="")
    compensation_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    lessons: Mapped[str] = mapped_column(Text, default="")
