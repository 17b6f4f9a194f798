"""The risk form: a risk's own fields, built from the field catalogue."""

from __future__ import annotations

from typing import Any

from workbench.models.catalogue.alignment import RISKS
from workbench.web.form_fields import form_field
from workbench.web.forms import FlaskForm, VersionedForm

STATUS_CHOICES = list(RISKS.field("status").choices)


class RiskFields:
    """A risk's own fields."""

    title = form_field(RISKS.field("title"))
    cause = form_field(RISKS.field("cause"))
    likelihood = form_field(RISKS.field("likelihood"))
    impact = form_field(RISKS.field("impact"))
    owner = form_field(RISKS.field("owner"))
    mitigation = form_field(RISKS.field("mitigation"))
    review_date = form_field(RISKS.field("review_date"))
    status = form_field(RISKS.field("status"))


class NewRiskForm(RiskFields, FlaskForm):
    """A new risk."""


class RiskForm(RiskFields, VersionedForm):
    """A risk being edited, with the version it was loaded at."""


def risk_values(form: Any) -> dict[str, Any]:
    """Turn a validated risk form into service values."""
    return {
        "title": form.title.data,
        "cause": form.cause.data or "",
        "likelihood": int(form.likelihood.data),
        "impact": int(form.impact.data),
        "owner": form.owner.data or "",
        "mitigation": form.mitigation.data or "",
        "review_date": form.review_date.data,
        "status": form.status.data,
    }


def risk_data(row: Any) -> dict[str, Any]:
    """The form's starting values from a stored risk."""
    return {
        "title": row.title,
        "cause": row.cause,
        "likelihood": str(row.likelihood),
        "impact": str(row.impact),
        "owner": row.owner,
        "mitigation": row.mitigation,
        "review_date": row.review_date,
        "status": row.status.value,
        "version": row.version,
    }
