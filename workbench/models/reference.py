"""Reference catalogues shared by every workspace, loaded from seeds/ by `workbench seed`."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Base


class TqmPrinciple(Base):
    """One of the eight Total Quality Management principles."""

    __tablename__ = "tqm_principle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    example: Mapped[str] = mapped_column(Text, default="")


class FactorCategoryInfo(Base):
    """A Phase 1 input category with example prompts for the workshop."""

    __tablename__ = "factor_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    prompts: Mapped[list[str]] = mapped_column(JSON, default=list)


class JourneyStage(Base):
    """A stage of the customer engagement journey."""

    __tablename__ = "journey_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    typical_friction: Mapped[str] = mapped_column(Text, default="")
    typical_opportunity: Mapped[str] = mapped_column(Text, default="")


class MetricTemplate(Base):
    """A service recovery metric from the library, ready to adopt in a workspace."""

    __tablename__ = "metric_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    definition: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    min_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    typical_department: Mapped[str] = mapped_column(String(40))
    frequency: Mapped[str] = mapped_column(String(20))


class ScenarioTemplate(Base):
    """An industry failure scenario that a workspace can copy into its playbook."""

    __tablename__ = "scenario_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    industry: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))
    foreseeable: Mapped[bool] = mapped_column(Boolean, default=False)
    detection_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    responder: Mapped[str] = mapped_column(String(160))
    customer_message: Mapped[str] = mapped_column(Text)
    response_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    compensation_type: Mapped[str] = mapped_column(String(30))
    compensation_amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    escalation_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_response_minutes: Mapped[int] = mapped_column(Integer)
    prevention_note: Mapped[str] = mapped_column(Text, default="")
