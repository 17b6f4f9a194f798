"""Typed models: core (users, workspaces, audit) and the reference catalogues."""

from workbench.models.base import Audited, Base, Versioned, WorkspaceScoped
from workbench.models.core import (
    STRATEGY_FIELDS,
    Change,
    Invite,
    LoginAttempt,
    Membership,
    Role,
    User,
    Workspace,
)
from workbench.models.reference import (
    FactorCategory,
    JourneyStage,
    MetricTemplate,
    ScenarioTemplate,
    TqmPrinciple,
)

__all__ = [
    "STRATEGY_FIELDS",
    "Audited",
    "Base",
    "Change",
    "FactorCategory",
    "Invite",
    "JourneyStage",
    "LoginAttempt",
    "Membership",
    "MetricTemplate",
    "Role",
    "ScenarioTemplate",
    "TqmPrinciple",
    "User",
    "Versioned",
    "Workspace",
    "WorkspaceScoped",
]
