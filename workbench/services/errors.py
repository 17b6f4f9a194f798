"""Errors services raise for the web layer to turn into pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


class ServiceError(Exception):
    """A request that breaks a business rule; its message is safe to show."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ServiceError):
    """The thing asked for does not exist here (or is not visible to this user)."""

    status_code = 404


class PermissionDeniedError(ServiceError):
    """The user's role does not allow this."""

    status_code = 403


class TenancyViolationError(RuntimeError):
    """A query or write escaped the current workspace: a programming error, never shown."""


@dataclass(frozen=True)
class FieldConflict:
    """One field both this save and someone else changed, to different values."""

    name: str
    stored: Any
    mine: Any
    changed_by: str | None
    changed_at: datetime | None


class StaleEditError(ServiceError):
    """Someone saved the row after this form was loaded."""

    status_code = 409

    def __init__(
        self,
        entity_label: str,
        stored: dict[str, Any],
        submitted: dict[str, Any],
        stored_version: int,
        conflicts: tuple[FieldConflict, ...] | None = None,
    ) -> None:
        super().__init__(f"{entity_label} was changed by someone else while you were editing.")
        self.entity_label = entity_label
        self.stored = stored
        self.submitted = submitted
        self.stored_version = stored_version
        # The fields in conflict after a three-way merge; None where the caller cannot
        # merge (a set of links, a token), and then every differing field is in question.
        self.conflicts = conflicts
        # The form whose save was refused, attached by the web layer to draw its controls.
        self.form: Any = None
        # After a merge: the values outside the conflict (this save's or the stored ones).
        self.merged: dict[str, Any] = {}

    def conflict_names(self) -> list[str]:
        """Return the names of the fields in conflict (every differing one if unknown)."""
        if self.conflicts is not None:
            return [conflict.name for conflict in self.conflicts]
        return [name for name, value in self.submitted.items() if self.stored.get(name) != value]
