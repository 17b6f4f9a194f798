"""Central workspace scoping: every query on a workspace-owned row is filtered, every flush checked.

A session carries its scope in `session.info`:
- `workspace_id`: queries see only that workspace's rows; writes may touch only them.
- `tenancy_system`: a deliberate cross-workspace operation (CLI, listing a user's own
  memberships); no filter is added.
With neither set, touching a workspace-owned table is refused, so a forgotten scope fails
loudly instead of leaking another organisation's data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from workbench.models import Workspace, WorkspaceScoped
from workbench.services.errors import TenancyViolationError

SCOPE_KEY = "workspace_id"
SYSTEM_KEY = "tenancy_system"
_SCOPE_PARAMETER = "tenancy_scope_workspace_id"

# One filter for every scoped read: the workspace comes as a bound parameter of the
# execution, so the option is built once and a statement's cache key is the same for every
# workspace (a filter closing over the id is analysed again on each query). Loads of an
# object's relationships get the filter from the hook below rather than inheriting it, as
# they must be given the parameter too.
_SCOPED_READ = with_loader_criteria(
    WorkspaceScoped,
    # The name is written out: a lambda's filter may not read module names (SQLAlchemy
    # would track them as values of the statement).
    lambda cls: cls.workspace_id == bindparam("tenancy_scope_workspace_id"),
    include_aliases=True,
    propagate_to_loaders=False,
)


def scope_session(session: Session, workspace_id: int) -> None:
    """Confine the session to one workspace."""
    session.info[SCOPE_KEY] = int(workspace_id)
    session.info.pop(SYSTEM_KEY, None)


def current_scope(session: Session) -> int | None:
    """Return the workspace the session is confined to, if any."""
    return session.info.get(SCOPE_KEY)


def allow_system_access(session: Session) -> None:
    """Mark the session as a deliberate cross-workspace (system) session."""
    session.info[SYSTEM_KEY] = True


@contextmanager
def system_access(session: Session) -> Iterator[None]:
    """Temporarily lift the scope for a deliberate cross-workspace read."""
    saved = dict(session.info)
    session.info.pop(SCOPE_KEY, None)
    session.info[SYSTEM_KEY] = True
    try:
        yield
    finally:
        session.info.clear()
        session.info.update(saved)


def _touches_scoped_table(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, WorkspaceScoped) for mapper in state.all_mappers)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_column_load:
        # A deferred or expired column is read by the primary key of a row already loaded.
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    session = state.session
    if session.info.get(SYSTEM_KEY):
        return
    workspace_id = session.info.get(SCOPE_KEY)
    if workspace_id is None:
        if state.is_relationship_load:
            return
        if _touches_scoped_table(state):
            raise TenancyViolationError(
                "query on a workspace-owned table without a workspace scope"
            )
        return
    given = state.parameters
    if state.is_select and (given is None or isinstance(given, Mapping)):
        state.statement = state.statement.options(_SCOPED_READ)
        state.parameters = {**(given or {}), _SCOPE_PARAMETER: workspace_id}
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            WorkspaceScoped,
            lambda cls: cls.workspace_id == workspace_id,
            include_aliases=True,
        )
    )


def _check_object(obj: Any, workspace_id: int, is_new: bool) -> None:
    if isinstance(obj, WorkspaceScoped):
        if is_new and obj.workspace_id is None:
            obj.workspace_id = workspace_id
        if obj.workspace_id != workspace_id:
            raise TenancyViolationError(
                f"{type(obj).__name__} belongs to workspace {obj.workspace_id}, "
                f"session is scoped to {workspace_id}"
            )
    elif isinstance(obj, Workspace) and not is_new and obj.id != workspace_id:
        raise TenancyViolationError(f"workspace {obj.id} written from scope {workspace_id}")


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(SYSTEM_KEY):
        return
    workspace_id = session.info.get(SCOPE_KEY)
    touched = [(obj, True) for obj in session.new]
    touched += [(obj, False) for obj in session.dirty]
    touched += [(obj, False) for obj in session.deleted]
    if workspace_id is None:
        for obj, _is_new in touched:
            if isinstance(obj, WorkspaceScoped):
                raise TenancyViolationError(
                    f"write to {type(obj).__name__} without a workspace scope"
                )
        return
    for obj, is_new in touched:
        _check_object(obj, workspace_id, is_new)


def install(session_class: type[Session]) -> None:
    """Attach the scoping hooks to a session class (idempotent)."""
    if not event.contains(session_class, "do_orm_execute", _on_execute):
        event.listen(session_class, "do_orm_execute", _on_execute)
        event.listen(session_class, "before_flush", _before_flush)
