"""Errors services raise for the web layer to turn into pages."""

from __future__ import annotations

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


class StaleEditError(ServiceError):
    """Someone saved the row after this form was loaded."""

    status_code = 409

    def __init__(
        self,
        entity_label: str,
        stored: dict[str, Any],
        submitted: dict[str, Any],
        stored_version: int,
    ) -> None:
        super().__init__(f"{entity_label} was changed by someone else while you were editing.")
        self.entity_label = entity_label
        self.stored = stored
        self.submitted = submitted
        self.stored_version = stored_version
