"""Department display names beside the keys rows hold, for every API row naming a department."""

from __future__ import annotations

from typing import Any

from flask import g

from workbench.services import departments as department_service


def department_name(session: Any, row: Any) -> dict[str, Any]:
    """The display name of the row's department, beside the key the row holds."""
    # One read of the register per request, however many rows a page lists.
    names = g.get("api_department_names")
    if names is None:
        names = g.api_department_names = department_service.names(session)
    return {"department_name": department_service.display_name(names, row.department)}


DEPARTMENT_NAME_SCHEMA = {
    "department_name": {
        "type": "string",
        "description": "the department's display name from the register (empty for none); "
        "`department` holds its key, and a write may give either",
    }
}
