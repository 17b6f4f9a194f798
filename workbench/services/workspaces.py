"""Workspaces, their members and invitations, and the corporate strategy texts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import STRATEGY_FIELDS, Invite, Membership, Role, User, Workspace
from workbench.models.base import utcnow
from workbench.services import signed
from workbench.services.accounts import find_user_by_email
from workbench.services.board_packs import ensure_default_packs
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.signed import Reference
from workbench.services.tenancy import current_scope, scope_session, system_access


@dataclass(frozen=True)
class WorkspaceSummary:
    """A workspace as listed for one user."""

    id: int
    name: str
    industry: str
    role: Role
    member_count: int


def create_workspace(session: Session, owner: User, name: str, industry: str = "") -> Workspace:
    """Create a workspace with its creator as facilitator; the session is scoped to it."""
    workspace = Workspace(name=name.strip(), industry=industry.strip(), created_by_id=owner.id)
    session.add(workspace)
    # The workspace needs an id before the scope (and the membership) can refer to it.
    with system_access(session):
        session.flush()
    scope_session(session, workspace.id)
    session.add(Membership(workspace_id=workspace.id, user_id=owner.id, role=Role.FACILITATOR))
    session.flush()
    ensure_default_packs(session)
    return workspace


def list_workspaces_for(session: Session, user: User) -> list[WorkspaceSummary]:
    """Return the workspaces the user belongs to, with their role, by name."""
    with system_access(session):
        counts = (
            select(Membership.workspace_id, func.count(Membership.id).label("n"))
            .group_by(Membership.workspace_id)
            .subquery()
        )
        rows = session.execute(
            select(Workspace.id, Workspace.name, Workspace.industry, Membership.role, counts.c.n)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .join(counts, counts.c.workspace_id == Workspace.id)
            .where(Membership.user_id == user.id)
            .order_by(func.lower(Workspace.name), Workspace.id)
        ).all()
    return [WorkspaceSummary(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def strategy_values(workspace: Workspace) -> dict[str, str]:
    """Return the corporate strategy texts of a workspace."""
    return {name: getattr(workspace, name) or "" for name in STRATEGY_FIELDS}


def update_strategy(
    session: Session, workspace: Workspace, loaded_version: int | None, values: dict[str, Any]
) -> bool:
    """Save the corporate strategy texts unless someone saved them since the form was loaded."""
    changes = {name: (values.get(name) or "").strip() for name in STRATEGY_FIELDS}
    changed = apply_versioned_edit(workspace, loaded_version, changes, "The corporate strategy")
    session.flush()
    return changed


def update_details(
    session: Session, workspace: Workspace, loaded_version: int | None, name: str, industry: str
) -> bool:
    """Rename the workspace or change its industry, with the same stale-edit protection."""
    changes = {"name": name.strip(), "industry": industry.strip()}
    changed = apply_versioned_edit(workspace, loaded_version, changes, "The workspace details")
    session.flush()
    return changed


@dataclass(frozen=True)
class MemberRow:
    """A member as shown on the members page."""

    membership_id: int
    user_id: int
    display_name: str
    email: str
    role: Role
    version: int


def list_members(session: Session) -> list[MemberRow]:
    """Return the members of the session's workspace, facilitators first."""
    order = {Role.FACILITATOR: 0, Role.ANALYST: 1, Role.EXECUTIVE: 2}
    rows = session.execute(select(Membership, User).join(User)).all()
    members = [MemberRow(m.id, u.id, u.display_name, u.email, m.role, m.version) for m, u in rows]
    return sorted(members, key=lambda m: (order[m.role], m.display_name.lower()))


def _facilitator_count(session: Session) -> int:
    return (
        session.scalar(select(func.count(Membership.id)).where(Membership.role == Role.FACILITATOR))
        or 0
    )


def add_member_by_email(session: Session, email: str, role: Role) -> Membership:
    """Add an existing account to the session's workspace with a role."""
    user = find_user_by_email(session, email)
    if user is None:
        raise ServiceError(
            "No account uses that email. Send an invite link instead; "
            "the person can register and join with it.",
            "email",
        )
    existing = session.scalar(select(Membership).where(Membership.user_id == user.id))
    if existing is not None:
        raise ServiceError(
            f"{user.display_name} is already a member ({existing.role.value}).", "email"
        )
    membership = Membership(user_id=user.id, role=role)
    session.add(membership)
    session.flush()
    return membership


def _get_membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError("That member is no longer in this workspace.")
    return membership


def change_role(
    session: Session, membership_id: int, loaded_version: int | None, role: Role
) -> Membership:
    """Change a member's role; the last facilitator cannot be demoted."""
    membership = _get_membership(session, membership_id)
    if (
        membership.role == Role.FACILITATOR
        and role != Role.FACILITATOR
        and _facilitator_count(session) <= 1
    ):
        raise ServiceError("A workspace needs at least one facilitator. Promote someone first.")
    apply_versioned_edit(membership, loaded_version, {"role": role}, "This membership")
    session.flush()
    return membership


def remove_member(session: Session, membership_id: int) -> None:
    """Remove a member; the last facilitator cannot be removed."""
    membership = _get_membership(session, membership_id)
    if membership.role == Role.FACILITATOR and _facilitator_count(session) <= 1:
        raise ServiceError("A workspace needs at least one facilitator. Promote someone first.")
    session.delete(membership)
    session.flush()


def create_invite(
    session: Session, creator: User, role: Role, max_age_hours: int, secret_key: str
) -> tuple[Invite, str]:
    """Create an invite for the session's workspace; return it with its signed token."""
    invite = Invite(
        role=role,
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + timedelta(hours=max_age_hours),
        created_by_id=creator.id,
    )
    session.add(invite)
    session.flush()
    token = signed.sign(secret_key, signed.INVITE, Reference(invite.workspace_id, invite.nonce))
    return invite, token


def list_invites(session: Session) -> list[Invite]:
    """Return the session workspace's invites that are still usable, newest first."""
    now = utcnow()
    invites = session.scalars(
        select(Invite).where(Invite.revoked.is_(False)).order_by(Invite.id.desc())
    ).all()
    return [
        invite
        for invite in invites
        if invite.expires_at > now and not (invite.email is not None and invite.used_count >= 1)
    ]


def revoke_invite(session: Session, invite_id: int) -> None:
    """Revoke an invite so its link stops working."""
    invite = session.get(Invite, invite_id)
    if invite is None:
        raise NotFoundError("That invite does not exist.")
    invite.revoked = True
    session.flush()


@dataclass(frozen=True)
class InviteView:
    """What a person opening an invite link is told."""

    workspace_id: int
    workspace_name: str
    role: Role
    expires_at: datetime
    inviter_name: str  # who created the invitation; "A facilitator" once their account is gone
    member_role: Role | None = None  # the viewer's role there already, if they are a member


def _resolve_invite(
    session: Session, token: str, secret_key: str, max_age_hours: int
) -> tuple[Invite, Workspace]:
    invalid = ServiceError("This invite link is not valid. Ask the facilitator for a new one.")
    expired = ServiceError("This invite link has expired. Ask the facilitator for a new one.")
    reference = signed.read(secret_key, signed.INVITE, token, max_age_hours, invalid, expired)
    scope_session(session, reference.workspace_id)
    invite = session.scalar(select(Invite).where(Invite.nonce == reference.nonce))
    workspace = session.get(Workspace, reference.workspace_id)
    if invite is None or workspace is None:
        raise invalid
    if invite.revoked:
        raise ServiceError("This invite link was withdrawn. Ask the facilitator for a new one.")
    if invite.expires_at <= utcnow():
        raise expired
    if invite.email is not None and invite.used_count >= 1:
        # An invitation sent to one person is spent once someone has joined with it.
        raise ServiceError(
            "This invitation has already been used. Ask the facilitator for a new one."
        )
    return invite, workspace


def describe_invite(
    session: Session, token: str, secret_key: str, max_age_hours: int, viewer: User | None = None
) -> InviteView:
    """Check an invite token and say who offers which workspace and role (and the viewer's)."""
    invite, workspace = _resolve_invite(session, token, secret_key, max_age_hours)
    inviter = session.get(User, invite.created_by_id) if invite.created_by_id else None
    member_role = None
    if viewer is not None:
        # The session is scoped to the invite's workspace: this is the viewer's membership.
        member_role = session.scalar(select(Membership.role).where(Membership.user_id == viewer.id))
    return InviteView(
        workspace.id,
        workspace.name,
        invite.role,
        invite.expires_at,
        inviter.display_name if inviter is not None else "A facilitator",
        member_role,
    )


def accept_invite(
    session: Session, user: User, token: str, secret_key: str, max_age_hours: int
) -> Workspace:
    """Join the invite's workspace with its role (an existing member keeps their role)."""
    invite, workspace = _resolve_invite(session, token, secret_key, max_age_hours)
    existing = session.scalar(select(Membership).where(Membership.user_id == user.id))
    if existing is None:
        session.add(Membership(user_id=user.id, role=invite.role))
        invite.used_count += 1
        session.flush()
    return workspace


def delete_workspace(session: Session, workspace: Workspace, confirm_name: str) -> None:
    """Delete a workspace and everything in it, if the typed name matches."""
    if confirm_name.strip() != workspace.name:
        raise ServiceError("Type the workspace name exactly to confirm deletion.", "confirm_name")
    if current_scope(session) != workspace.id:
        raise ServiceError("Open the workspace before deleting it.")
    with system_access(session):
        session.delete(workspace)
        session.flush()
