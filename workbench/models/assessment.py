"""Phase 1: factors, instrument answers and journey friction points."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import (
    Audited,
    Base,
    Timestamped,
    Versioned,
    WorkspaceScoped,
    str_enum,
)


class FactorCategory(enum.StrEnum):
    """The four kinds of Phase 1 input."""

    BUSINESS_NEED = "business_need"
    ORGANISATIONAL_DRIVER = "organisational_driver"
    TECHNOLOGY_DRIVER = "technology_driver"
    ENVIRONMENTAL_FACTOR = "environmental_factor"


class Polarity(enum.StrEnum):
    """What a factor does to the strategy's chances."""

    DRIVER = "driver"
    ENABLER = "enabler"
    BARRIER = "barrier"


class Factor(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """An input to the assessment, classed as a driver, an enabler or a barrier."""

    __tablename__ = "factor"
    __table_args__ = (
        CheckConstraint("importance BETWEEN 1 AND 5", name="importance_range"),
        # The board's order, the next position in a category and the per-category counts
        # are read from this index, not from every factor of the workspace.
        Index("ix_factor_board", "workspace_id", "category", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[FactorCategory] = mapped_column(str_enum(FactorCategory, "factor_category"))
    polarity: Mapped[Polarity] = mapped_column(str_enum(Polarity, "factor_polarity"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    importance: Mapped[int] = mapped_column(Integer, default=3)
    evidence: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


# The longest name a labelled respondent may have: any email address a backup carries fits.
RESPONDENT_LABEL_MAX = 254


class AssessmentResponse(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """One respondent's answer to one question of an instrument.

    The respondent is either a member's account (`respondent_id`) or a respondent of the
    workspace known only by a name (`respondent_label`), such as a person whose answers came
    in with a restored backup: a label is shown as written and never linked to an account.
    Exactly one of the two is set; each carries its own uniqueness (NULLs never collide in a
    unique constraint, on SQLite and PostgreSQL alike).
    """

    __tablename__ = "assessment_response"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "instrument_key",
            "question_key",
            "respondent_id",
            name="uq_assessment_response_account",
        ),
        UniqueConstraint(
            "workspace_id",
            "instrument_key",
            "question_key",
            "respondent_label",
            name="uq_assessment_response_label",
        ),
        CheckConstraint(
            "(respondent_id IS NULL) <> (respondent_label IS NULL)", name="one_respondent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_key: Mapped[str] = mapped_column(String(60), index=True)
    instrument_version: Mapped[int] = mapped_column(Integer)
    question_key: Mapped[str] = mapped_column(String(60))
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=True
    )
    respondent_label: Mapped[str | None] = mapped_column(
        String(RESPONDENT_LABEL_MAX), nullable=True
    )
    value: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def respondent(self) -> int | str:
        """Who answered: the member's account id, or the labelled respondent's name."""
        if self.respondent_id is not None:
            return self.respondent_id
        return self.respondent_label or ""


class FrictionPoint(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """Where the customer journey rubs at one stage, and the digital opportunity that answers it."""

    __tablename__ = "friction_point"
    __table_args__ = (CheckConstraint("severity BETWEEN 1 AND 5", name="severity_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_key: Mapped[str] = mapped_column(String(60), index=True)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(Integer, default=3)
    channel: Mapped[str] = mapped_column(String(30), default="other")
    digital_opportunity: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
