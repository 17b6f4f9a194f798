"""The site form: a site's own fields, built from the field catalogue."""

from __future__ import annotations

from typing import Any

from workbench.models.catalogue.metrics import SITES
from workbench.web.form_fields import form_field
from workbench.web.forms import FlaskForm, VersionedForm


class SiteFields:
    """A site's own fields (the parent is chosen from the sites, outside the form)."""

    name = form_field(SITES.field("name"))
    kind = form_field(SITES.field("kind"))
    notes = form_field(SITES.field("notes"))


class NewSiteForm(SiteFields, FlaskForm):
    """A new site."""


class SiteForm(SiteFields, VersionedForm):
    """A site being edited, with the version it was loaded at."""


def site_values(form: Any, parent_id: int | None) -> dict[str, Any]:
    """Turn a validated site form and the chosen parent into service values."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "notes": form.notes.data or "",
        "parent_id": parent_id,
    }


def site_data(row: Any) -> dict[str, Any]:
    """The form's starting values from a stored site."""
    return {"name": row.name, "kind": row.kind.value, "notes": row.notes, "version": row.version}
