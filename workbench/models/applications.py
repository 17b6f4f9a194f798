"""Phase 3: the portfolio of enterprise applications that serve service recovery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Audited, Base, Timestamped, Versioned, WorkspaceScoped


class Application(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """An application of the portfolio: its kind, vendor, owner, cost, contract and capabilities."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint("annual_cost IS NULL OR annual_cost >= 0", name="annual_cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    vendor: Mapped[str] = mapped_column(String(160), default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    # A department register key, as initiatives and metrics hold it.
    department: Mapped[str] = mapped_column(String(80), default="", index=True)
    # In the workspace's currency, like every amount of the business case.
    annual_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    contract_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Keys of vocabulary.APPLICATION_CAPABILITIES; a short fixed list, so a JSON list suffices.
    capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
