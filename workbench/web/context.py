"""Entering a workspace from a route: membership, role check and the navigation values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, flash, g, make_response, redirect, request, url_for
from flask_login import current_user, login_required

from workbench.database import begin_writing
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import access, progress, two_factor
from workbench.services import departments as department_service
from workbench.web.htmx import is_htmx

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class PhaseNav:
    """A phase as shown in the sidebar."""

    key: str
    number: int
    title: str
    percent: int
    status: str
    pages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WorkspaceNav:
    """The plain values the layout needs about the current workspace."""

    id: int
    name: str
    role: Role
    can_edit: bool
    can_manage: bool
    overall_percent: int
    phases: tuple[PhaseNav, ...]


def build_nav(workspace: Workspace, role: Role) -> WorkspaceNav:
    """Compute the sidebar values for a workspace."""
    results = progress.phase_progress(db.session(), workspace)
    phases = tuple(
        PhaseNav(p.key, p.number, p.title, results[p.key].percent, results[p.key].status, p.pages)
        for p in progress.PHASES
    )
    return WorkspaceNav(
        id=workspace.id,
        name=workspace.name,
        role=role,
        can_edit=access.role_allows(role, access.Action.EDIT),
        can_manage=access.role_allows(role, access.Action.MANAGE_MEMBERS),
        overall_percent=results["overall"].percent,
        phases=phases,
    )


_MEMBERSHIP = "workspace_membership"


def workspace_requested() -> int | None:
    """Return the workspace id of the page asked for, when it is a workspace page."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "enters_workspace", False):
        return None
    workspace_id = (request.view_args or {}).get("workspace_id")
    return workspace_id if isinstance(workspace_id, int) else None


def keep_membership(workspace_id: int, found: tuple[Workspace, Role] | None) -> None:
    """Keep the membership read with the account for `workspace_view` in this request."""
    g.setdefault(_MEMBERSHIP, (workspace_id, found))


def can_edit(role: Role) -> bool:
    """Return whether the role may change the workspace's strategy (not only read it)."""
    return access.role_allows(role, access.Action.EDIT)


def may(action: str) -> bool:
    """Return whether the member viewing this workspace page may take the named action.

    Templates ask `may('edit')`, `may('publish')` or `may('manage_members')` before offering a
    control, so every page shows each role what it may do and nothing else. Outside a
    workspace, or for an action that does not exist, the answer is no.
    """
    role = g.get("workspace_role")
    known = {item.value for item in access.Action}
    if role is None or action not in known:
        return False
    return access.role_allows(role, access.Action(action))


def role_context() -> dict[str, Any]:
    """Give every template `may` and, in a workspace, the `can_edit`/`can_manage` defaults."""
    values: dict[str, Any] = {"may": may}
    if g.get("workspace_role") is not None:
        # A view may still pass its own value (fragments rendered only for editors do).
        values["can_edit"] = may(access.Action.EDIT)
        values["can_manage"] = may(access.Action.MANAGE_MEMBERS)
    return values


def _to_enrolment() -> Any:
    """Send the member to turn on two-factor sign-in; a fragment asks htmx to navigate."""
    target = url_for("two_factor.account")
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def workspace_view(
    read: access.Action = access.Action.READ, write: access.Action = access.Action.EDIT
) -> Callable[[F], F]:
    """Decorate a route taking `workspace_id`: check membership and role, scope the session.

    GET and HEAD need the `read` action, every other method the `write` action. The view
    receives the workspace as `workspace` and the member's role as `role`.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(workspace_id: int, **kwargs: Any) -> Any:
            kept = g.pop(_MEMBERSHIP, None)
            if kept is not None and kept[0] == workspace_id:
                # Read with the account, when the user loader ran for this request.
                workspace, role = access.enter_found(db.session(), workspace_id, kept[1])
            else:
                workspace, role = access.enter_workspace(db.session(), current_user, workspace_id)
            if two_factor.must_enrol(db.session(), workspace, current_user):
                # Only this workspace waits; the member's other workspaces stay open.
                flash(
                    f"“{workspace.name}” requires two-factor sign-in of its members. "
                    "Turn it on to continue.",
                    "info",
                )
                return _to_enrolment()
            reading = request.method in {"GET", "HEAD"}
            access.require(role, read if reading else write)
            if not reading:
                begin_writing(db.session())
            g.workspace_id = workspace.id
            g.workspace_role = role
            g.nav_factory = lambda: build_nav(workspace, role)
            return view(workspace=workspace, role=role, **kwargs)

        # The request hook leaves the write lock to this wrapper (see begin_writing).
        # Markers read back with getattr; a function object takes any attribute at runtime.
        wrapper.begins_writing_itself = True  # type: ignore[attr-defined]
        # The user loader reads the membership of the page's workspace with the account.
        wrapper.enters_workspace = True  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorator


def department_name(key: str | None, blank: str = "") -> str:
    """Return a department key's display name in the request's workspace; `blank` for none.

    The template filter `department`: the register is read once per request, on first use.
    """
    if not key:
        return blank
    names = g.get("department_names")
    if names is None:
        names = department_service.names(db.session()) if g.get("workspace_id") else {}
        g.department_names = names
    return department_service.display_name(names, key)


def department_choices() -> list[tuple[str, str]]:
    """Return (key, display name) of the request's workspace's departments, for a select."""
    if not g.get("workspace_id"):
        return []
    return department_service.choices(db.session())
