"""Phase 2: corporate objectives, service recovery initiatives and the links between them."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    Versioned,
    WorkspaceScoped,
    str_enum,
)


class Perspective(enum.StrEnum):
    """The balanced-scorecard perspective an objective belongs to."""

    FINANCIAL = "financial"
    CUSTOMER = "customer"
    INTERNAL_PROCESS = "internal_process"
    LEARNING_GROWTH = "learning_growth"


class InitiativeStatus(enum.StrEnum):
    """Where an initiative stands."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Priority(enum.StrEnum):
    """How urgent an initiative is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Approach(enum.StrEnum):
    """Whether an initiative prevents failures or recovers from them."""

    PREVENT = "prevent"
    RECOVER = "recover"


class Contribution(enum.StrEnum):
    """How much an initiative contributes to an objective."""

    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"


class Objective(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A corporate objective drawn from the corporate strategy."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    perspective: Mapped[Perspective] = mapped_column(str_enum(Perspective, "objective_perspective"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="SET NULL"), nullable=True, index=True
    )
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Initiative(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A service recovery initiative written against the objectives."""

    __tablename__ = "initiative"
    __table_args__ = (
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        CheckConstraint("spend IS NULL OR spend >= 0", name="spend_not_negative"),
        CheckConstraint(
            "percent_complete IS NULL OR (percent_complete >= 0 AND percent_complete <= 100)",
            name="percent_complete_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    department: Mapped[str] = mapped_column(String(80), default="", index=True)
    status: Mapped[InitiativeStatus] = mapped_column(
        str_enum(InitiativeStatus, "initiative_status"), default=InitiativeStatus.PROPOSED
    )
    priority: Mapped[Priority] = mapped_column(
        str_enum(Priority, "initiative_priority"), default=Priority.MEDIUM
    )
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    spend: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    approach: Mapped[Approach | None] = mapped_column(
        str_enum(Approach, "initiative_approach"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # How far the work has gone, as the team judges it; milestones, when it has them, decide.
    percent_complete: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The planned dates as first approved: later changes to the plan leave them, so slip shows.
    baseline_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    baseline_end: Mapped[date | None] = mapped_column(Date, nullable=True)


class Milestone(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A dated step of an initiative's delivery, done or still to come."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    owner: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class InitiativeObjective(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """An initiative's contribution to an objective, with the reason."""

    __tablename__ = "initiative_objective"
    __table_args__ = (UniqueConstraint("initiative_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    contribution: Mapped[Contribution] = mapped_column(str_enum(Contribution, "contribution"))
    rationale: Mapped[str] = mapped_column(Text, default="")


class InitiativePrinciple(Timestamped, Audited, WorkspaceScoped, Base):
    """A TQM principle an initiative applies."""

    __tablename__ = "initiative_principle"
    __table_args__ = (UniqueConstraint("initiative_id", "principle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    principle_id: Mapped[int] = mapped_column(
        ForeignKey("tqm_principle.id", ondelete="CASCADE"), index=True
    )


class InitiativeFactor(Timestamped, Audited, WorkspaceScoped, Base):
    """A Phase 1 factor an initiative addresses: a barrier removed, a need met, an enabler used."""

    __tablename__ = "initiative_factor"
    __table_args__ = (UniqueConstraint("initiative_id", "factor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    factor_id: Mapped[int] = mapped_column(ForeignKey("factor.id", ondelete="CASCADE"), index=True)


class InitiativeDependency(Timestamped, Audited, WorkspaceScoped, Base):
    """An initiative that must come before another."""

    __tablename__ = "initiative_dependency"
    __table_args__ = (
        UniqueConstraint("initiative_id", "depends_on_id"),
        CheckConstraint("initiative_id <> depends_on_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
