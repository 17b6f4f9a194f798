"""Typed models: core (users, workspaces, audit) and the reference catalogues."""

from workbench.models.assessment import (
    AssessmentResponse,
    Factor,
    FactorCategory,
    FrictionPoint,
    Polarity,
)
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
    FactorCategoryInfo,
    JourneyStage,
    MetricTemplate,
    ScenarioTemplate,
    TqmPrinciple,
)

__all__ = [
    "STRATEGY_FIELDS",
    "AssessmentResponse",
    "Audited",
    "Base",
    "Change",
    "Factor",
    "FactorCategory",
    "FactorCategoryInfo",
    "FrictionPoint",
    "Invite",
    "JourneyStage",
    "LoginAttempt",
    "Membership",
    "MetricTemplate",
    "Polarity",
    "Role",
    "ScenarioTemplate",
    "TqmPrinciple",
    "User",
    "Versioned",
    "Workspace",
    "WorkspaceScoped",
]
