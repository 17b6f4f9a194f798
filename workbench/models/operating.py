"""Phase 3: stakeholders, canvas items, processes with RACI, organisation units, the playbook."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.models.base import Audited, Base, Timestamped, Versioned, WorkspaceScoped


class Stakeholder(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A person, team, department or outside party with an interest in the strategy."""

    __tablename__ = "stakeholder"
    __table_args__ = (
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default="team")
    interest: Mapped[int] = mapped_column(Integer, default=3)
    influence: Mapped[int] = mapped_column(Integer, default=3)
    notes: Mapped[str] = mapped_column(Text, default="")


class Department(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A department of the organisation: a stable key that rows name, and its display name."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Initiatives, metrics, communication plans and applications name a department by this
    # key, so a rename changes the display name alone and no row has to follow.
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    # Named by the room as one of the functions the strategy involves (the workshop's recap).
    involved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CanvasItem(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A challenge or an opportunity on the operating model canvas."""

    __tablename__ = "canvas_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Process(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A business process of the operating model, made of ordered steps."""

    __tablename__ = "process"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    template_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # The department that runs the process: a register key, like an initiative's.
    department: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)


class ProcessInitiative(Timestamped, Audited, WorkspaceScoped, Base):
    """An initiative that changes a process."""

    __tablename__ = "process_initiative"
    __table_args__ = (UniqueConstraint("process_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )


class ProcessStep(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """One step of a process."""

    __tablename__ = "process_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")


class RaciAssignment(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A stakeholder's role (Responsible, Accountable, Consulted, Informed) in a step."""

    __tablename__ = "raci_assignment"
    __table_args__ = (UniqueConstraint("step_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(
        ForeignKey("process_step.id", ondelete="CASCADE"), index=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(1))


class OrgUnit(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A unit of the current or the target organisation structure."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # For a target unit: the current unit it continues (None for a new unit).
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="SET NULL"), nullable=True
    )


class FailureScenario(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A playbook entry: how a kind of service failure is detected, answered and learnt from."""

    __tablename__ = "failure_scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    foreseeable: Mapped[bool] = mapped_column(Boolean, default=False)
    detection_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    responder: Mapped[str] = mapped_column(String(160), default="")
    customer_message: Mapped[str] = mapped_column(Text, default="")
    response_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    compensation_type: Mapped[str] = mapped_column(String(30), default="none")
    compensation_amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Cases a year the team expects; with the remedy value, the compensation to budget for.
    expected_cases_per_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    escalation_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_response_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    prevention_note: Mapped[str] = mapped_column(Text, default="")
    template_key: Mapped[str | None] = mapped_column(String(80), nullable=True)


class ScenarioInitiative(Timestamped, Audited, WorkspaceScoped, Base):
    """An initiative that prevents or answers a failure scenario."""

    __tablename__ = "scenario_initiative"
    __table_args__ = (UniqueConstraint("scenario_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("failure_scenario.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
