"""Success stories of recoveries that went well, and the departments' service training plans."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Audited, Base, Timestamped, Versioned, WorkspaceScoped


class SuccessStory(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A recovery that went well: the failure, the response and the customer's own words."""

    __tablename__ = "success_story"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("permission IN ('none', 'named', 'anonymous')", name="permission_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    happened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    failure: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    customer_name: Mapped[str] = mapped_column(String(120), default="")
    # May the customer's words be quoted, and how: not at all, with their name, or anonymously.
    permission: Mapped[str] = mapped_column(String(20), default="none")
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("failure_scenario.id", ondelete="SET NULL"), nullable=True, index=True
    )
    department: Mapped[str] = mapped_column(String(80), default="")
    rating: Mapped[int] = mapped_column(Integer, default=3)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)


class TrainingItem(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """One session of a department's service training plan: who learns what, and when."""

    __tablename__ = "training_item"
    __table_args__ = (CheckConstraint("head_count IS NULL OR head_count >= 1", name="head_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(80), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(160), default="")
    head_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    planned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Whether it teaches the linked scenarios' empowerment: what staff may give without asking.
    empowerment: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class TrainingScenario(Timestamped, Audited, WorkspaceScoped, Base):
    """A playbook scenario a training item prepares staff for."""

    __tablename__ = "training_scenario"
    __table_args__ = (UniqueConstraint("training_id", "scenario_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("training_item.id", ondelete="CASCADE"), index=True
    )
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("failure_scenario.id", ondelete="CASCADE"), index=True
    )
