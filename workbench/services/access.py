"""Who may do what in a workspace, by role."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import Membership, Role, User, Workspace
from workbench.services.errors import NotFoundError, PermissionDeniedError
from workbench.services.tenancy import scope_session, system_access


class Action(enum.StrEnum):
    """Things a member can attempt."""

    READ = "read"
    EDIT = "edit"
    MANAGE_MEMBERS = "manage_members"
    PUBLISH = "publish"
    DOWNLOAD = "download"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.FACILITATOR: frozenset(Action),
    Role.ANALYST: frozenset({Action.READ, Action.EDIT, Action.DOWNLOAD}),
    Role.EXECUTIVE: frozenset({Action.READ, Action.DOWNLOAD}),
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.FACILITATOR: "Runs the workshop, manages members and publishes the storyboard.",
    Role.ANALYST: "Edits the strategy: assessment, alignment, operating model and metrics.",
    Role.EXECUTIVE: "Reads the strategy and downloads the storyboard.",
}


def role_allows(role: Role, action: Action) -> bool:
    """Return whether a role permits an action."""
    return action in ROLE_ACTIONS[role]


def enter_workspace(session: Session, user: User, workspace_id: int) -> tuple[Workspace, Role]:
    """Scope the session to a workspace the user belongs to and return it with the role.

    A workspace the user is not a member of is reported as not found, so ids of other
    organisations' workspaces reveal nothing.
    """
    with system_access(session):
        found = session.execute(
            select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Workspace.id == workspace_id, Membership.user_id == user.id)
        ).first()
    return enter_found(session, workspace_id, None if found is None else (found[0], found[1]))


def enter_found(
    session: Session, workspace_id: int, found: tuple[Workspace, Role] | None
) -> tuple[Workspace, Role]:
    """Scope the session to a workspace whose membership was read with the account.

    `found` is what `accounts.load_member` answered for this workspace; None (not a
    member, or no such workspace) is reported as not found, as by `enter_workspace`.
    """
    if found is None:
        raise NotFoundError("There is no such workspace, or you are not a member of it.")
    scope_session(session, workspace_id)
    return found


def require(role: Role, action: Action) -> None:
    """Raise if the role does not permit the action."""
    if not role_allows(role, action):
        raise PermissionDeniedError(
            f"Your role ({role.value}) does not allow this. Ask a facilitator if you need it."
        )
