"""Phase 4: metrics per department, goals, measurements, communication plans, economics."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
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
from workbench.models.vocabulary import DEFAULT_CURRENCY


class Direction(enum.StrEnum):
    """Which way a metric should move."""

    HIGHER = "higher"
    LOWER = "lower"


class Rollup(enum.StrEnum):
    """How a metric's organisation value is made from its sites' values on a day."""

    SUM = "sum"
    MEAN = "mean"
    WEIGHTED_MEAN = "weighted_mean"
    MIN = "min"
    MAX = "max"


class SiteKind(enum.StrEnum):
    """What kind of place a site is."""

    HOTEL = "hotel"
    STATION = "station"
    BRANCH = "branch"
    REGION = "region"
    OTHER = "other"


class Site(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A place the organisation serves from (a hotel, a station, a branch, a region)."""

    __tablename__ = "site"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SiteKind] = mapped_column(str_enum(SiteKind, "site_kind", length=20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("site.id", ondelete="SET NULL"), nullable=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class Metric(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """A business metric a department watches, from the library or defined by the team."""

    __tablename__ = "metric"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "metric_direction", length=10))
    min_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    owner: Mapped[str] = mapped_column(String(120), default="")
    department: Mapped[str] = mapped_column(String(80), default="", index=True)
    template_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # How the organisation value rolls up from the sites' values (see analysis/sites.py);
    # a weighted mean weighs each site by its reading of the volume metric on the same day.
    # Never left empty once stored: a metric saved without one takes its unit's rule.
    rollup: Mapped[Rollup | None] = mapped_column(
        str_enum(Rollup, "metric_rollup", length=20), nullable=True, server_default="mean"
    )
    # No database constraint: SQLite could add one only by rebuilding the metric table
    # (see migration 0029); the metric service clears it when the volume metric goes.
    rollup_weight_metric_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


# Counts and money add up across sites; every other unit averages (the same rule as
# workbench.analysis.sites.default_rule, which cannot import the models).
ADDITIVE_UNITS = ("count", "currency")


@event.listens_for(Metric, "before_insert")
def _default_rollup(_mapper: object, _connection: object, metric: Metric) -> None:
    """A metric stored without a roll-up rule (an older backup) takes its unit's rule."""
    if metric.rollup is None:
        metric.rollup = Rollup.SUM if metric.unit in ADDITIVE_UNITS else Rollup.MEAN


def rollup_rule(metric: Metric) -> str:
    """Return the metric's roll-up rule, its unit's when none is stored yet."""
    if metric.rollup is not None:
        return metric.rollup.value
    return Rollup.SUM.value if metric.unit in ADDITIVE_UNITS else Rollup.MEAN.value


class MetricObjective(Timestamped, Audited, WorkspaceScoped, Base):
    """An objective a metric gives evidence for."""

    __tablename__ = "metric_objective"
    __table_args__ = (UniqueConstraint("metric_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )


class Goal(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """Where a metric starts and where it should be by when."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("metric_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    baseline_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    # Who hears about the goal; empty means the metric's owner (see analysis/reminders.py).
    owner: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Measurement(Timestamped, Audited, WorkspaceScoped, Base):
    """One reading of a metric on a day, for the whole organisation or for one site."""

    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("metric_id", "measured_on", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("site.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(500), default="")
    # The feed that wrote the reading (see services/feed_runs.py); NULL for a reading entered
    # by hand, pasted or imported, which no feed ever overwrites. No database constraint:
    # SQLite could add one only by rebuilding the table (see migration 0030); the feed
    # service clears it when the feed is deleted.
    feed_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


# One reading a day per metric for the organisation (no site), besides the constraint of one
# a day per metric and site: NULLs are distinct in a unique constraint, so the organisation's
# readings get a partial unique index of their own, which SQLite and PostgreSQL both enforce.
Index(
    "uq_measurement_organisation_reading",
    Measurement.metric_id,
    Measurement.measured_on,
    unique=True,
    sqlite_where=Measurement.site_id.is_(None),
    postgresql_where=Measurement.site_id.is_(None),
)


class CommunicationPlan(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """How one department hears about its metrics and goals."""

    __tablename__ = "communication_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(80), index=True)
    audience: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(120), default="")
    cadence: Mapped[str] = mapped_column(String(40), default="monthly")
    owner: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class CommunicationMetric(Timestamped, Audited, WorkspaceScoped, Base):
    """A metric a communication plan carries."""

    __tablename__ = "communication_metric"
    __table_args__ = (UniqueConstraint("plan_id", "metric_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("communication_plan.id", ondelete="CASCADE"), index=True
    )
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)


class EconomicsCase(Versioned, Timestamped, Audited, WorkspaceScoped, Base):
    """The workspace's inputs to the recovery economics calculator (one per workspace)."""

    __tablename__ = "economics_case"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)
    failure_rate: Mapped[float] = mapped_column(Float)
    complaint_rate: Mapped[float] = mapped_column(Float)
    recovery_success_rate: Mapped[float] = mapped_column(Float)
    customer_lifetime_value: Mapped[float] = mapped_column(Float)
    churn_unrecovered: Mapped[float] = mapped_column(Float)
    churn_recovered: Mapped[float] = mapped_column(Float)
    cost_per_recovery: Mapped[float] = mapped_column(Float)
    programme_fixed_cost: Mapped[float] = mapped_column(Float)
    # Today's recovery rate, used when no Recovery rate metric has been measured.
    current_recovery_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    # The business case over years: its horizon, discount rate and the team's own low and
    # high values of the uncertain inputs (NULL until entered).
    horizon_years: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    discount_rate: Mapped[float] = mapped_column(Float, default=0.08, server_default="0.08")
    churn_unrecovered_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    churn_unrecovered_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    churn_recovered_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    churn_recovered_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    complaint_rate_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    complaint_rate_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    customer_lifetime_value_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    customer_lifetime_value_high: Mapped[float | None] = mapped_column(Float, nullable=True)
