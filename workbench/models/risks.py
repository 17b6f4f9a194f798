"""The risk register: risks from Phase 1 barriers and the initiatives that mitigate them."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    Versioned,
    WorkspaceScoped,
    str_enum,
)


class RiskStatus(enum.StrEnum):
    """Where a risk stands."""

    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"
    ACCEPTED = "accepted"


class Risk(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A risk to the strategy: its cause, likelihood and impact, owner, mitigation and review."""

    __tablename__ = "risk"
    __table_args__ = (
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    cause: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int] = mapped_column(Integer, default=3)
    impact: Mapped[int] = mapped_column(Integer, default=3)
    owner: Mapped[str] = mapped_column(String(120), default="")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[RiskStatus] = mapped_column(
        str_enum(RiskStatus, "risk_status"), default=RiskStatus.OPEN
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class RiskFactor(Timestamped, Audited, WorkspaceScoped, Base):
    """A Phase 1 barrier a risk comes from."""

    __tablename__ = "risk_factor"
    __table_args__ = (UniqueConstraint("risk_id", "factor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    factor_id: Mapped[int] = mapped_column(ForeignKey("factor.id", ondelete="CASCADE"), index=True)


class RiskInitiative(Timestamped, Audited, WorkspaceScoped, Base):
    """An initiative that mitigates a risk."""

    __tablename__ = "risk_initiative"
    __table_args__ = (UniqueConstraint("risk_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
