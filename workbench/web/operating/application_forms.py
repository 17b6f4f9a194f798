"""The application form: an application's fields, built from the field catalogue."""

from __future__ import annotations

from typing import Any

from workbench.models.catalogue.operating import APPLICATIONS
from workbench.web.form_fields import DepartmentChoice, form_field
from workbench.web.forms import VersionedForm


class ApplicationFields:
    """An application's fields."""

    name = form_field(APPLICATIONS.field("name"), required_message="Name the application.")
    kind = form_field(APPLICATIONS.field("kind"))
    vendor = form_field(APPLICATIONS.field("vendor"))
    owner = form_field(APPLICATIONS.field("owner"))
    department = form_field(APPLICATIONS.field("department"))
    annual_cost = form_field(APPLICATIONS.field("annual_cost"))
    contract_end = form_field(APPLICATIONS.field("contract_end"))
    capabilities = form_field(APPLICATIONS.field("capabilities"))
    notes = form_field(APPLICATIONS.field("notes"))


class NewApplicationForm(ApplicationFields, DepartmentChoice):
    """A new application."""


class ApplicationForm(ApplicationFields, DepartmentChoice, VersionedForm):
    """An application being edited, with the version it was loaded at."""


def application_values(form: Any) -> dict[str, Any]:
    """Turn a validated application form into service values."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "vendor": form.vendor.data or "",
        "owner": form.owner.data or "",
        "department": form.department.data or "",
        "annual_cost": form.annual_cost.data,
        "contract_end": form.contract_end.data,
        "capabilities": list(form.capabilities.data or []),
        "notes": form.notes.data or "",
    }


def application_data(row: Any) -> dict[str, Any]:
    """The form's starting values from a stored application."""
    return {
        "name": row.name,
        "kind": row.kind,
        "vendor": row.vendor,
        "owner": row.owner,
        "department": row.department,
        "annual_cost": row.annual_cost,
        "contract_end": row.contract_end,
        "capabilities": list(row.capabilities or []),
        "notes": row.notes,
        "version": row.version,
    }
